package engine

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func openTest(t testing.TB, opts Options) (*Engine, string) {
	t.Helper()
	lake := t.TempDir()
	opts.ReadDirs = append(opts.ReadDirs, lake)
	opts.ScratchDir = t.TempDir()
	if opts.Threads == 0 {
		opts.Threads = 2
	}
	e, err := Open(t.Context(), opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e, lake
}

func queryOne(t *testing.T, e *Engine, q string) (string, error) {
	t.Helper()
	rows, err := e.Query(t.Context(), q)
	if err != nil {
		return "", err
	}
	defer rows.Close()
	var s string
	for rows.Next() {
		if err := rows.Scan(&s); err != nil {
			return "", err
		}
	}
	return s, rows.Err()
}

func TestQueryReadsLake(t *testing.T) {
	e, lake := openTest(t, Options{})
	path := filepath.Join(lake, "a.csv")
	if err := os.WriteFile(path, []byte("x,y\n1,hello\n2,world\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	got, err := queryOne(t, e, "SELECT string_agg(y, '+' ORDER BY x) FROM read_csv("+Quote(path)+")")
	if err != nil || got != "hello+world" {
		t.Fatalf("got %q, %v", got, err)
	}
}

// TestSandbox proves the refusals of DESIGN §7: host files, extensions,
// settings changes, ATTACH, COPY and multi-statement tricks.
func TestSandbox(t *testing.T) {
	e, _ := openTest(t, Options{})
	refused := []string{
		"SELECT * FROM read_csv('/etc/passwd')",
		"SELECT * FROM read_text('/etc/passwd')",
		"SELECT * FROM read_blob('/etc/hostname')",
		"SELECT * FROM glob('/etc/*')",
		"SELECT * FROM '/etc/passwd'",
		"SELECT * FROM read_parquet('/etc/x.parquet')",
		"SELECT getenv('HOME')",
		"INSTALL httpfs",
		"LOAD httpfs",
		"SET enable_external_access = true",
		"SET allowed_directories = ['/']",
		"PRAGMA enable_profiling",
		"RESET lock_configuration",
		"ATTACH '/tmp/x.duckdb' AS x",
		"COPY (SELECT 1) TO '/tmp/tarn-escape.csv'",
		"CREATE MACRO m(a) AS a",
		"CREATE SECRET s (TYPE s3, KEY_ID 'x', SECRET 'y')",
		"CREATE TABLE t AS SELECT 1",
		"SELECT 1; SET lock_configuration = false",
		"SET lock_configuration = false; SELECT 1",
		"CALL pragma_version()",
		"EXPORT DATABASE '/tmp/x'",
	}
	for _, q := range refused {
		got, err := queryOne(t, e, q)
		if err == nil {
			t.Errorf("%s: ran, got %q", q, got)
			continue
		}
		msg := err.Error()
		if !errors.Is(err, ErrRefused) && !strings.Contains(msg, "Permission Error") && !strings.Contains(msg, "does not exist") {
			t.Errorf("%s: refused for another reason: %v", q, err)
		}
	}
	// The trusted path is sandboxed too.
	for _, q := range []string{
		"COPY (SELECT 1) TO '/tmp/tarn-escape.csv'",
		"SET lock_configuration = false",
		"SET enable_external_access = true",
		"INSTALL httpfs",
		"FORCE INSTALL httpfs FROM 'http://127.0.0.1:1/'",
		"LOAD httpfs",
		"ATTACH '/tmp/x.duckdb' AS x",
		"PRAGMA enable_profiling",
		"CREATE TABLE p AS SELECT * FROM read_text('/etc/passwd')",
		"CREATE TABLE q (x INT); SET lock_configuration = false",
		"CALL pragma_version()",
	} {
		_, err := e.Exec(t.Context(), q)
		if err == nil {
			t.Errorf("Exec %s: ran", q)
			continue
		}
		if msg := err.Error(); !errors.Is(err, ErrRefused) && !strings.Contains(msg, "Permission Error") && !strings.Contains(msg, "locked") {
			t.Errorf("Exec %s: refused for another reason: %v", q, err)
		}
	}
	if _, err := os.Stat("/tmp/tarn-escape.csv"); err == nil {
		t.Fatal("COPY escaped the sandbox")
	}
	// Writing into the scratch directory is allowed for tarn's own COPY.
	out := filepath.Join(e.ScratchDir(), "ok.parquet")
	if _, err := e.Exec(t.Context(), "COPY (SELECT 42 AS x) TO "+Quote(out)+" (FORMAT parquet)"); err != nil {
		t.Fatal(err)
	}
	if got, err := queryOne(t, e, "SELECT x::VARCHAR FROM read_parquet("+Quote(out)+")"); err != nil || got != "42" {
		t.Fatalf("read back: %q, %v", got, err)
	}
	if got, err := queryOne(t, e, "SELECT current_setting('enable_external_access')::VARCHAR"); err != nil || got != "false" {
		t.Fatalf("enable_external_access = %q, %v", got, err)
	}
	if got, err := queryOne(t, e, "SELECT current_setting('lock_configuration')::VARCHAR"); err != nil || got != "true" {
		t.Fatalf("lock_configuration = %q, %v", got, err)
	}
}

func TestGateRefusesWrites(t *testing.T) {
	e, _ := openTest(t, Options{})
	_, err := queryOne(t, e, "CREATE TABLE t (x INT)")
	if !errors.Is(err, ErrRefused) {
		t.Fatalf("err %v, want ErrRefused", err)
	}
	if err := e.Check(t.Context(), "SELECT 1 AS x"); err != nil {
		t.Fatal(err)
	}
}

const longQuery = "SELECT count(*) FROM range(1000000000000) a WHERE hash(a.range) % 7 = 3"

func TestCancelInterrupts(t *testing.T) {
	e, _ := openTest(t, Options{})
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		rows, err := e.Query(ctx, longQuery)
		if err == nil {
			for rows.Next() {
			}
			err = rows.Err()
			rows.Close()
		}
		done <- err
	}()
	time.AfterFunc(200*time.Millisecond, cancel)
	select {
	case err := <-done:
		if err == nil {
			t.Fatal("long query finished without error")
		}
	case <-time.After(60 * time.Second):
		t.Fatal("cancel did not interrupt DuckDB")
	}
}

func TestTimeout(t *testing.T) {
	e, _ := openTest(t, Options{QueryTimeout: 200 * time.Millisecond})
	_, err := queryOne(t, e, longQuery)
	if !errors.Is(err, ErrTimeout) {
		t.Fatalf("err %v, want ErrTimeout", err)
	}
	if _, err := e.Exec(t.Context(), "CREATE TABLE big AS "+longQuery); !errors.Is(err, ErrTimeout) {
		t.Fatalf("Exec err %v, want ErrTimeout", err)
	}
	if got, err := queryOne(t, e, "SELECT 'still works'"); err != nil || !strings.Contains(got, "works") {
		t.Fatalf("after timeout: %q, %v", got, err)
	}
}

func TestFilesRead(t *testing.T) {
	e, lake := openTest(t, Options{})
	var paths []string
	for i := range 3 {
		p := filepath.Join(lake, fmt.Sprintf("obj%d", i))
		if _, err := e.Exec(t.Context(), fmt.Sprintf("COPY (SELECT range AS x FROM range(100)) TO %s (FORMAT parquet)", Quote(filepath.Join(e.ScratchDir(), "f.parquet")))); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(filepath.Join(e.ScratchDir(), "f.parquet"), p); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, p)
	}
	q := fmt.Sprintf("SELECT count(*) FROM (SELECT x, '1' AS dt FROM read_parquet([%s]) UNION ALL BY NAME SELECT x, '2' AS dt FROM read_parquet([%s, %s])) WHERE dt = '2'",
		Quote(paths[0]), Quote(paths[1]), Quote(paths[2]))
	rows, err := e.Query(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
	}
	rows.Close()
	got := rows.FilesRead()
	if len(got) != 2 || got[0] != paths[1] || got[1] != paths[2] {
		t.Fatalf("files read %q, want the second partition's %q", got, paths[1:])
	}
}

func TestParseFilenames(t *testing.T) {
	for in, want := range map[string]string{
		"{Function=READ_PARQUET, 'Filename(s)'='/a/1, /a/2'}": "/a/1|/a/2",
		"{Function=READ_PARQUET, 'Filename(s)'=/a/1}":         "/a/1",
		"{'Filename(s)'=/a/1, Total Files Read=1}":            "/a/1",
		"{Function=READ_PARQUET, Projections=x}":              "",
	} {
		if got := strings.Join(parseFilenames(in), "|"); got != want {
			t.Errorf("%s: %q, want %q", in, got, want)
		}
	}
}

// TestFileDatabase opens a database file (the warehouse's), writes through
// Exec, and reads it back after reopening.
func TestFileDatabase(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "warehouse.duckdb")
	open := func() *Engine {
		e, err := Open(t.Context(), Options{Path: path, ScratchDir: filepath.Join(dir, "scratch"), Threads: 2, Connections: 2})
		if err != nil {
			t.Fatal(err)
		}
		return e
	}
	e := open()
	for _, q := range []string{"CREATE TABLE t (x INTEGER, s VARCHAR)", "INSERT INTO t SELECT range, 'v' || range FROM range(1000)"} {
		if _, err := e.Exec(t.Context(), q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	e = open()
	defer e.Close()
	if got, err := queryOne(t, e, "SELECT sum(x)::VARCHAR FROM t"); err != nil || got != "499500" {
		t.Fatalf("after reopen: %q, %v", got, err)
	}
}
