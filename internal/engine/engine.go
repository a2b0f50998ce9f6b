package engine

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// DefaultQueryTimeout bounds a query when Options.QueryTimeout is zero
// (Athena's default DML query timeout).
const DefaultQueryTimeout = 30 * time.Minute

// DefaultConnections is the pool size when Options.Connections is zero.
const DefaultConnections = 8

// profiling turns on DuckDB's per-connection profiler without output, so
// that the operator tree of the last query names the files it read.
var profiling = []string{
	"PRAGMA enable_profiling = 'no_output'",
	`PRAGMA custom_profiling_settings = '{"EXTRA_INFO": "true", "OPERATOR_TYPE": "true"}'`,
}

// Options configure Open. ScratchDir is required.
type Options struct {
	// Path is the database file; "" means an in-memory database.
	Path string
	// ReadDirs are the directories SQL may read (the lake). Files outside
	// them and ScratchDir are refused.
	ReadDirs []string
	// ScratchDir is the engine's own directory: spill files (temp/) and
	// the files tarn writes through COPY. It is created if missing.
	ScratchDir string
	// MemoryLimit is DuckDB's memory_limit (e.g. "2GB"); "" is DuckDB's
	// default (80% of RAM).
	MemoryLimit string
	// Threads bounds DuckDB's worker threads; 0 means one per core.
	Threads int
	// QueryTimeout bounds each query; 0 means DefaultQueryTimeout.
	QueryTimeout time.Duration
	// IntegerDivision makes / of two integers an integer division, as in
	// Trino (Athena), Redshift and PostgreSQL; DuckDB's own / gives a double.
	IntegerDivision bool
	// Connections is the size of the connection pool, all opened (with
	// profiling on, so queries report the files they read) before the
	// configuration is locked; 0 means DefaultConnections.
	Connections int
	Logger      *slog.Logger
}

// Engine is one sandboxed DuckDB database. Safe for concurrent use.
type Engine struct {
	db      *sql.DB
	scratch string
	timeout time.Duration
	log     *slog.Logger
}

// Sentinel errors.
var (
	// ErrRefused means the gate refused a statement: it is not one plain
	// read-only query.
	ErrRefused = errors.New("engine: statement refused")
	// ErrTimeout means a query ran past its timeout and was interrupted.
	ErrTimeout = errors.New("engine: query timed out")
)

// Open opens the database and locks its sandbox before returning it.
func Open(ctx context.Context, opts Options) (*Engine, error) {
	if opts.ScratchDir == "" {
		return nil, errors.New("engine: Options.ScratchDir is required")
	}
	scratch, err := filepath.Abs(opts.ScratchDir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Join(scratch, "temp"), 0o755); err != nil {
		return nil, fmt.Errorf("engine: scratch dir: %w", err)
	}
	dirs := []string{dirSlash(scratch)}
	for _, d := range opts.ReadDirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			return nil, err
		}
		dirs = append(dirs, dirSlash(abs))
	}
	conn, err := duckdb.NewConnector(opts.Path, func(ex driver.ExecerContext) error {
		// A connection opened after the lock cannot turn profiling on; it
		// works without (FilesRead is then empty).
		for _, q := range profiling {
			if _, err := ex.ExecContext(context.Background(), q, nil); err != nil {
				return nil
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("engine: open duckdb: %w", err)
	}
	db := sql.OpenDB(conn)
	e := &Engine{db: db, scratch: scratch, timeout: opts.QueryTimeout, log: opts.Logger}
	if e.timeout <= 0 {
		e.timeout = DefaultQueryTimeout
	}
	if e.log == nil {
		e.log = slog.New(slog.DiscardHandler)
	}
	n := opts.Connections
	if n <= 0 {
		n = DefaultConnections
	}
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	if err := sandbox(ctx, db, n, dirs, scratch, opts); err != nil {
		db.Close()
		return nil, err
	}
	return e, nil
}

// sandbox applies the settings on the first connection. The order
// matters: allowed_directories before enable_external_access=false, and
// lock_configuration last.
func sandbox(ctx context.Context, db *sql.DB, n int, dirs []string, scratch string, opts Options) error {
	quoted := make([]string, len(dirs))
	for i, d := range dirs {
		quoted[i] = Quote(d)
	}
	settings := []string{
		"SET autoinstall_known_extensions = false",
		"SET autoload_known_extensions = false",
		"SET allow_community_extensions = false",
		"SET allowed_directories = [" + strings.Join(quoted, ", ") + "]",
		"SET temp_directory = " + Quote(filepath.Join(scratch, "temp")),
		"SET extension_directory = " + Quote(filepath.Join(scratch, "extensions")),
		"SET GLOBAL TimeZone = 'UTC'", // Athena's session time zone
	}
	if opts.IntegerDivision {
		settings = append(settings, "SET GLOBAL integer_division = true")
	}
	if opts.Threads > 0 {
		settings = append(settings, fmt.Sprintf("SET threads = %d", opts.Threads))
	}
	if opts.MemoryLimit != "" {
		settings = append(settings, "SET memory_limit = "+Quote(opts.MemoryLimit))
	}
	settings = append(settings, "SET enable_external_access = false", "SET lock_configuration = true")
	conns := make([]*sql.Conn, 0, n)
	defer func() {
		for _, c := range conns {
			c.Close()
		}
	}()
	for range n { // the whole pool, before the lock
		c, err := db.Conn(ctx)
		if err != nil {
			return fmt.Errorf("engine: connect: %w", err)
		}
		conns = append(conns, c)
	}
	c := conns[0]
	for _, s := range settings {
		if _, err := c.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("engine: %s: %w", s, err)
		}
	}
	return nil
}

func dirSlash(d string) string {
	return strings.TrimSuffix(d, string(filepath.Separator)) + string(filepath.Separator)
}

// Close closes the database; queries in flight fail.
func (e *Engine) Close() error { return e.db.Close() }

// ScratchDir is the absolute scratch directory, where tarn's own COPY
// statements may write.
func (e *Engine) ScratchDir() string { return e.scratch }

// Quote is a SQL string literal.
func Quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// QuoteIdent is a quoted SQL identifier.
func QuoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
