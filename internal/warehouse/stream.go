package warehouse

import (
	"context"
	"database/sql"

	"github.com/tarnhq/tarn/internal/engine"
	"github.com/tarnhq/tarn/internal/pgwire"
)

// streamResult hands a query's rows to the client as DuckDB produces
// them (portals fetched in pages do not hold the whole result). The
// session's connection can run one query at a time, so before the
// session uses it again (the next Prepare or Execute) settle reads the
// rest of an open stream into memory.
type streamResult struct {
	se     *session
	rows   *sql.Rows // nil once read to the end or settled
	ctx    context.Context
	cancel context.CancelFunc
	conv   []converter
	ptrs   []any
	buf    [][]any // rows read ahead by settle
	n      int64
	tag    string
	err    error
}

func (se *session) stream(ctx context.Context, st *stmt, args []any) (pgwire.Result, error) {
	se.settle()
	qctx, cancel := context.WithTimeoutCause(ctx, se.s.timeout, engine.ErrTimeout)
	rows, err := se.conn.QueryContext(qctx, st.sql, args...)
	if err != nil {
		cancel()
		return nil, timeoutErr(qctx, err)
	}
	cols, _ := rows.Columns()
	if len(cols) != len(st.conv) {
		rows.Close()
		cancel()
		return nil, pgwire.Errorf(pgwire.CodeInternalError, "result has %d columns, described %d", len(cols), len(st.conv))
	}
	r := &streamResult{se: se, rows: rows, ctx: qctx, cancel: cancel, conv: st.conv, ptrs: make([]any, len(cols)), tag: st.tag}
	se.open = r
	return r, nil
}

// read fetches the next row from DuckDB.
func (r *streamResult) read() ([]any, bool) {
	if r.rows == nil {
		return nil, false
	}
	if !r.rows.Next() {
		if err := r.rows.Err(); err != nil {
			r.err = r.se.fail(timeoutErr(r.ctx, err))
		}
		r.finish()
		return nil, false
	}
	vals := make([]any, len(r.conv))
	for i := range vals {
		r.ptrs[i] = &vals[i]
	}
	if err := r.rows.Scan(r.ptrs...); err != nil {
		r.err = err
		r.finish()
		return nil, false
	}
	for i, c := range r.conv {
		vals[i] = c(vals[i])
	}
	return vals, true
}

func (r *streamResult) finish() {
	if r.rows != nil {
		r.rows.Close()
		r.rows = nil
	}
	if r.se.open == r {
		r.se.open = nil
	}
}

func (r *streamResult) Next(ctx context.Context, row []any) (bool, error) {
	var vals []any
	if len(r.buf) > 0 {
		vals, r.buf = r.buf[0], r.buf[1:]
	} else {
		var ok bool
		if vals, ok = r.read(); !ok {
			return false, r.err
		}
	}
	copy(row, vals)
	r.n++
	return true, nil
}

func (r *streamResult) Tag() string { return tagWithCount(r.tag, r.n) }

func (r *streamResult) Close() error {
	r.finish()
	r.cancel()
	return nil
}

// settle reads the rest of the session's open stream into memory, so
// that the connection is free.
func (se *session) settle() {
	r := se.open
	if r == nil {
		return
	}
	for {
		vals, ok := r.read()
		if !ok {
			break
		}
		r.buf = append(r.buf, vals)
	}
	se.open = nil
}
