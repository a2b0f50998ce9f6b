package warehouse

import (
	"fmt"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
	"github.com/tarnhq/tarn/internal/pgwire"
)

// tctx is what a translation needs to know about its session.
type tctx struct {
	user, database, schema string
	// external resolves schema.table of an external schema to a SELECT
	// over its files; ok is false for any other schema.
	external func(schema, table string) (rel string, ok bool, err error)
}

// translated is a statement rewritten to DuckDB.
type translated struct {
	SQL string
	// Pre are statements to run before SQL, in the same call (the
	// sequences IDENTITY columns draw from).
	Pre []string
	// Table and SortKey are set for CREATE TABLE: the table as written
	// and its SORTKEY columns, which order COPY loads.
	Table   string
	SortKey []string
}

// writer joins tokens back into SQL. Source tokens keep their original
// adjacency (a gap in the input becomes one space); generated text is
// separated by a space except after "(" and before ")" or ",".
type writer struct {
	b       strings.Builder
	lastEnd int  // end offset of the last source token, -1 after generated text
	open    bool // last thing written was "(" or "."
}

func (w *writer) tok(t engine.Token) {
	if t.Pos < 0 { // generated
		w.raw(t.Text)
		return
	}
	if w.b.Len() > 0 && (w.lastEnd < 0 || t.Pos > w.lastEnd) && !w.open && !glueBefore(t.Text) {
		w.b.WriteByte(' ')
	}
	w.b.WriteString(t.Text)
	w.lastEnd = t.Pos + len(t.Text)
	w.open = t.Text == "(" || t.Text == "." || t.Text == "::"
}

func (w *writer) raw(s string) {
	if w.b.Len() > 0 && !w.open && !glueBefore(s) {
		w.b.WriteByte(' ')
	}
	w.b.WriteString(s)
	w.lastEnd = -1
	w.open = strings.HasSuffix(s, "(") || strings.HasSuffix(s, ".")
}

func glueBefore(s string) bool { return s == "," || s == ")" || s == "." || s == "::" }

// errSyntax is Redshift's parse error.
func errSyntax(near string) error {
	return pgwire.Errorf(pgwire.CodeSyntaxError, "syntax error at or near %q", near)
}

// refusedFunctions read or write files, run SQL from strings or reach
// outside the warehouse: the sandbox's second line (COPY and UNLOAD are
// the only ways to files).
var refusedFunctions = map[string]bool{
	"read_csv": true, "read_csv_auto": true, "read_json": true, "read_json_auto": true, "read_ndjson": true,
	"read_ndjson_auto": true, "read_json_objects": true, "read_ndjson_objects": true, "read_json_objects_auto": true,
	"read_parquet": true, "parquet_scan": true, "parquet_metadata": true, "parquet_schema": true, "parquet_file_metadata": true,
	"parquet_kv_metadata": true, "parquet_bloom_probe": true, "read_text": true, "read_blob": true, "glob": true,
	"sniff_csv": true, "query": true, "query_table": true, "iceberg_scan": true, "delta_scan": true, "sqlite_scan": true,
	"sqlite_attach": true, "postgres_scan": true, "postgres_attach": true, "mysql_scan": true, "read_xlsx": true,
	"json_execute_serialized_sql": true, "from_substrait": true, "duckdb_secrets": true, "which_secret": true,
	"getvariable": true, "current_setting": false, "read_duckdb": true, "load_extension": true,
}

// translate rewrites one Redshift statement (already classified as one
// that runs on DuckDB) on its tokens: Redshift DDL clauses are dropped,
// types and functions mapped, and anything that would name a file
// refused.
func translate(src string, c tctx) (*translated, error) {
	toks, err := engine.Lex(src)
	if err != nil {
		return nil, pgwire.Errorf(pgwire.CodeSyntaxError, "unterminated quoted string at or near %q", tail(src))
	}
	sig := engine.Significant(toks)
	if len(sig) == 0 {
		return nil, errSyntax("end of input")
	}
	if err := checkSandbox(sig); err != nil {
		return nil, err
	}
	if !(sig[0].Is("SELECT") || sig[0].Is("WITH") || sig[0].Is("VALUES") || sig[0].Is("TABLE") || sig[0].Is("EXPLAIN") || sig[0].Text == "(") {
		for _, t := range sig {
			if t.Is("pg_internal") || (t.Kind == engine.Ident && systemTables[strings.ToLower(t.Text)]) {
				return nil, pgwire.Errorf("42501", "permission denied for schema pg_internal")
			}
		}
	}
	tr := &translated{}
	if len(sig) >= 3 && sig[0].Is("CREATE") {
		i := 1
		for i < len(sig) && (sig[i].Is("TEMP") || sig[i].Is("TEMPORARY") || sig[i].Is("LOCAL")) {
			i++
		}
		if i < len(sig) && sig[i].Is("TABLE") {
			sig, err = createTable(sig, i+1, tr)
			if err != nil {
				return nil, err
			}
		}
	}
	x := &rewriter{c: c, ddl: tr.Table != ""}
	var w writer
	w.lastEnd = -1
	if err := x.emit(sig, &w); err != nil {
		return nil, err
	}
	tr.SQL = w.b.String()
	return tr, nil
}

