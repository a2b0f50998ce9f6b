package tarntest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tarnhq/tarn/internal/engine"
)

// The Glue job benchmarks. One op is one SQL job run, StartJobRun until
// GetJobRun says SUCCEEDED: the script (jobs_bench_data_test.go) turns the
// bronze JSON clickstream into a silver table (dedup by event_id, typed
// columns, Parquet partitioned by dt). Each reports rows/s, the source
// rows the run read per second. Pairs for make bench:
//
//	GlueJobDays=GlueJobDaysDirect         a full run vs the same COPY on DuckDB
//	GlueJobIncremental=GlueJobFull        a bookmarked run of one new day vs a full run of them all
//
// Setup (data, tables, earlier runs) is outside the timer.

var (
	daysCase = fmt.Sprintf("%ddays", jobBenchDays)
	incCase  = fmt.Sprintf("%d+1days", jobBenchDays)
)

// opCPU adds up the process's CPU time (client and server: both run in
// this process) over the timed part of each op; unlike ns/op it is little
// skewed by other load on a shared machine.
type opCPU struct{ total, at time.Duration }

func (c *opCPU) start() { c.at = cpuTime() }
func (c *opCPU) stop()  { c.total += cpuTime() - c.at }

// report reports the source rows read per op as rows/s, and cpu-ms/op.
func (c *opCPU) report(b *testing.B, rowsPerOp int) {
	b.ReportMetric(float64(rowsPerOp)*float64(b.N)/b.Elapsed().Seconds(), "rows/s")
	b.ReportMetric(float64(c.total.Microseconds())/1e3/float64(b.N), "cpu-ms/op")
}

// BenchmarkGlueJobDays: a full run over jobBenchDays days into a fresh
// silver table per op, after one untimed warm-up run.
func BenchmarkGlueJobDays(b *testing.B) {
	b.Run(daysCase, func(b *testing.B) {
		days := clickstream(b)[:jobBenchDays]
		rows, unique := sumRows(days)
		jb := newJobBench(b)
		jb.source(b, "bronze", days)
		jb.createJob(b, "silver", false)
		jb.silver(b, "silver_warm")
		jb.run(b, "silver", "bronze", "silver_warm")
		var table string
		var cpu opCPU
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			table = fmt.Sprintf("silver_%d", i)
			jb.silver(b, table)
			b.StartTimer()
			cpu.start()
			jb.run(b, "silver", "bronze", table)
			cpu.stop()
		}
		b.StopTimer()
		jb.checkSilver(b, table, unique)
		cpu.report(b, rows)
	})
}

// BenchmarkGlueJobDaysDirect is the baseline: the statement tarn's job
// amounts to, run on the sandboxed engine over the same files on local
// disk. The source relation is written as tarn's resolver writes it (one
// read_json branch per dt= folder, dt a constant), the transform in
// DuckDB's dialect, and the COPY as tarn's INSERT issues it (Parquet,
// snappy, PARTITION_BY dt) into a fresh directory per op, after one
// untimed warm-up. What the job
// adds on top is the API, the script, the catalog, moving the files into
// the lake and registering the partitions.
func BenchmarkGlueJobDaysDirect(b *testing.B) {
	b.Run(daysCase, func(b *testing.B) {
		days := clickstream(b)[:jobBenchDays]
		rows, unique := sumRows(days)
		src := b.TempDir()
		var branches []string
		for _, d := range days {
			dir := filepath.Join(src, "dt="+d.day)
			if err := os.MkdirAll(dir, 0o755); err != nil {
				b.Fatal(err)
			}
			path := filepath.Join(dir, "part-0.json")
			if err := os.WriteFile(path, d.body, 0o644); err != nil {
				b.Fatal(err)
			}
			branches = append(branches, directScan(path, d.day))
		}
		ctx := context.Background()
		e, err := engine.Open(ctx, engine.Options{ReadDirs: []string{src}, ScratchDir: b.TempDir(), MemoryLimit: "4GB", IntegerDivision: true})
		if err != nil {
			b.Fatal(err)
		}
		defer e.Close()
		sel := directSelect(strings.Join(branches, "\nUNION ALL\n"))
		copyTo := func(out string) {
			st, err := e.Exec(ctx, "COPY ("+sel+") TO "+engine.Quote(out)+
				" (FORMAT parquet, COMPRESSION 'snappy', PARTITION_BY (\"dt\"), FILENAME_PATTERN 'q_{i}', OVERWRITE_OR_IGNORE true)")
			if err != nil {
				b.Fatal(err)
			}
			if st.Rows != int64(unique) {
				b.Fatalf("COPY wrote %d rows, want %d", st.Rows, unique)
			}
		}
		copyTo(filepath.Join(e.ScratchDir(), "warm-up"))
		var out string
		var cpu opCPU
		for i := 0; b.Loop(); i++ {
			out = filepath.Join(e.ScratchDir(), fmt.Sprintf("silver-%d", i))
			cpu.start()
			copyTo(out)
			cpu.stop()
		}
		b.StopTimer()
		r, err := e.Query(ctx, "SELECT count(DISTINCT event_id), count(DISTINCT dt) FROM read_parquet("+
			engine.Quote(filepath.Join(out, "*", "*.parquet"))+", hive_partitioning = true)")
		if err != nil {
			b.Fatal(err)
		}
		var n, parts int
		for r.Next() {
			if err := r.Scan(&n, &parts); err != nil {
				b.Fatal(err)
			}
		}
		r.Close()
		if n != unique || parts != len(days) {
			b.Fatalf("direct output holds %d events in %d days, want %d in %d", n, parts, unique, len(days))
		}
		cpu.report(b, rows)
	})
}

