package catalog

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Glue schedules are cron(Minutes Hours Day-of-month Month Day-of-week
// Year) in UTC, as in EventBridge: fields take * , - / and names (JAN-DEC,
// SUN-SAT, Day-of-week 1 = SUN); Day-of-month takes L (last day), LW
// (last weekday) and nW (weekday nearest n); Day-of-week takes nL (last
// such day of the month) and n#k (k-th such day); exactly one of the day
// fields must be ?.

type cronSpec struct {
	min   [60]bool
	hour  [24]bool
	month [13]bool
	years map[int]bool // nil: any year
	// day of month: dom set, or a special rule
	domAny     bool
	dom        [32]bool
	domLast    bool // L
	domLastWkd bool // LW
	domNearWkd int  // nW, 0 if none
	// day of week (time.Weekday 0 = Sunday)
	dowAny  bool
	dow     [7]bool
	dowLast int // nL: weekday+1, 0 if none
	dowNth  [2]int
}

var monthNames = []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}
var dayNames = []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}

// parseSchedule parses "cron(...)".
func parseSchedule(expr string) (*cronSpec, error) {
	e := strings.TrimSpace(expr)
	if !strings.HasPrefix(e, "cron(") || !strings.HasSuffix(e, ")") {
		return nil, fmt.Errorf("schedule must be cron(...)")
	}
	f := strings.Fields(e[5 : len(e)-1])
	if len(f) != 6 {
		return nil, fmt.Errorf("cron needs 6 fields, got %d", len(f))
	}
	c := &cronSpec{}
	if err := setField(c.min[:], f[0], 0, 59, nil); err != nil {
		return nil, fmt.Errorf("minutes: %w", err)
	}
	if err := setField(c.hour[:], f[1], 0, 23, nil); err != nil {
		return nil, fmt.Errorf("hours: %w", err)
	}
	if err := setField(c.month[:], f[3], 1, 12, monthNames); err != nil {
		return nil, fmt.Errorf("month: %w", err)
	}
	if f[5] != "*" && f[5] != "?" {
		yrs := make([]bool, 2200)
		if err := setField(yrs, f[5], 1970, 2199, nil); err != nil {
			return nil, fmt.Errorf("year: %w", err)
		}
		c.years = map[int]bool{}
		for y, ok := range yrs {
			if ok {
				c.years[y] = true
			}
		}
	}
	dom, dow := f[2], f[4]
	if (dom == "?") == (dow == "?") {
		return nil, fmt.Errorf("exactly one of day-of-month and day-of-week must be ?")
	}
	if dom != "?" {
		c.dowAny = true
		switch {
		case dom == "L":
			c.domLast = true
		case dom == "LW":
			c.domLastWkd = true
		case strings.HasSuffix(dom, "W"):
			n, err := strconv.Atoi(strings.TrimSuffix(dom, "W"))
			if err != nil || n < 1 || n > 31 {
				return nil, fmt.Errorf("day-of-month: bad %q", dom)
			}
			c.domNearWkd = n
		default:
			if err := setField(c.dom[:], dom, 1, 31, nil); err != nil {
				return nil, fmt.Errorf("day-of-month: %w", err)
			}
		}
		return c, nil
	}
	c.domAny = true
	switch {
	case strings.HasSuffix(dow, "L") && len(dow) > 1:
		n, err := dayValue(strings.TrimSuffix(dow, "L"))
		if err != nil {
			return nil, fmt.Errorf("day-of-week: %w", err)
		}
		c.dowLast = n
	case strings.Contains(dow, "#"):
		a, b, _ := strings.Cut(dow, "#")
		n, err := dayValue(a)
		k, err2 := strconv.Atoi(b)
		if err != nil || err2 != nil || k < 1 || k > 5 {
			return nil, fmt.Errorf("day-of-week: bad %q", dow)
		}
		c.dowNth = [2]int{n, k}
	default:
		var d [8]bool
		if err := setField(d[:], dow, 1, 7, dayNames); err != nil {
			return nil, fmt.Errorf("day-of-week: %w", err)
		}
		for i := 1; i <= 7; i++ {
			c.dow[i-1] = d[i]
		}
	}
	return c, nil
}

