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

// FuzzParse feeds statements (seeded with every testdata statement) to
// Parse with three parameters. It must not panic; an accepted statement's
// expressions must be balanced, refer only to placeholders it defines, and
// be free of syntax errors for the service's expression parser; Split,
// Key, ReadKey and CheckOrderBy must not panic either.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txt")
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		cases, err := datadriven.Parse(file, string(src))
		if err != nil {
			f.Fatal(err)
		}
		for _, c := range cases {
			in := c.Input
			if i := strings.Index(in, "\nparams: "); i >= 0 {
				in = in[:i]
			}
			f.Add(in)
		}
	}
	params := []attr.Value{attr.String("p"), attr.MustNumber("7"), attr.Map(map[string]attr.Value{"k": attr.String("v")})}
	f.Fuzz(func(t *testing.T, src string) {
		for n := 0; n <= len(params); n++ {
			st, err := Parse(src, params[:n])
			if err != nil {
				if _, ok := err.(*Error); !ok {
					t.Fatalf("error %T is not *Error", err)
				}
				continue
			}
			checkBalanced(t, "fuzz", st)
			checkSyntax(t, st)
			st.Split("pk", "sk")
			st.Split("pk", "")
			st.Key("pk", "sk")
			st.ReadKey("pk", "", true)
			st.CheckOrderBy("pk")
			st.CheckKeyTypes("pk", attr.S, "sk", attr.N)
		}
	})
}

// checkBalanced fails if an expression of st has unbalanced parentheses or
// brackets or names a placeholder st does not define.
func checkBalanced(t *testing.T, where string, st *Statement) {
	t.Helper()
	exprs := []string{st.Projection, st.Where, st.Update}
	if kc, f, ok := st.Split("pk", "sk"); ok {
		exprs = append(exprs, kc, f)
	}
	if _, cond, err := st.Key("pk", "sk"); err == nil {
		exprs = append(exprs, cond)
	}
	for _, e := range exprs {
		depth := 0
		var stack []byte
		for i := 0; i < len(e); i++ {
			switch e[i] {
			case '(', '[':
				stack = append(stack, e[i])
				depth++
			case ')', ']':
				want := byte('(')
				if e[i] == ']' {
					want = '['
				}
				if len(stack) == 0 || stack[len(stack)-1] != want {
					t.Fatalf("%s: unbalanced expression %q", where, e)
				}
				stack = stack[:len(stack)-1]
			}
		}
		if len(stack) != 0 {
			t.Fatalf("%s: unbalanced expression %q", where, e)
		}
		for _, ph := range placeholderRE.FindAllString(e, -1) {
			_, n := st.Names[ph]
			_, v := st.Values[ph]
			if !n && !v {
				t.Fatalf("%s: expression %q names undefined %s", where, e, ph)
			}
		}
	}
}

// checkSyntax fails if the expression parser finds a syntax error in an
// expression of st (semantic errors, such as overlapping paths, are
// DynamoDB's to report and allowed here).
func checkSyntax(t *testing.T, st *Statement) {
	t.Helper()
	p := func() *expr.Params { return expr.NewParams(st.Names, st.Values) }
	var errs []error
	if st.Projection != "" {
		_, err := expr.ParseProjection(st.Projection, p())
		errs = append(errs, err)
	}
	if st.Where != "" {
		_, err := expr.ParseCondition(expr.KindFilter, st.Where, p())
		errs = append(errs, err)
	}
	if st.Update != "" {
		_, err := expr.ParseUpdate(st.Update, p())
		errs = append(errs, err)
	}
	if kc, f, ok := st.Split("pk", "sk"); ok {
		_, err := expr.ParseKeyCondition(kc, p(), "pk", "sk")
		errs = append(errs, err)
		if f != "" {
			_, err := expr.ParseCondition(expr.KindFilter, f, p())
			errs = append(errs, err)
		}
	}
	if _, cond, err := st.Key("pk", "sk"); err == nil && cond != "" {
		_, err := expr.ParseCondition(expr.KindCondition, cond, p())
		errs = append(errs, err)
	}
	for _, err := range errs {
		if err != nil && strings.Contains(err.Error(), "Syntax error") {
			t.Fatalf("syntax error in a translated expression: %v", err)
		}
	}
}
