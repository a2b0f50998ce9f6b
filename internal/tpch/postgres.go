package tpch

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
)

// LoadPostgres creates the eight tables in the database at connString
// (dropping tables of the same names first), loads the .tbl files of dir
// with COPY FROM STDIN, then adds what a user would: primary keys,
// foreign keys, indexes on the foreign-key columns and l_shipdate /
// o_orderdate, and ANALYZE.
func LoadPostgres(ctx context.Context, connString, dir string) error {
	conn, err := pgx.Connect(ctx, connString)
	if err != nil {
		return fmt.Errorf("tpch: connect: %w", err)
	}
	defer conn.Close(context.Background())
	return loadPostgres(ctx, conn, dir)
}

func loadPostgres(ctx context.Context, conn *pgx.Conn, dir string) error {
	exec := func(q string) error {
		if _, err := conn.Exec(ctx, q); err != nil {
			return fmt.Errorf("tpch: postgres %q: %w", q, err)
		}
		return nil
	}
	for i := len(tableDefs) - 1; i >= 0; i-- {
		if err := exec("DROP TABLE IF EXISTS " + tableDefs[i].Name + " CASCADE"); err != nil {
			return err
		}
	}
	for _, t := range tableDefs {
		if err := exec(t.CreateTable()); err != nil {
			return err
		}
		files, err := filepath.Glob(filepath.Join(dir, t.Name, "*.tbl"))
		if err != nil {
			return err
		}
		if len(files) == 0 {
			return fmt.Errorf("tpch: %s has no .tbl files for %s (run Generate with CSV)", dir, t.Name)
		}
		sort.Strings(files)
		for _, f := range files {
			if err := copyFile(ctx, conn, t.Name, f); err != nil {
				return err
			}
		}
	}
	for _, q := range postgresIndexes() {
		if err := exec(q); err != nil {
			return err
		}
	}
	return exec("ANALYZE")
}

func copyFile(ctx context.Context, conn *pgx.Conn, tbl, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = conn.PgConn().CopyFrom(ctx, f, "COPY "+tbl+" FROM STDIN WITH (FORMAT text, DELIMITER '|')")
	if err != nil {
		return fmt.Errorf("tpch: copy %s: %w", path, err)
	}
	return nil
}

// postgresIndexes are the keys and indexes LoadPostgres adds after the
// load.
func postgresIndexes() []string {
	var out []string
	for _, t := range tableDefs {
		out = append(out, fmt.Sprintf("ALTER TABLE %s ADD PRIMARY KEY (%s)", t.Name, strings.Join(t.PrimaryKey, ", ")))
	}
	for _, t := range tableDefs {
		for _, fk := range t.ForeignKeys {
			ref := table(fk[1])
			if len(ref.PrimaryKey) != 1 {
				continue
			}
			out = append(out, fmt.Sprintf("ALTER TABLE %s ADD FOREIGN KEY (%s) REFERENCES %s (%s)", t.Name, fk[0], ref.Name, ref.PrimaryKey[0]))
			if fk[0] != t.PrimaryKey[0] {
				out = append(out, fmt.Sprintf("CREATE INDEX ON %s (%s)", t.Name, fk[0]))
			}
		}
	}
	return append(out,
		"CREATE INDEX ON lineitem (l_partkey, l_suppkey)",
		"CREATE INDEX ON lineitem (l_shipdate)",
		"CREATE INDEX ON orders (o_orderdate)")
}

// Postgres runs queries on one PostgreSQL connection (not safe for
// concurrent use, as a pgx.Conn is not).
type Postgres struct {
	conn *pgx.Conn
	name string
}

var _ Engine = (*Postgres)(nil)

// NewPostgres wraps conn as an Engine called name ("postgres" if "").
// The caller keeps ownership of conn.
func NewPostgres(conn *pgx.Conn, name string) *Postgres {
	if name == "" {
		name = "postgres"
	}
	return &Postgres{conn: conn, name: name}
}

// Name is the name NewPostgres was given.
func (p *Postgres) Name() string { return p.name }

// Run runs q's PostgreSQL form.
func (p *Postgres) Run(ctx context.Context, q Query) (int, error) {
	return RunPostgres(ctx, p.conn, q)
}

// RunPostgres runs q's PostgreSQL form on conn and returns the number of
// rows, reading and decoding each.
func RunPostgres(ctx context.Context, conn *pgx.Conn, q Query) (int, error) {
	rows, err := conn.Query(ctx, q.Postgres)
	if err != nil {
		return 0, fmt.Errorf("tpch: postgres %s: %w", q.Name, err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		if _, err := rows.Values(); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, fmt.Errorf("tpch: postgres %s: %w", q.Name, err)
	}
	return n, nil
}