// dayValue parses a day-of-week 1-7 or name, returning 1-7.
func dayValue(s string) (int, error) {
	for i, n := range dayNames {
		if strings.EqualFold(s, n) {
			return i + 1, nil
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 7 {
		return 0, fmt.Errorf("bad day %q", s)
	}
	return n, nil
}

// setField marks the values of a list of *, n, a-b, a/s, a-b/s, */s.
func setField(set []bool, field string, lo, hi int, names []string) error {
	val := func(s string) (int, error) {
		for i, n := range names {
			if strings.EqualFold(s, n) {
				return lo + i, nil
			}
		}
		n, err := strconv.Atoi(s)
		if err != nil || n < lo || n > hi {
			return 0, fmt.Errorf("bad value %q", s)
		}
		return n, nil
	}
	for _, part := range strings.Split(field, ",") {
		rng, stepS, hasStep := strings.Cut(part, "/")
		step := 1
		if hasStep {
			n, err := strconv.Atoi(stepS)
			if err != nil || n < 1 {
				return fmt.Errorf("bad step %q", stepS)
			}
			step = n
		}
		a, b := lo, hi
		switch {
		case rng == "*":
		case strings.Contains(rng, "-"):
			x, y, _ := strings.Cut(rng, "-")
			var err error
			if a, err = val(x); err != nil {
				return err
			}
			if b, err = val(y); err != nil {
				return err
			}
			if b < a {
				return fmt.Errorf("bad range %q", rng)
			}
		default:
			n, err := val(rng)
			if err != nil {
				return err
			}
			a = n
			if !hasStep {
				b = n
			}
		}
		for v := a; v <= b; v += step {
			set[v] = true
		}
	}
	return nil
}

// dayMatches reports whether date d (UTC midnight) is a firing day.
func (c *cronSpec) dayMatches(d time.Time) bool {
	if c.years != nil && !c.years[d.Year()] {
		return false
	}
	if !c.month[int(d.Month())] {
		return false
	}
	last := time.Date(d.Year(), d.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	day, wd := d.Day(), d.Weekday()
	if !c.domAny {
		switch {
		case c.domLast:
			return day == last
		case c.domLastWkd:
			return day == nearestWeekday(d.Year(), d.Month(), last, last)
		case c.domNearWkd > 0:
			return c.domNearWkd <= last && day == nearestWeekday(d.Year(), d.Month(), c.domNearWkd, last)
		}
		return c.dom[day]
	}
	switch {
	case c.dowLast > 0:
		return int(wd) == c.dowLast-1 && day+7 > last
	case c.dowNth[0] > 0:
		return int(wd) == c.dowNth[0]-1 && (day-1)/7+1 == c.dowNth[1]
	}
	return c.dow[wd]
}

func nearestWeekday(y int, m time.Month, n, last int) int {
	switch time.Date(y, m, n, 0, 0, 0, 0, time.UTC).Weekday() {
	case time.Saturday:
		if n == 1 {
			return 3
		}
		return n - 1
	case time.Sunday:
		if n == last {
			return n - 2
		}
		return n + 1
	}
	return n
}

// next returns the first firing time strictly after t, or the zero time
// when there is none before 2200.
func (c *cronSpec) next(t time.Time) time.Time {
	t = t.UTC().Truncate(time.Minute).Add(time.Minute)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	for ; day.Year() < 2200; day = day.AddDate(0, 0, 1) {
		if c.years != nil && !c.years[day.Year()] {
			day = time.Date(day.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
			continue
		}
		if !c.dayMatches(day) {
			continue
		}
		h0, m0 := 0, 0
		if day.Equal(time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)) {
			h0, m0 = t.Hour(), t.Minute()
		}
		for h := h0; h < 24; h++ {
			if !c.hour[h] {
				continue
			}
			start := 0
			if h == h0 {
				start = m0
			}
			for m := start; m < 60; m++ {
				if c.min[m] {
					return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
				}
			}
		}
	}
	return time.Time{}
}
