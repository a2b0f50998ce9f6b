package warehouse

import (
	"context"
	"fmt"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
	"github.com/tarnhq/tarn/internal/pgwire"
)

// runCopy loads the lake files under o.from into the table: one INSERT
// ... SELECT over DuckDB's reader of exactly those files, ordered by the
// table's SORTKEY, in the session's transaction.
func (se *session) runCopy(ctx context.Context, o *copyOpts) (pgwire.Result, error) {
	schema, table, cols, err := se.targetColumns(ctx, o)
	if err != nil {
		return nil, err
	}
	files, err := se.s.lakeFiles(ctx, o.from)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		_, prefix, _ := parseS3(o.from)
		return nil, &pgwire.Error{Code: pgwire.CodeInternalError, Message: fmt.Sprintf("The specified S3 prefix '%s' does not exist", prefix),
			Detail: "error:  The specified S3 prefix '" + prefix + "' does not exist\n  code:      8001\n  context:   " + o.from}
	}
	src := copySource(o, files, cols)
	names := make([]string, len(cols))
	exprs := make([]string, len(cols))
	var checks []string
	for k, c := range cols {
		names[k] = engine.QuoteIdent(c.name)
		raw := "src." + engine.QuoteIdent(fmt.Sprintf("c%d", k))
		exprs[k] = o.convert(raw, c.typ, o.maxErr > 0)
		if o.maxErr > 0 {
			checks = append(checks, fmt.Sprintf("(%s IS NULL OR %s IS NOT NULL)", raw, exprs[k]))
		}
	}
	qtable := engine.QuoteIdent(schema) + "." + engine.QuoteIdent(table)
	where := ""
	if len(checks) > 0 {
		ok := strings.Join(checks, " AND ")
		var bad int64
		if err := se.conn.QueryRowContext(ctx, "SELECT count(*) FROM "+src+" WHERE NOT ("+ok+")").Scan(&bad); err != nil {
			se.s.recordLoadError(ctx, se.pid, table, o.from, firstLine(err.Error()))
			return nil, loadError(table, err)
		}
		if bad > int64(o.maxErr) {
			se.s.recordLoadError(ctx, se.pid, table, o.from, fmt.Sprintf("%d rows could not be converted, MAXERROR is %d", bad, o.maxErr))
			return nil, &pgwire.Error{Code: pgwire.CodeInternalError,
				Message: fmt.Sprintf("Load into table '%s' failed.  Check 'stl_load_errors' system table for details.", table),
				Detail:  fmt.Sprintf("%d rows could not be loaded, MAXERROR is %d", bad, o.maxErr)}
		}
		where = " WHERE " + ok
	}
	order := ""
	if sk := se.s.sortKey(ctx, se.conn, schema+"."+table); len(sk) > 0 {
		q := make([]string, len(sk))
		for k, c := range sk {
			q[k] = engine.QuoteIdent(c)
		}
		order = " ORDER BY " + strings.Join(q, ", ")
	}
	ins := fmt.Sprintf("INSERT INTO %s (%s) SELECT * FROM (SELECT %s FROM %s%s) AS loaded(%s)%s",
		qtable, strings.Join(names, ", "), strings.Join(exprs, ", "), src, where, strings.Join(names, ", "), order)
	qctx, cancel := context.WithTimeoutCause(ctx, se.s.timeout, engine.ErrTimeout)
	defer cancel()
	res, err := se.conn.ExecContext(qctx, ins)
	if err != nil {
		if qctx.Err() == nil {
			se.s.recordLoadError(ctx, se.pid, table, o.from, firstLine(err.Error()))
		}
		return nil, loadError(table, timeoutErr(qctx, err))
	}
	n, _ := res.RowsAffected()
	if se.client != nil {
		se.client.Notice(&pgwire.Error{Severity: "INFO", Code: pgwire.CodeSuccessfulCompletion,
			Message: fmt.Sprintf("Load into table '%s' completed, %d record(s) loaded successfully.", table, n)})
	}
	return &result{tag: fmt.Sprintf("COPY %d", n)}, nil
}

func loadError(table string, err error) error {
	return &pgwire.Error{Code: pgwire.CodeInternalError,
		Message: fmt.Sprintf("Load into table '%s' failed.  Check 'stl_load_errors' system table for details.", table),
		Detail:  firstLine(err.Error())}
}

