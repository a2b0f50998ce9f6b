package tpch

import (
	"errors"
	"strings"
	"testing"
	"time"
)

// named gives an engine another name, so one DuckDB can stand in twice.
type named struct {
	Engine
	name string
}

func (n named) Name() string { return n.name }

func TestBenchTwoEngines(t *testing.T) {
	dir, _ := sharedData(t)
	d, err := OpenDuckDB(t.Context(), dir, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	qs, _ := Queries(testSF, 1, 6)
	var seen []string
	rep, err := Bench(t.Context(), []Engine{d, named{d, "again"}}, qs, BenchOptions{Runs: 2,
		Progress: func(r Result) { seen = append(seen, r.Query+"/"+r.Engine) }})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(seen, " ") != "q01/duckdb q01/again q06/duckdb q06/again" {
		t.Errorf("progress order %v", seen)
	}
	for _, row := range rep.Results {
		for _, r := range row {
			if r.Err != nil || len(r.Runs) != 2 || r.Median <= 0 || r.Rows == 0 {
				t.Errorf("result %+v", r)
			}
		}
	}
	var b strings.Builder
	if err := rep.Write(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{"query", "duckdb ms", "again ms", "again/duckdb", "rows", "q01", "q06", "geomean"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

func TestReportWriteMismatchAndError(t *testing.T) {
	rep := &Report{Engines: []string{"a", "b"}, Queries: []string{"q01", "q02"}, Results: [][]Result{
		{{Engine: "a", Rows: 4, Median: 10 * time.Millisecond}, {Engine: "b", Rows: 3, Median: 20 * time.Millisecond}},
		{{Engine: "a", Rows: 1, Median: time.Millisecond}, {Engine: "b", Err: errors.New("boom")}},
	}}
	var b strings.Builder
	rep.Write(&b)
	out := b.String()
	for _, want := range []string{"a=4 b=3", "2.00", "error", "q02 on b: boom"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}
