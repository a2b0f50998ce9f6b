package cron

import "time"

// Next returns the first firing time strictly after after, in UTC and on
// a whole minute, or the zero time when there is none before the year
// 2200. after may be in any location; only its instant counts.
func (s *Schedule) Next(after time.Time) time.Time {
	t := after.UTC().Truncate(time.Minute).Add(time.Minute)
	first := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	for day := first; day.Year() <= maxYear; day = day.AddDate(0, 0, 1) {
		if y := day.Year(); !s.anyYear && (y < minYear || !s.years[y-minYear]) {
			// Skip to the year's last day; the loop moves on to Jan 1.
			day = time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC)
			continue
		}
		if !s.dayMatches(day) {
			continue
		}
		h0, m0 := 0, 0
		if day.Equal(first) {
			h0, m0 = t.Hour(), t.Minute()
		}
		for h := h0; h < 24; h++ {
			if !s.hour[h] {
				continue
			}
			start := 0
			if h == h0 {
				start = m0
			}
			for m := start; m < 60; m++ {
				if s.min[m] {
					return day.Add(time.Duration(h)*time.Hour + time.Duration(m)*time.Minute)
				}
			}
		}
	}
	return time.Time{}
}

// dayMatches reports whether the date d (UTC midnight) of an allowed
// year is a firing day.
func (s *Schedule) dayMatches(d time.Time) bool {
	if !s.month[int(d.Month())] {
		return false
	}
	last := time.Date(d.Year(), d.Month()+1, 0, 0, 0, 0, 0, time.UTC).Day()
	day, wd := d.Day(), d.Weekday()
	if s.dowAny {
		switch {
		case s.domLast:
			return day == last
		case s.domLastWkd:
			return day == nearestWeekday(d.Year(), d.Month(), last, last)
		case s.domNearWkd > 0:
			return s.domNearWkd <= last && day == nearestWeekday(d.Year(), d.Month(), s.domNearWkd, last)
		}
		return s.dom[day]
	}
	switch {
	case s.dowLast > 0:
		return int(wd) == s.dowLast-1 && day+7 > last
	case s.dowNth[0] > 0:
		return int(wd) == s.dowNth[0]-1 && (day-1)/7+1 == s.dowNth[1]
	}
	return s.dow[wd]
}

// nearestWeekday is the weekday (Mon-Fri) nearest day n of the month,
// without leaving the month (last is its last day): a Saturday moves to
// Friday, or to Monday the 3rd when n is the 1st; a Sunday moves to
// Monday, or to Friday when n is the last day.
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
