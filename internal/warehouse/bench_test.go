package warehouse

import (
	"database/sql"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"
)

// lineitemSQL builds a TPC-H lineitem-like table of n rows.
const lineitemSQL = `CREATE TABLE lineitem AS SELECT
	range AS l_orderkey,
	(range % 50 + 1)::DECIMAL(12,2) AS l_quantity,
	((range % 100000) / 10.0 + 900)::DECIMAL(12,2) AS l_extendedprice,
	((range % 11) / 100.0)::DECIMAL(12,2) AS l_discount,
	((range % 9) / 100.0)::DECIMAL(12,2) AS l_tax,
	(['A', 'N', 'R'])[range % 3 + 1] AS l_returnflag,
	(['F', 'O'])[range % 2 + 1] AS l_linestatus,
	DATE '1992-01-01' + (range % 2500)::INTEGER AS l_shipdate
FROM range(1000000)`

// q1 is TPC-H Q1 in Redshift's dialect (DATEADD), translated by the warehouse.
const q1 = `SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty, sum(l_extendedprice) AS sum_base_price,
	sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price, sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,
	avg(l_quantity) AS avg_qty, avg(l_extendedprice) AS avg_price, avg(l_discount) AS avg_disc, count(*) AS count_order
FROM lineitem WHERE l_shipdate <= DATEADD(day, -90, '1998-12-01'::date)
GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus`

// q1Duck is the same query in DuckDB's dialect.
const q1Duck = `SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty, sum(l_extendedprice) AS sum_base_price,
	sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price, sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,
	avg(l_quantity) AS avg_qty, avg(l_extendedprice) AS avg_price, avg(l_discount) AS avg_disc, count(*) AS count_order
FROM lineitem WHERE l_shipdate <= CAST('1998-12-01'::date AS TIMESTAMP) - INTERVAL '90 day'
GROUP BY l_returnflag, l_linestatus ORDER BY l_returnflag, l_linestatus`

// BenchmarkQ1 runs TPC-H Q1 over 1M rows through pgx (PostgreSQL wire,
// translation, session) and on raw DuckDB in-process over the same data,
// and reports the ratio (pgx/duckdb, 1.0 = no overhead).
//
//	go test ./internal/warehouse/ -run XXX -bench Q1 -benchtime 20x
func BenchmarkQ1(b *testing.B) {
	h := newHarness(b)
	c := h.connect(b)
	exec(b, c, lineitemSQL)
	raw, err := sql.Open("duckdb", "")
	if err != nil {
		b.Fatal(err)
	}
	defer raw.Close()
	raw.SetMaxOpenConns(1)
	for _, q := range []string{"SET threads = 2", lineitemSQL} {
		if _, err := raw.Exec(q); err != nil {
			b.Fatal(err)
		}
	}
	var duck, wire time.Duration
	b.Run("duckdb", func(b *testing.B) {
		start := time.Now()
		for b.Loop() {
			r, err := raw.Query(q1Duck)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for r.Next() {
				n++
			}
			r.Close()
			if n != 6 {
				b.Fatalf("%d rows", n)
			}
		}
		duck = time.Since(start) / time.Duration(b.N)
	})
	b.Run("pgx", func(b *testing.B) {
		start := time.Now()
		for b.Loop() {
			r, err := c.Query(b.Context(), q1)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for r.Next() {
				n++
			}
			r.Close()
			if r.Err() != nil || n != 6 {
				b.Fatalf("%d rows: %v", n, r.Err())
			}
		}
		wire = time.Since(start) / time.Duration(b.N)
		if duck > 0 {
			b.ReportMetric(float64(wire)/float64(duck), "x_duckdb")
		}
	})
}
