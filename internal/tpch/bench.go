package tpch

import (
	"context"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// BenchOptions configure Bench. The zero value runs each query once
// untimed (to warm caches) and three times timed, reporting the median.
type BenchOptions struct {
	Runs     int           // timed runs per query and engine; 0 means 3
	NoWarmup bool          // skip the untimed first run
	Timeout  time.Duration // per run; 0 means 10 minutes
	// Best reports each query's fastest run instead of the median: on a
	// shared machine it is the run least disturbed by other load.
	Best bool
	// Progress, if set, is called after each query on each engine.
	Progress func(r Result)
}

// Result is one query on one engine.
type Result struct {
	Query  string
	Engine string
	Rows   int
	Median time.Duration // of the timed runs
	Best   time.Duration // the fastest timed run
	Runs   []time.Duration
	Err    error
}

// Report is the outcome of Bench: Results[i][j] is query i on engine j.
type Report struct {
	Engines []string
	Queries []string
	Results [][]Result
	Best    bool // Write shows Result.Best, not Result.Median
}

// time is the statistic Write shows for r.
func (rep *Report) time(r Result) time.Duration {
	if rep.Best {
		return r.Best
	}
	return r.Median
}

// Bench runs every query on every engine, engine by engine for each
// query, so all engines see the same machine state. An error on one
// query is recorded in its Result and the run goes on; Bench returns an
// error only when ctx ends.
func Bench(ctx context.Context, engines []Engine, qs []Query, o BenchOptions) (*Report, error) {
	if o.Runs <= 0 {
		o.Runs = 3
	}
	if o.Timeout <= 0 {
		o.Timeout = 10 * time.Minute
	}
	rep := &Report{Best: o.Best}
	for _, e := range engines {
		rep.Engines = append(rep.Engines, e.Name())
	}
	for _, q := range qs {
		rep.Queries = append(rep.Queries, q.Name)
		row := make([]Result, len(engines))
		for j, e := range engines {
			if err := ctx.Err(); err != nil {
				return rep, err
			}
			row[j] = benchOne(ctx, e, q, o)
			if o.Progress != nil {
				o.Progress(row[j])
			}
		}
		rep.Results = append(rep.Results, row)
	}
	return rep, ctx.Err()
}

func benchOne(ctx context.Context, e Engine, q Query, o BenchOptions) Result {
	r := Result{Query: q.Name, Engine: e.Name()}
	run := func() (time.Duration, error) {
		ctx, cancel := context.WithTimeout(ctx, o.Timeout)
		defer cancel()
		start := time.Now()
		n, err := e.Run(ctx, q)
		r.Rows = n
		return time.Since(start), err
	}
	if !o.NoWarmup {
		if _, err := run(); err != nil {
			r.Err = err
			return r
		}
	}
	for range o.Runs {
		d, err := run()
		if err != nil {
			r.Err = err
			return r
		}
		r.Runs = append(r.Runs, d)
	}
	s := slices.Clone(r.Runs)
	slices.Sort(s)
	r.Median, r.Best = s[len(s)/2], s[0]
	return r
}

// Write prints the report as a table: per query each engine's median (or
// best) time in ms, each other engine's time as a multiple of the first engine's (the
// baseline), and the row count (with every engine's count when they
// disagree). A last line gives the geometric mean of each ratio over the
// queries both engines of the ratio answered.
func (rep *Report) Write(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{"query"}
	for _, e := range rep.Engines {
		head = append(head, e+" ms")
	}
	for _, e := range rep.Engines[1:] {
		head = append(head, e+"/"+rep.Engines[0])
	}
	head = append(head, "rows")
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	logSum := make([]float64, len(rep.Engines))
	count := make([]int, len(rep.Engines))
	for i, row := range rep.Results {
		cells := []string{rep.Queries[i]}
		for _, r := range row {
			if r.Err != nil {
				cells = append(cells, "error")
			} else {
				cells = append(cells, fmtMS(rep.time(r)))
			}
		}
		for j := 1; j < len(row); j++ {
			if row[0].Err != nil || row[j].Err != nil || rep.time(row[0]) <= 0 {
				cells = append(cells, "-")
				continue
			}
			ratio := float64(rep.time(row[j])) / float64(rep.time(row[0]))
			cells = append(cells, fmt.Sprintf("%.2f", ratio))
			logSum[j] += math.Log(ratio)
			count[j]++
		}
		cells = append(cells, rowsCell(row))
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	if len(rep.Engines) > 1 {
		cells := []string{"geomean"}
		for range rep.Engines {
			cells = append(cells, "")
		}
		for j := 1; j < len(rep.Engines); j++ {
			if count[j] == 0 {
				cells = append(cells, "-")
				continue
			}
			cells = append(cells, fmt.Sprintf("%.2f", math.Exp(logSum[j]/float64(count[j]))))
		}
		cells = append(cells, "")
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	for i, row := range rep.Results {
		for _, r := range row {
			if r.Err != nil {
				fmt.Fprintf(w, "%s on %s: %v\n", rep.Queries[i], r.Engine, r.Err)
			}
		}
	}
	return nil
}

func fmtMS(d time.Duration) string {
	ms := float64(d) / float64(time.Millisecond)
	if ms < 10 {
		return fmt.Sprintf("%.2f", ms)
	}
	return fmt.Sprintf("%.1f", ms)
}

// rowsCell is the row count, or every engine's count when they differ.
func rowsCell(row []Result) string {
	var counts []string
	same := true
	first := -1
	for _, r := range row {
		if r.Err != nil {
			continue
		}
		if first < 0 {
			first = r.Rows
		} else if r.Rows != first {
			same = false
		}
		counts = append(counts, fmt.Sprintf("%s=%d", r.Engine, r.Rows))
	}
	if first < 0 {
		return "-"
	}
	if same {
		return fmt.Sprint(first)
	}
	return strings.Join(counts, " ")
}
