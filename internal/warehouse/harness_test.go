package warehouse

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// dirLake is a Lake over a directory: bucket/key is a file.
type dirLake struct{ root string }

func (l dirLake) Files(ctx context.Context, bucket, prefix string) ([]File, error) {
	base := filepath.Join(l.root, bucket)
	if _, err := os.Stat(base); err != nil {
		return nil, fmt.Errorf("%w: %s", ErrNoSuchBucket, bucket)
	}
	var out []File
	filepath.Walk(base, func(p string, fi os.FileInfo, err error) error {
		if err != nil || fi.IsDir() {
			return nil
		}
		key, _ := filepath.Rel(base, p)
		key = filepath.ToSlash(key)
		if strings.HasPrefix(key, prefix) {
			out = append(out, File{Key: key, Path: p, Size: fi.Size()})
		}
		return nil
	})
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

func (l dirLake) Put(ctx context.Context, bucket, key string, r io.Reader, size int64, contentType string) error {
	p := filepath.Join(l.root, bucket, filepath.FromSlash(key))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return err
	}
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if int64(len(b)) != size {
		return fmt.Errorf("size %d, want %d", len(b), size)
	}
	return os.WriteFile(p, b, 0o644)
}

func (l dirLake) LocalDirs() []string { return []string{l.root} }

func (l dirLake) write(t testing.TB, bucket, key string, data []byte) {
	t.Helper()
	if err := l.Put(context.Background(), bucket, key, strings.NewReader(string(data)), int64(len(data)), ""); err != nil {
		t.Fatal(err)
	}
}

// memCatalog is a Catalog of fixed tables.
type memCatalog struct {
	mu     sync.Mutex
	tables map[string][]TableDef // database → tables
}

func (c *memCatalog) Table(ctx context.Context, region, db, name string) (*TableDef, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ts, ok := c.tables[db]
	if !ok {
		return nil, ErrDatabaseNotFound
	}
	for _, t := range ts {
		if t.Name == name {
			return &t, nil
		}
	}
	return nil, ErrTableNotFound
}

func (c *memCatalog) Tables(ctx context.Context, region, db string) ([]TableDef, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	ts, ok := c.tables[db]
	if !ok {
		return nil, ErrDatabaseNotFound
	}
	return ts, nil
}

type harness struct {
	svc  *Service
	dir  string
	lake dirLake
	cat  *memCatalog
	opts Options
}

// newHarness runs a Service on 127.0.0.1:0 over a fresh data directory.
func newHarness(t testing.TB) *harness {
	t.Helper()
	dir := t.TempDir()
	h := &harness{dir: dir, lake: dirLake{root: filepath.Join(dir, "lake")}, cat: &memCatalog{tables: map[string][]TableDef{}}}
	os.MkdirAll(h.lake.root, 0o755)
	h.opts = Options{DataFile: filepath.Join(dir, "warehouse.duckdb"), Lake: h.lake, Catalog: h.cat, PGAddr: "127.0.0.1:0",
		Users: func(u string) (string, bool) { return "test", u == "test" }, Threads: 2, MemoryLimit: "1GB"}
	h.start(t)
	return h
}

func (h *harness) start(t testing.TB) {
	t.Helper()
	svc, err := New(h.opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	h.svc = svc
	t.Cleanup(func() { svc.Stop(context.Background()) })
}

func (h *harness) restart(t testing.TB) {
	t.Helper()
	if err := h.svc.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	h.start(t)
}

func (h *harness) url() string {
	return fmt.Sprintf("postgres://test:test@%s/dev?sslmode=disable", h.svc.Addr())
}

func (h *harness) connect(t testing.TB) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(t.Context(), h.url())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close(context.Background()) })
	return c
}

// exec runs statements, failing the test on error.
func exec(t testing.TB, c *pgx.Conn, sqls ...string) {
	t.Helper()
	for _, q := range sqls {
		if _, err := c.Exec(t.Context(), q); err != nil {
			var pe *pgconn.PgError
			if errors.As(err, &pe) {
				t.Fatalf("%s: %v (%s)", q, err, pe.Detail)
			}
			t.Fatalf("%s: %v", q, err)
		}
	}
}

// rows runs a query and renders its rows as "a|b" lines.
func rows(t testing.TB, c *pgx.Conn, q string, args ...any) string {
	t.Helper()
	r, err := c.Query(t.Context(), q, args...)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	defer r.Close()
	var lines []string
	for r.Next() {
		vals, err := r.Values()
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			parts[i] = render(v)
		}
		lines = append(lines, strings.Join(parts, "|"))
	}
	if err := r.Err(); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return strings.Join(lines, "\n")
}

func render(v any) string {
	switch x := v.(type) {
	case nil:
		return "NULL"
	case driver.Valuer:
		if y, err := x.Value(); err == nil {
			return fmt.Sprint(y)
		}
	}
	return fmt.Sprint(v)
}
