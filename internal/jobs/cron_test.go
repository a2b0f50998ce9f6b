package jobs

import (
	"testing"
	"time"
)

func TestCronNext(t *testing.T) {
	at := func(s string) time.Time {
		v, err := time.Parse("2006-01-02 15:04", s)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	tests := []struct{ expr, from, want string }{
		{"cron(0/5 * * * ? *)", "2026-03-01 11:00", "2026-03-01 11:05"},
		{"cron(0/5 * * * ? *)", "2026-03-01 11:03", "2026-03-01 11:05"},
		{"cron(15 2 * * ? *)", "2026-03-01 11:00", "2026-03-02 02:15"},
		{"cron(0 12 ? * MON-FRI *)", "2026-03-06 12:00", "2026-03-09 12:00"}, // Friday → Monday
		{"cron(0 0 L * ? *)", "2026-02-10 00:00", "2026-02-28 00:00"},
		{"cron(0 9 ? * 2#1 *)", "2026-03-01 00:00", "2026-03-02 09:00"}, // first Monday
		{"cron(0 9 ? * 6L *)", "2026-03-01 00:00", "2026-03-27 09:00"},  // last Friday
		{"cron(30 8 1 JAN,JUL ? 2027)", "2026-03-01 00:00", "2027-01-01 08:30"},
		{"cron(0 10 * * ? 2020)", "2026-03-01 00:00", "0001-01-01 00:00"},
	}
	for _, tc := range tests {
		c, err := parseCron(tc.expr)
		if err != nil {
			t.Fatalf("%s: %v", tc.expr, err)
		}
		got := c.next(at(tc.from))
		want := at(tc.want)
		if tc.want == "0001-01-01 00:00" {
			want = time.Time{}
		}
		if !got.Equal(want) {
			t.Errorf("%s after %s = %v, want %v", tc.expr, tc.from, got, want)
		}
	}
	for _, bad := range []string{"rate(5 minutes)", "cron(* * * * * *)", "cron(0 0 ? * ? *)", "cron(61 * * * ? *)", "cron(0 0 1W * ? *)", "cron(0 0 * *)"} {
		if _, err := parseCron(bad); err == nil {
			t.Errorf("%s parsed", bad)
		}
	}
}

func FuzzParseCron(f *testing.F) {
	for _, s := range []string{"cron(0/5 * * * ? *)", "cron(0 9 ? * 2#1 *)", "cron(0 0 L * ? 2026-2030)", "cron(1-5/2 */3 ? JAN-MAR 6L *)"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := parseCron(s)
		if err != nil {
			return
		}
		from := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		if n := c.next(from); !n.IsZero() && !n.After(from) {
			t.Fatalf("%s: next %v not after %v", s, n, from)
		}
	})
}

func FuzzSubstitute(f *testing.F) {
	f.Add("SELECT ${a} FROM ${b.c}", "x")
	f.Add("${", "")
	f.Fuzz(func(t *testing.T, stmt, val string) {
		out, err := substitute(stmt, map[string]string{"--a": val, "--b.c": val})
		if !placeholder.MatchString(stmt) && (err != nil || out != stmt) {
			t.Fatalf("%q without placeholders became %q, %v", stmt, out, err)
		}
	})
}
