package function

import (
	"strings"
	"testing"
)

func TestParseName(t *testing.T) {
	for _, tc := range []struct{ in, name, qual string }{
		{"f", "f", ""},
		{"f:1", "f", "1"},
		{"f:$LATEST", "f", "$LATEST"},
		{"arn:aws:lambda:us-east-1:000000000000:function:f", "f", ""},
		{"arn:aws:lambda:us-east-1:000000000000:function:f:live", "f", "live"},
		{"000000000000:function:f:2", "f", "2"},
	} {
		n, q, err := parseName(tc.in)
		if err != nil || n != tc.name || q != tc.qual {
			t.Errorf("parseName(%q) = %q, %q, %v", tc.in, n, q, err)
		}
	}
	for _, bad := range []string{"", "a b", "arn:aws:s3:::bucket", strings.Repeat("x", 65), "../x"} {
		if _, _, err := parseName(bad); err == nil {
			t.Errorf("parseName(%q) accepted", bad)
		}
	}
}

func FuzzParseName(f *testing.F) {
	f.Add("arn:aws:lambda:us-east-1:000000000000:function:f:live")
	f.Add("f:1")
	f.Fuzz(func(t *testing.T, s string) {
		n, _, err := parseName(s)
		if err == nil && (n == "" || strings.IndexFunc(n, badNameRune) >= 0) {
			t.Fatalf("parseName(%q) gave bad name %q", s, n)
		}
	})
}
