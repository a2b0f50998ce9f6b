package warehouse

import (
	"context"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/duckdb/duckdb-go/v2"

	"github.com/tarnhq/tarn/internal/engine"
	"github.com/tarnhq/tarn/internal/pgwire"
)

// preparePass translates a statement DuckDB runs and, for one that
// returns rows, describes its columns and parameters with DuckDB's
// prepare (nothing runs).
func (se *session) preparePass(ctx context.Context, st *stmt, q string, sig []engine.Token, paramOIDs []uint32) error {
	tr, err := se.translateWithExternal(ctx, q)
	if err != nil {
		return err
	}
	st.sql, st.pre, st.table, st.sort = tr.SQL, tr.Pre, tr.Table, tr.SortKey
	st.tag, st.rows = commandTag(sig)
	if !st.rows {
		n := countParams(sig)
		if n > 0 {
			st.desc.ParamOIDs = fillParams(paramOIDs, n)
		}
		return nil
	}
	return se.conn.Raw(func(dc any) error {
		ps, err := dc.(*duckdb.Conn).Prepare(st.sql)
		if err != nil {
			return pgError(err)
		}
		defer ps.Close()
		d := ps.(*duckdb.Stmt)
		n := d.NumInput()
		oids := fillParams(paramOIDs, n)
		for i := range n {
			if i < len(paramOIDs) && paramOIDs[i] != 0 {
				continue
			}
			if t, err := d.ParamType(i + 1); err == nil {
				if oid, _ := oidOf(t, nil); oid != pgwire.OIDUnknown {
					oids[i] = oid
				}
			}
		}
		st.desc.ParamOIDs = oids
		cols, err := d.ColumnCount()
		if err != nil {
			return pgError(err)
		}
		for i := range cols {
			name, _ := d.ColumnName(i)
			t, _ := d.ColumnType(i)
			info, _ := d.ColumnTypeInfo(i)
			oid, mod := oidOf(t, info)
			st.desc.Columns = append(st.desc.Columns, pgwire.Column{Name: name, TypeOID: oid, TypeModifier: mod})
			st.conv = append(st.conv, converterFor(oid))
		}
		return nil
	})
}

func fillParams(given []uint32, n int) []uint32 {
	out := make([]uint32, n)
	copy(out, given)
	for i := range out {
		if out[i] == 0 {
			out[i] = pgwire.OIDText
		}
	}
	return out
}

// countParams is the highest $n in the statement.
func countParams(sig []engine.Token) int {
	n := 0
	for _, t := range sig {
		if t.Kind == engine.Param && strings.HasPrefix(t.Text, "$") {
			var k int
			fmt.Sscanf(t.Text[1:], "%d", &k)
			n = max(n, k)
		}
	}
	return n
}

// commandTag is the CommandComplete tag's words and whether the
// statement returns rows.
func commandTag(sig []engine.Token) (string, bool) {
	w := func(i int) string {
		if i < len(sig) && sig[i].Kind == engine.Ident {
			return sig[i].Upper()
		}
		return ""
	}
	returning := false
	for _, t := range sig {
		if t.Is("RETURNING") {
			returning = true
		}
	}
	switch w(0) {
	case "SELECT", "WITH", "VALUES", "TABLE", "":
		for _, t := range sig {
			if t.Is("INSERT") || t.Is("UPDATE") || t.Is("DELETE") {
				if w(0) == "WITH" && !returning {
					return t.Upper(), false
				}
			}
		}
		return "SELECT", true
	case "EXPLAIN":
		return "EXPLAIN", true
	case "INSERT":
		return "INSERT 0", returning
	case "UPDATE", "DELETE", "MERGE":
		return w(0), returning
	case "TRUNCATE":
		return "TRUNCATE TABLE", false
	case "CREATE", "DROP", "ALTER":
		i := 1
		for w(i) == "TEMP" || w(i) == "TEMPORARY" || w(i) == "LOCAL" || w(i) == "OR" || w(i) == "REPLACE" || w(i) == "MATERIALIZED" || w(i) == "UNIQUE" {
			i++
		}
		if w(0) == "CREATE" && w(i) == "TABLE" {
			for _, t := range sig {
				if t.Is("AS") {
					return "SELECT", false
				}
			}
		}
		return w(0) + " " + w(i), false
	}
	return w(0), false
}

// exec runs a statement on DuckDB. Rows are read to the end here, so
// that the session's connection is free for the next statement.
func (st *stmt) exec(ctx context.Context, params []any) (pgwire.Result, error) {
	se := st.se
	qctx, cancel := context.WithTimeoutCause(ctx, se.s.timeout, engine.ErrTimeout)
	defer cancel()
	args := make([]any, len(params))
	copy(args, params)
	for _, p := range st.pre {
		if _, err := se.conn.ExecContext(qctx, p); err != nil {
			return nil, timeoutErr(qctx, err)
		}
	}
	if !st.rows {
		res, err := se.conn.ExecContext(qctx, st.sql, args...)
		if err != nil {
			return nil, timeoutErr(qctx, err)
		}
		n, _ := res.RowsAffected()
		if st.table != "" && len(st.sort) > 0 {
			if err := se.s.setMeta(qctx, se.conn, "sortkey", se.qualify(st.table), strings.Join(st.sort, ",")); err != nil {
				return nil, err
			}
		}
		return &result{tag: tagWithCount(st.tag, n)}, nil
	}
	cancel() // the stream has its own, for as long as the portal lives
	return se.stream(ctx, st, args)
}

func timeoutErr(ctx context.Context, err error) error {
	if context.Cause(ctx) == engine.ErrTimeout {
		return fmt.Errorf("%w: %v", engine.ErrTimeout, err)
	}
	return err
}

func tagWithCount(tag string, n int64) string {
	switch tag {
	case "SELECT", "INSERT 0", "UPDATE", "DELETE", "MERGE", "COPY":
		return fmt.Sprintf("%s %d", tag, n)
	}
	return tag
}

// qualify adds the session's schema to an unqualified table name.
func (se *session) qualify(table string) string {
	if strings.Contains(table, ".") {
		return table
	}
	return se.schema() + "." + table
}

// result is a statement's materialized rows.
type result struct {
	tag  string
	rows [][]any
	i    int
}

func (r *result) Next(ctx context.Context, row []any) (bool, error) {
	if r.i >= len(r.rows) {
		return false, nil
	}
	copy(row, r.rows[r.i])
	r.i++
	return true, nil
}

func (r *result) Tag() string  { return r.tag }
func (r *result) Close() error { return nil }

var _ driver.Value = nil
