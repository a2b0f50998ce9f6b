package sql

import (
	"strings"
	"testing"

	"github.com/tarnhq/tarn/internal/engine"
)

// FuzzTranslate checks that translation never panics and that what it
// emits never calls a file-reading function the user slipped in.
func FuzzTranslate(f *testing.F) {
	for _, s := range []string{
		"SELECT * FROM t", "SELECT read_csv('/x')", "SELECT * FROM (FROM '/etc/passwd')",
		"WITH a AS (SELECT 1) SELECT * FROM a, b", "SELECT CAST(x AS array(varchar)) FROM db.t y",
		"SELECT date_add('day', 1, x), regexp_replace(a, 'b', '$1') FROM t CROSS JOIN UNNEST(a) AS u(v)",
		`SELECT "read_text"('/etc/passwd')`, "SELECT extract(year FROM x) FROM t", "TABLE t",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out, err := translate(s, func(ref tableRef) (string, error) { return "(SELECT 1 AS x)", nil })
		if err != nil {
			engineError(s, err) // must not panic either
			return
		}
		toks, err := engine.Lex(out)
		if err != nil {
			t.Fatalf("output does not lex: %q -> %q", s, out)
		}
		sig := engine.Significant(toks)
		for i, tk := range sig {
			if i+1 < len(sig) && sig[i+1].Text == "(" && (tk.Kind == engine.Ident || tk.Kind == engine.QuotedIdent) &&
				deniedFunction(strings.ToLower(tk.Value())) {
				t.Fatalf("denied call %s survived: %q -> %q", tk.Text, s, out)
			}
		}
	})
}
