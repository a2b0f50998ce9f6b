package stack_test

import (
	"bytes"
	"os"
	"testing"

	"github.com/tarnhq/tarn/internal/config"
	"github.com/tarnhq/tarn/internal/datadriven"
	"github.com/tarnhq/tarn/internal/stack"
)

// TestSchemaFileCurrent: the shipped tarn.schema.json is what `tarn apply
// --schema` prints (go test -rewrite regenerates it).
func TestSchemaFileCurrent(t *testing.T) {
	want := stack.Schema(config.Settings()...)
	if datadriven.Rewrite() {
		if err := os.WriteFile("tarn.schema.json", want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile("tarn.schema.json")
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("tarn.schema.json is stale (%v); run go test ./internal/stack -run TestSchemaFileCurrent -rewrite", err)
	}
}
