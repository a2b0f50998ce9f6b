package sql

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
)

// ctasProps are the WITH (...) properties of CTAS.
type ctasProps struct {
	format, location, compression, delimiter string
	partitionedBy                            []string
}

// readProps reads WITH (name = value, ...): values are strings, numbers,
// booleans or ARRAY['a', ...].
func (c *cursor) ctasProps() (ctasProps, error) {
	p := ctasProps{format: "parquet"}
	if err := c.expect("("); err != nil {
		return p, err
	}
	for {
		k, err := c.ident()
		if err != nil {
			return p, err
		}
		if err := c.expect("="); err != nil {
			return p, err
		}
		var list []string
		val := ""
		if c.accept("ARRAY", "[") {
			for !c.accept("]") {
				s, err := c.str()
				if err != nil {
					return p, err
				}
				list = append(list, strings.ToLower(s))
				c.accept(",")
			}
		} else {
			t := c.next()
			if t.Kind != engine.String && t.Kind != engine.Number && t.Kind != engine.Ident {
				return p, c.errAt("<value>")
			}
			val = t.Value()
		}
		switch k {
		case "format":
			p.format = strings.ToLower(val)
		case "external_location":
			p.location = val
		case "partitioned_by":
			p.partitionedBy = list
		case "write_compression", "parquet_compression", "compression":
			p.compression = strings.ToLower(val)
		case "field_delimiter":
			p.delimiter = unescapeDelim(val)
		case "is_external", "vacuum_min_snapshots_to_keep", "vacuum_max_snapshot_age_seconds", "vacuum_max_metadata_files_to_keep", "bucket_count", "bucketed_by":
			if k == "bucketed_by" || k == "bucket_count" {
				return p, &queryError{Code: "NOT_SUPPORTED", Pos: -1, Msg: "tarn does not write bucketed tables"}
			}
		case "table_type":
			if !strings.EqualFold(val, "HIVE") {
				return p, &queryError{Code: "NOT_SUPPORTED", Pos: -1, Msg: "tarn writes HIVE tables only, not " + val}
			}
		default:
			return p, &queryError{Code: "INVALID_TABLE_PROPERTY", Pos: -1, Msg: fmt.Sprintf("Catalog 'awsdatacatalog' table property '%s' does not exist", k)}
		}
		if c.accept(",") {
			continue
		}
		return p, c.expect(")")
	}
}

// ctas runs CREATE TABLE [IF NOT EXISTS] t [WITH (...)] AS query [WITH [NO] DATA].
func (x *exec) ctas(ctx context.Context, c *cursor, st engine.Statement) (*outcome, error) {
	ifNot := c.accept("IF", "NOT", "EXISTS")
	db, name, pos, err := c.name()
	if err != nil {
		return nil, err
	}
	db = x.dbOr(db)
	props := ctasProps{format: "parquet"}
	if c.accept("WITH") {
		if props, err = c.ctasProps(); err != nil {
			return nil, err
		}
	}
	if err := c.expect("AS"); err != nil {
		return nil, err
	}
	qstart := c.peek().Pos
	qend := len(st.Text)
	noData := false
	if n := len(c.toks); n >= 2 && c.toks[n-1].Is("DATA") {
		if c.toks[n-2].Is("WITH") {
			qend = c.toks[n-2].Pos
		} else if n >= 3 && c.toks[n-2].Is("NO") && c.toks[n-3].Is("WITH") {
			qend, noData = c.toks[n-3].Pos, true
		}
	}
	query := st.Text[qstart:qend]
	if _, err := x.s.catalog.Table(ctx, x.region, db, name); err == nil {
		if ifNot {
			return x.textResult(ctx, nil, nil)
		}
		return nil, &queryError{Code: "TABLE_ALREADY_EXISTS", Pos: pos, Msg: fmt.Sprintf("Destination table 'awsdatacatalog.%s.%s' already exists", db, name)}
	}
	format, ext, err := writeFormat(props.format)
	if err != nil {
		return nil, err
	}
	if props.location == "" {
		props.location = dirPrefix(x.r.OutputLocation) + "tables/" + x.r.ID + "/"
	}
	props.location = dirPrefix(props.location)
	bucket, prefix, err := parseS3(props.location)
	if err != nil {
		return nil, &queryError{Code: "INVALID_TABLE_PROPERTY", Pos: -1, Msg: "external_location must be an s3:// path: " + props.location}
	}
	existing, err := x.s.lake.Files(ctx, bucket, prefix)
	if err != nil && !errors.Is(err, ErrNoSuchBucket) {
		return nil, err
	}
	if len(existing) > 0 {
		return nil, &queryError{Code: "HIVE_PATH_ALREADY_EXISTS", Pos: -1, Msg: fmt.Sprintf("Target directory for table '%s.%s' already exists: %s. You may need to manually clean the data at location '%s' before retrying. Athena will not delete data in your account.", db, name, props.location, props.location)}
	}
	duck, err := translate(query, x.resolver(ctx))
	if err != nil {
		return nil, shiftError(err, qstart)
	}
	cols, err := x.probe(ctx, duck)
	if err != nil {
		return nil, err
	}
	// Partition keys must be the last columns, in order.
	np := len(props.partitionedBy)
	if np >= len(cols) {
		return nil, &queryError{Code: "HIVE_COLUMN_ORDER_MISMATCH", Pos: -1, Msg: "CTAS needs at least one column that is not a partition key"}
	}
	for i, k := range props.partitionedBy {
		if cols[len(cols)-np+i].Name != k {
			return nil, &queryError{Code: "HIVE_COLUMN_ORDER_MISMATCH", Pos: -1, Msg: fmt.Sprintf("Partition keys must be the last columns in the table and in the same order as the table properties: [%s]", strings.Join(props.partitionedBy, ", "))}
		}
	}
	t := TableDef{Database: db, Name: name, Location: props.location, Format: format, Delimiter: props.delimiter,
		Parameters: map[string]string{"has_encrypted_data": "false"}, CreateTime: x.s.now().Unix()}
	if format == FormatCSV && t.Delimiter == "" {
		t.Delimiter = "\x01"
	}
	for i, c := range cols {
		col := Column{Name: c.Name, Type: hiveType(c.Duck)}
		if i < len(cols)-np {
			t.Columns = append(t.Columns, col)
		} else {
			t.PartitionKeys = append(t.PartitionKeys, col)
		}
	}
	out := &outcome{}
	var w *written
	if !noData {
		names := make([]string, len(cols))
		for i, c := range cols {
			names[i] = c.Name
		}
		// The table is created from the write's intent (intent.go): a
		// crash after the files committed still creates it at Start.
		if w, err = x.writeAs(ctx, duck, names, nil, props.partitionedBy, &t, ext, props.compression, writeCreate); err != nil {
			return nil, err
		}
		t.Partitions = w.parts
		out.updates, out.scanned = w.rows, x.scanned(w.read)
	}
	if w != nil && w.intent != nil {
		err = x.finish(ctx, w)
	} else {
		err = x.s.catalog.CreateTable(ctx, x.region, t)
	}
	if err != nil {
		if errors.Is(err, ErrDatabaseNotFound) {
			return nil, &queryError{Code: "SCHEMA_NOT_FOUND", Pos: pos, Msg: fmt.Sprintf("Schema '%s' does not exist", db)}
		}
		return nil, err
	}
	res, err := x.textResult(ctx, nil, nil)
	if err != nil {
		return nil, err
	}
	res.updates, res.scanned = out.updates, out.scanned
	return res, nil
}

