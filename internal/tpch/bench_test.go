package tpch

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// benchSF is the scale factor of the benchmarks: TARN_BENCH_SF, default
// 0.01 (go test -bench . -run '^$' with TARN_BENCH_SF=1 for real numbers).
func benchSF(b *testing.B) float64 {
	if s := os.Getenv("TARN_BENCH_SF"); s != "" {
		sf, err := strconv.ParseFloat(s, 64)
		if err != nil || sf <= 0 {
			b.Fatalf("TARN_BENCH_SF=%q", s)
		}
		return sf
	}
	return testSF
}

// benchData generates the benchmark's data once per benchmark function.
func benchData(b *testing.B, f Format) (string, float64) {
	b.Helper()
	sf := benchSF(b)
	if sf == testSF {
		dir, _ := sharedData(b)
		return dir, sf
	}
	dir := b.TempDir()
	if _, err := Generate(b.Context(), dir, Options{SF: sf, Format: f}); err != nil {
		b.Fatal(err)
	}
	return dir, sf
}

func BenchmarkGenerate(b *testing.B) {
	sf := benchSF(b)
	for range b.N {
		dir := b.TempDir()
		m, err := Generate(b.Context(), dir, Options{SF: sf})
		if err != nil {
			b.Fatal(err)
		}
		var rows int64
		for _, n := range m.Rows {
			rows += n
		}
		b.ReportMetric(float64(rows), "rows/op")
	}
}

// benchQueries runs each query as a sub-benchmark and reports ms/query.
func benchQueries(b *testing.B, e Engine, sf float64) {
	qs, err := Queries(sf)
	if err != nil {
		b.Fatal(err)
	}
	for _, q := range qs {
		b.Run(q.Name, func(b *testing.B) {
			var total time.Duration
			for range b.N {
				start := time.Now()
				if _, err := e.Run(b.Context(), q); err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
			}
			b.ReportMetric(float64(total)/float64(time.Millisecond)/float64(b.N), "ms/query")
		})
	}
}

func BenchmarkTPCHDuckDB(b *testing.B) {
	dir, sf := benchData(b, Parquet)
	d, err := OpenDuckDB(b.Context(), dir, 0)
	if err != nil {
		b.Fatal(err)
	}
	defer d.Close()
	benchQueries(b, d, sf)
}

// BenchmarkTPCHPostgres needs TARN_BENCH_PG: "local" starts a throwaway
// cluster, anything else is a connection URL the data is loaded into.
func BenchmarkTPCHPostgres(b *testing.B) {
	url := os.Getenv("TARN_BENCH_PG")
	if url == "" {
		b.Skip("set TARN_BENCH_PG=local or a postgres:// URL")
	}
	dir, sf := benchData(b, Parquet|CSV)
	if url == "local" {
		pg, err := StartLocalPostgres(b.Context(), LocalOptions{})
		if err != nil {
			b.Fatal(err)
		}
		defer pg.Stop(context.Background())
		url = pg.ConnString
	}
	if err := LoadPostgres(b.Context(), url, dir); err != nil {
		b.Fatal(err)
	}
	conn, err := pgx.Connect(b.Context(), url)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(context.Background())
	benchQueries(b, NewPostgres(conn, ""), sf)
}
