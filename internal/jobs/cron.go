package jobs

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Glue schedules: cron(Minutes Hours Day-of-month Month Day-of-week Year),
// UTC. Fields take * , - / and names (JAN-DEC, SUN-SAT; day-of-week 1 =
// SUN); day-of-month takes L (last day); day-of-week takes n#k (k-th such
// day of the month) and nL (last such day); exactly one of the two day
// fields is ?. (W, nearest weekday, is refused.)

type cron struct {
	min   [60]bool
	hour  [24]bool
	dom   [32]bool
	month [13]bool
	dow   [7]bool // 0 = Sunday
	years map[int]bool

	domAny, dowAny bool
	domLast        bool
	dowNth         [2]int // weekday 1-7, k
	dowLast        int    // weekday 1-7
}

var (
	monthNames = []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}
	dayNames   = []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}
)

func parseCron(expr string) (*cron, error) {
	e := strings.TrimSpace(expr)
	if !strings.HasPrefix(e, "cron(") || !strings.HasSuffix(e, ")") {
		return nil, fmt.Errorf("schedule must be cron(...)")
	}
	f := strings.Fields(e[5 : len(e)-1])
	if len(f) != 6 {
		return nil, fmt.Errorf("cron needs 6 fields, got %d", len(f))
	}
	c := &cron{}
	if err := mark(c.min[:], f[0], 0, 59, nil); err != nil {
		return nil, fmt.Errorf("minutes: %w", err)
	}
	if err := mark(c.hour[:], f[1], 0, 23, nil); err != nil {
		return nil, fmt.Errorf("hours: %w", err)
	}
	if err := mark(c.month[:], f[3], 1, 12, monthNames); err != nil {
		return nil, fmt.Errorf("month: %w", err)
	}
	if f[5] != "*" && f[5] != "?" {
		yrs := make([]bool, 2200)
		if err := mark(yrs, f[5], 1970, 2199, nil); err != nil {
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
	if strings.Contains(dom, "W") {
		return nil, fmt.Errorf("day-of-month: W is not supported by tarn")
	}
	if dom != "?" {
		c.dowAny = true
		if dom == "L" {
			c.domLast = true
			return c, nil
		}
		if err := mark(c.dom[:], dom, 1, 31, nil); err != nil {
			return nil, fmt.Errorf("day-of-month: %w", err)
		}
		return c, nil
	}
	c.domAny = true
	switch {
	case strings.Contains(dow, "#"):
		a, b, _ := strings.Cut(dow, "#")
		n, err := weekday(a)
		k, err2 := strconv.Atoi(b)
		if err != nil || err2 != nil || k < 1 || k > 5 {
			return nil, fmt.Errorf("day-of-week: bad %q", dow)
		}
		c.dowNth = [2]int{n, k}
	case len(dow) > 1 && strings.HasSuffix(dow, "L"):
		n, err := weekday(strings.TrimSuffix(dow, "L"))
		if err != nil {
			return nil, fmt.Errorf("day-of-week: %w", err)
		}
		c.dowLast = n
	default:
		var d [8]bool
		if err := mark(d[:], dow, 1, 7, dayNames); err != nil {
			return nil, fmt.Errorf("day-of-week: %w", err)
		}
		for i := 1; i <= 7; i++ {
			c.dow[i-1] = d[i]
		}
	}
	return c, nil
}

func weekday(s string) (int, error) {
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

// mark sets the values of a list of *, n, a-b, a/s, a-b/s, */s.
func mark(set []bool, field string, lo, hi int, names []string) error {
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

func (c *cron) day(d time.Time) bool {
	if c.years != nil && !c.years[d.Year()] || !c.month[int(d.Month())] {
		return false
	}
	last := time.Date(d.Year(), d.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	switch {
	case !c.domAny && c.domLast:
		return d.Day() == last
	case !c.domAny:
		return c.dom[d.Day()]
	case c.dowNth[0] > 0:
		return int(d.Weekday()) == c.dowNth[0]-1 && (d.Day()-1)/7+1 == c.dowNth[1]
	case c.dowLast > 0:
		return int(d.Weekday()) == c.dowLast-1 && d.Day()+7 > last
	}
	return c.dow[d.Weekday()]
}

// next is the first firing minute strictly after t; zero if none before 2200.
func (c *cron) next(t time.Time) time.Time {
	t = t.UTC().Truncate(time.Minute).Add(time.Minute)
	for day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC); day.Year() < 2200; day = day.AddDate(0, 0, 1) {
		if !c.day(day) {
			continue
		}
		for h := 0; h < 24; h++ {
			if !c.hour[h] {
				continue
			}
			for m := 0; m < 60; m++ {
				at := day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
				if c.min[m] && !at.Before(t) {
					return at
				}
			}
		}
	}
	return time.Time{}
}
