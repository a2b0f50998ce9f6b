package jobs

import "testing"

func FuzzSubstitute(f *testing.F) {
	f.Add("SELECT ${a} FROM ${b.c}", "x")
	f.Add("${", "")
	f.Fuzz(func(t *testing.T, stmt, val string) {
		out, err := substitute(stmt, map[string]string{"--a": val, "--b.c": val})
		if !placeholder.MatchString(stmt) && (err != nil || out != stmt) {
			t.Fatalf("%q without placeholders became %q, %v", stmt, out, err)
		}
	})
}
