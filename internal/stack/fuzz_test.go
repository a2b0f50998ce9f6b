package stack

import (
	"errors"
	"os"
	"testing"
)

// FuzzParse: Parse never panics; it returns a stack or an *Error that
// wraps ErrInvalid with a non-negative line.
func FuzzParse(f *testing.F) {
	if raw, err := os.ReadFile("testdata/sample.yaml"); err == nil {
		f.Add(raw)
	}
	f.Add([]byte("streams:\n  - name: a\n    shards: 0\n"))
	f.Add([]byte("a: &x [*x]\n"))
	f.Add([]byte("functions:\n  - {name: f, runtime: provided.al2023, code: {s3_bucket: b}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Parse("tarn.yaml", data, testSettings...)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !errors.Is(err, ErrInvalid) || e.Line < 0 {
				t.Fatalf("error %v (%T) is not a stack *Error", err, err)
			}
			return
		}
		for _, r := range s.resources() {
			if s.line(r.path) <= 0 {
				t.Fatalf("%s has no line", r.path)
			}
		}
	})
}
