package pgwire

import (
	"encoding/hex"
	"strings"
	"time"
)

// Text input of dates, timestamps and bytea.

var (
	tsLayouts   = []string{"2006-01-02 15:04:05.999999999", "2006-01-02T15:04:05.999999999", "2006-01-02"}
	zoneLayouts = []string{"Z07:00:00", "Z07:00", "Z0700", "Z07", " Z07:00", " Z07", " MST"}
)

// parseDatetime reads ISO dates and timestamps, with an optional " BC"
// suffix (there is no year 0). A date may be given as a timestamp; the
// time is dropped, as PostgreSQL does.
func parseDatetime(oid uint32, t, orig string) (any, error) {
	bc := false
	if len(t) > 3 && strings.EqualFold(t[len(t)-3:], " BC") {
		bc, t = true, strings.TrimSpace(t[:len(t)-3])
	}
	var v time.Time
	if oid == OIDDate {
		if d, err := time.Parse("2006-01-02", t); err == nil {
			v = d
		} else if ts, err := parseTimestamp(OIDTimestamp, t, orig); err == nil {
			y, m, d := ts.(time.Time).Date()
			v = time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		} else {
			return nil, syntaxErr(oid, orig)
		}
	} else {
		ts, err := parseTimestamp(oid, t, orig)
		if err != nil {
			return nil, err
		}
		v = ts.(time.Time).Round(time.Microsecond) // PostgreSQL keeps microseconds
	}
	y := v.Year()
	if y == 0 || (bc && y < 0) {
		return nil, Errorf(CodeDatetimeFieldOverflow, "date/time field value out of range: %q", orig)
	}
	if bc {
		v = v.AddDate(1-2*y, 0, 0) // year y BC is Go year 1-y
	}
	return v, nil
}

// parseTimestamp reads ISO timestamps with an optional zone. A
// timestamptz without a zone is in UTC (the session TimeZone); a
// timestamp ignores any zone, as PostgreSQL does.
func parseTimestamp(oid uint32, t, orig string) (any, error) {
	for _, l := range tsLayouts {
		if v, err := time.Parse(l, t); err == nil {
			return v, nil
		}
		for _, z := range zoneLayouts {
			v, err := time.Parse(l+z, t)
			if err != nil {
				continue
			}
			if oid == OIDTimestamp {
				y, m, d := v.Date()
				h, mi, sec := v.Clock()
				return time.Date(y, m, d, h, mi, sec, v.Nanosecond(), time.UTC), nil
			}
			return v.UTC(), nil
		}
	}
	return nil, syntaxErr(oid, orig)
}

// parseBytea reads bytea's hex (\x...) and escape input forms.
func parseBytea(s string) (any, error) {
	bad := Errorf(CodeInvalidTextRepresentation, "invalid input syntax for type bytea")
	if strings.HasPrefix(s, `\x`) {
		b, err := hex.DecodeString(s[2:])
		if err != nil {
			return nil, bad
		}
		return b, nil
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			out = append(out, s[i])
			continue
		}
		switch {
		case i+1 < len(s) && s[i+1] == '\\':
			out = append(out, '\\')
			i++
		case i+3 < len(s) && isOct(s[i+1]) && isOct(s[i+2]) && isOct(s[i+3]) && s[i+1] <= '3':
			out = append(out, (s[i+1]-'0')<<6|(s[i+2]-'0')<<3|(s[i+3]-'0'))
			i += 3
		default:
			return nil, bad
		}
	}
	return out, nil
}

func isOct(b byte) bool { return b >= '0' && b <= '7' }
