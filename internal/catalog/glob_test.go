package catalog

import "testing"

func TestGlob(t *testing.T) {
	for _, c := range []struct {
		pat, key string
		want     bool
	}{
		{"*.csv", "a.csv", true}, {"*.csv", "x/a.csv", false}, {"**.csv", "x/a.csv", true},
		{"tmp/**", "tmp/a/b.json", true}, {"tmp/**", "tmpx/a", false}, {"**/_temporary/**", "a/_temporary/b", true},
		{"**/_temporary/**", "_temporary/b", true}, {"dt=2024-0[1-3]/*", "dt=2024-02/x", true}, {"dt=2024-0[!1-3]/*", "dt=2024-02/x", false},
		{"{logs,tmp}/*", "logs/a", true}, {"{logs,tmp}/*", "data/a", false}, {"file?.txt", "file1.txt", true}, {"a\\*b", "a*b", true},
	} {
		re, err := compileGlob(c.pat)
		if err != nil {
			t.Fatalf("%s: %v", c.pat, err)
		}
		if got := re.MatchString(c.key); got != c.want {
			t.Errorf("glob %q on %q = %v, want %v", c.pat, c.key, got, c.want)
		}
	}
}
