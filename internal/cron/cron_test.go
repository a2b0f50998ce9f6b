package cron

import (
	"errors"
	"testing"
	"time"
)

const layout = "2006-01-02 15:04"

func at(t *testing.T, s string) time.Time {
	t.Helper()
	if s == "" {
		return time.Time{}
	}
	v, err := time.Parse(layout, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestNext: the first firing after a time, for every kind of field. A
// want of "" means no firing before 2200.
func TestNext(t *testing.T) {
	for _, c := range []struct{ expr, from, want string }{
		// minutes and hours
		{"cron(0 12 * * ? *)", "2026-03-01 11:00", "2026-03-01 12:00"},
		{"cron(0 12 * * ? *)", "2026-03-01 12:00", "2026-03-02 12:00"}, // strictly after
		{"cron(0/5 * * * ? *)", "2026-03-01 11:00", "2026-03-01 11:05"},
		{"cron(0/5 * * * ? *)", "2026-03-01 11:03", "2026-03-01 11:05"},
		{"cron(0/15 * * * ? *)", "2026-03-01 11:07", "2026-03-01 11:15"},
		{"cron(0/15 * * * ? *)", "2026-03-01 23:50", "2026-03-02 00:00"},
		{"cron(15 2 * * ? *)", "2026-03-01 11:00", "2026-03-02 02:15"},
		{"cron(5,35 */6 * * ? *)", "2026-03-01 06:40", "2026-03-01 12:05"},
		{"cron(0/10 8-17/3 * * ? *)", "2026-03-01 14:55", "2026-03-01 17:00"},
		{"  cron( 0  12 * * ? * )  ", "2026-03-01 11:00", "2026-03-01 12:00"}, // spacing
		// day of month
		{"cron(0 0 L * ? *)", "2026-02-10 00:00", "2026-02-28 00:00"},
		{"cron(30 23 31 * ? *)", "2026-04-01 00:00", "2026-05-31 23:30"}, // April has no 31st
		{"cron(0 0 1-7/3 * ? *)", "2026-03-02 00:00", "2026-03-04 00:00"},
		{"cron(0 0 LW * ? *)", "2026-05-01 00:00", "2026-05-29 00:00"},  // May 31 2026 is a Sunday
		{"cron(0 0 LW * ? *)", "2026-01-01 00:00", "2026-01-30 00:00"},  // Jan 31 2026 is a Saturday
		{"cron(0 8 1W * ? *)", "2026-02-02 09:00", "2026-03-02 08:00"},  // Feb 1 and Mar 1 2026 are Sundays
		{"cron(0 8 1W * ? *)", "2026-07-02 00:00", "2026-08-03 08:00"},  // Aug 1 2026 is a Saturday: not back to Jul 31
		{"cron(0 0 14W * ? *)", "2026-03-01 00:00", "2026-03-13 00:00"}, // Saturday → Friday
		{"cron(0 0 15W * ? *)", "2026-03-01 00:00", "2026-03-16 00:00"}, // Sunday → Monday
		{"cron(0 0 31W * ? *)", "2027-01-01 00:00", "2027-01-29 00:00"}, // last-day Sunday → Friday
		{"cron(0 0 31W * ? *)", "2026-04-01 00:00", "2026-05-29 00:00"}, // no 31st in April: skipped
		// month
		{"cron(30 8 1 JAN,JUL ? 2027)", "2026-03-01 00:00", "2027-01-01 08:30"},
		{"cron(0 0 1 jun-aug/2 ? *)", "2026-07-01 00:00", "2026-08-01 00:00"},
		{"cron(0 0 1 11/2 ? *)", "2026-12-01 00:00", "2027-11-01 00:00"},
		// day of week
		{"cron(0 9 ? * MON-FRI *)", "2026-03-06 10:00", "2026-03-09 09:00"}, // Fri → Mon
		{"cron(0 12 ? * MON-FRI *)", "2026-03-06 12:00", "2026-03-09 12:00"},
		{"cron(0 9 ? * mon-fri *)", "2026-03-07 10:00", "2026-03-09 09:00"},
		{"cron(0 9 ? * 2-6 *)", "2026-03-07 10:00", "2026-03-09 09:00"},
		{"cron(0 0 ? * SUN,7 *)", "2026-03-02 00:00", "2026-03-07 00:00"},
		{"cron(0 0 ? * L *)", "2026-03-02 00:00", "2026-03-07 00:00"}, // L: the last day of the week
		{"cron(15 10 ? * 6L *)", "2026-03-01 00:00", "2026-03-27 10:15"},
		{"cron(0 9 ? * 6L *)", "2026-03-01 00:00", "2026-03-27 09:00"},
		{"cron(0 9 ? * FRIL *)", "2026-03-01 00:00", "2026-03-27 09:00"},
		{"cron(1-5/2 */3 ? JAN-MAR 6L *)", "2026-03-27 03:05", "2026-03-27 06:01"},
		{"cron(0 10 ? * 2#1 *)", "2026-03-03 00:00", "2026-04-06 10:00"}, // first Monday
		{"cron(0 9 ? * 2#1 *)", "2026-03-01 00:00", "2026-03-02 09:00"},
		{"cron(0 9 ? * MON#1 *)", "2026-03-01 00:00", "2026-03-02 09:00"},
		{"cron(0 0 ? * 5#5 *)", "2026-02-01 00:00", "2026-04-30 00:00"}, // no fifth Thursday in Feb or Mar
		// year
		{"cron(0 0 1 JAN ? 2028)", "2026-03-01 00:00", "2028-01-01 00:00"},
		{"cron(0 0 1 1 ? 2026/2)", "2026-01-01 00:00", "2028-01-01 00:00"},
		{"cron(0 0 L * ? 2026-2030)", "2029-12-31 00:00", "2030-01-31 00:00"},
		{"cron(0 0 L * ? 2026-2030)", "2030-12-31 00:00", ""},
		{"cron(0 10 * * ? 2020)", "2026-03-01 00:00", ""},
		{"cron(0 0 1 1 ? 2020)", "2026-01-01 00:00", ""},
		{"cron(0 0 1 1 ? 2199)", "2199-01-01 00:00", ""},
		{"cron(59 23 31 12 ? *)", "2199-12-31 23:58", "2199-12-31 23:59"},
		{"cron(0 0 30 2 ? *)", "2026-01-01 00:00", ""}, // never
	} {
		s, err := Parse(c.expr)
		if err != nil {
			t.Errorf("%s: %v", c.expr, err)
			continue
		}
		if got, want := s.Next(at(t, c.from)), at(t, c.want); !got.Equal(want) {
			t.Errorf("%s after %s = %s, want %q", c.expr, c.from, got.Format(layout+" Mon"), c.want)
		}
	}
}

// TestNextTime: Next answers in UTC on a whole minute, whatever the
// location and seconds of its argument.
func TestNextTime(t *testing.T) {
	s, err := Parse("cron(0/15 * * * ? *)")
	if err != nil {
		t.Fatal(err)
	}
	from := time.Date(2026, 3, 1, 13, 7, 30, 5, time.FixedZone("x", 2*3600)) // 11:07:30 UTC
	got := s.Next(from)
	if want := time.Date(2026, 3, 1, 11, 15, 0, 0, time.UTC); !got.Equal(want) || got.Location() != time.UTC {
		t.Errorf("Next(%s) = %s, want %s", from, got, want)
	}
	if got := s.Next(time.Date(2026, 3, 1, 11, 14, 59, 0, time.UTC)); !got.Equal(time.Date(2026, 3, 1, 11, 15, 0, 0, time.UTC)) {
		t.Errorf("from 11:14:59: %s", got)
	}
}

// TestParseErrors: bad expressions fail with ErrSyntax and the detail
// the services show.
func TestParseErrors(t *testing.T) {
	for _, c := range []struct{ expr, msg string }{
		{"rate(5 minutes)", "schedule must be cron(...)"},
		{"cron(0 12 * * ? *", "schedule must be cron(...)"},
		{"", "schedule must be cron(...)"},
		{"cron(0 12 * * *)", "cron needs 6 fields, got 5"},
		{"cron(0 0 * *)", "cron needs 6 fields, got 4"},
		{"cron(0 12 * * ? * *)", "cron needs 6 fields, got 7"},
		{"cron(0 12 * * * *)", "exactly one of day-of-month and day-of-week must be ?"},
		{"cron(* * * * * *)", "exactly one of day-of-month and day-of-week must be ?"},
		{"cron(0 12 ? * ? *)", "exactly one of day-of-month and day-of-week must be ?"},
		{"cron(60 * * * ? *)", `minutes: bad value "60"`},
		{"cron(61 * * * ? *)", `minutes: bad value "61"`},
		{"cron(0/0 * * * ? *)", `minutes: bad step "0"`},
		{"cron(0/x * * * ? *)", `minutes: bad step "x"`},
		{"cron(5-1 * * * ? *)", `minutes: bad range "5-1"`},
		{"cron(,0 * * * ? *)", `minutes: bad value ""`},
		{"cron(0- * * * ? *)", `minutes: bad value ""`},
		{"cron(JAN * * * ? *)", `minutes: bad value "JAN"`},
		{"cron(0 24 * * ? *)", `hours: bad value "24"`},
		{"cron(0 0 32 * ? *)", `day-of-month: bad value "32"`},
		{"cron(0 0 0 * ? *)", `day-of-month: bad value "0"`},
		{"cron(0 0 W * ? *)", `day-of-month: bad "W"`},
		{"cron(0 0 32W * ? *)", `day-of-month: bad "32W"`},
		{"cron(0 0 1,L * ? *)", `day-of-month: bad value "L"`},
		{"cron(0 0 ? FOO * *)", `month: bad value "FOO"`},
		{"cron(0 0 1 13 ? *)", `month: bad value "13"`},
		{"cron(0 0 ? * 8 *)", `day-of-week: bad value "8"`},
		{"cron(0 0 ? * 0 *)", `day-of-week: bad value "0"`},
		{"cron(0 0 ? * 8L *)", `day-of-week: bad day "8"`},
		{"cron(0 0 ? * 2#6 *)", `day-of-week: bad "2#6"`},
		{"cron(0 0 ? * 2#0 *)", `day-of-week: bad "2#0"`},
		{"cron(0 0 ? * L#2 *)", `day-of-week: bad "L#2"`},
		{"cron(0 0 * * ? 1969)", `year: bad value "1969"`},
		{"cron(0 0 * * ? 2200)", `year: bad value "2200"`},
	} {
		_, err := Parse(c.expr)
		if err == nil {
			t.Errorf("%q parsed", c.expr)
			continue
		}
		if !errors.Is(err, ErrSyntax) {
			t.Errorf("%q: %v does not match ErrSyntax", c.expr, err)
		}
		if err.Error() != c.msg {
			t.Errorf("%q: error %q, want %q", c.expr, err, c.msg)
		}
	}
}
