package warehouse

import (
	"strings"
	"testing"

	"github.com/tarnhq/tarn/internal/datadriven"
	"github.com/tarnhq/tarn/internal/engine"
)

// TestTranslate runs testdata/translate.txt: "translate" shows the DuckDB
// SQL for a Redshift statement (Pre statements first, then the table and
// SORTKEY recorded for CREATE TABLE); "run" executes it through a
// session (with a table t(a INT, s VARCHAR, d DATE) of three rows) and
// shows the rows.
func TestTranslate(t *testing.T) {
	h := newHarness(t)
	c := h.connect(t)
	exec(t, c, "CREATE TABLE t (a INT, s VARCHAR(10), d DATE)", "INSERT INTO t VALUES (1, 'x', '2024-01-31'), (2, 'y', '2024-02-29'), (3, NULL, NULL)")
	datadriven.Run(t, "testdata/translate*.txt", func(t *testing.T, dc datadriven.Case) string {
		src := strings.TrimSpace(dc.Input)
		switch dc.Command {
		case "translate":
			tr, err := translate(src, tctx{user: "test", database: "dev", schema: "public"})
			if err != nil {
				return "error: " + err.Error() + "\n"
			}
			var b strings.Builder
			for _, p := range tr.Pre {
				b.WriteString(p + ";\n")
			}
			b.WriteString(tr.SQL + "\n")
			if tr.Table != "" {
				b.WriteString("table " + tr.Table + " sortkey " + strings.Join(tr.SortKey, ",") + "\n")
			}
			return b.String()
		case "run":
			r, err := c.Query(t.Context(), src)
			if err != nil {
				return "error: " + err.Error() + "\n"
			}
			defer r.Close()
			var b strings.Builder
			for r.Next() {
				vals, err := r.Values()
				if err != nil {
					return "error: " + err.Error() + "\n"
				}
				parts := make([]string, len(vals))
				for i, v := range vals {
					parts[i] = render(v)
				}
				b.WriteString(strings.Join(parts, "|") + "\n")
			}
			if err := r.Err(); err != nil {
				return "error: " + err.Error() + "\n"
			}
			return b.String()
		}
		t.Fatalf("%s: unknown command %q", dc.Pos(), dc.Command)
		return ""
	})
}

// FuzzTranslate checks that the translator never panics and that the
// sandbox check holds on whatever it accepts.
func FuzzTranslate(f *testing.F) {
	for _, s := range []string{
		"CREATE TABLE t (id INT IDENTITY(1,1), v VARCHAR(10) ENCODE zstd) DISTKEY(id) SORTKEY(v)",
		"SELECT LISTAGG(a, ',') WITHIN GROUP (ORDER BY a) FROM t", "SELECT DATEADD(day, 1, GETDATE())",
		"SELECT * FROM read_csv('x')", "SELECT DECODE(a, 1, 'x') FROM t", "SELECT x::pg_catalog.text",
		"SELECT CAST(a AS SUPER) FROM '/f'", "SELECT APPROXIMATE COUNT(DISTINCT a) FROM t",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tr, err := translate(s, tctx{user: "u", database: "dev", schema: "public"})
		if err != nil {
			return
		}
		toks, err := engine.Lex(tr.SQL)
		if err != nil {
			return
		}
		for i, tk := range engine.Significant(toks) {
			_ = i
			if tk.Kind == engine.Ident && refusedFunctions[strings.ToLower(tk.Text)] {
				in, _ := engine.Lex(s)
				found := false
				for _, x := range in {
					if strings.EqualFold(x.Text, tk.Text) {
						found = true
					}
				}
				if !found {
					t.Fatalf("translation introduced %s: %q -> %q", tk.Text, s, tr.SQL)
				}
			}
		}
	})
}

// FuzzParse feeds tarn's own statement parsers (COPY, UNLOAD, SET/SHOW,
// CREATE EXTERNAL SCHEMA): they must fail cleanly, never panic.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"COPY t (a, b) FROM 's3://b/p' IAM_ROLE 'x' FORMAT AS CSV QUOTE AS '\"' IGNOREHEADER 1 GZIP DATEFORMAT 'auto'",
		"COPY t FROM 's3://b/p' JSON 'auto' MAXERROR AS 5", "UNLOAD ('select 1') TO 's3://b/p/' FORMAT PARQUET PARTITION BY (a) INCLUDE",
		"SET search_path TO a, b", "SET TIME ZONE 'UTC'", "RESET ALL", "SHOW search_path",
		"CREATE EXTERNAL SCHEMA s FROM DATA CATALOG DATABASE 'db' IAM_ROLE default",
	} {
		f.Add(s)
	}
	se := &session{s: &Service{}, params: map[string]string{}, path: []string{"public"}}
	f.Fuzz(func(t *testing.T, s string) {
		stmts, err := engine.Split(s)
		if err != nil || len(stmts) != 1 {
			return
		}
		sig := stmts[0].Tokens
		se.prepareCopy(sig)
		se.prepareUnload(sig)
		se.prepareSet(sig)
		se.prepareShow(&stmt{se: se}, sig)
		if len(sig) > 2 {
			se.prepareExternalSchema(sig)
		}
	})
}
