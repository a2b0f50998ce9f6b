package sql

import (
	"context"
	"errors"
	"path"
	"strconv"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
)

// resolver returns the translator's table resolver for this query: each
// reference becomes a relation over the table's lake files, recorded in
// x.files (path → size) for DataScannedInBytes.
func (x *exec) resolver(ctx context.Context) resolver {
	return func(ref tableRef) (string, error) {
		if ref.Catalog != "" && ref.Catalog != "awsdatacatalog" {
			return "", &queryError{Code: "CATALOG_NOT_FOUND", Pos: ref.Pos, Msg: "Catalog '" + ref.Catalog + "' does not exist"}
		}
		db := ref.Database
		if db == "" {
			db = x.db
		}
		if db == "information_schema" {
			return x.infoRelation(ctx, ref)
		}
		t, err := x.s.catalog.Table(ctx, x.region, db, ref.Name)
		switch {
		case errors.Is(err, ErrDatabaseNotFound):
			return "", schemaNotFound(ref, db)
		case errors.Is(err, ErrTableNotFound):
			return "", tableNotFound(ref, db)
		case err != nil:
			return "", err
		}
		if t.ViewSQL != "" {
			return x.viewRelation(ctx, t, ref)
		}
		return x.relation(ctx, t)
	}
}

// relation is a parenthesized DuckDB relation over t's files with t's
// columns (cast to their declared types) and partition keys (constant per
// partition): one UNION ALL branch per partition, so a filter on a
// partition key lets DuckDB drop whole branches and never open their files.
func (x *exec) relation(ctx context.Context, t *TableDef) (string, error) {
	cols := make([]string, 0, len(t.Columns)+len(t.PartitionKeys))
	types := map[string]string{}
	for _, c := range append(append([]Column{}, t.Columns...), t.PartitionKeys...) {
		d, err := duckType(c.Type)
		if err != nil {
			return "", &queryError{Code: "HIVE_INVALID_METADATA", Pos: -1, Msg: "Table " + t.Database + "." + t.Name + " column " + c.Name + ": " + err.Error()}
		}
		types[strings.ToLower(c.Name)] = d
		cols = append(cols, strings.ToLower(c.Name))
	}
	if len(t.PartitionKeys) == 0 {
		files, err := x.tableFiles(ctx, t.Location)
		if err != nil {
			return "", err
		}
		if len(files) == 0 {
			return emptyRelation(cols, types), nil
		}
		return "(" + x.scan(t, files, types, nil) + ")", nil
	}
	var branches []string
	for _, p := range t.Partitions {
		if len(p.Values) != len(t.PartitionKeys) {
			continue
		}
		loc := p.Location
		if loc == "" {
			loc = partitionLocation(t, p.Values)
		}
		files, err := x.tableFiles(ctx, loc)
		if err != nil {
			return "", err
		}
		if len(files) == 0 {
			continue
		}
		branches = append(branches, x.scan(t, files, types, p.Values))
	}
	if len(branches) == 0 {
		return emptyRelation(cols, types), nil
	}
	return "(" + strings.Join(branches, "\nUNION ALL\n") + ")", nil
}

// partitionLocation is the Hive-style location of a partition.
func partitionLocation(t *TableDef, values []string) string {
	loc := dirPrefix(t.Location)
	for i, k := range t.PartitionKeys {
		loc += strings.ToLower(k.Name) + "=" + hiveEscape(values[i]) + "/"
	}
	return loc
}

