package filter

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/tarnhq/tarn/internal/datadriven"
)

// TestData runs testdata/*.txt. Command "match": input lines "pattern
// JSON" (one or more) then "event JSON" lines; the output is "error: ..."
// when the patterns do not compile, else one "match" / "no match" line per
// event ("except KEY" after the JSON uses MatchExcept).
func TestData(t *testing.T) {
	datadriven.Run(t, "testdata/*.txt", func(t *testing.T, c datadriven.Case) string {
		if c.Command != "match" {
			t.Fatalf("%s: unknown command %q", c.Pos(), c.Command)
		}
		var pats []string
		var out strings.Builder
		var set *Set
		for _, l := range strings.Split(strings.TrimSuffix(c.Input, "\n"), "\n") {
			switch {
			case strings.HasPrefix(l, "pattern "):
				pats = append(pats, strings.TrimPrefix(l, "pattern "))
			case strings.HasPrefix(l, "event "):
				if set == nil {
					var err error
					if set, err = Compile(pats); err != nil {
						if !errors.Is(err, ErrInvalidPattern) {
							t.Errorf("%s: error %v does not wrap ErrInvalidPattern", c.Pos(), err)
						}
						return "error: " + err.Error()
					}
				}
				ev, except, _ := strings.Cut(strings.TrimPrefix(l, "event "), " except ")
				var m map[string]any
				if err := json.Unmarshal([]byte(ev), &m); err != nil {
					t.Fatalf("%s: event %s: %v", c.Pos(), ev, err)
				}
				ok := set.Match(m)
				if except != "" {
					ok = set.MatchExcept(m, except)
				}
				if ok {
					out.WriteString("match\n")
				} else {
					out.WriteString("no match\n")
				}
			default:
				t.Fatalf("%s: bad input line %q", c.Pos(), l)
			}
		}
		if set == nil {
			if _, err := Compile(pats); err != nil {
				return "error: " + err.Error()
			}
			return "ok"
		}
		return out.String()
	})
}

func TestWildcard(t *testing.T) {
	for _, tc := range []struct {
		p, s string
		want bool
	}{
		{"*.png", "a.png", true}, {"*.png", "a.jpg", false}, {"a*b*c", "aXbYc", true}, {"a*b*c", "abcx", false},
		{`a\*b`, "a*b", true}, {`a\*b`, "axb", false}, {`a\\b`, `a\b`, true}, {"*", "", true}, {"", "", true},
		{"ab*", "ab", true}, {"*ab", "aab", true}, {"a*a*a", "aaaa", true}, {"a*", "b", false},
	} {
		if got := wildcardMatch(tc.p, tc.s); got != tc.want {
			t.Errorf("wildcardMatch(%q, %q) = %v", tc.p, tc.s, got)
		}
	}
}

func TestEmptySetMatchesAll(t *testing.T) {
	s, err := Compile(nil)
	if err != nil || !s.Match(map[string]any{"a": 1.0}) || s.Len() != 0 {
		t.Fatalf("empty set: %v", err)
	}
}

func TestOrLimit(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	for i := range 11 {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, `"k%d":{"$or":[{"a":[1]},{"b":[2]}]}`, i)
	}
	b.WriteString("}")
	if _, err := Compile([]string{b.String()}); !errors.Is(err, ErrInvalidPattern) {
		t.Fatalf("2^11 alternatives: %v", err)
	}
}

func FuzzCompile(f *testing.F) {
	for _, s := range []string{`{"a":[1]}`, `{"a":{"b":[{"prefix":"x"}]}}`, `{"$or":[{"a":[1]},{"b":[{"numeric":[">",1,"<=",5]}]}]}`,
		`{"a":[{"anything-but":{"prefix":"x"}}]}`, `{"a":[{"wildcard":"*x\\*"}]}`, `{"a":[{"cidr":"10.0.0.0/8"}]}`, `{"a":[{"exists":false}]}`} {
		f.Add(s, `{"a":1,"b":"x","c":[1,"y",{"d":null}]}`)
	}
	f.Fuzz(func(t *testing.T, pattern, event string) {
		s, err := Compile([]string{pattern})
		if err != nil {
			if !errors.Is(err, ErrInvalidPattern) {
				t.Fatalf("error %v does not wrap ErrInvalidPattern", err)
			}
			return
		}
		var m map[string]any
		if json.Unmarshal([]byte(event), &m) == nil {
			s.Match(m)
			s.MatchExcept(m, "a")
		}
	})
}