// directScan is one day's branch as tarn's resolver writes a JSON table's.
func directScan(path, day string) string {
	var spec, proj []string
	for _, c := range strings.Split(rawColumns, ",") {
		f := strings.Fields(c)
		typ := map[string]string{"string": "VARCHAR", "double": "DOUBLE", "int": "INTEGER"}[f[1]]
		spec = append(spec, engine.Quote(f[0])+": "+engine.Quote(typ))
		proj = append(proj, engine.QuoteIdent(f[0]))
	}
	return "SELECT " + strings.Join(proj, ", ") + ", TRY_CAST(" + engine.Quote(day) + " AS VARCHAR) AS \"dt\" FROM read_json([" +
		engine.Quote(path) + "], format = 'newline_delimited', columns = {" + strings.Join(spec, ", ") + "}, ignore_errors = true)"
}

// directSelect is silverSelect in DuckDB's dialect over relation.
func directSelect(relation string) string {
	s := strings.Replace(silverSelect, "CAST(from_iso8601_timestamp(ts) AS timestamp)", "CAST(CAST(ts AS TIMESTAMPTZ) AS TIMESTAMP)", 1)
	return strings.Replace(s, "${source}", "("+relation+")", 1)
}

// BenchmarkGlueJobIncremental: per op, a bookmarked job has run over
// jobBenchDays days (untimed); one new day lands and its run is timed.
// Every op has its own source table, silver table and job, so each starts
// from the same state.
func BenchmarkGlueJobIncremental(b *testing.B) {
	b.Run(incCase, func(b *testing.B) {
		all := clickstream(b)
		days, next := all[:jobBenchDays], all[jobBenchDays]
		_, unique := sumRows(all)
		jb := newJobBench(b)
		var cpu opCPU
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			job, source, table := fmt.Sprintf("inc-%d", i), fmt.Sprintf("bronze_%d", i), fmt.Sprintf("silver_%d", i)
			jb.source(b, source, days)
			jb.silver(b, table)
			jb.createJob(b, job, true)
			jb.run(b, job, source, table)
			jb.addDay(b, source, next)
			b.StartTimer()
			cpu.start()
			jb.run(b, job, source, table)
			cpu.stop()
			b.StopTimer()
			jb.checkSilver(b, table, unique)
			b.StartTimer()
		}
		cpu.report(b, next.rows)
	})
}

// BenchmarkGlueJobFull: a run of the same bookmarked job with no bookmark
// yet, over all jobBenchDays+1 days; a fresh job and silver table per op,
// after one untimed warm-up run (the incremental ops run on an engine
// warmed by their own full runs).
func BenchmarkGlueJobFull(b *testing.B) {
	b.Run(incCase, func(b *testing.B) {
		all := clickstream(b)
		rows, unique := sumRows(all)
		jb := newJobBench(b)
		jb.source(b, "bronze", all)
		jb.silver(b, "silver_warm")
		jb.createJob(b, "full-warm", true)
		jb.run(b, "full-warm", "bronze", "silver_warm")
		var table string
		var cpu opCPU
		for i := 0; b.Loop(); i++ {
			b.StopTimer()
			job := fmt.Sprintf("full-%d", i)
			table = fmt.Sprintf("silver_%d", i)
			jb.silver(b, table)
			jb.createJob(b, job, true)
			b.StartTimer()
			cpu.start()
			jb.run(b, job, "bronze", table)
			cpu.stop()
		}
		b.StopTimer()
		jb.checkSilver(b, table, unique)
		cpu.report(b, rows)
	})
}
