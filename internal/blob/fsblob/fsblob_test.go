package fsblob

import (
	"strings"
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

// TestPoolFilesOfACrashAreGarbage: files a crashed process left in its
// pool are reported by List (so garbage collection removes them), while a
// live Store's own pool is not.
func TestPoolFilesOfACrashAreGarbage(t *testing.T) {
	dir := t.TempDir()
	crashed, err := New(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := crashed.Put(t.Context(), strings.NewReader("x")); err != nil {
		t.Fatal(err)
	}
	count := func(s *Store) int {
		n := 0
		s.List(t.Context(), func(blob.ID) error { n++; return nil })
		return n
	}
	if n := count(crashed); n != 1 {
		t.Errorf("live store lists %d blobs, want 1", n)
	}
	restarted, err := New(Options{Dir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if n := count(restarted); n != poolBatch {
		t.Errorf("after restart List reports %d files, want the blob and %d leftover pool files", n, poolBatch-1)
	}
}
