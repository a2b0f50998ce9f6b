package cron

import (
	"testing"
	"time"
)

// FuzzParse: any expression parses or fails cleanly; a next time is a
// whole UTC minute strictly after its start that the schedule selects,
// and when it is near, no minute before it is selected.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"cron(0/5 * * * ? *)", "cron(0 9 ? * 2#1 *)", "cron(0 0 L * ? 2026-2030)", "cron(1-5/2 */3 ? JAN-MAR 6L *)",
		"cron(0 12 * * ? *)", "cron(0/5 8-17 ? * MON-FRI *)", "cron(0 0 L * ? 2027)", "cron(1 2 ? * 3#2 *)",
		"cron(0 0 15W * ? *)", "cron(0 0 LW * ? *)", "cron(0 0 ? * L *)", "cron(0 0 1 1 ? 2020)",
	} {
		f.Add(s)
	}
	from := time.Date(2026, 3, 1, 11, 59, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, expr string) {
		s, err := Parse(expr)
		if err != nil {
			return
		}
		n := s.Next(from)
		if n.IsZero() {
			return
		}
		if !n.After(from) || n.Location() != time.UTC || !n.Equal(n.Truncate(time.Minute)) {
			t.Fatalf("%s: next %s after %s", expr, n, from)
		}
		if !s.selects(n) {
			t.Fatalf("%s: next %s is not selected", expr, n)
		}
		if n.Sub(from) <= 48*time.Hour {
			for m := from.Add(time.Minute); m.Before(n); m = m.Add(time.Minute) {
				if s.selects(m) {
					t.Fatalf("%s: next %s skips %s", expr, n, m)
				}
			}
		}
	})
}

// selects reports whether minute m (UTC) is a firing time.
func (s *Schedule) selects(m time.Time) bool {
	y := m.Year()
	if !s.anyYear && (y < minYear || y > maxYear || !s.years[y-minYear]) {
		return false
	}
	day := time.Date(y, m.Month(), m.Day(), 0, 0, 0, 0, time.UTC)
	return s.min[m.Minute()] && s.hour[m.Hour()] && s.dayMatches(day)
}
