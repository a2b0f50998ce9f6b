package columnar

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/duckdb/duckdb-go/v2"
)

// Type is a column type, named as Glue/Hive name it.
type Type int

// The column types a Writer supports.
const (
	String Type = iota + 1
	Int
	BigInt
	Double
	Boolean
	Timestamp
	Date
)

var typeNames = map[Type]string{String: "string", Int: "int", BigInt: "bigint", Double: "double",
	Boolean: "boolean", Timestamp: "timestamp", Date: "date"}

var sqlTypes = map[Type]string{String: "VARCHAR", Int: "INTEGER", BigInt: "BIGINT", Double: "DOUBLE",
	Boolean: "BOOLEAN", Timestamp: "TIMESTAMP", Date: "DATE"}

func (t Type) String() string {
	if n, ok := typeNames[t]; ok {
		return n
	}
	return fmt.Sprintf("Type(%d)", int(t))
}

// ParseType maps a Glue/Hive type name (case-insensitive; "integer" is
// int) to a Type.
func ParseType(name string) (Type, bool) {
	n := strings.ToLower(strings.TrimSpace(name))
	if n == "integer" {
		return Int, true
	}
	for t, s := range typeNames {
		if s == n {
			return t, true
		}
	}
	return 0, false
}

// Column is one column of a schema.
type Column struct {
	Name string
	Type Type
}

// Schema is an ordered list of columns with distinct names.
type Schema []Column

// Validate reports whether s can be written: at least one column, every
// name non-empty and distinct (case-insensitively, as DuckDB and Hive
// compare them), every type known.
func (s Schema) Validate() error {
	if len(s) == 0 {
		return errors.New("columnar: schema has no columns")
	}
	seen := map[string]bool{}
	for _, c := range s {
		if c.Name == "" {
			return errors.New("columnar: column with an empty name")
		}
		if _, ok := sqlTypes[c.Type]; !ok {
			return fmt.Errorf("columnar: column %s: unknown type %v", c.Name, c.Type)
		}
		k := strings.ToLower(c.Name)
		if seen[k] {
			return fmt.Errorf("columnar: column %s defined twice", c.Name)
		}
		seen[k] = true
	}
	return nil
}

// Compression is the Parquet page compression.
type Compression string

// Compressions DuckDB writes (and Firehose's ParquetSerDe offers).
const (
	Snappy       Compression = "snappy"
	Gzip         Compression = "gzip"
	Uncompressed Compression = "uncompressed"
)

// ErrClosed is returned by Write after Close.
var ErrClosed = errors.New("columnar: writer closed")

// Writer writes Parquet files through a sandboxed in-memory DuckDB.
type Writer struct {
	dir  string
	db   *sql.DB
	seq  atomic.Uint64
	mu   sync.RWMutex // held for reading by Write, for writing by Close
	done bool
}

// Options configure New.
type Options struct {
	// Threads bounds DuckDB's worker threads; 0 means DuckDB's default
	// (one per core).
	Threads int
	// MemoryLimit is DuckDB's memory_limit (e.g. "1GB"); "" means its
	// default (80% of RAM).
	MemoryLimit string
}

// New opens a Writer whose DuckDB may touch only dir, which must exist;
// Parquet files are staged there. Close releases the database.
func New(dir string, opts Options) (*Writer, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(abs); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("columnar: %s is not a directory", abs)
	}
	conn, err := duckdb.NewConnector("", nil)
	if err != nil {
		return nil, fmt.Errorf("columnar: open duckdb: %w", err)
	}
	db := sql.OpenDB(conn)
	settings := []string{
		"SET allowed_directories = [" + quote(abs+string(filepath.Separator)) + "]",
		"SET temp_directory = " + quote(filepath.Join(abs, "spill")),
		"SET autoinstall_known_extensions = false",
		"SET autoload_known_extensions = false",
	}
	if opts.Threads > 0 {
		settings = append(settings, fmt.Sprintf("SET threads = %d", opts.Threads))
	}
	if opts.MemoryLimit != "" {
		settings = append(settings, "SET memory_limit = "+quote(opts.MemoryLimit))
	}
	settings = append(settings, "SET enable_external_access = false", "SET lock_configuration = true")
	ctx := context.Background()
	c, err := db.Conn(ctx)
	if err == nil {
		for _, s := range settings {
			if _, err = c.ExecContext(ctx, s); err != nil {
				err = fmt.Errorf("columnar: %s: %w", s, err)
				break
			}
		}
		c.Close()
	}
	if err != nil {
		db.Close()
		return nil, err
	}
	return &Writer{dir: abs, db: db}, nil
}

