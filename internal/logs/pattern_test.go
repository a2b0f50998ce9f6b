package logs

import (
	"fmt"
	"strings"
	"testing"

	"github.com/tarnhq/tarn/internal/datadriven"
)

// TestPattern runs testdata/pattern/*.txt:
//
//	parse: the input is a pattern; the output its canonical parse or
//	"error".
//	match: the first input line is a pattern, each further line a message;
//	the output lists each message prefixed "yes" or "no ".
func TestPattern(t *testing.T) {
	datadriven.Run(t, "testdata/pattern/*.txt", func(t *testing.T, c datadriven.Case) string {
		lines := strings.Split(strings.TrimSuffix(c.Input, "\n"), "\n")
		switch c.Command {
		case "parse":
			p, err := parsePattern(strings.Join(lines, "\n"))
			if err != nil {
				return "error\n"
			}
			return p.String() + "\n"
		case "match":
			p, err := parsePattern(lines[0])
			if err != nil {
				return "error\n"
			}
			var b strings.Builder
			for _, m := range lines[1:] {
				if p.match(m) {
					fmt.Fprintf(&b, "yes %s\n", m)
				} else {
					fmt.Fprintf(&b, "no  %s\n", m)
				}
			}
			return b.String()
		}
		t.Fatalf("%s: unknown command %q", c.Pos(), c.Command)
		return ""
	})
}

func FuzzParsePattern(f *testing.F) {
	for _, s := range []string{"", "ERROR", `"a b" ?c -d`, "%ab+c%", `{ $.a = "x*" && ($.n > 5 || $.b IS TRUE) }`,
		`{ $.a[0].* NOT EXISTS }`, `{ $.x IS NULL }`, `[ip, user, ..., status = 4* || status = 5*, size > 10]`, `[a, b != x, ...]`,
		`{ $.a = }`, `[`, `"unterminated`} {
		f.Add(s, `{"a":["x1",{"b":true}],"n":7,"x":null}`)
		f.Add(s, `127.0.0.1 - "GET /" 404 2000`)
	}
	f.Fuzz(func(t *testing.T, src, msg string) {
		p, err := parsePattern(src)
		if err != nil {
			return
		}
		_ = p.match(msg)
		// The canonical rendering is deterministic.
		if q, err := parsePattern(src); err != nil || q.String() != p.String() {
			t.Fatalf("reparse of %q: %v %v", src, err, q)
		}
	})
}
