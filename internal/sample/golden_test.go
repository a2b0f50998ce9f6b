package sample

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var rewrite = flag.Bool("rewrite", false, "rewrite testdata/golden.jsonl from the current generator")

// TestGolden pins the start of the default dataset (seed 42): a change to
// the random stream, the catalog or the encoding shows up here. Run
// `go test ./internal/sample -run Golden -rewrite` to accept one on purpose.
func TestGolden(t *testing.T) {
	events, _ := Generate(Options{Seed: 42})
	got := JSONLines(events[:3])
	path := filepath.Join("testdata", "golden.jsonl")
	if *rewrite {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -rewrite to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("first events of seed 42 changed (run with -rewrite if intended)\ngot:\n%s\nwant:\n%s", got, want)
	}
}
