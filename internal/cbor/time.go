package cbor

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// Tag numbers with a meaning here (RFC 8949 section 3.4).
const (
	tagDateTime = 0 // RFC 3339 text
	tagEpoch    = 1 // number of seconds (or, AWS, milliseconds) since 1970
)

// The supported time range: years 0 to 9999 in UTC, as RFC 3339 allows.
const (
	minUnixSec = -62167219200 // 0000-01-01T00:00:00Z
	maxUnixSec = 253402300799 // 9999-12-31T23:59:59Z
)

func timeInRange(t time.Time) bool {
	y := t.UTC().Year()
	return y >= 0 && y <= 9999
}

// timeInto decodes into a time.Time: tag 0 or 1, an untagged RFC 3339
// text or epoch number, under any number of other tags.
func (d *decoder) timeInto(v reflect.Value) error {
	for {
		h, p, err := readHeader(d.data, d.off)
		if err != nil {
			return err
		}
		var t time.Time
		switch {
		case h.major == majorTag && (h.arg == tagDateTime || h.arg == tagEpoch):
			t, err = d.taggedTime(h, p)
		case h.major == majorTag:
			d.off = p
			continue
		case h.major == majorText:
			t, err = d.textTime(h, p, v.Type())
		default:
			t, err = d.epochTime(h, p, v.Type())
		}
		if err != nil {
			return err
		}
		v.Set(reflect.ValueOf(t))
		return nil
	}
}

// taggedTime decodes tag 0 (text content) or tag 1 (numeric content),
// head h, content at p.
func (d *decoder) taggedTime(h header, p int) (time.Time, error) {
	tagOff := d.off
	d.off = p
	ch, cp, err := readHeader(d.data, d.off)
	if err != nil {
		return time.Time{}, err
	}
	if h.arg == tagDateTime && ch.major == majorText {
		return d.textTime(ch, cp, timeType)
	}
	if h.arg == tagEpoch && ch.major != majorText {
		return d.epochTime(ch, cp, timeType)
	}
	return time.Time{}, &UnmarshalTypeError{Value: "tag " + strconv.FormatUint(h.arg, 10) + " of " + describe(ch), Type: timeType, Offset: int64(tagOff)}
}

// textTime parses an RFC 3339 text string, head h, content at p.
func (d *decoder) textTime(h header, p int, t reflect.Type) (time.Time, error) {
	start := d.off
	b, err := d.stringBytes(h, p)
	if err != nil {
		return time.Time{}, err
	}
	tm, err := time.Parse(time.RFC3339Nano, string(b))
	if err != nil || !timeInRange(tm) {
		return time.Time{}, &UnmarshalTypeError{Value: "text string (not an RFC 3339 time in years 0-9999)", Type: t, Offset: int64(start)}
	}
	return tm, nil
}

// epochTime reads an integer or float, head h, as seconds or milliseconds
// since the epoch per d.time. The result is in UTC.
func (d *decoder) epochTime(h header, p int, t reflect.Type) (time.Time, error) {
	lo, hi := int64(minUnixSec), int64(maxUnixSec)
	if d.time == EpochMillis {
		lo, hi = lo*1000, hi*1000+999
	}
	var tm time.Time
	ok := false
	if f, isFloat := floatOf(h); isFloat {
		tm, ok = floatTime(f, d.time)
	} else if h.major == majorUint && h.arg <= uint64(hi) || h.major == majorNegInt && h.arg < uint64(-lo) {
		n := int64(h.arg)
		if h.major == majorNegInt {
			n = -1 - n
		}
		if d.time == EpochMillis {
			tm = time.UnixMilli(n).UTC()
		} else {
			tm = time.Unix(n, 0).UTC()
		}
		ok = true
	} else if h.major != majorUint && h.major != majorNegInt {
		return time.Time{}, d.typeErr(h, t)
	}
	if !ok {
		return time.Time{}, &UnmarshalTypeError{Value: describe(h) + " (epoch time out of range)", Type: t, Offset: int64(d.off)}
	}
	d.off = p
	return tm, nil
}

// floatTime converts epoch seconds (or milliseconds) held in a float to a
// time, through the shortest decimal that identifies f, so that a float
// written from a millisecond time decodes back to exactly that time at any
// magnitude. Digits beyond nanoseconds are rounded half up.
func floatTime(f float64, unit TimeFormat) (time.Time, bool) {
	scale, fracDigits := 1.0, 9
	if unit == EpochMillis {
		scale, fracDigits = 1000, 6
	}
	if f != f || f < minUnixSec*scale || f >= (maxUnixSec+1)*scale {
		return time.Time{}, false
	}
	if math.Abs(f) < 1e-10 {
		f = 0 // below a nanosecond either way; keeps the decimal short
	}
	s := strconv.FormatFloat(math.Abs(f), 'f', -1, 64)
	ip, frac, _ := strings.Cut(s, ".")
	whole, err := strconv.ParseInt(ip, 10, 64)
	if err != nil {
		return time.Time{}, false
	}
	var ns int64
	for i := range fracDigits {
		ns *= 10
		if i < len(frac) {
			ns += int64(frac[i] - '0')
		}
	}
	if len(frac) > fracDigits && frac[fracDigits] >= '5' {
		ns++
	}
	sec, nsec := whole, ns
	if unit == EpochMillis {
		sec, nsec = whole/1000, whole%1000*1e6+ns
	}
	if f < 0 {
		sec, nsec = -sec, -nsec
	}
	t := time.Unix(sec, nsec).UTC()
	return t, timeInRange(t)
}
