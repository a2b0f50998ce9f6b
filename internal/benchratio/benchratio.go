// Package benchratio pairs `go test -bench` results of tarn with the
// baselines measured in the same run and renders the ratios.
package benchratio

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"text/tabwriter"
)

// Result is one benchmark line.
type Result struct {
	Name    string  // e.g. "S3Put"
	Case    string  // e.g. "4KiB"; "" when the benchmark has no sub-case
	NsPerOp float64 // ns/op
	MBps    float64 // MB/s, 0 when the benchmark set no bytes
}

var line = regexp.MustCompile(`^Benchmark([^/\s]+?)(?:/(\S+?))?(?:-\d+)?\s+\d+\s+([\d.]+) ns/op(?:\s+([\d.]+) MB/s)?`)

// Parse reads benchmark output and returns its results in order.
func Parse(r io.Reader) ([]Result, error) {
	var out []Result
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		m := line.FindStringSubmatch(strings.TrimSpace(sc.Text()))
		if m == nil {
			continue
		}
		ns, _ := strconv.ParseFloat(m[3], 64)
		mb, _ := strconv.ParseFloat(m[4], 64)
		out = append(out, Result{Name: m[1], Case: m[2], NsPerOp: ns, MBps: mb})
	}
	return out, sc.Err()
}

// Pair names a tarn benchmark and the baseline it is compared with.
type Pair struct{ Tarn, Baseline string }

// Write prints, for each pair and each case both benchmarks ran, the two
// throughputs (or times) and tarn's speed as a fraction of the baseline's.
func Write(w io.Writer, results []Result, pairs []Pair) error {
	idx := map[string]Result{}
	for _, r := range results {
		idx[r.Name+"/"+r.Case] = r
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "benchmark\tcase\ttarn\tbaseline\ttarn/baseline")
	for _, p := range pairs {
		var cases []string
		for _, r := range results {
			if r.Name == p.Tarn {
				if _, ok := idx[p.Baseline+"/"+r.Case]; ok {
					cases = append(cases, r.Case)
				}
			}
		}
		sort.Strings(cases)
		for _, c := range cases {
			t, b := idx[p.Tarn+"/"+c], idx[p.Baseline+"/"+c]
			fmt.Fprintf(tw, "%s vs %s\t%s\t%s\t%s\t%.2f\n", p.Tarn, p.Baseline, c, speed(t), speed(b), b.NsPerOp/t.NsPerOp)
		}
	}
	return tw.Flush()
}

func speed(r Result) string {
	if r.MBps > 0 {
		return fmt.Sprintf("%.1f MB/s", r.MBps)
	}
	return fmt.Sprintf("%.0f ns/op", r.NsPerOp)
}
