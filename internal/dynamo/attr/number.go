package attr

import (
	"strings"

	"github.com/cockroachdb/apd/v3"
)

// Limits of DynamoDB numbers.
const (
	MaxDigits   = 38   // significant digits
	MaxExponent = 125  // largest magnitude is 9.99..E+125
	MinExponent = -130 // smallest non-zero magnitude is 1E-130
)

// decimal is a number split into sign, significant digits (no leading or
// trailing zeros; empty for zero) and the exponent of the first digit:
// value = ±d1.d2d3... × 10^exp.
type decimal struct {
	neg    bool
	digits string
	exp    int
}

// parseDecimal reads a number in the syntax DynamoDB accepts: optional
// sign, digits with an optional point, optional exponent. It does not
// check the limits.
func parseDecimal(s string) (decimal, bool) {
	var d decimal
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		d.neg = s[i] == '-'
		i++
	}
	var buf []byte
	intDigits, sawDigit, sawPoint := 0, false, false
	first := -1 // position (in digits incl. leading zeros) of first non-zero
	total := 0
	for ; i < len(s); i++ {
		c := s[i]
		if c >= '0' && c <= '9' {
			sawDigit = true
			if c != '0' && first < 0 {
				first = total
			}
			if first >= 0 {
				buf = append(buf, c)
			}
			total++
			if !sawPoint {
				intDigits++
			}
			continue
		}
		if c == '.' && !sawPoint {
			sawPoint = true
			continue
		}
		break
	}
	if !sawDigit {
		return d, false
	}
	e := 0
	if i < len(s) {
		if s[i] != 'e' && s[i] != 'E' {
			return d, false
		}
		i++
		eneg := false
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			eneg = s[i] == '-'
			i++
		}
		if i == len(s) {
			return d, false
		}
		for ; i < len(s); i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return d, false
			}
			if e < 1e6 {
				e = e*10 + int(c-'0')
			}
		}
		if eneg {
			e = -e
		}
	}
	if first < 0 {
		return decimal{}, true // zero, sign dropped
	}
	// trim trailing zeros
	j := len(buf)
	for j > 0 && buf[j-1] == '0' {
		j--
	}
	d.digits = string(buf[:j])
	d.exp = intDigits - first - 1 + e
	return d, true
}

// check applies DynamoDB's limits.
func (d decimal) check() *Error {
	if d.digits == "" {
		return nil
	}
	if d.exp > MaxExponent {
		return validation(MsgNumberOverflow)
	}
	if d.exp < MinExponent {
		return validation(MsgNumberUnderflow)
	}
	if len(d.digits) > MaxDigits {
		return validation(MsgTooManyDigits)
	}
	return nil
}

// text is the canonical plain decimal form.
func (d decimal) text() string {
	if d.digits == "" {
		return "0"
	}
	var b strings.Builder
	n := len(d.digits)
	b.Grow(n + 3 + max(d.exp, -d.exp))
	if d.neg {
		b.WriteByte('-')
	}
	switch {
	case d.exp >= n-1:
		b.WriteString(d.digits)
		for k := 0; k < d.exp-(n-1); k++ {
			b.WriteByte('0')
		}
	case d.exp >= 0:
		b.WriteString(d.digits[:d.exp+1])
		b.WriteByte('.')
		b.WriteString(d.digits[d.exp+1:])
	default:
		b.WriteString("0.")
		for k := 0; k < -d.exp-1; k++ {
			b.WriteByte('0')
		}
		b.WriteString(d.digits)
	}
	return b.String()
}

// CanonicalNumber validates a number's text and returns DynamoDB's
// normalized form ("1.50" -> "1.5", "01" -> "1", "1e3" -> "1000",
// "-0" -> "0").
func CanonicalNumber(s string) (string, error) {
	if len(s) <= MaxDigits && canonicalText(s) {
		return s, nil // short canonical text: within every limit
	}
	d, ok := parseDecimal(s)
	if !ok {
		return "", validation(MsgNotANumber)
	}
	if err := d.check(); err != nil {
		return "", err
	}
	if isCanonical(s, d) {
		return s, nil
	}
	return d.text(), nil
}

// isCanonical reports cheaply whether s already is d's canonical text
// (the common case: integers without leading zeros).
func isCanonical(s string, d decimal) bool {
	if d.digits == "" {
		return s == "0"
	}
	t := s
	if d.neg {
		if t == "" || t[0] != '-' {
			return false
		}
		t = t[1:]
	}
	if t == "" || t[0] == '0' || t[0] == '+' || t[0] == '-' {
		return false
	}
	for i := 0; i < len(t); i++ {
		if t[i] < '0' || t[i] > '9' {
			return false
		}
	}
	return true
}

// compareNumbers compares two canonical number texts numerically.
func compareNumbers(a, b string) int {
	if a == b {
		return 0
	}
	an, bn := strings.HasPrefix(a, "-"), strings.HasPrefix(b, "-")
	az, bz := a == "0", b == "0"
	sa, sb := sign(an, az), sign(bn, bz)
	if sa != sb {
		if sa < sb {
			return -1
		}
		return 1
	}
	if sa == 0 {
		return 0
	}
	if !canonicalText(a) || !canonicalText(b) {
		return compareSlow(a, b)
	}
	c := compareMagnitude(strings.TrimPrefix(a, "-"), strings.TrimPrefix(b, "-"))
	if sa < 0 {
		return -c
	}
	return c
}

func sign(neg, zero bool) int {
	switch {
	case zero:
		return 0
	case neg:
		return -1
	}
	return 1
}

// canonicalText is a quick shape check: digits, at most one point, no
// exponent, no leading "+".
func canonicalText(s string) bool {
	neg := strings.HasPrefix(s, "-")
	s = strings.TrimPrefix(s, "-")
	if s == "" || s[0] == '.' || s[len(s)-1] == '.' || (neg && s == "0") {
		return false
	}
	if len(s) > 1 && s[0] == '0' && s[1] != '.' {
		return false
	}
	pt := strings.IndexByte(s, '.')
	if pt >= 0 && s[len(s)-1] == '0' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && i != pt {
			return false
		}
	}
	return true
}

// compareMagnitude compares positive canonical texts: the longer integer
// part is larger; equal integer parts compare as text.
func compareMagnitude(a, b string) int {
	ia, ib := intLen(a), intLen(b)
	if a[0] == '0' {
		ia = 0
	}
	if b[0] == '0' {
		ib = 0
	}
	if ia != ib {
		if ia < ib {
			return -1
		}
		return 1
	}
	return strings.Compare(a, b)
}

func intLen(s string) int {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return i
	}
	return len(s)
}

func compareSlow(a, b string) int {
	var x, y apd.Decimal
	if _, _, err := x.SetString(a); err != nil {
		return strings.Compare(a, b)
	}
	if _, _, err := y.SetString(b); err != nil {
		return strings.Compare(a, b)
	}
	return x.Cmp(&y)
}
