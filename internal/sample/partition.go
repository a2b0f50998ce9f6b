package sample

import (
	"slices"
	"time"
)

// Partition is one day of events laid out for the lake, as the Hive-style
// partition day=<Day>. Parts are the day's files, in order; each holds at
// least one event.
type Partition struct {
	Day   string // UTC date, "2006-01-02"
	Parts [][]Event
}

// PartitionByDay groups events by the UTC day of their TS, days ascending,
// keeping the input order within a day, and cuts each day into files of
// maxPerFile events (the last file of a day holds the rest). maxPerFile <=
// 0 means no limit: one file per day. No events give no partitions.
//
// When events are already in day order, as Generate returns them, the
// parts are sub-slices of events and nothing is copied; otherwise they
// are sub-slices of one new copy. Either way every part's capacity equals
// its length, so appending to a part never overwrites a neighbour, and
// the caller should treat events as read-only while it uses the result.
func PartitionByDay(events []Event, maxPerFile int) []Partition {
	if len(events) == 0 {
		return nil
	}
	days := make([]int64, len(events))
	sorted := true
	for i := range events {
		days[i] = dayNumber(events[i].TS)
		if i > 0 && days[i] < days[i-1] {
			sorted = false
		}
	}
	if !sorted {
		events, days = groupByDay(events, days)
	}

	var out []Partition
	for lo := 0; lo < len(events); {
		hi := lo + 1
		for hi < len(events) && days[hi] == days[lo] {
			hi++
		}
		p := Partition{Day: time.Unix(days[lo]*86400, 0).UTC().Format(time.DateOnly)}
		step := hi - lo
		if maxPerFile > 0 {
			step = maxPerFile
		}
		for a := lo; a < hi; a += step {
			b := min(a+step, hi)
			p.Parts = append(p.Parts, events[a:b:b])
		}
		out = append(out, p)
		lo = hi
	}
	return out
}

// dayNumber is the number of UTC days between the Unix epoch and t,
// rounded down (so days before 1970 are negative).
func dayNumber(t time.Time) int64 {
	s := t.Unix()
	d := s / 86400
	if s%86400 < 0 {
		d--
	}
	return d
}

// groupByDay returns a copy of events stably sorted by day (a counting
// sort over the distinct days), and the matching day numbers.
func groupByDay(events []Event, days []int64) ([]Event, []int64) {
	counts := map[int64]int{}
	for _, d := range days {
		counts[d]++
	}
	keys := make([]int64, 0, len(counts))
	for d := range counts {
		keys = append(keys, d)
	}
	slices.Sort(keys)
	next := make(map[int64]int, len(keys))
	at := 0
	for _, d := range keys {
		next[d] = at
		at += counts[d]
	}
	outEvents := make([]Event, len(events))
	outDays := make([]int64, len(days))
	for i, d := range days {
		j := next[d]
		next[d] = j + 1
		outEvents[j], outDays[j] = events[i], d
	}
	return outEvents, outDays
}