// hiveEscape escapes a partition value as Hive does in folder names.
func hiveEscape(v string) string {
	var b strings.Builder
	for _, r := range v {
		if r < 0x20 || strings.ContainsRune("\"#%'*/:=?\\\x7f{[]^", r) {
			b.WriteString("%" + strings.ToUpper(strconv.FormatInt(int64(r), 16)))
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// tableFiles lists the data files under loc, skipping what Athena skips:
// folder markers and names starting with '_' or '.'.
func (x *exec) tableFiles(ctx context.Context, loc string) ([]File, error) {
	bucket, prefix, err := parseS3(loc)
	if err != nil {
		return nil, &queryError{Code: "HIVE_INVALID_METADATA", Pos: -1, Msg: "Table location is not an s3:// path: " + loc}
	}
	all, err := x.s.lake.Files(ctx, bucket, dirPrefix(prefix))
	if errors.Is(err, ErrNoSuchBucket) {
		return nil, &queryError{Code: "HIVE_PATH_NOT_FOUND", Pos: -1, Msg: "The specified bucket does not exist: " + bucket, Type: 1001}
	}
	if err != nil {
		return nil, err
	}
	var out []File
	for _, f := range all {
		base := path.Base(f.Key)
		if strings.HasSuffix(f.Key, "/") || strings.HasPrefix(base, "_") || strings.HasPrefix(base, ".") {
			continue
		}
		if x.only != nil && !x.only(bucket, f.Key) {
			continue
		}
		out = append(out, f)
		x.files[f.Path] = f.Size
	}
	return out, nil
}

// scan is one SELECT over files with the declared columns and, for a
// partition, its values as constants.
func (x *exec) scan(t *TableDef, files []File, types map[string]string, values []string) string {
	paths := make([]string, len(files))
	for i, f := range files {
		paths[i] = engine.Quote(f.Path)
	}
	list := "[" + strings.Join(paths, ", ") + "]"
	var proj []string
	var reader string
	switch t.Format {
	case FormatCSV:
		var spec []string
		for _, c := range t.Columns {
			spec = append(spec, engine.Quote(strings.ToLower(c.Name))+": 'VARCHAR'")
		}
		delim := t.Delimiter
		if delim == "" {
			delim = ","
		}
		reader = "read_csv(" + list + ", columns = {" + strings.Join(spec, ", ") + "}, delim = " + engine.Quote(delim) +
			", header = false, skip = " + strconv.Itoa(t.SkipHeader) + ", auto_detect = false, nullstr = '\\N', null_padding = true, strict_mode = false, quote = '\"', escape = '\"')"
		for _, c := range t.Columns {
			n := strings.ToLower(c.Name)
			if types[n] == "VARCHAR" {
				proj = append(proj, engine.QuoteIdent(n))
			} else {
				proj = append(proj, "TRY_CAST("+engine.QuoteIdent(n)+" AS "+types[n]+") AS "+engine.QuoteIdent(n))
			}
		}
	case FormatJSON:
		var spec []string
		for _, c := range t.Columns {
			n := strings.ToLower(c.Name)
			spec = append(spec, engine.Quote(n)+": "+engine.Quote(types[n]))
		}
		reader = "read_json(" + list + ", format = 'newline_delimited', columns = {" + strings.Join(spec, ", ") + "}, ignore_errors = true)"
		for _, c := range t.Columns {
			proj = append(proj, engine.QuoteIdent(strings.ToLower(c.Name)))
		}
	default:
		reader = "read_parquet(" + list + ")"
		if len(files) > 1 { // files may differ in columns (schema evolution)
			reader = "read_parquet(" + list + ", union_by_name = true)"
		}
		for _, c := range t.Columns {
			n := strings.ToLower(c.Name)
			proj = append(proj, "CAST("+engine.QuoteIdent(n)+" AS "+types[n]+") AS "+engine.QuoteIdent(n))
		}
	}
	for i, k := range t.PartitionKeys {
		n := strings.ToLower(k.Name)
		proj = append(proj, "TRY_CAST("+engine.Quote(values[i])+" AS "+types[n]+") AS "+engine.QuoteIdent(n))
	}
	if len(proj) == 0 {
		proj = []string{"NULL AS _none"}
	}
	return "SELECT " + strings.Join(proj, ", ") + " FROM " + reader
}

func emptyRelation(cols []string, types map[string]string) string {
	proj := make([]string, len(cols))
	for i, c := range cols {
		proj[i] = "CAST(NULL AS " + types[c] + ") AS " + engine.QuoteIdent(c)
	}
	if len(proj) == 0 {
		proj = []string{"NULL AS _none"}
	}
	return "(SELECT " + strings.Join(proj, ", ") + " WHERE false)"
}
