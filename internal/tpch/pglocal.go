package tpch

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"time"
)

// ErrNoPostgres means no PostgreSQL server binaries (initdb, pg_ctl,
// postgres) were found.
var ErrNoPostgres = errors.New("tpch: no PostgreSQL binaries found (apt-get install postgresql-15)")

// FindPostgres returns the directory holding initdb, pg_ctl and postgres:
// Debian's PostgreSQL 15, /usr/local/bin, newer Debian versions, then
// $PATH.
func FindPostgres() (string, error) {
	has := func(dir string) bool {
		for _, b := range []string{"initdb", "pg_ctl", "postgres"} {
			if st, err := os.Stat(filepath.Join(dir, b)); err != nil || st.IsDir() {
				return false
			}
		}
		return true
	}
	for _, d := range []string{"/usr/lib/postgresql/15/bin", "/usr/local/bin", "/usr/lib/postgresql/16/bin", "/usr/lib/postgresql/17/bin"} {
		if has(d) {
			return d, nil
		}
	}
	if p, err := exec.LookPath("pg_ctl"); err == nil && has(filepath.Dir(p)) {
		return filepath.Dir(p), nil
	}
	return "", ErrNoPostgres
}

// DefaultLocalSettings are the server settings StartLocalPostgres passes
// with -c unless told otherwise: memory sized for a benchmark on a 24 GiB
// machine, as a user would set it, and no fsync (the cluster is thrown
// away; this only speeds up the load, not the queries).
func DefaultLocalSettings() []string {
	return []string{
		"shared_buffers=1GB", "work_mem=64MB", "maintenance_work_mem=512MB",
		"effective_cache_size=8GB", "max_wal_size=4GB", "fsync=off",
		"synchronous_commit=off", "full_page_writes=off",
	}
}

// LocalOptions configure StartLocalPostgres; the zero value finds the
// binaries with FindPostgres and uses DefaultLocalSettings.
type LocalOptions struct {
	BinDir   string   // directory of initdb, pg_ctl and postgres
	Settings []string // name=value server settings; nil means the defaults
}

// LocalPostgres is a throwaway PostgreSQL cluster in a temporary
// directory, listening on 127.0.0.1 only. Stop stops it and removes the
// directory.
type LocalPostgres struct {
	ConnString string // postgres://tarn@127.0.0.1:PORT/postgres
	Version    string // "postgres (PostgreSQL) 15.x ..."
	bin, dir   string
	cred       *syscall.Credential
}

// StartLocalPostgres initializes a cluster with trust authentication for
// user "tarn" and starts it on a free port, waiting until it accepts
// connections. PostgreSQL refuses to run as root, so when tarn runs as
// root the server runs as the system user "postgres".
func StartLocalPostgres(ctx context.Context, o LocalOptions) (*LocalPostgres, error) {
	bin := o.BinDir
	if bin == "" {
		var err error
		if bin, err = FindPostgres(); err != nil {
			return nil, err
		}
	}
	if o.Settings == nil {
		o.Settings = DefaultLocalSettings()
	}
	dir, err := os.MkdirTemp("", "tarn-pg-")
	if err != nil {
		return nil, err
	}
	p := &LocalPostgres{bin: bin, dir: dir}
	if os.Geteuid() == 0 {
		u, err := user.Lookup("postgres")
		if err != nil {
			os.RemoveAll(dir)
			return nil, fmt.Errorf("tpch: running as root needs a postgres user: %w", err)
		}
		uid, _ := strconv.Atoi(u.Uid)
		gid, _ := strconv.Atoi(u.Gid)
		if err := os.Chown(dir, uid, gid); err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		p.cred = &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}
	}
	if out, err := p.cmd(ctx, "postgres", "--version").Output(); err == nil {
		p.Version = string(bytes.TrimSpace(out))
	}
	data := filepath.Join(dir, "data")
	if out, err := p.cmd(ctx, "initdb", "-D", data, "-U", "tarn", "-A", "trust", "-E", "UTF8",
		"--locale=C", "--no-sync").CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return nil, fmt.Errorf("tpch: initdb: %v: %s", err, out)
	}
	port, err := freePort()
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	opts := fmt.Sprintf("-p %d -k %s -c listen_addresses=127.0.0.1", port, dir)
	for _, s := range o.Settings {
		opts += " -c " + s
	}
	if out, err := p.cmd(ctx, "pg_ctl", "-D", data, "-l", filepath.Join(dir, "server.log"), "-o", opts,
		"-w", "-t", "120", "start").CombinedOutput(); err != nil {
		log, _ := os.ReadFile(filepath.Join(dir, "server.log"))
		p.Stop(context.Background())
		return nil, fmt.Errorf("tpch: pg_ctl start: %v: %s%s", err, out, log)
	}
	p.ConnString = fmt.Sprintf("postgres://tarn@127.0.0.1:%d/postgres?sslmode=disable", port)
	return p, nil
}

// Stop stops the server (fast shutdown) and removes its directory.
func (p *LocalPostgres) Stop(ctx context.Context) error {
	data := filepath.Join(p.dir, "data")
	var err error
	if _, serr := os.Stat(filepath.Join(data, "postmaster.pid")); serr == nil {
		if out, cerr := p.cmd(ctx, "pg_ctl", "-D", data, "-m", "fast", "-w", "-t", "60", "stop").CombinedOutput(); cerr != nil {
			err = fmt.Errorf("tpch: pg_ctl stop: %v: %s", cerr, out)
		}
	}
	if rerr := os.RemoveAll(p.dir); err == nil {
		err = rerr
	}
	return err
}

func (p *LocalPostgres) cmd(ctx context.Context, name string, args ...string) *exec.Cmd {
	c := exec.CommandContext(ctx, filepath.Join(p.bin, name), args...)
	c.Dir = p.dir
	c.Env = append(os.Environ(), "LC_ALL=C")
	c.WaitDelay = 10 * time.Second
	if p.cred != nil {
		c.SysProcAttr = &syscall.SysProcAttr{Credential: p.cred}
	}
	return c
}

// freePort returns a TCP port on 127.0.0.1 free at the time of the call.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
