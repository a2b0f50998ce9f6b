package engine

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
)

// Rows are a query's results. Close releases the connection and the
// query's timeout; the caller must call it.
type Rows struct {
	*sql.Rows
	conn   *sql.Conn
	cancel context.CancelFunc
	ctx    timeoutCtx
	closed bool
	files  []string
}

// Close closes the rows and releases their connection. Safe to call
// more than once.
func (r *Rows) Close() error {
	if r.closed {
		return nil
	}
	r.closed = true
	err := r.Rows.Close()
	r.files = filesRead(r.conn)
	r.conn.Close()
	r.cancel()
	return err
}

// FilesRead lists the files the query's scans read (after DuckDB pruned
// union branches and files), known after Close.
func (r *Rows) FilesRead() []string { return r.files }

// Err is the iteration error, ErrTimeout when the query ran too long.
func (r *Rows) Err() error { return r.ctx.Err2(r.Rows.Err()) }

type timeoutCtx struct{ context.Context }

// Err2 maps an error caused by the timeout to ErrTimeout.
func (c timeoutCtx) Err2(err error) error {
	if err != nil && errors.Is(context.Cause(c.Context), ErrTimeout) {
		return fmt.Errorf("%w: %v", ErrTimeout, err)
	}
	return err
}

// Query runs one read-only statement and returns its rows. The gate
// refuses (ErrRefused) anything but one SELECT or EXPLAIN; the sandbox
// then refuses any file outside the allowed directories. Cancelling ctx
// interrupts DuckDB.
func (e *Engine) Query(ctx context.Context, q string, args ...any) (*Rows, error) {
	qctx, cancel := e.queryContext(ctx)
	c, err := e.db.Conn(qctx)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("engine: connect: %w", err)
	}
	if err := gate(c, q); err != nil {
		c.Close()
		cancel()
		return nil, err
	}
	rows, err := c.QueryContext(qctx, q, args...)
	if err != nil {
		c.Close()
		cancel()
		return nil, timeoutCtx{qctx}.Err2(err)
	}
	return &Rows{Rows: rows, conn: c, cancel: cancel, ctx: timeoutCtx{qctx}}, nil
}

// Check runs the gate on q without executing it: nil when q is one
// read-only statement that prepares (binds) cleanly.
func (e *Engine) Check(ctx context.Context, q string) error {
	c, err := e.db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("engine: connect: %w", err)
	}
	defer c.Close()
	return gate(c, q)
}

// Exec runs one statement that changes data: tarn's own COPY into the
// scratch directory, or DDL and DML for the warehouse. It is gated too:
// exactly one statement, never INSTALL, LOAD, ATTACH, DETACH, SET, PRAGMA,
// EXPORT/IMPORT or CALL (ErrRefused); the sandbox and the timeout apply.
func (e *Engine) Exec(ctx context.Context, q string, args ...any) (Stats, error) {
	qctx, cancel := e.queryContext(ctx)
	defer cancel()
	c, err := e.db.Conn(qctx)
	if err != nil {
		return Stats{}, fmt.Errorf("engine: connect: %w", err)
	}
	defer c.Close()
	if err := gateWith(c, q, execTypes); err != nil {
		return Stats{}, err
	}
	res, err := c.ExecContext(qctx, q, args...)
	if err != nil {
		return Stats{}, timeoutCtx{qctx}.Err2(err)
	}
	n, _ := res.RowsAffected()
	return Stats{Rows: n, FilesRead: filesRead(c)}, nil
}

// Stats describe an Exec.
type Stats struct {
	Rows      int64    // rows changed or written
	FilesRead []string // files its scans read
}

// filesRead collects 'Filename(s)' from the profile of the connection's
// last query; nil when profiling is off.
func filesRead(c *sql.Conn) []string {
	info, err := duckdb.GetProfilingInfo(c)
	if err != nil {
		return nil
	}
	var out []string
	var walk func(p duckdb.ProfilingInfo)
	walk = func(p duckdb.ProfilingInfo) {
		out = append(out, parseFilenames(p.Metrics["EXTRA_INFO"])...)
		for _, ch := range p.Children {
			walk(ch)
		}
	}
	walk(info)
	return out
}

// parseFilenames extracts the list from an EXTRA_INFO rendering such as
// {Function=READ_PARQUET, 'Filename(s)'='/a/1, /a/2'} (one file is
// rendered unquoted: 'Filename(s)'=/a/1).
func parseFilenames(extra string) []string {
	const key = "'Filename(s)'="
	i := strings.Index(extra, key)
	if i < 0 {
		return nil
	}
	rest := extra[i+len(key):]
	if strings.HasPrefix(rest, "'") {
		j := strings.Index(rest[1:], "'")
		if j < 0 {
			return nil
		}
		return strings.Split(rest[1:j+1], ", ")
	}
	j := strings.Index(rest, ", ")
	if k := strings.LastIndex(rest, "}"); j < 0 || k >= 0 && k < j {
		j = k
	}
	if j < 0 {
		j = len(rest)
	}
	return []string{rest[:j]}
}

func (e *Engine) queryContext(ctx context.Context) (context.Context, context.CancelFunc) {
	return context.WithTimeoutCause(ctx, e.timeout, ErrTimeout)
}

// readTypes are the statements Query runs; execTypes those Exec runs.
var (
	readTypes = map[duckdb.StmtType]bool{duckdb.STATEMENT_TYPE_SELECT: true, duckdb.STATEMENT_TYPE_EXPLAIN: true}
	execTypes = map[duckdb.StmtType]bool{
		duckdb.STATEMENT_TYPE_SELECT: true, duckdb.STATEMENT_TYPE_EXPLAIN: true, duckdb.STATEMENT_TYPE_INSERT: true,
		duckdb.STATEMENT_TYPE_UPDATE: true, duckdb.STATEMENT_TYPE_DELETE: true, duckdb.STATEMENT_TYPE_CREATE: true,
		duckdb.STATEMENT_TYPE_DROP: true, duckdb.STATEMENT_TYPE_ALTER: true, duckdb.STATEMENT_TYPE_COPY: true,
		duckdb.STATEMENT_TYPE_TRANSACTION: true, duckdb.STATEMENT_TYPE_ANALYZE: true,
	}
)

// gate prepares q with Prepare (which refuses more than one statement,
// where PrepareContext would run all but the last) and allows only
// SELECT and EXPLAIN.
func gate(c *sql.Conn, q string) error { return gateWith(c, q, readTypes) }

func gateWith(c *sql.Conn, q string, allowed map[duckdb.StmtType]bool) error {
	if stmts, err := Split(q); err != nil || len(stmts) != 1 {
		return fmt.Errorf("%w: exactly one statement may run here", ErrRefused)
	}
	return c.Raw(func(dc any) error {
		st, err := dc.(*duckdb.Conn).Prepare(q)
		if err != nil {
			return err
		}
		defer st.Close()
		typ, err := st.(*duckdb.Stmt).StatementType()
		if err != nil {
			return err
		}
		if allowed[typ] {
			return nil
		}
		if len(allowed) == len(readTypes) {
			return fmt.Errorf("%w: only one read-only query (SELECT) may run here", ErrRefused)
		}
		return fmt.Errorf("%w: this kind of statement may not run here", ErrRefused)
	})
}
