package attr

import "unicode/utf8"

// MaxItemSize is DynamoDB's limit on an item's size in bytes (400 KB).
const MaxItemSize = 400 * 1024

// Size is a value's size under DynamoDB's rules: S its UTF-8 bytes; N
// as numberSize (base-100 digits plus one, plus one if negative); B its bytes;
// BOOL and NULL one byte; L and M three bytes plus one per element plus
// the elements (a map's element includes its name); sets the sum of
// their elements.
func Size(v Value) int {
	switch v.Kind {
	case S:
		return len(v.S)
	case N:
		return numberSize(v.S)
	case B:
		return len(v.B)
	case BOOL, NULL:
		return 1
	case L:
		n := 3 + len(v.L)
		for _, e := range v.L {
			n += Size(e)
		}
		return n
	case M:
		n := 3 + len(v.M)
		for k, e := range v.M {
			n += len(k) + Size(e)
		}
		return n
	case SS:
		n := 0
		for _, s := range v.SS {
			n += len(s)
		}
		return n
	case NS:
		n := 0
		for _, s := range v.SS {
			n += numberSize(s)
		}
		return n
	case BS:
		n := 0
		for _, b := range v.BS {
			n += len(b)
		}
		return n
	}
	return 0
}

// numberSize is a number's stored size, as DynamoDB measures it against
// the item-size limit: one byte, plus one per base-100 digit of the
// value with its digit pairs aligned on the decimal point (so "3.14159"
// costs 5 and "123456" 4), plus one if negative; zero costs 1. This
// matches every figure captured from DynamoDB (the Developer Guide's
// "one byte per two significant digits plus one" does not).
func numberSize(s string) int {
	d, _ := parseDecimal(s)
	if d.digits == "" {
		return 1
	}
	first, last := d.exp, d.exp-(len(d.digits)-1)
	n := 1 + floorDiv2(first) - floorDiv2(last) + 1
	if d.neg {
		n++
	}
	return n
}

func floorDiv2(p int) int {
	if p >= 0 {
		return p / 2
	}
	return -((-p + 1) / 2)
}

// ItemSize is the item's size: for each attribute its name's UTF-8
// bytes plus Size of its value.
func ItemSize(item Item) int {
	n := 0
	for k, v := range item {
		n += len(k) + Size(v)
	}
	return n
}

// ValidUTF8 reports whether every string in v is valid UTF-8.
func ValidUTF8(v Value) bool {
	switch v.Kind {
	case S:
		return utf8.ValidString(v.S)
	case L:
		for _, e := range v.L {
			if !ValidUTF8(e) {
				return false
			}
		}
	case M:
		for k, e := range v.M {
			if !utf8.ValidString(k) || !ValidUTF8(e) {
				return false
			}
		}
	case SS:
		for _, s := range v.SS {
			if !utf8.ValidString(s) {
				return false
			}
		}
	}
	return true
}
