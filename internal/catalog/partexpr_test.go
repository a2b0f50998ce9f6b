package catalog

import (
	"strings"
	"testing"

	"github.com/tarnhq/tarn/internal/datadriven"
)

// TestPartitionExpression runs testdata/partexpr.txt:
//
//	expr keys=<name>:<type>,... values=<v>/<v>,...
//	<expression>
//
// The output is the parsed expression, fully parenthesized, and the
// partitions it keeps (or the error).
func TestPartitionExpression(t *testing.T) {
	datadriven.Run(t, "testdata/partexpr.txt", func(t *testing.T, c datadriven.Case) string {
		keys, parts := exprArgs(c.Command)
		f, err := compilePartFilter(strings.TrimSuffix(c.Input, "\n"), keys)
		if err != nil {
			return "error: " + err.Error()
		}
		var b strings.Builder
		b.WriteString(f.root.String() + "\n")
		for _, p := range parts {
			if f.match(p) {
				b.WriteString(strings.Join(p, "/") + "\n")
			}
		}
		return b.String()
	})
}

func exprArgs(cmd string) ([]Column, [][]string) {
	var keys []Column
	var parts [][]string
	for _, f := range strings.Fields(cmd)[1:] {
		k, v, _ := strings.Cut(f, "=")
		switch k {
		case "keys":
			for _, kd := range strings.Split(v, ",") {
				n, typ, _ := strings.Cut(kd, ":")
				keys = append(keys, Column{Name: n, Type: typ})
			}
		case "values":
			for _, p := range strings.Split(v, ",") {
				parts = append(parts, strings.Split(p, "/"))
			}
		}
	}
	return keys, parts
}

// FuzzPartitionExpression: any input parses or fails cleanly; what
// parses renders to text that parses to the same tree and evaluates
// without panicking.
func FuzzPartitionExpression(f *testing.F) {
	for _, s := range []string{
		"year = '2024'", "year > 2020 AND month IN ('01', '02')", "NOT (dt BETWEEN '2024-01-01' AND '2024-02-01')",
		"region LIKE 'eu-%' OR region <> 'us'", "`year` >= -1.5", "a = 'it''s'", "((year=1))", "year NOT IN (1,2)",
		"month NOT LIKE '_1'", "dt != 'x'",
	} {
		f.Add(s)
	}
	keys := []Column{{Name: "year", Type: "int"}, {Name: "month", Type: "string"}, {Name: "dt", Type: "date"}, {Name: "region", Type: "string"}, {Name: "a", Type: "string"}}
	f.Fuzz(func(t *testing.T, s string) {
		pf, err := compilePartFilter(s, keys)
		if err != nil {
			return
		}
		text := pf.root.String()
		again, err := compilePartFilter(text, keys)
		if err != nil {
			t.Fatalf("%q renders as %q, which does not parse: %v", s, text, err)
		}
		if again.root.String() != text {
			t.Fatalf("%q: render %q re-renders as %q", s, text, again.root.String())
		}
		for _, vals := range [][]string{{"2024", "01", "2024-01-01", "eu-west-1", "x"}, {"", "", "", "", ""}, {"x", "1", "2", "3", "4"}} {
			if pf.match(vals) != again.match(vals) {
				t.Fatalf("%q and %q disagree on %v", s, text, vals)
			}
		}
	})
}

func TestLikeMatch(t *testing.T) {
	for _, c := range []struct {
		pat, s string
		want   bool
	}{
		{"eu-%", "eu-west-1", true}, {"%-1", "eu-west-1", true}, {"_u%", "eu", true}, {"%", "", true},
		{"a%b%c", "axxbyyc", true}, {"a%b%c", "axxbyy", false}, {"a_", "a", false}, {"", "", true}, {"", "a", false},
	} {
		if got := likeMatch(c.pat, c.s); got != c.want {
			t.Errorf("likeMatch(%q, %q) = %v, want %v", c.pat, c.s, got, c.want)
		}
	}
}
