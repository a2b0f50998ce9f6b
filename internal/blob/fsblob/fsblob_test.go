package fsblob

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/tarnhq/tarn/internal/blob"
	"github.com/tarnhq/tarn/internal/blob/blobtest"
)

func TestConformance(t *testing.T) {
	blobtest.Run(t, func(t *testing.T) blob.Store {
		s, err := New(Options{Dir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

func TestNewRemovesInterruptedPuts(t *testing.T) {
	dir := t.TempDir()
	if _, err := New(Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	leftover := filepath.Join(dir, "ab", "ab000000000000000000000000000000"+tmpSuffix)
	if err := os.WriteFile(leftover, []byte("partial"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := New(Options{Dir: dir}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(leftover); !os.IsNotExist(err) {
		t.Errorf("temporary file still there: %v", err)
	}
}
