package pgwire

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

// Benchmarks: the cost of the protocol against the same rows produced
// in-process (the test session's own speed, the ceiling).
//
//	go test ./internal/pgwire -run XXX -bench . -benchtime 2s

func BenchmarkSimpleQueryRoundTrip(b *testing.B) {
	_, addr := startServer(b, newTestBackend(), nil)
	c := connect(b, addr, "")
	ctx := context.Background()
	for b.Loop() {
		if _, err := c.Exec(ctx, "select 1").ReadAll(); err != nil {
			b.Fatal(err)
		}
	}
}

const benchRows = 10000

func scanSeries(b *testing.B, rows pgx.Rows) {
	n := 0
	var id int64
	var label string
	for rows.Next() {
		if err := rows.Scan(&id, &label); err != nil {
			b.Fatal(err)
		}
		n++
	}
	if err := rows.Err(); err != nil || n != benchRows {
		b.Fatalf("%d rows, %v", n, err)
	}
}

func BenchmarkRows10kPgxBinary(b *testing.B) {
	benchPgx(b, pgx.QueryExecModeCacheStatement)
}

func BenchmarkRows10kPgxSimpleText(b *testing.B) {
	benchPgx(b, pgx.QueryExecModeSimpleProtocol)
}

func benchPgx(b *testing.B, mode pgx.QueryExecMode) {
	_, addr := startServer(b, newTestBackend(), nil)
	c, err := pgx.Connect(context.Background(), connString(addr, "alice", "s3cret", ""))
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close(context.Background())
	ctx := context.Background()
	for b.Loop() {
		rows, err := c.Query(ctx, "series 10000", mode)
		if err != nil {
			b.Fatal(err)
		}
		scanSeries(b, rows)
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}

// BenchmarkRows10kInProcess is the baseline: the same session producing
// the same rows, read directly.
func BenchmarkRows10kInProcess(b *testing.B) {
	be := newTestBackend()
	sess, _ := be.Open(context.Background(), StartupInfo{User: "alice", Database: "dev"})
	ctx := context.Background()
	row := make([]any, 2)
	for b.Loop() {
		st, err := sess.Prepare(ctx, "series 10000", nil)
		if err != nil {
			b.Fatal(err)
		}
		res, err := st.Execute(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for {
			ok, err := res.Next(ctx, row)
			if err != nil {
				b.Fatal(err)
			}
			if !ok {
				break
			}
			id, label := row[0].(int64), row[1].(string)
			_, _ = id, label
			n++
		}
		_ = res.Close()
		_ = st.Close()
		if n != benchRows {
			b.Fatal(n)
		}
	}
	b.ReportMetric(float64(benchRows*b.N)/b.Elapsed().Seconds(), "rows/s")
}