func tail(s string) string {
	if len(s) > 20 {
		return s[len(s)-20:]
	}
	return s
}

// checkSandbox refuses the file-reading table functions and a string in
// table position (DuckDB's FROM 'file.csv').
func checkSandbox(sig []engine.Token) error {
	fromDepth := -1 // paren depth of the FROM clause being read
	depth := 0
	for i, t := range sig {
		switch {
		case t.Text == "(":
			depth++
		case t.Text == ")":
			depth--
			if depth < fromDepth {
				fromDepth = -1
			}
		case t.Kind == engine.Ident && i+1 < len(sig) && sig[i+1].Text == "(" && refusedFunctions[strings.ToLower(t.Text)]:
			return pgwire.Errorf(pgwire.CodeFeatureNotSupported, "function %s is not available in the warehouse; load files with COPY", strings.ToLower(t.Text))
		case t.Is("FROM") || t.Is("JOIN"):
			fromDepth = depth
		case t.Is("WHERE") || t.Is("GROUP") || t.Is("ORDER") || t.Is("HAVING") || t.Is("LIMIT") || t.Is("UNION") || t.Is("ON"):
			if depth == fromDepth {
				fromDepth = -1
			}
		case (t.Kind == engine.String || (t.Kind == engine.QuotedIdent && fileLike(t.Value()))) && i > 0 && fromDepth == depth &&
			(sig[i-1].Is("FROM") || sig[i-1].Is("JOIN") || sig[i-1].Text == ","):
			return pgwire.Errorf(pgwire.CodeFeatureNotSupported, "a file cannot be read here; load it with COPY")
		}
	}
	return nil
}

// fileLike reports a quoted name DuckDB would read as a file (its
// replacement scan): a path or a data file extension.
func fileLike(name string) bool {
	l := strings.ToLower(name)
	if strings.ContainsAny(l, "/\\*") {
		return true
	}
	for _, ext := range []string{".csv", ".tsv", ".parquet", ".json", ".jsonl", ".ndjson", ".gz", ".zst", ".txt", ".db", ".duckdb", ".xlsx", ".arrow", ".avro"} {
		if strings.HasSuffix(l, ext) {
			return true
		}
	}
	return false
}

// matching returns the index of the ")" closing the "(" at sig[i], or
// -1.
func matching(sig []engine.Token, i int) int {
	depth := 0
	for j := i; j < len(sig); j++ {
		switch sig[j].Text {
		case "(":
			if sig[j].Kind == engine.Punct {
				depth++
			}
		case ")":
			if sig[j].Kind == engine.Punct {
				depth--
				if depth == 0 {
					return j
				}
			}
		}
	}
	return -1
}

// splitArgs cuts the tokens between parentheses at top-level commas.
func splitArgs(sig []engine.Token) [][]engine.Token {
	if len(sig) == 0 {
		return nil
	}
	var out [][]engine.Token
	depth, start := 0, 0
	for j, t := range sig {
		if t.Kind != engine.Punct {
			continue
		}
		switch t.Text {
		case "(":
			depth++
		case ")":
			depth--
		case ",":
			if depth == 0 {
				out = append(out, sig[start:j])
				start = j + 1
			}
		}
	}
	return append(out, sig[start:])
}

// identName is the identifier's name as DuckDB resolves it (bare names
// fold to lower case).
func identName(t engine.Token) string {
	if t.Kind == engine.QuotedIdent {
		return t.Value()
	}
	return strings.ToLower(t.Text)
}

func quoteName(n string) string { return engine.QuoteIdent(n) }

func fmtErr(format string, args ...any) error {
	return pgwire.Errorf(pgwire.CodeSyntaxError, "%s", fmt.Sprintf(format, args...))
}
