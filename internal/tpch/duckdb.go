package tpch

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"

	"github.com/duckdb/duckdb-go/v2"
)

// Engine runs TPC-H queries; Bench times engines side by side. Run
// returns the number of rows the query returned, reading them all.
type Engine interface {
	Name() string
	Run(ctx context.Context, q Query) (rows int, err error)
}

// DuckDB is the in-process baseline: an in-memory DuckDB with one view
// per table over the Parquet files Generate wrote, sandboxed to that
// directory. It runs the PostgreSQL form of each query. Safe for
// concurrent use.
type DuckDB struct {
	db *sql.DB
}

var _ Engine = (*DuckDB)(nil)

// OpenDuckDB opens an in-memory DuckDB over dir. threads bounds DuckDB's
// worker threads (0: one per core). Close releases it.
func OpenDuckDB(ctx context.Context, dir string, threads int) (*DuckDB, error) {
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	conn, err := duckdb.NewConnector("", nil)
	if err != nil {
		return nil, fmt.Errorf("tpch: open duckdb: %w", err)
	}
	db := sql.OpenDB(conn)
	if threads > 0 {
		if _, err := db.ExecContext(ctx, fmt.Sprintf("SET threads = %d", threads)); err != nil {
			db.Close()
			return nil, err
		}
	}
	if err := sandbox(ctx, db, dir); err != nil {
		db.Close()
		return nil, err
	}
	for _, t := range tableDefs {
		if _, err := os.Stat(partPath(dir, t.Name, 0, "parquet")); err != nil {
			db.Close()
			return nil, fmt.Errorf("tpch: %s has no Parquet files for %s (run Generate with Parquet)", dir, t.Name)
		}
		glob := filepath.Join(dir, t.Name, "*.parquet")
		q := fmt.Sprintf("CREATE VIEW %s AS SELECT * FROM read_parquet(%s)", t.Name, sqlString(glob))
		if _, err := db.ExecContext(ctx, q); err != nil {
			db.Close()
			return nil, fmt.Errorf("tpch: view %s: %w", t.Name, err)
		}
	}
	return &DuckDB{db: db}, nil
}

// Name is "duckdb".
func (d *DuckDB) Name() string { return "duckdb" }

// Run runs q's PostgreSQL form and counts its rows.
func (d *DuckDB) Run(ctx context.Context, q Query) (int, error) {
	rows, err := d.db.QueryContext(ctx, q.Postgres)
	if err != nil {
		return 0, fmt.Errorf("tpch: duckdb %s: %w", q.Name, err)
	}
	return countRows(rows)
}

// DB is the underlying database, for ad-hoc checks over the views.
func (d *DuckDB) DB() *sql.DB { return d.db }

// Close closes the database.
func (d *DuckDB) Close() error { return d.db.Close() }

// RunDuckDB runs one query in a fresh in-process DuckDB over dir.
func RunDuckDB(ctx context.Context, dir string, q Query) (int, error) {
	d, err := OpenDuckDB(ctx, dir, 0)
	if err != nil {
		return 0, err
	}
	defer d.Close()
	return d.Run(ctx, q)
}

// countRows reads and discards every row, converting each value as a
// client would, and closes rows.
func countRows(rows *sql.Rows) (int, error) {
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}
