package warehouse

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
	"github.com/tarnhq/tarn/internal/pgwire"
)

// prepareExternalSchema parses CREATE EXTERNAL SCHEMA [IF NOT EXISTS]
// name FROM DATA CATALOG DATABASE 'db' [REGION 'r'] [IAM_ROLE ...]
// [CREATE EXTERNAL DATABASE IF NOT EXISTS].
func (se *session) prepareExternalSchema(sig []engine.Token) (runFunc, error) {
	i := 2
	if i >= len(sig) || !sig[i].Is("SCHEMA") {
		return nil, pgwire.Errorf(pgwire.CodeFeatureNotSupported, "only CREATE EXTERNAL SCHEMA is supported; external tables come from the Glue catalog")
	}
	i++
	ifNot := false
	if i+2 < len(sig) && sig[i].Is("IF") && sig[i+1].Is("NOT") && sig[i+2].Is("EXISTS") {
		ifNot, i = true, i+3
	}
	if i >= len(sig) {
		return nil, errSyntax("end of input")
	}
	name := identName(sig[i])
	i++
	e := extSchema{Region: se.s.region}
	for i < len(sig) {
		t := sig[i]
		switch {
		case t.Is("FROM"):
			if i+2 < len(sig) && sig[i+1].Is("DATA") && sig[i+2].Is("CATALOG") {
				i += 3
				continue
			}
			return nil, pgwire.Errorf(pgwire.CodeFeatureNotSupported, "external schemas come FROM DATA CATALOG only")
		case t.Is("DATABASE") && i+1 < len(sig):
			e.Database = sig[i+1].Value()
			i += 2
		case t.Is("REGION") && i+1 < len(sig):
			e.Region = sig[i+1].Value()
			i += 2
			if i < len(sig) && sig[i].Is("AS") {
				i++
			}
		case t.Is("IAM_ROLE") && i+1 < len(sig):
			e.IAMRole = sig[i+1].Value()
			i += 2
		case t.Is("CATALOG_ROLE") && i+1 < len(sig):
			i += 2
		case t.Is("CREATE"): // CREATE EXTERNAL DATABASE IF NOT EXISTS: the Glue database must exist
			i++
			for i < len(sig) && (sig[i].Is("EXTERNAL") || sig[i].Is("DATABASE") || sig[i].Is("IF") || sig[i].Is("NOT") || sig[i].Is("EXISTS")) {
				i++
			}
		default:
			return nil, errSyntax(t.Text)
		}
	}
	if e.Database == "" {
		return nil, errSyntax("end of input")
	}
	return func(ctx context.Context, _ []any) (pgwire.Result, error) {
		if se.s.opts.Catalog == nil {
			return nil, pgwire.Errorf(pgwire.CodeFeatureNotSupported, "this warehouse has no data catalog configured")
		}
		if se.s.isExternal(name) {
			if ifNot {
				return &result{tag: "CREATE SCHEMA"}, nil
			}
			return nil, &pgwire.Error{Code: "42P06", Message: fmt.Sprintf("Schema %q already exists", name)}
		}
		var n int
		se.conn.QueryRowContext(ctx, "SELECT count(*) FROM duckdb_schemas() WHERE schema_name = ?", name).Scan(&n)
		if n > 0 {
			return nil, &pgwire.Error{Code: "42P06", Message: fmt.Sprintf("Schema %q already exists", name)}
		}
		if _, err := se.s.opts.Catalog.Tables(ctx, e.Region, e.Database); err != nil {
			if errors.Is(err, ErrDatabaseNotFound) {
				return nil, &pgwire.Error{Code: pgwire.CodeInternalError, Message: fmt.Sprintf("External database %q does not exist in the data catalog", e.Database)}
			}
			return nil, err
		}
		b, _ := json.Marshal(e)
		if err := se.s.setMeta(ctx, se.conn, "external", name, string(b)); err != nil {
			return nil, err
		}
		se.s.mu.Lock()
		se.s.external[name] = e
		se.s.mu.Unlock()
		return &result{tag: "CREATE SCHEMA"}, nil
	}, nil
}

