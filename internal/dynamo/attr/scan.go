package attr

import (
	"encoding/base64"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"
)

// The JSON scanner under UnmarshalJSON: strings, skipping, base64.

// typeKey reads a member name without allocating when it has no escapes.
func (d *decoder) typeKey() ([]byte, error) {
	if d.peek() != '"' {
		return nil, serialization(MsgMalformedJSON)
	}
	for j := d.i + 1; j < len(d.data); j++ {
		switch c := d.data[j]; {
		case c == '"':
			k := d.data[d.i+1 : j]
			d.i = j + 1
			return k, nil
		case c == '\\' || c < 0x20:
			s, err := d.str()
			return []byte(s), err
		}
	}
	return nil, serialization(MsgMalformedJSON)
}

// str reads a JSON string.
func (d *decoder) str() (string, error) {
	if d.peek() != '"' {
		return "", serialization(MsgMalformedJSON)
	}
	d.i++
	start := d.i
	for d.i < len(d.data) {
		c := d.data[d.i]
		if c == '"' {
			raw := d.data[start:d.i]
			d.i++
			if utf8.Valid(raw) {
				return string(raw), nil
			}
			return string([]rune(string(raw))), nil
		}
		if c == '\\' {
			return d.strSlow(start)
		}
		if c < 0x20 {
			return "", serialization(MsgMalformedJSON)
		}
		d.i++
	}
	return "", serialization(MsgMalformedJSON)
}

func (d *decoder) strSlow(start int) (string, error) {
	buf := append([]byte(nil), d.data[start:d.i]...)
	for d.i < len(d.data) {
		c := d.data[d.i]
		switch {
		case c == '"':
			d.i++
			if !utf8.Valid(buf) {
				return string([]rune(string(buf))), nil
			}
			return string(buf), nil
		case c < 0x20:
			return "", serialization(MsgMalformedJSON)
		case c != '\\':
			buf = append(buf, c)
			d.i++
			continue
		}
		d.i++
		if d.i >= len(d.data) {
			break
		}
		e := d.data[d.i]
		d.i++
		switch e {
		case '"', '\\', '/':
			buf = append(buf, e)
		case 'b':
			buf = append(buf, '\b')
		case 'f':
			buf = append(buf, '\f')
		case 'n':
			buf = append(buf, '\n')
		case 'r':
			buf = append(buf, '\r')
		case 't':
			buf = append(buf, '\t')
		case 'u':
			r, ok := d.hex4()
			if !ok {
				return "", serialization(MsgMalformedJSON)
			}
			if utf16.IsSurrogate(r) {
				save := d.i
				if d.literal(`\u`) {
					if r2, ok := d.hex4(); ok {
						if dec := utf16.DecodeRune(r, r2); dec != utf8.RuneError {
							buf = utf8.AppendRune(buf, dec)
							continue
						}
					}
				}
				d.i = save
				r = utf8.RuneError
			}
			buf = utf8.AppendRune(buf, r)
		default:
			return "", serialization(MsgMalformedJSON)
		}
	}
	return "", serialization(MsgMalformedJSON)
}

func (d *decoder) hex4() (rune, bool) {
	if len(d.data)-d.i < 4 {
		return 0, false
	}
	n, err := strconv.ParseUint(string(d.data[d.i:d.i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	d.i += 4
	return rune(n), true
}

// maxSkipDepth bounds the nesting of ignored members, so hostile input
// cannot exhaust the stack (encoding/json's limit).
const maxSkipDepth = 10000

// skip passes over any JSON value.
func (d *decoder) skip() error { return d.skipDepth(0) }

func (d *decoder) skipDepth(depth int) error {
	if depth > maxSkipDepth {
		return serialization(MsgMalformedJSON)
	}
	c := d.peek()
	switch {
	case c == '"':
		_, err := d.str()
		return err
	case c == '{' || c == '[':
		closer := byte('}')
		if c == '[' {
			closer = ']'
		}
		d.i++
		if d.peek() == closer {
			d.i++
			return nil
		}
		for {
			if c == '{' {
				if _, err := d.str(); err != nil {
					return err
				}
				if d.peek() != ':' {
					return serialization(MsgMalformedJSON)
				}
				d.i++
			}
			if err := d.skipDepth(depth + 1); err != nil {
				return err
			}
			n := d.peek()
			d.i++
			if n == closer {
				return nil
			}
			if n != ',' {
				return serialization(MsgMalformedJSON)
			}
		}
	case d.literal("true"), d.literal("false"), d.literal("null"):
		return nil
	case c == '-' || (c >= '0' && c <= '9'):
		start := d.i
		for d.i < len(d.data) && isNumByte(d.data[d.i]) {
			d.i++
		}
		if _, err := strconv.ParseFloat(string(d.data[start:d.i]), 64); err != nil {
			if ne, ok := err.(*strconv.NumError); !ok || ne.Err != strconv.ErrRange {
				return serialization(MsgMalformedJSON)
			}
		}
		return nil
	}
	return serialization(MsgMalformedJSON)
}

func isNumByte(c byte) bool {
	return c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E' || (c >= '0' && c <= '9')
}

func decodeBase64(s string) ([]byte, error) {
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		if len(s)%4 != 0 {
			return nil, serialization("'" + s + "' can not be converted to a Blob: Base64 encoded length is expected a multiple of 4 bytes but found: " + strconv.Itoa(len(s)))
		}
		return nil, serialization("'" + s + "' can not be converted to a Blob: Invalid Base64 character")
	}
	return b, nil
}

func hasDuplicates(ss []string) bool {
	if len(ss) < 16 {
		for i := range ss {
			for j := i + 1; j < len(ss); j++ {
				if ss[i] == ss[j] {
					return true
				}
			}
		}
		return false
	}
	seen := make(map[string]struct{}, len(ss))
	for _, s := range ss {
		if _, ok := seen[s]; ok {
			return true
		}
		seen[s] = struct{}{}
	}
	return false
}
