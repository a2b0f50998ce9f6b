package sample

import "time"

// Defaults for the zero fields of Options.
const (
	DefaultSeed = 42
	DefaultRows = 20000
	DefaultDays = 7
)

// DefaultStart is the first day used when Options.Start is zero:
// 2026-11-01, UTC midnight. It is a function so that no caller can change
// the default for everybody else.
func DefaultStart() time.Time {
	return time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC)
}

// Options selects a dataset. The zero value is valid and means the
// defaults; every field is read as a value, never retained.
type Options struct {
	Seed  uint64    // 0 means DefaultSeed
	Rows  int       // number of clickstream events; <= 0 means DefaultRows
	Start time.Time // first day, truncated to its UTC midnight; zero means DefaultStart()
	Days  int       // days the events spread over; <= 0 means DefaultDays
}

// plan is Options with the defaults filled in and the time window in
// milliseconds since the Unix epoch.
type plan struct {
	seed    uint64
	rows    int
	days    int
	startMs int64 // UTC midnight of the first day
	spanMs  int64 // days * 24h; every event's offset is in [0, spanMs)
	promo   int   // day index of the Summit Sale
}

const (
	msPerHour = int64(time.Hour / time.Millisecond)
	msPerDay  = 24 * msPerHour
)

func (o Options) plan() plan {
	p := plan{seed: o.Seed, rows: o.Rows, days: o.Days}
	if p.seed == 0 {
		p.seed = DefaultSeed
	}
	if p.rows <= 0 {
		p.rows = DefaultRows
	}
	if p.days <= 0 {
		p.days = DefaultDays
	}
	start := o.Start
	if start.IsZero() {
		start = DefaultStart()
	}
	y, m, d := start.UTC().Date()
	p.startMs = time.Date(y, m, d, 0, 0, 0, 0, time.UTC).UnixMilli()
	p.spanMs = int64(p.days) * msPerDay
	p.promo = p.days / 2
	return p
}

// at converts an offset inside the window to a UTC time.
func (p *plan) at(offMs int64) time.Time {
	return time.UnixMilli(p.startMs + offMs).UTC()
}