func writeFormat(f string) (format, ext string, err error) {
	switch strings.ToLower(f) {
	case "parquet", "":
		return FormatParquet, "parquet", nil
	case "textfile", "csv":
		return FormatCSV, "csv", nil
	case "json":
		return FormatJSON, "json", nil
	}
	return "", "", &queryError{Code: "NOT_SUPPORTED", Pos: -1, Msg: "tarn writes PARQUET, TEXTFILE and JSON tables, not " + f}
}

// probe returns the result columns of the translated query.
func (x *exec) probe(ctx context.Context, duck string) ([]colInfo, error) {
	cols, _, err := run(ctx, x.s.eng, "SELECT * FROM ("+duck+") AS _probe LIMIT 0", nil, func([]*string) error { return nil })
	return cols, err
}

// insert runs INSERT INTO t [(cols)] query.
func (x *exec) insert(ctx context.Context, c *cursor, st engine.Statement) (*outcome, error) {
	db, name, pos, err := c.name()
	if err != nil {
		return nil, err
	}
	t, err := x.s.catalog.Table(ctx, x.region, x.dbOr(db), name)
	if err != nil {
		return nil, tableNotFound(tableRef{Name: name, Pos: pos}, x.dbOr(db))
	}
	all := append(append([]Column{}, t.Columns...), t.PartitionKeys...)
	targets := make([]string, 0, len(all))
	for _, col := range all {
		targets = append(targets, strings.ToLower(col.Name))
	}
	var named []string
	if c.accept("(") {
		for {
			n, err := c.ident()
			if err != nil {
				return nil, err
			}
			named = append(named, n)
			if !c.accept(",") {
				break
			}
		}
		if err := c.expect(")"); err != nil {
			return nil, err
		}
	}
	qstart := c.peek().Pos
	duck, err := translate(st.Text[qstart:], x.resolver(ctx))
	if err != nil {
		return nil, shiftError(err, qstart)
	}
	cols, err := x.probe(ctx, duck)
	if err != nil {
		return nil, err
	}
	if named == nil {
		named = targets
	}
	if len(cols) != len(named) {
		tt, qt := make([]string, 0), make([]string, 0)
		for _, col := range all {
			tt = append(tt, col.Type)
		}
		for _, col := range cols {
			qt = append(qt, col.Type)
		}
		return nil, &queryError{Code: "TYPE_MISMATCH", Pos: pos, Msg: fmt.Sprintf("Insert query has mismatched column types: Table: [%s], Query: [%s]", strings.Join(tt, ", "), strings.Join(qt, ", "))}
	}
	_, ext, err := writeFormat(t.Format)
	if err != nil {
		return nil, err
	}
	keys := make([]string, len(t.PartitionKeys))
	for i, k := range t.PartitionKeys {
		keys[i] = strings.ToLower(k.Name)
	}
	// The new partitions are added from the write's intent (intent.go):
	// a crash after the files committed still adds them at Start.
	w, err := x.writeAs(ctx, duck, named, all, keys, t, ext, "", writeInsert)
	if err != nil {
		return nil, err
	}
	if err := x.finish(ctx, w); err != nil {
		return nil, err
	}
	res, err := x.textResult(ctx, nil, nil)
	if err != nil {
		return nil, err
	}
	res.updates, res.scanned = w.rows, x.scanned(w.read)
	return res, nil
}

// shiftError moves the position of a translation error of a statement's
// tail (which starts at offset off) to the statement's own coordinates.
func shiftError(err error, off int) error {
	var qe *queryError
	if errors.As(err, &qe) && qe.Pos >= 0 && qe.line == 0 {
		qe.Pos += off
	}
	return err
}
