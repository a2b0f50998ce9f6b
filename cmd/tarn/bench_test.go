package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func runBenchCLI(t *testing.T, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	env := &cmdEnv{getenv: func(string) string { return "" }, stdout: &out, stderr: &errOut}
	err := benchCommand().run(t.Context(), env, args)
	return out.String(), errOut.String(), err
}

func TestBenchTPCHDuckDBOnly(t *testing.T) {
	dir := t.TempDir()
	args := []string{"tpch", "--sf", "0.01", "--queries", "1,6,14", "--no-pg", "--athena=false", "--runs", "1", "--out", dir}
	out, errOut, err := runBenchCLI(t, args...)
	if err != nil {
		t.Fatalf("%v\n%s%s", err, out, errOut)
	}
	for _, want := range []string{"data: generated SF 0.01", "duckdb ms", "q01", "q06", "q14"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	// A second run reuses the kept data.
	out, errOut, err = runBenchCLI(t, args...)
	if err != nil || !strings.Contains(out, "data: reusing SF 0.01") {
		t.Errorf("second run: %v\n%s%s", err, out, errOut)
	}
}

// TestBenchTPCHThroughAthena runs all 22 queries at SF 0.01 through
// tarn's Athena API (tarn in-process, data uploaded through S3, tables
// made with Athena DDL) and checks each returns the rows DuckDB returns.
func TestBenchTPCHThroughTarn(t *testing.T) {
	out, errOut, err := runBenchCLI(t, "tpch", "--sf", "0.01", "--no-pg", "--runs", "1")
	if err != nil {
		t.Fatalf("%v\n%s%s", err, out, errOut)
	}
	for _, want := range []string{"athena: tarn started", "athena ms", "athena/duckdb", "warehouse: tables loaded",
		"tarn-pg ms", "tarn-pg/duckdb", "q22", "geomean"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "athena=") || strings.Contains(out, "tarn-pg=") || strings.Contains(out, "error") {
		t.Errorf("an Athena or warehouse query failed or returned other rows than DuckDB:\n%s%s", out, errOut)
	}
}

func TestBenchUsage(t *testing.T) {
	for _, args := range [][]string{nil, {"tpcds"}, {"tpch", "--sf", "0"}, {"tpch", "--queries", "23", "--no-pg", "--athena=false"}} {
		if _, _, err := runBenchCLI(t, args...); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
	if _, errOut, err := runBenchCLI(t, "tpch", "-h"); err != nil || !strings.Contains(errOut, "Usage: tarn bench tpch") {
		t.Errorf("-h: %v\n%s", err, errOut)
	}
}

// TestBenchTPCHManual runs the whole benchmark, PostgreSQL included, at
// TARN_BENCH_CLI_SF, with the extra flags in TARN_BENCH_CLI_ARGS (for
// measuring: TARN_BENCH_CLI_SF=0.1 go test ./cmd/tarn -run
// BenchTPCHManual -v); skipped otherwise.
func TestBenchTPCHManual(t *testing.T) {
	sf := os.Getenv("TARN_BENCH_CLI_SF")
	if sf == "" {
		t.Skip("set TARN_BENCH_CLI_SF to run the full benchmark")
	}
	args := append([]string{"tpch", "--sf", sf}, strings.Fields(os.Getenv("TARN_BENCH_CLI_ARGS"))...)
	out, errOut, err := runBenchCLI(t, args...)
	t.Logf("\n%s%s", out, errOut)
	if err != nil {
		t.Fatal(err)
	}
}