// Close closes the database after the Writes in flight. Files already
// returned stay valid until their own Close.
func (w *Writer) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return nil
	}
	w.done = true
	return w.db.Close()
}

// File is a written Parquet file, open for reading from its start. Close
// closes and removes it.
type File struct {
	*os.File
	Size int64
	Rows int
}

// Close closes the file and removes it from the Writer's directory.
func (f *File) Close() error {
	err := f.File.Close()
	if rerr := os.Remove(f.Name()); rerr != nil && !errors.Is(rerr, os.ErrNotExist) && err == nil {
		err = rerr
	}
	return err
}

// Write writes rows (each with one value per column of s, in order) to a
// new Parquet file. On error nothing is left behind.
func (w *Writer) Write(ctx context.Context, s Schema, rows [][]any, comp Compression) (*File, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	switch comp {
	case "":
		comp = Snappy
	case Snappy, Gzip, Uncompressed:
	default:
		return nil, fmt.Errorf("columnar: unknown compression %q", comp)
	}
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.done {
		return nil, ErrClosed
	}
	n := w.seq.Add(1)
	table := fmt.Sprintf("t%d", n)
	path := filepath.Join(w.dir, fmt.Sprintf("%d.parquet", n))
	c, err := w.db.Conn(ctx)
	if err != nil {
		return nil, fmt.Errorf("columnar: connect: %w", err)
	}
	defer c.Close()
	if _, err := c.ExecContext(ctx, createTable(table, s)); err != nil {
		return nil, fmt.Errorf("columnar: create table: %w", err)
	}
	defer c.ExecContext(context.Background(), "DROP TABLE IF EXISTS "+table)
	if err := appendRows(ctx, c, table, rows, len(s)); err != nil {
		return nil, err
	}
	copySQL := fmt.Sprintf("COPY %s TO %s (FORMAT parquet, COMPRESSION %s)", table, quote(path), comp)
	if _, err := c.ExecContext(ctx, copySQL); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("columnar: copy to parquet: %w", err)
	}
	f, err := os.Open(path)
	if err != nil {
		os.Remove(path)
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	return &File{File: f, Size: st.Size(), Rows: len(rows)}, nil
}

func createTable(table string, s Schema) string {
	var b strings.Builder
	b.WriteString("CREATE TABLE " + table + " (")
	for i, c := range s {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(ident(c.Name) + " " + sqlTypes[c.Type])
	}
	b.WriteString(")")
	return b.String()
}

func appendRows(ctx context.Context, c *sql.Conn, table string, rows [][]any, width int) error {
	return c.Raw(func(dc any) error {
		a, err := duckdb.NewAppenderFromConn(dc.(driver.Conn), "", table)
		if err != nil {
			return fmt.Errorf("columnar: appender: %w", err)
		}
		vals := make([]driver.Value, width)
		for i, r := range rows {
			if len(r) != width {
				a.Close()
				return fmt.Errorf("columnar: row %d has %d values, want %d", i, len(r), width)
			}
			for j, v := range r {
				vals[j] = v
			}
			if err := a.AppendRow(vals...); err != nil {
				a.Close()
				return fmt.Errorf("columnar: row %d: %w", i, err)
			}
			if i%8192 == 8191 && ctx.Err() != nil {
				a.Close()
				return ctx.Err()
			}
		}
		if err := a.Close(); err != nil {
			return fmt.Errorf("columnar: append: %w", err)
		}
		return nil
	})
}

// quote is a SQL string literal.
func quote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// ident is a quoted SQL identifier.
func ident(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
