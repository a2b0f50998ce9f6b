package sql

import (
	"context"
	gosql "database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	"github.com/aws/aws-sdk-go-v2/service/athena/types"

	"github.com/tarnhq/tarn/internal/engine"
)

// The TPC-H Q1 benchmark: the same aggregation over the same Parquet file
// through the Athena API (StartQueryExecution, polling, GetQueryResults)
// and on raw in-process DuckDB (the engine's own limit). benchratio pairs
// AthenaTPCHQ1 with DuckDBTPCHQ1 by case.

const (
	benchCase = "lineitem600k"
	benchRows = 600_000 // TPC-H SF 0.1
)

const q1 = `SELECT l_returnflag, l_linestatus, sum(l_quantity) AS sum_qty, sum(l_extendedprice) AS sum_base_price,
  sum(l_extendedprice * (1 - l_discount)) AS sum_disc_price, sum(l_extendedprice * (1 - l_discount) * (1 + l_tax)) AS sum_charge,
  avg(l_quantity) AS avg_qty, avg(l_extendedprice) AS avg_price, avg(l_discount) AS avg_disc, count(*) AS count_order
FROM %s
WHERE l_shipdate <= DATE '1998-12-01' - INTERVAL '90' DAY
GROUP BY l_returnflag, l_linestatus
ORDER BY l_returnflag, l_linestatus`

// lineitem writes a lineitem-like Parquet file (TPC-H's value ranges) with
// a plain DuckDB outside any sandbox.
func lineitem(b *testing.B, dir string) string {
	b.Helper()
	path := filepath.Join(dir, "lineitem.parquet")
	db, err := gosql.Open("duckdb", "")
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	_, err = db.Exec(`COPY (SELECT
		(range // 4 + 1)::BIGINT AS l_orderkey,
		(1 + hash(range, 1) % 50)::DECIMAL(15,2) AS l_quantity,
		(900 + (hash(range, 2) % 10450000) / 100.0)::DECIMAL(15,2) AS l_extendedprice,
		((hash(range, 3) % 11) / 100.0)::DECIMAL(15,2) AS l_discount,
		((hash(range, 4) % 9) / 100.0)::DECIMAL(15,2) AS l_tax,
		['R', 'A', 'N'][(1 + hash(range, 5) % 3)::BIGINT] AS l_returnflag,
		['O', 'F'][(1 + hash(range, 6) % 2)::BIGINT] AS l_linestatus,
		DATE '1992-01-02' + (hash(range, 7) % 2526)::INTEGER AS l_shipdate
		FROM range(` + itoa(benchRows) + `)) TO '` + path + `' (FORMAT parquet)`)
	if err != nil {
		b.Fatal(err)
	}
	return path
}

func BenchmarkAthenaTPCHQ1(b *testing.B) {
	b.Run(benchCase, func(b *testing.B) {
		h := newHarness(b, Options{Threads: 2})
		src := lineitem(b, b.TempDir())
		f, err := os.Open(src)
		if err != nil {
			b.Fatal(err)
		}
		st, _ := f.Stat()
		if err := h.lake.Put(context.Background(), "lake", "tpch/lineitem/part-0.parquet", f, st.Size(), ""); err != nil {
			b.Fatal(err)
		}
		f.Close()
		h.run(b, "default", `CREATE EXTERNAL TABLE lineitem (l_orderkey bigint, l_quantity decimal(15,2), l_extendedprice decimal(15,2),
			l_discount decimal(15,2), l_tax decimal(15,2), l_returnflag string, l_linestatus string, l_shipdate date)
			STORED AS PARQUET LOCATION 's3://lake/tpch/lineitem/'`)
		q := strings.Replace(q1, "%s", "lineitem", 1)
		ctx := context.Background()
		b.ResetTimer()
		start := time.Now()
		for range b.N {
			out, err := h.client.StartQueryExecution(ctx, &athena.StartQueryExecutionInput{QueryString: aws.String(q),
				QueryExecutionContext: &types.QueryExecutionContext{Database: aws.String("default")}})
			if err != nil {
				b.Fatal(err)
			}
			for {
				g, err := h.client.GetQueryExecution(ctx, &athena.GetQueryExecutionInput{QueryExecutionId: out.QueryExecutionId})
				if err != nil {
					b.Fatal(err)
				}
				s := g.QueryExecution.Status.State
				if s == types.QueryExecutionStateSucceeded {
					break
				}
				if s == types.QueryExecutionStateFailed {
					b.Fatal(aws.ToString(g.QueryExecution.Status.StateChangeReason))
				}
				time.Sleep(time.Millisecond) // client polling, as SDK users do
			}
			res, err := h.client.GetQueryResults(ctx, &athena.GetQueryResultsInput{QueryExecutionId: out.QueryExecutionId})
			if err != nil || len(res.ResultSet.Rows) != 7 {
				b.Fatalf("results %v, %v", res, err)
			}
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/query")
	})
}

func BenchmarkDuckDBTPCHQ1(b *testing.B) {
	b.Run(benchCase, func(b *testing.B) {
		dir := b.TempDir()
		src := lineitem(b, dir)
		e, err := engine.Open(context.Background(), engine.Options{ReadDirs: []string{dir}, ScratchDir: b.TempDir(), Threads: 2})
		if err != nil {
			b.Fatal(err)
		}
		defer e.Close()
		q := strings.Replace(q1, "%s", "read_parquet("+engine.Quote(src)+")", 1)
		b.ResetTimer()
		start := time.Now()
		for range b.N {
			rows, err := e.Query(context.Background(), q)
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for rows.Next() {
				n++
			}
			rows.Close()
			if n != 6 {
				b.Fatalf("%d rows", n)
			}
		}
		b.ReportMetric(float64(time.Since(start).Milliseconds())/float64(b.N), "ms/query")
	})
}