func (se *session) dropExternalSchema(name string) runFunc {
	return func(ctx context.Context, _ []any) (pgwire.Result, error) {
		if err := se.s.deleteMeta(ctx, se.conn, "external", name); err != nil {
			return nil, err
		}
		se.s.mu.Lock()
		delete(se.s.external, name)
		se.s.mu.Unlock()
		return &result{tag: "DROP SCHEMA"}, nil
	}
}

// translateWithExternal translates q, replacing each schema.table of an
// external schema by a relation over the Glue table's current files
// (listed now: the view is refreshed for every statement).
func (se *session) translateWithExternal(ctx context.Context, q string) (*translated, error) {
	c := se.tctx()
	c.external = func(schema, table string) (string, bool, error) {
		e, ok := se.s.externalSchema(schema)
		if !ok {
			return "", false, nil
		}
		rel, err := se.s.externalRelation(ctx, e, schema, table)
		return rel, true, err
	}
	return translate(q, c)
}

// externalRelation is the SELECT over a catalog table's files, with
// partition columns as constants.
func (s *Service) externalRelation(ctx context.Context, e extSchema, schema, table string) (string, error) {
	td, err := s.opts.Catalog.Table(ctx, e.Region, e.Database, table)
	if errors.Is(err, ErrTableNotFound) || errors.Is(err, ErrDatabaseNotFound) {
		return "", &pgwire.Error{Code: pgwire.CodeUndefinedTable, Message: fmt.Sprintf("relation \"%s.%s\" does not exist", schema, table)}
	}
	if err != nil {
		return "", err
	}
	cols := make([]string, 0, len(td.Columns))
	for _, c := range td.Columns {
		cols = append(cols, castCol(engine.QuoteIdent(strings.ToLower(c.Name)), c.Type))
	}
	type part struct {
		loc  string
		vals []string
	}
	parts := []part{{loc: td.Location}}
	if len(td.PartitionKeys) > 0 {
		parts = parts[:0]
		for _, p := range td.Partitions {
			parts = append(parts, part{loc: p.Location, vals: p.Values})
		}
	}
	var branches []string
	for _, p := range parts {
		files, err := s.lakeFiles(ctx, p.loc)
		if err != nil {
			return "", err
		}
		if len(files) == 0 {
			continue
		}
		sel := append([]string(nil), cols...)
		for k, pk := range td.PartitionKeys {
			v := "NULL"
			if k < len(p.vals) {
				v = engine.Quote(p.vals[k])
			}
			sel = append(sel, castExpr(v, pk.Type)+" AS "+engine.QuoteIdent(strings.ToLower(pk.Name)))
		}
		branches = append(branches, "SELECT "+strings.Join(sel, ", ")+" FROM "+reader(td, files))
	}
	if len(branches) == 0 { // no files: the table's shape, no rows
		sel := []string{}
		for _, c := range append(append([]Column(nil), td.Columns...), td.PartitionKeys...) {
			sel = append(sel, castExpr("NULL", c.Type)+" AS "+engine.QuoteIdent(strings.ToLower(c.Name)))
		}
		return "SELECT " + strings.Join(sel, ", ") + " WHERE false", nil
	}
	return strings.Join(branches, " UNION ALL "), nil
}

func castExpr(v, hive string) string {
	if t := hiveType(hive); t != "" {
		return "CAST(" + v + " AS " + t + ")"
	}
	return v
}

func castCol(col, hive string) string {
	if t := hiveType(hive); t != "" {
		return "CAST(" + col + " AS " + t + ") AS " + col
	}
	return col
}

// reader is the table function reading a catalog table's files.
func reader(td *TableDef, files []File) string {
	paths := pathList(files)
	switch td.Format {
	case FormatCSV:
		delim := td.Delimiter
		if delim == "" {
			delim = ","
		}
		names := make([]string, len(td.Columns))
		for i, c := range td.Columns {
			names[i] = engine.Quote(strings.ToLower(c.Name)) + ": 'VARCHAR'"
		}
		return fmt.Sprintf("read_csv(%s, delim=%s, header=false, skip=%d, auto_detect=false, columns={%s})",
			paths, engine.Quote(delim), td.SkipHeader, strings.Join(names, ", "))
	case FormatJSON:
		return fmt.Sprintf("read_json(%s, format='newline_delimited', union_by_name=true)", paths)
	}
	return fmt.Sprintf("read_parquet(%s, union_by_name=true)", paths)
}
