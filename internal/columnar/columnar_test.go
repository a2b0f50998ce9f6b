package columnar

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

var allTypes = Schema{
	{"s", String}, {"i", Int}, {"b", BigInt}, {"d", Double}, {"ok", Boolean}, {"ts", Timestamp}, {"day", Date},
}

func row(i int) []any {
	if i%10 == 7 { // every tenth row is all NULLs
		return []any{nil, nil, nil, nil, nil, nil, nil}
	}
	base := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
	return []any{fmt.Sprintf("row-%d", i), int32(i - 50000), int64(i) << 33, float64(i) / 4, i%2 == 0,
		base.Add(time.Duration(i) * time.Millisecond), time.Date(2024, 1, 2+i%1000, 0, 0, 0, 0, time.UTC)}
}

// readBack opens path with a plain DuckDB, outside the writer's sandbox.
func readBack(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec("CREATE VIEW p AS SELECT * FROM read_parquet(" + quote(path) + ")"); err != nil {
		t.Fatal(err)
	}
	return db
}

func copyOut(t *testing.T, f *File) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out.parquet")
	dst, err := os.Create(out)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := io.Copy(dst, f); err != nil || n != f.Size {
		t.Fatalf("copy = %d, %v; size %d", n, err, f.Size)
	}
	dst.Close()
	return out
}

func TestWriteAllTypes(t *testing.T) {
	dir := t.TempDir()
	w, err := New(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	const n = 100_000
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = row(i)
	}
	for _, comp := range []Compression{Snappy, Gzip, Uncompressed} {
		t.Run(string(comp), func(t *testing.T) {
			f, err := w.Write(t.Context(), allTypes, rows, comp)
			if err != nil {
				t.Fatal(err)
			}
			staged := f.Name()
			out := copyOut(t, f)
			if err := f.Close(); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(staged); !os.IsNotExist(err) {
				t.Fatalf("staged file %s still there: %v", staged, err)
			}
			db := readBack(t, out)
			var count, nulls int
			if err := db.QueryRow("SELECT count(*), count(*) FILTER (s IS NULL AND i IS NULL AND b IS NULL AND d IS NULL AND ok IS NULL AND ts IS NULL AND day IS NULL) FROM p").Scan(&count, &nulls); err != nil {
				t.Fatal(err)
			}
			if count != n || nulls != n/10 {
				t.Fatalf("count %d nulls %d, want %d %d", count, nulls, n, n/10)
			}
			var codec string
			if err := db.QueryRow("SELECT compression FROM parquet_metadata(" + quote(out) + ") LIMIT 1").Scan(&codec); err != nil {
				t.Fatal(err)
			}
			if !strings.EqualFold(codec, string(comp)) {
				t.Fatalf("codec %s, want %s", codec, comp)
			}
			var types string
			if err := db.QueryRow("SELECT string_agg(column_type, ',' ORDER BY column_name) FROM (DESCRIBE p)").Scan(&types); err != nil {
				t.Fatal(err)
			}
			if want := "BIGINT,DOUBLE,DATE,INTEGER,BOOLEAN,VARCHAR,TIMESTAMP"; types != want {
				t.Fatalf("types %s, want %s", types, want)
			}
			for _, i := range []int{0, 1, 7, 12345, n - 1} {
				got := make([]any, 7)
				ptrs := make([]any, 7)
				for j := range got {
					ptrs[j] = &got[j]
				}
				if err := db.QueryRow("SELECT s, i, b, d, ok, ts, day FROM p LIMIT 1 OFFSET ?", i).Scan(ptrs...); err != nil {
					t.Fatal(err)
				}
				want := row(i)
				for j := range want {
					g, w := got[j], want[j]
					if tm, ok := g.(time.Time); ok {
						g = tm.UTC()
					}
					if fmt.Sprint(g) != fmt.Sprint(w) {
						t.Errorf("row %d col %s = %v (%T), want %v", i, allTypes[j].Name, g, g, w)
					}
				}
			}
		})
	}
	if ents, _ := os.ReadDir(dir); len(ents) > 1 { // "spill" may exist
		t.Fatalf("writer left files behind: %v", ents)
	}
}

