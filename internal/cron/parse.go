package cron

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ErrSyntax is matched (errors.Is) by every error Parse returns.
var ErrSyntax = errors.New("cron: invalid schedule expression")

// syntaxError is a Parse error; its text is the detail only, without the
// "cron:" prefix, because the services put it inside their own messages.
type syntaxError struct{ msg string }

func (e *syntaxError) Error() string        { return e.msg }
func (e *syntaxError) Is(target error) bool { return target == ErrSyntax }

func errorf(format string, args ...any) error {
	return &syntaxError{msg: fmt.Sprintf(format, args...)}
}

// fieldError prefixes err's text with the field name.
func fieldError(field string, err error) error {
	return &syntaxError{msg: field + ": " + err.Error()}
}

// Year bounds, as documented by AWS; Next looks no further than maxYear.
const (
	minYear = 1970
	maxYear = 2199
)

var (
	monthNames = []string{"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"}
	dayNames   = []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}
)

// Schedule is a parsed expression. The zero value is not useful; get one
// from Parse.
type Schedule struct {
	min   [60]bool
	hour  [24]bool
	month [13]bool                    // 1-12
	years [maxYear - minYear + 1]bool // index year-minYear
	// anyYear: the Year field is * or ?.
	anyYear bool

	// Day of month, used when dowAny (Day-of-week is ?).
	dowAny     bool
	dom        [32]bool // 1-31
	domLast    bool     // L
	domLastWkd bool     // LW
	domNearWkd int      // nW: n, 0 if none

	// Day of week (time.Weekday, 0 = Sunday), used when Day-of-month is ?.
	dow     [7]bool
	dowLast int    // nL: weekday 1-7, 0 if none
	dowNth  [2]int // n#k: weekday 1-7 and k, zeros if none
}

// Parse parses "cron(Minutes Hours Day-of-month Month Day-of-week Year)";
// surrounding space is ignored. Errors match ErrSyntax.
func Parse(expr string) (*Schedule, error) {
	e := strings.TrimSpace(expr)
	if !strings.HasPrefix(e, "cron(") || !strings.HasSuffix(e, ")") {
		return nil, errorf("schedule must be cron(...)")
	}
	f := strings.Fields(e[len("cron(") : len(e)-1])
	if len(f) != 6 {
		return nil, errorf("cron needs 6 fields, got %d", len(f))
	}
	s := &Schedule{}
	if err := setField(s.min[:], f[0], 0, 59, nil); err != nil {
		return nil, fieldError("minutes", err)
	}
	if err := setField(s.hour[:], f[1], 0, 23, nil); err != nil {
		return nil, fieldError("hours", err)
	}
	if err := setField(s.month[:], f[3], 1, 12, monthNames); err != nil {
		return nil, fieldError("month", err)
	}
	if f[5] == "*" || f[5] == "?" {
		s.anyYear = true
	} else {
		var yrs [maxYear + 1]bool
		if err := setField(yrs[:], f[5], minYear, maxYear, nil); err != nil {
			return nil, fieldError("year", err)
		}
		copy(s.years[:], yrs[minYear:])
	}
	dom, dow := f[2], f[4]
	if (dom == "?") == (dow == "?") {
		return nil, errorf("exactly one of day-of-month and day-of-week must be ?")
	}
	if dom != "?" {
		s.dowAny = true
		if err := s.parseDayOfMonth(dom); err != nil {
			return nil, fieldError("day-of-month", err)
		}
		return s, nil
	}
	if err := s.parseDayOfWeek(dow); err != nil {
		return nil, fieldError("day-of-week", err)
	}
	return s, nil
}

func (s *Schedule) parseDayOfMonth(dom string) error {
	switch {
	case dom == "L":
		s.domLast = true
	case dom == "LW":
		s.domLastWkd = true
	case strings.HasSuffix(dom, "W"):
		n, err := strconv.Atoi(strings.TrimSuffix(dom, "W"))
		if err != nil || n < 1 || n > 31 {
			return errorf("bad %q", dom)
		}
		s.domNearWkd = n
	default:
		return setField(s.dom[:], dom, 1, 31, nil)
	}
	return nil
}

func (s *Schedule) parseDayOfWeek(dow string) error {
	switch {
	case dow == "L": // the last day of the week
		s.dow[6] = true
	case strings.HasSuffix(dow, "L"):
		n, err := dayValue(strings.TrimSuffix(dow, "L"))
		if err != nil {
			return err
		}
		s.dowLast = n
	case strings.Contains(dow, "#"):
		a, b, _ := strings.Cut(dow, "#")
		n, err := dayValue(a)
		k, err2 := strconv.Atoi(b)
		if err != nil || err2 != nil || k < 1 || k > 5 {
			return errorf("bad %q", dow)
		}
		s.dowNth = [2]int{n, k}
	default:
		var d [8]bool
		if err := setField(d[:], dow, 1, 7, dayNames); err != nil {
			return err
		}
		copy(s.dow[:], d[1:])
	}
	return nil
}

// dayValue parses one day of the week, 1-7 or SUN-SAT, returning 1-7.
func dayValue(v string) (int, error) {
	for i, n := range dayNames {
		if strings.EqualFold(v, n) {
			return i + 1, nil
		}
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 7 {
		return 0, errorf("bad day %q", v)
	}
	return n, nil
}

// setField marks in set the values lo-hi that field selects: a comma list
// of *, n, a-b, n/s, a-b/s, */s, where a value is a number or one of
// names (names[0] = lo). len(set) must be > hi.
func setField(set []bool, field string, lo, hi int, names []string) error {
	val := func(v string) (int, error) {
		for i, n := range names {
			if strings.EqualFold(v, n) {
				return lo + i, nil
			}
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			return 0, errorf("bad value %q", v)
		}
		return n, nil
	}
	for part := range strings.SplitSeq(field, ",") {
		rng, stepS, hasStep := strings.Cut(part, "/")
		step := 1
		if hasStep {
			n, err := strconv.Atoi(stepS)
			if err != nil || n < 1 {
				return errorf("bad step %q", stepS)
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
				return errorf("bad range %q", rng)
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
