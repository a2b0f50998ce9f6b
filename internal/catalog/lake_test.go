package catalog

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
)

// dirLake is a Lake over a directory: bucket b, key k is file <root>/b/k.
type dirLake struct {
	root string

	mu      sync.Mutex
	listing chan struct{} // if set, List blocks until it is closed (stop tests)
	entered chan struct{} // if set, List signals it has been entered
}

func newDirLake(t testing.TB) *dirLake { return &dirLake{root: t.TempDir()} }

func (l *dirLake) List(ctx context.Context, bucket, prefix string) ([]Object, error) {
	l.mu.Lock()
	gate, entered := l.listing, l.entered
	l.mu.Unlock()
	if entered != nil {
		close(entered)
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	base := filepath.Join(l.root, bucket)
	if _, err := os.Stat(base); err != nil {
		return nil, err
	}
	var out []Object
	err := filepath.WalkDir(base, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(base, p)
		key := filepath.ToSlash(rel)
		if !strings.HasPrefix(key, prefix) {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		out = append(out, Object{Key: key, Size: info.Size(), LastModified: info.ModTime()})
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, err
}

type osFile struct {
	*os.File
	size int64
}

func (f osFile) Size() int64 { return f.size }

func (l *dirLake) Open(ctx context.Context, bucket, key string) (File, error) {
	f, err := os.Open(filepath.Join(l.root, bucket, filepath.FromSlash(key)))
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return osFile{File: f, size: st.Size()}, nil
}

// put writes a file of the lake.
func (l *dirLake) put(t testing.TB, bucket, key string, data []byte) {
	t.Helper()
	p := filepath.Join(l.root, bucket, filepath.FromSlash(key))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// copyFixture copies testdata/parquet/<name> into the lake.
func (l *dirLake) copyFixture(t testing.TB, bucket, key, name string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", "parquet", name))
	if err != nil {
		t.Fatal(err)
	}
	l.put(t, bucket, key, b)
}

var _ Lake = (*dirLake)(nil)

// clock is a settable time source for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }
