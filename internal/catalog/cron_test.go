package catalog

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
	for _, c := range []struct{ expr, from, want string }{
		{"cron(0 12 * * ? *)", "2026-03-01 11:00", "2026-03-01 12:00"},
		{"cron(0 12 * * ? *)", "2026-03-01 12:00", "2026-03-02 12:00"},
		{"cron(0/15 * * * ? *)", "2026-03-01 11:07", "2026-03-01 11:15"},
		{"cron(5,35 */6 * * ? *)", "2026-03-01 06:40", "2026-03-01 12:05"},
		{"cron(0 9 ? * MON-FRI *)", "2026-03-06 10:00", "2026-03-09 09:00"}, // Fri → Mon
		{"cron(0 9 ? * 2-6 *)", "2026-03-07 10:00", "2026-03-09 09:00"},
		{"cron(0 0 L * ? *)", "2026-02-10 00:00", "2026-02-28 00:00"},
		{"cron(0 0 LW * ? *)", "2026-05-01 00:00", "2026-05-29 00:00"}, // May 31 2026 is a Sunday
		{"cron(0 8 1W * ? *)", "2026-02-02 09:00", "2026-03-02 08:00"}, // Feb 1 and Mar 1 2026 are Sundays
		{"cron(15 10 ? * 6L *)", "2026-03-01 00:00", "2026-03-27 10:15"},
		{"cron(0 10 ? * 2#1 *)", "2026-03-03 00:00", "2026-04-06 10:00"}, // first Monday
		{"cron(0 0 1 JAN ? 2028)", "2026-03-01 00:00", "2028-01-01 00:00"},
		{"cron(30 23 31 * ? *)", "2026-04-01 00:00", "2026-05-31 23:30"},
	} {
		spec, err := parseSchedule(c.expr)
		if err != nil {
			t.Fatalf("%s: %v", c.expr, err)
		}
		if got := spec.next(at(c.from)); !got.Equal(at(c.want)) {
			t.Errorf("%s after %s = %s, want %s", c.expr, c.from, got.Format("2006-01-02 15:04 Mon"), c.want)
		}
	}
	if spec, _ := parseSchedule("cron(0 0 1 1 ? 2020)"); !spec.next(at("2026-01-01 00:00")).IsZero() {
		t.Error("a past-only schedule has a next time")
	}
	for _, bad := range []string{"rate(5 minutes)", "cron(0 12 * * *)", "cron(0 12 * * * *)", "cron(0 12 ? * ? *)",
		"cron(60 * * * ? *)", "cron(0 24 * * ? *)", "cron(0 0 32 * ? *)", "cron(0 0 ? * 8 *)", "cron(0 0 ? * 2#6 *)",
		"cron(0/0 * * * ? *)", "cron(5-1 * * * ? *)", "cron(0 0 ? FOO * *)"} {
		if _, err := parseSchedule(bad); err == nil {
			t.Errorf("%s parsed", bad)
		}
	}
}

func TestGlob(t *testing.T) {
	for _, c := range []struct {
		pat, key string
		want     bool
	}{
		{"*.csv", "a.csv", true}, {"*.csv", "x/a.csv", false}, {"**.csv", "x/a.csv", true},
		{"tmp/**", "tmp/a/b.json", true}, {"tmp/**", "tmpx/a", false}, {"**/_temporary/**", "a/_temporary/b", true},
		{"**/_temporary/**", "_temporary/b", true}, {"dt=2024-0[1-3]/*", "dt=2024-02/x", true}, {"dt=2024-0[!1-3]/*", "dt=2024-02/x", false},
		{"{logs,tmp}/*", "logs/a", true}, {"{logs,tmp}/*", "data/a", false}, {"file?.txt", "file1.txt", true}, {"a\\*b", "a*b", true},
	} {
		re, err := compileGlob(c.pat)
		if err != nil {
			t.Fatalf("%s: %v", c.pat, err)
		}
		if got := re.MatchString(c.key); got != c.want {
			t.Errorf("glob %q on %q = %v, want %v", c.pat, c.key, got, c.want)
		}
	}
}
