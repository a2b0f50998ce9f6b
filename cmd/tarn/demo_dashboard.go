package main

import (
	"context"
	"fmt"
	"io"
	"regexp"
	"time"

	"github.com/tarnhq/tarn/internal/stack"
)

// dashboardSummary is the dashboard stage's report: each tile's query as
// the web UI runs it (filters at "all").
type dashboardSummary struct {
	name, title string
	tiles       []tileAnswer
}

type tileAnswer struct {
	id, chart string
	rows      int
	took      time.Duration
}

// filterRef is a {{filter}} reference in tile SQL.
var filterRef = regexp.MustCompile(`\{\{\s*[A-Za-z_][A-Za-z0-9_]*\s*\}\}`)

// checkDashboard runs every tile of the stack's dashboard through Athena
// as the UI would with its filters unset (each {{filter}} is NULL) and
// fails if a tile's query fails or answers nothing.
func checkDashboard(ctx context.Context, c *analyticsClient, d stack.Dashboard) (dashboardSummary, error) {
	s := dashboardSummary{name: d.Name, title: d.Title}
	for _, t := range d.Tiles {
		start := time.Now()
		a, err := c.run(ctx, filterRef.ReplaceAllString(t.SQL, "NULL"))
		if err != nil {
			return s, fmt.Errorf("dashboard %s, tile %s: %w", d.Name, t.ID, err)
		}
		if len(a.rows) < 2 {
			return s, fmt.Errorf("dashboard %s, tile %s: the query answered no rows", d.Name, t.ID)
		}
		s.tiles = append(s.tiles, tileAnswer{id: t.ID, chart: t.Chart, rows: len(a.rows) - 1, took: time.Since(start)})
	}
	return s, nil
}

// printDashboard prints the dashboard stage and where to see it.
func printDashboard(w io.Writer, s *dashboardSummary, url string) {
	fmt.Fprintf(w, "\nDashboard %q (%s): %d tiles, each query answered:\n", s.title, s.name, len(s.tiles))
	for _, t := range s.tiles {
		fmt.Fprintf(w, "  %-20s %-12s %4d rows  %s\n", t.id, t.chart, t.rows, t.took.Round(time.Millisecond))
	}
	if url != "" {
		fmt.Fprintf(w, "  open         %s\n", url)
	}
}
