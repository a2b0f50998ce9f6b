package main

import (
	"fmt"
	"io"
	"time"

	"github.com/tarnhq/tarn/internal/sample"
)

// printReport prints what the demo built: the lake's inventory, the
// shop's headline numbers, and how long each stage took.
func printReport(w io.Writer, inv []datasetSummary, events []sample.Event, orders []sample.Order, timings []stageTiming) {
	fmt.Fprintf(w, "\nThe lake: s3://%s\n", demoBucket)
	fmt.Fprintf(w, "  %-12s %10s %6s %8s %10s\n", "dataset", "partitions", "files", "rows", "size")
	for _, ds := range inv {
		fmt.Fprintf(w, "  %-12s %10d %6d %8d %10s\n", ds.name, len(ds.partitions), ds.files, ds.rows, humanBytes(ds.bytes))
	}

	sessions := map[string]bool{}
	var purchases int
	for _, e := range events {
		sessions[e.SessionID] = true
		if e.Type == "purchase" {
			purchases++
		}
	}
	var revenue float64
	for _, o := range orders {
		revenue += o.Total
	}
	conv := 0.0
	if len(sessions) > 0 {
		conv = 100 * float64(purchases) / float64(len(sessions))
	}
	fmt.Fprintf(w, "\nThe shop at a glance (from the raw sample):\n")
	fmt.Fprintf(w, "  %d sessions, %d orders, revenue EUR %.2f, conversion %.1f%%\n", len(sessions), len(orders), revenue, conv)

	fmt.Fprintf(w, "\nStages:\n")
	var total time.Duration
	for _, t := range timings {
		fmt.Fprintf(w, "  %-10s %8s\n", t.name, t.took.Round(time.Millisecond))
		total += t.took
	}
	fmt.Fprintf(w, "  %-10s %8s\n", "total", total.Round(time.Millisecond))
	fmt.Fprintf(w, "\nNext: 'tarn serve' keeps a lake running; 'eval \"$(tarn env)\"; aws s3 ls' explores it.\n")
}