func TestWriteRejects(t *testing.T) {
	w, err := New(t.TempDir(), Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	ctx := t.Context()
	for name, s := range map[string]Schema{"empty": {}, "dup": {{"a", Int}, {"A", String}}, "noname": {{"", Int}}, "type": {{"a", 99}}} {
		if _, err := w.Write(ctx, s, nil, Snappy); err == nil {
			t.Errorf("%s schema accepted", name)
		}
	}
	if _, err := w.Write(ctx, Schema{{"a", Int}}, [][]any{{"x"}}, Snappy); err == nil {
		t.Error("wrong Go type accepted")
	}
	if _, err := w.Write(ctx, Schema{{"a", Int}}, [][]any{{1, 2}}, Snappy); err == nil {
		t.Error("wrong row width accepted")
	}
	if _, err := w.Write(ctx, Schema{{"a", Int}}, nil, "lz77"); err == nil {
		t.Error("unknown compression accepted")
	}
	// Odd names are quoted, and an empty file is still a valid Parquet file.
	f, err := w.Write(ctx, Schema{{`we"ird name`, String}}, nil, Snappy)
	if err != nil {
		t.Fatal(err)
	}
	out := copyOut(t, f)
	f.Close()
	var n int
	if err := readBack(t, out).QueryRow(`SELECT count("we""ird name") FROM p`).Scan(&n); err != nil || n != 0 {
		t.Fatalf("empty file: %d, %v", n, err)
	}
	w.Close()
	if _, err := w.Write(ctx, Schema{{"a", Int}}, nil, Snappy); err != ErrClosed {
		t.Fatalf("after Close: %v", err)
	}
}

// TestSandbox: the writer's DuckDB can touch nothing outside its
// directory and cannot unlock its configuration.
func TestSandbox(t *testing.T) {
	dir, outside := t.TempDir(), t.TempDir()
	secret := filepath.Join(outside, "secret.csv")
	if err := os.WriteFile(secret, []byte("a\n1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	w, err := New(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for _, q := range []string{
		"SELECT * FROM read_csv(" + quote(secret) + ")",
		"COPY (SELECT 1) TO " + quote(filepath.Join(outside, "x.parquet")) + " (FORMAT parquet)",
		"SET enable_external_access = true",
		"SET allowed_directories = ['/']",
		"SET lock_configuration = false",
		"INSTALL httpfs",
		"LOAD httpfs",
	} {
		if _, err := w.db.Exec(q); err == nil {
			t.Errorf("%s: allowed", q)
		}
	}
	if _, err := os.Stat(filepath.Join(outside, "x.parquet")); err == nil {
		t.Error("wrote outside the sandbox")
	}
	if _, err := w.db.Exec("COPY (SELECT 1 AS a) TO " + quote(filepath.Join(dir, "in.parquet")) + " (FORMAT parquet)"); err != nil {
		t.Errorf("write inside the sandbox: %v", err)
	}
}

func benchRows(n int) [][]any {
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = row(i)
	}
	return rows
}

const benchN = 100_000

// BenchmarkColumnarWriter is the columnar writer's rows/s for 100k rows of every
// type; BenchmarkRawAppenderCopy is the same rows through a bare DuckDB
// Appender and COPY, the baseline of the ratio.
func BenchmarkColumnarWriter(b *testing.B) {
	w, err := New(b.TempDir(), Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer w.Close()
	rows := benchRows(benchN)
	b.ResetTimer()
	for b.Loop() {
		f, err := w.Write(context.Background(), allTypes, rows, Snappy)
		if err != nil {
			b.Fatal(err)
		}
		f.Close()
	}
	b.ReportMetric(float64(benchN*b.N)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkRawAppenderCopy(b *testing.B) {
	dir := b.TempDir()
	conn, err := duckdb.NewConnector("", nil)
	if err != nil {
		b.Fatal(err)
	}
	db := sql.OpenDB(conn)
	defer db.Close()
	rows := benchRows(benchN)
	ctx := context.Background()
	c, err := db.Conn(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	path := filepath.Join(dir, "raw.parquet")
	b.ResetTimer()
	for b.Loop() {
		if _, err := c.ExecContext(ctx, createTable("raw", allTypes)); err != nil {
			b.Fatal(err)
		}
		err := c.Raw(func(dc any) error {
			a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", "raw")
			if err != nil {
				return err
			}
			vals := make([]driver.Value, len(allTypes))
			for _, r := range rows {
				for j, v := range r {
					vals[j] = v
				}
				if err := a.AppendRow(vals...); err != nil {
					return err
				}
			}
			return a.Close()
		})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.ExecContext(ctx, "COPY raw TO "+quote(path)+" (FORMAT parquet, COMPRESSION snappy)"); err != nil {
			b.Fatal(err)
		}
		if _, err := c.ExecContext(ctx, "DROP TABLE raw"); err != nil {
			b.Fatal(err)
		}
		os.Remove(path)
	}
	b.ReportMetric(float64(benchN*b.N)/b.Elapsed().Seconds(), "rows/s")
}
