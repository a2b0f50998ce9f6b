package sample

import (
	"slices"
	"testing"
	"time"
)

func TestPartitionByDay(t *testing.T) {
	sorted, _ := Generate(Options{Rows: 3000, Days: 4})
	reversed := slices.Clone(sorted)
	slices.Reverse(reversed)
	preEpoch, _ := Generate(Options{Rows: 500, Days: 2, Start: time.Date(1969, 12, 31, 0, 0, 0, 0, time.UTC)})
	tests := []struct {
		name   string
		events []Event
		max    int
		days   []string
	}{
		{"one per file", sorted[:40], 1, nil},
		{"small files", sorted, 7, []string{"2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"}},
		{"large files", sorted, 1000, []string{"2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"}},
		{"no limit", sorted, 0, []string{"2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"}},
		{"unsorted input", reversed, 100, []string{"2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04"}},
		{"before the epoch", preEpoch, 64, []string{"1969-12-31", "1970-01-01"}},
		{"empty", nil, 10, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			parts := PartitionByDay(tt.events, tt.max)
			var days []string
			var flat []Event
			for _, p := range parts {
				days = append(days, p.Day)
				if len(p.Parts) == 0 {
					t.Errorf("day %s has no files", p.Day)
				}
				for _, f := range p.Parts {
					if len(f) == 0 || tt.max > 0 && len(f) > tt.max || cap(f) != len(f) {
						t.Errorf("day %s: file of %d events (cap %d), max %d", p.Day, len(f), cap(f), tt.max)
					}
					for _, e := range f {
						if got := e.TS.UTC().Format(time.DateOnly); got != p.Day {
							t.Errorf("%s on %s filed under %s", e.EventID, got, p.Day)
						}
					}
					flat = append(flat, f...)
				}
				if tt.max <= 0 && len(p.Parts) != 1 {
					t.Errorf("day %s: %d files without a limit", p.Day, len(p.Parts))
				}
			}
			if tt.days != nil && !slices.Equal(days, tt.days) {
				t.Errorf("days %v, want %v", days, tt.days)
			}
			if !slices.IsSorted(days) {
				t.Errorf("days not ascending: %v", days)
			}
			// Every event exactly once, in input order within its day.
			want := slices.Clone(tt.events)
			slices.SortStableFunc(want, byDay)
			if !slices.Equal(flat, want) {
				t.Errorf("partitions hold %d events, not the %d input events grouped by day in order", len(flat), len(want))
			}
		})
	}
}

func byDay(a, b Event) int {
	da, db := a.TS.UTC().Format(time.DateOnly), b.TS.UTC().Format(time.DateOnly)
	switch {
	case da < db:
		return -1
	case da > db:
		return 1
	}
	return 0
}

func TestPartitionByDayAliasesSortedInput(t *testing.T) {
	events, _ := Generate(Options{Rows: 100, Days: 1})
	parts := PartitionByDay(events, 30)
	if len(parts) != 1 || len(parts[0].Parts) != 4 {
		t.Fatalf("got %d days, want 1 day of 4 files", len(parts))
	}
	if &parts[0].Parts[1][0] != &events[30] {
		t.Error("sorted input was copied, want sub-slices")
	}
	parts[0].Parts[0] = append(parts[0].Parts[0], Event{EventID: "extra"})
	if events[30].EventID == "extra" {
		t.Error("appending to a file overwrote the next one")
	}
}
