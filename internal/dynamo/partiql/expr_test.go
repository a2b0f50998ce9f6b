package partiql

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tarnhq/tarn/internal/datadriven"
	"github.com/tarnhq/tarn/internal/dynamo/attr"
	"github.com/tarnhq/tarn/internal/dynamo/expr"
)

// TestExpressions hands every expression that an accepted testdata
// statement translates to to the service's expression parser
// (internal/dynamo/expr), which must accept it: what partiql emits is
// DynamoDB's expression language.
func TestExpressions(t *testing.T) {
	files, _ := filepath.Glob("testdata/*.txt")
	n := 0
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		cases, err := datadriven.Parse(file, string(src))
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			in, params := c.Input, []attr.Value(nil)
			if i := strings.Index(in, "\nparams: "); i >= 0 {
				if err := jsonUnmarshal(in[i+len("\nparams: "):], &params); err != nil {
					t.Fatal(err)
				}
				in = in[:i]
			}
			st, err := Parse(in, params)
			if err != nil {
				continue
			}
			n++
			check := func(what string, f func(p *expr.Params) error) {
				t.Helper()
				if err := f(expr.NewParams(st.Names, st.Values)); err != nil {
					t.Errorf("%s: %s: %v", c.Pos(), what, err)
				}
			}
			if st.Projection != "" {
				check("projection "+st.Projection, func(p *expr.Params) error { _, err := expr.ParseProjection(st.Projection, p); return err })
			}
			if st.Where != "" {
				check("where "+st.Where, func(p *expr.Params) error { _, err := expr.ParseCondition(expr.KindFilter, st.Where, p); return err })
			}
			if st.Update != "" {
				check("update "+st.Update, func(p *expr.Params) error { _, err := expr.ParseUpdate(st.Update, p); return err })
			}
			for _, keys := range [][2]string{{"pk", "sk"}, {"OrderID", ""}, {"gpk", "gsk"}, {"Artist", "SongTitle"}} {
				if kc, f, ok := st.Split(keys[0], keys[1]); ok {
					check("key "+kc, func(p *expr.Params) error { _, err := expr.ParseKeyCondition(kc, p, keys[0], keys[1]); return err })
					if f != "" {
						check("filter "+f, func(p *expr.Params) error { _, err := expr.ParseCondition(expr.KindFilter, f, p); return err })
					}
				}
				if _, cond, err := st.Key(keys[0], keys[1]); err == nil && cond != "" {
					check("condition "+cond, func(p *expr.Params) error { _, err := expr.ParseCondition(expr.KindCondition, cond, p); return err })
				}
			}
		}
	}
	if n < 100 {
		t.Fatalf("only %d accepted statements", n)
	}
}