// copySource is the relation reading the files, one column c<k> per
// target column (VARCHAR for text formats, as stored for Parquet).
func copySource(o *copyOpts, files []File, cols []targetColumn) string {
	paths := pathList(files)
	alias := make([]string, len(cols))
	spec := make([]string, len(cols))
	for k := range cols {
		alias[k] = engine.QuoteIdent(fmt.Sprintf("c%d", k))
		spec[k] = engine.Quote(fmt.Sprintf("c%d", k)) + ": 'VARCHAR'"
	}
	comp := "'auto'"
	if o.gzip {
		comp = "'gzip'"
	}
	switch o.format {
	case "parquet":
		return fmt.Sprintf("(SELECT * FROM read_parquet(%s)) AS src(%s)", paths, strings.Join(alias, ", "))
	case "json":
		js := make([]string, len(cols))
		sel := make([]string, len(cols))
		for k, c := range cols {
			js[k] = engine.Quote(strings.ToLower(c.name)) + ": 'VARCHAR'"
			sel[k] = engine.QuoteIdent(strings.ToLower(c.name)) + " AS " + alias[k]
		}
		jcomp := ""
		if o.gzip {
			jcomp = ", compression='gzip'"
		}
		return fmt.Sprintf("(SELECT %s FROM read_json(%s, format='auto'%s, columns={%s})) AS src",
			strings.Join(sel, ", "), paths, jcomp, strings.Join(js, ", "))
	}
	quote, escape, null := "'\"'", "'\"'", "''"
	if o.format == "text" {
		quote, escape, null = "''", "''", `'\N'`
	} else if o.quote != "" {
		quote = engine.Quote(o.quote)
		escape = quote
	}
	if o.nullAs != "" {
		null = engine.Quote(o.nullAs)
	}
	return fmt.Sprintf("read_csv(%s, delim=%s, quote=%s, escape=%s, header=false, skip=%d, nullstr=%s, compression=%s, auto_detect=false, null_padding=%t, columns={%s}) AS src",
		paths, engine.Quote(o.delim), quote, escape, o.header, null, comp, o.fill, strings.Join(spec, ", "))
}

// convert casts the raw value to the column's type with the COPY's
// options; try makes a bad value NULL (MAXERROR counts them).
func (o *copyOpts) convert(raw, typ string, try bool) string {
	cast := "CAST"
	if try {
		cast = "TRY_CAST"
	}
	if o.format == "parquet" {
		return fmt.Sprintf("%s(%s AS %s)", cast, raw, typ)
	}
	v := raw
	up := strings.ToUpper(typ)
	text := strings.HasPrefix(up, "VARCHAR") || up == "JSON"
	if o.blankNull {
		v = fmt.Sprintf("nullif(trim(%s), '')", v)
	} else if o.emptyNull || !text {
		v = fmt.Sprintf("nullif(%s, '')", v)
	}
	switch {
	case up == "DATE" && o.dateFmt != "" && !strings.EqualFold(o.dateFmt, "auto"):
		fn := "strptime"
		if try {
			fn = "try_strptime"
		}
		return fmt.Sprintf("CAST(%s(%s, %s) AS DATE)", fn, v, engine.Quote(dateFormat(o.dateFmt)))
	case strings.HasPrefix(up, "TIMESTAMP") && strings.EqualFold(o.timeFmt, "epochsecs"):
		return fmt.Sprintf("CAST(to_timestamp(%s(%s AS DOUBLE)) AS %s)", cast, v, typ)
	case strings.HasPrefix(up, "TIMESTAMP") && strings.EqualFold(o.timeFmt, "epochmillisecs"):
		return fmt.Sprintf("CAST(to_timestamp(%s(%s AS DOUBLE) / 1000) AS %s)", cast, v, typ)
	case strings.HasPrefix(up, "TIMESTAMP") && o.timeFmt != "" && !strings.EqualFold(o.timeFmt, "auto"):
		fn := "strptime"
		if try {
			fn = "try_strptime"
		}
		return fmt.Sprintf("CAST(%s(%s, %s) AS %s)", fn, v, engine.Quote(dateFormat(o.timeFmt)), typ)
	}
	return fmt.Sprintf("%s(%s AS %s)", cast, v, typ)
}
