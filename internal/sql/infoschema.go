package sql

import (
	"context"
	"sort"
	"strconv"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
)

// information_schema, as Trino (Athena) offers it, built from the catalog
// at query time: schemata, tables and columns.

var infoTables = map[string][]string{
	"schemata": {"catalog_name", "schema_name"},
	"tables":   {"table_catalog", "table_schema", "table_name", "table_type"},
	"columns": {"table_catalog", "table_schema", "table_name", "column_name", "ordinal_position",
		"column_default", "is_nullable", "data_type", "comment", "extra_info"},
}

// infoRelation is the relation of information_schema.name.
func (x *exec) infoRelation(ctx context.Context, ref tableRef) (string, error) {
	cols, ok := infoTables[ref.Name]
	if !ok {
		return "", tableNotFound(ref, "information_schema")
	}
	dbs, err := x.s.catalog.Databases(ctx, x.region)
	if err != nil {
		return "", err
	}
	sort.Strings(dbs)
	var rows [][]string
	q := engine.Quote
	const cat = "'awsdatacatalog'"
	switch ref.Name {
	case "schemata":
		rows = append(rows, []string{cat, q("information_schema")})
		for _, d := range dbs {
			rows = append(rows, []string{cat, q(d)})
		}
	default:
		for _, d := range dbs {
			tables, err := x.s.catalog.Tables(ctx, x.region, d)
			if err != nil {
				return "", err
			}
			sort.Slice(tables, func(i, j int) bool { return tables[i].Name < tables[j].Name })
			for _, t := range tables {
				if ref.Name == "tables" {
					rows = append(rows, []string{cat, q(d), q(t.Name), "'BASE TABLE'"})
					continue
				}
				all := append(append([]Column{}, t.Columns...), t.PartitionKeys...)
				for i, c := range all {
					extra := "NULL"
					if i >= len(t.Columns) {
						extra = "'partition key'"
					}
					comment := "NULL"
					if c.Comment != "" {
						comment = q(c.Comment)
					}
					rows = append(rows, []string{cat, q(d), q(t.Name), q(strings.ToLower(c.Name)), strconv.Itoa(i+1) + "::BIGINT",
						"NULL::VARCHAR", "'YES'", q(trinoType(c.Type)), comment + "::VARCHAR", extra + "::VARCHAR"})
				}
			}
		}
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = engine.QuoteIdent(c)
	}
	if len(rows) == 0 {
		proj := make([]string, len(cols))
		for i, c := range cols {
			proj[i] = "NULL::VARCHAR AS " + engine.QuoteIdent(c)
		}
		return "(SELECT " + strings.Join(proj, ", ") + " WHERE false)", nil
	}
	vals := make([]string, len(rows))
	for i, r := range rows {
		vals[i] = "(" + strings.Join(r, ", ") + ")"
	}
	return "(SELECT * FROM (VALUES " + strings.Join(vals, ", ") + ") AS _info(" + strings.Join(names, ", ") + "))", nil
}

// trinoType renders a Hive type in Trino's spelling: array<string> is
// array(varchar), struct<a:int> is row(a integer).
func trinoType(hive string) string {
	toks, err := engine.Lex(hive)
	if err != nil {
		return hive
	}
	var b strings.Builder
	for _, t := range engine.Significant(toks) {
		switch v := strings.ToLower(t.Value()); {
		case t.Text == "<":
			b.WriteString("(")
		case t.Text == ">":
			b.WriteString(")")
		case t.Text == ":":
			b.WriteString(" ")
		case t.Text == ",":
			b.WriteString(", ")
		case v == "string":
			b.WriteString("varchar")
		case v == "int":
			b.WriteString("integer")
		case v == "float":
			b.WriteString("real")
		case v == "binary":
			b.WriteString("varbinary")
		case v == "struct":
			b.WriteString("row")
		default:
			b.WriteString(v)
		}
	}
	return b.String()
}
