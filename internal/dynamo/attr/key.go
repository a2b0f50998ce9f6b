package attr

import (
	"errors"
	"strconv"
)

// ErrBadKey means DecodeKey was given bytes AppendKey did not write.
var ErrBadKey = errors.New("attr: malformed key encoding")

// AppendKey appends an order-preserving, self-delimiting encoding of a
// key value (S, N or B): bytes.Compare of two encodings of the same kind
// equals Compare of the values, and because each encoding delimits
// itself, hash||range concatenations sort by hash and then by range.
//
//   - S and B: the bytes with 0x00 escaped as 0x00 0xFF, then 0x00 0x01.
//   - N: a class byte (0x01 negative, 0x02 zero, 0x03 positive), then for
//     non-zero numbers the exponent biased by 130 (one byte: -130..125)
//     and the significant digits two per byte (1..100, the odd last digit
//     padded with 0) and a terminator 0x00; negative numbers have every
//     byte after the class inverted (terminator 0xFF). Exact, no floats.
//
// Numbers must be within DynamoDB's range (as Number and UnmarshalJSON
// guarantee). Other kinds append nothing.
func AppendKey(dst []byte, v Value) []byte {
	switch v.Kind {
	case S:
		return appendEscaped(dst, v.S)
	case B:
		return appendEscaped(dst, string(v.B))
	case N:
		d, _ := parseDecimal(v.S)
		if d.digits == "" {
			return append(dst, 0x02)
		}
		var inv byte
		if d.neg {
			dst = append(dst, 0x01)
			inv = 0xFF
		} else {
			dst = append(dst, 0x03)
		}
		dst = append(dst, byte(d.exp-MinExponent)^inv)
		for i := 0; i < len(d.digits); i += 2 {
			p := int(d.digits[i]-'0') * 10
			if i+1 < len(d.digits) {
				p += int(d.digits[i+1] - '0')
			}
			dst = append(dst, byte(p+1)^inv)
		}
		return append(dst, inv)
	}
	return dst
}

func appendEscaped(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if s[i] == 0 {
			dst = append(dst, 0, 0xFF)
		} else {
			dst = append(dst, s[i])
		}
	}
	return append(dst, 0, 1)
}

// DecodeKey reads one value of kind (S, N or B) that AppendKey wrote at
// the start of b and returns it with the bytes after it.
func DecodeKey(b []byte, kind Kind) (Value, []byte, error) {
	switch kind {
	case S, B:
		var out []byte
		for i := 0; i < len(b); i++ {
			if b[i] != 0 {
				out = append(out, b[i])
				continue
			}
			if i+1 >= len(b) {
				return Value{}, nil, ErrBadKey
			}
			switch b[i+1] {
			case 0xFF:
				out = append(out, 0)
				i++
			case 0x01:
				if kind == S {
					return String(string(out)), b[i+2:], nil
				}
				if out == nil {
					out = []byte{}
				}
				return Binary(out), b[i+2:], nil
			default:
				return Value{}, nil, ErrBadKey
			}
		}
		return Value{}, nil, ErrBadKey
	case N:
		if len(b) == 0 {
			return Value{}, nil, ErrBadKey
		}
		var inv byte
		switch b[0] {
		case 0x02:
			return Value{Kind: N, S: "0"}, b[1:], nil
		case 0x01:
			inv = 0xFF
		case 0x03:
		default:
			return Value{}, nil, ErrBadKey
		}
		if len(b) < 2 {
			return Value{}, nil, ErrBadKey
		}
		d := decimal{neg: inv != 0, exp: int(b[1]^inv) + MinExponent}
		var digits []byte
		for i := 2; i < len(b); i++ {
			c := b[i] ^ inv
			if c == 0 {
				for len(digits) > 0 && digits[len(digits)-1] == '0' {
					digits = digits[:len(digits)-1]
				}
				if len(digits) == 0 {
					return Value{}, nil, ErrBadKey
				}
				d.digits = string(digits)
				return Value{Kind: N, S: d.text()}, b[i+1:], nil
			}
			if c > 100 {
				return Value{}, nil, ErrBadKey
			}
			p := int(c - 1)
			digits = append(digits, byte('0'+p/10), byte('0'+p%10))
		}
		return Value{}, nil, ErrBadKey
	}
	return Value{}, nil, errors.New("attr: DecodeKey of kind " + strconv.Itoa(int(kind)) + " (not S, N or B)")
}
