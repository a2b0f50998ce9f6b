package sample

import (
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf8"
)

// tsLayout is the JSON form of Event.TS and Order.TS: RFC 3339, UTC,
// always three fractional digits.
const tsLayout = "2006-01-02T15:04:05.000Z07:00"

// MarshalJSON encodes e as described on Event. It fails only for a NaN or
// infinite Price, which encoding/json cannot represent either.
func (e Event) MarshalJSON() ([]byte, error) {
	if !finite(e.Price) {
		return nil, fmt.Errorf("sample: event %s: unsupported price %v", e.EventID, e.Price)
	}
	return appendEvent(make([]byte, 0, 320), &e), nil
}

// MarshalJSON encodes o with its tagged field names and the ts format of
// Event. It fails only for a NaN or infinite amount.
func (o Order) MarshalJSON() ([]byte, error) {
	if !o.finite() {
		return nil, fmt.Errorf("sample: order %s: unsupported amount", o.OrderID)
	}
	return appendOrder(make([]byte, 0, 128+64*len(o.Items)), &o), nil
}

func finite(f float64) bool { return !math.IsNaN(f) && !math.IsInf(f, 0) }

func (o *Order) finite() bool {
	if !finite(o.Total) {
		return false
	}
	for _, it := range o.Items {
		if !finite(it.UnitPrice) {
			return false
		}
	}
	return true
}

// appendEvent writes e exactly as encoding/json would write it given the
// struct tags, except for the fixed ts layout. Floats must be finite.
func appendEvent(b []byte, e *Event) []byte {
	b = append(b, `{"event_id":`...)
	b = appendString(b, e.EventID)
	b = append(b, `,"ts":`...)
	b = appendTime(b, e.TS)
	b = append(b, `,"session_id":`...)
	b = appendString(b, e.SessionID)
	b = append(b, `,"user_id":`...)
	b = appendString(b, e.UserID)
	b = append(b, `,"event_type":`...)
	b = appendString(b, e.Type)
	b = append(b, `,"page":`...)
	b = appendString(b, e.Page)
	if e.ProductID != "" {
		b = append(b, `,"product_id":`...)
		b = appendString(b, e.ProductID)
	}
	if e.Category != "" {
		b = append(b, `,"category":`...)
		b = appendString(b, e.Category)
	}
	if e.Price != 0 {
		b = append(b, `,"price":`...)
		b = appendFloat(b, e.Price)
	}
	if e.Quantity != 0 {
		b = append(b, `,"quantity":`...)
		b = strconv.AppendInt(b, int64(e.Quantity), 10)
	}
	if e.Query != "" {
		b = append(b, `,"search_query":`...)
		b = appendString(b, e.Query)
	}
	if e.OrderID != "" {
		b = append(b, `,"order_id":`...)
		b = appendString(b, e.OrderID)
	}
	b = append(b, `,"device":`...)
	b = appendString(b, e.Device)
	b = append(b, `,"country":`...)
	b = appendString(b, e.Country)
	b = append(b, `,"referrer":`...)
	b = appendString(b, e.Referrer)
	return append(b, '}')
}

// appendOrder is appendEvent for Order. A nil Items encodes as null, as
// encoding/json does.
func appendOrder(b []byte, o *Order) []byte {
	b = append(b, `{"order_id":`...)
	b = appendString(b, o.OrderID)
	b = append(b, `,"user_id":`...)
	b = appendString(b, o.UserID)
	b = append(b, `,"ts":`...)
	b = appendTime(b, o.TS)
	b = append(b, `,"items":`...)
	if o.Items == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, it := range o.Items {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"product_id":`...)
			b = appendString(b, it.ProductID)
			b = append(b, `,"quantity":`...)
			b = strconv.AppendInt(b, int64(it.Quantity), 10)
			b = append(b, `,"unit_price":`...)
			b = appendFloat(b, it.UnitPrice)
			b = append(b, '}')
		}
		b = append(b, ']')
	}
	b = append(b, `,"total":`...)
	b = appendFloat(b, o.Total)
	b = append(b, `,"currency":`...)
	b = appendString(b, o.Currency)
	b = append(b, `,"country":`...)
	b = appendString(b, o.Country)
	b = append(b, `,"payment_method":`...)
	b = appendString(b, o.Payment)
	b = append(b, `,"status":`...)
	b = appendString(b, o.Status)
	return append(b, '}')
}

// appendTime writes t quoted in tsLayout. Years 0-9999 are written by
// hand, which is several times faster than AppendFormat; others fall back
// to it.
func appendTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		b = append(b, '"')
		b = t.AppendFormat(b, tsLayout)
		return append(b, '"')
	}
	hour, minute, sec := t.Clock()
	ms := t.Nanosecond() / 1e6
	return append(b, '"',
		byte('0'+year/1000), byte('0'+year/100%10), byte('0'+year/10%10), byte('0'+year%10), '-',
		byte('0'+month/10), byte('0'+month%10), '-', byte('0'+day/10), byte('0'+day%10), 'T',
		byte('0'+hour/10), byte('0'+hour%10), ':', byte('0'+minute/10), byte('0'+minute%10), ':',
		byte('0'+sec/10), byte('0'+sec%10), '.', byte('0'+ms/100), byte('0'+ms/10%10), byte('0'+ms%10),
		'Z', '"')
}

// appendFloat formats a finite f as encoding/json does (ES6 number
// formatting).
func appendFloat(b []byte, f float64) []byte {
	format := byte('f')
	if abs := math.Abs(f); abs != 0 && (abs < 1e-6 || abs >= 1e21) {
		format = 'e'
	}
	b = strconv.AppendFloat(b, f, format, -1, 64)
	if format == 'e' { // e-09 becomes e-9
		if n := len(b); n >= 4 && b[n-4] == 'e' && b[n-3] == '-' && b[n-2] == '0' {
			b[n-2] = b[n-1]
			b = b[:n-1]
		}
	}
	return b
}

// appendString quotes s as encoding/json does with HTML escaping off:
// quote, backslash and control characters are escaped, invalid UTF-8
// becomes U+FFFD, and U+2028 and U+2029 are escaped.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	if plainASCII(s) {
		b = append(b, s...)
		return append(b, '"')
	}
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// plainASCII reports whether s is printable ASCII without quote or
// backslash, that is, whether it encodes as itself.
func plainASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' {
			return false
		}
	}
	return true
}
