package cbor

import (
	"unicode/utf8"
)

// CBOR major types (RFC 8949 section 3.1).
const (
	majorUint   = 0
	majorNegInt = 1
	majorBytes  = 2
	majorText   = 3
	majorArray  = 4
	majorMap    = 5
	majorTag    = 6
	majorSimple = 7
)

// Additional-information values with a meaning of their own.
const (
	aiOneByte    = 24
	aiTwoBytes   = 25
	aiFourBytes  = 26
	aiEightBytes = 27
	aiIndefinite = 31
	breakCode    = 0xff
)

// header is a decoded initial byte and argument.
type header struct {
	major byte
	ai    byte   // additional information, 0-31
	arg   uint64 // the argument; meaningless when ai is aiIndefinite
}

// readHeader decodes the head at data[off:] and returns it with the offset
// of what follows. It rejects truncation and reserved values 28-30, but
// not an indefinite length (the caller knows whether one is allowed).
func readHeader(data []byte, off int) (header, int, error) {
	if off >= len(data) {
		return header{}, off, syntaxErr(off, "unexpected end of input")
	}
	ib := data[off]
	h := header{major: ib >> 5, ai: ib & 0x1f}
	p := off + 1
	switch {
	case h.ai < aiOneByte:
		h.arg = uint64(h.ai)
		return h, p, nil
	case h.ai == aiIndefinite:
		return h, p, nil
	case h.ai > aiEightBytes:
		return h, off, syntaxErr(off, "reserved additional information %d", h.ai)
	}
	n := 1 << (h.ai - aiOneByte) // 1, 2, 4 or 8 bytes
	if len(data)-p < n {
		return h, off, syntaxErr(off, "unexpected end of input in head")
	}
	for _, b := range data[p : p+n] {
		h.arg = h.arg<<8 | uint64(b)
	}
	return h, p + n, nil
}

// wellFormed reports whether data is exactly one well-formed CBOR item
// nesting at most maxDepth arrays, maps and tags deep. It allocates nothing.
func wellFormed(data []byte, maxDepth int) error {
	end, err := skipItem(data, 0, maxDepth)
	if err != nil {
		return err
	}
	if end != len(data) {
		return syntaxErr(end, "%d trailing bytes after the top-level item", len(data)-end)
	}
	return nil
}

// skipItem checks the well-formed item at data[off:] and returns the offset
// just past it. depth is how many more levels of nesting are allowed.
func skipItem(data []byte, off, depth int) (int, error) {
	h, p, err := readHeader(data, off)
	if err != nil {
		return off, err
	}
	switch h.major {
	case majorUint, majorNegInt:
		if h.ai == aiIndefinite {
			return off, syntaxErr(off, "indefinite length on an integer")
		}
		return p, nil
	case majorBytes, majorText:
		if h.ai != aiIndefinite {
			return skipString(data, off, p, h)
		}
		for {
			if p >= len(data) {
				return p, syntaxErr(p, "unexpected end of input in indefinite-length string")
			}
			if data[p] == breakCode {
				return p + 1, nil
			}
			ch, q, err := readHeader(data, p)
			if err != nil {
				return p, err
			}
			if ch.major != h.major || ch.ai == aiIndefinite {
				return p, syntaxErr(p, "chunk of an indefinite-length string is not a definite-length string of the same type")
			}
			if p, err = skipString(data, p, q, ch); err != nil {
				return p, err
			}
		}
	case majorArray, majorMap:
		if depth <= 0 {
			return off, syntaxErr(off, "nesting too deep")
		}
		return skipContainer(data, off, p, h, depth-1)
	case majorTag:
		if h.ai == aiIndefinite {
			return off, syntaxErr(off, "indefinite length on a tag")
		}
		if depth <= 0 {
			return off, syntaxErr(off, "nesting too deep")
		}
		return skipItem(data, p, depth-1)
	default: // majorSimple
		switch {
		case h.ai == aiIndefinite:
			return off, syntaxErr(off, "break code outside an indefinite-length item")
		case h.ai == aiOneByte && h.arg < 32:
			return off, syntaxErr(off, "two-byte encoding of simple value %d", h.arg)
		}
		return p, nil
	}
}

// skipString checks the definite-length string with head h at off whose
// content starts at p.
func skipString(data []byte, off, p int, h header) (int, error) {
	if h.arg > uint64(len(data)-p) {
		return off, syntaxErr(off, "string length %d exceeds the %d bytes left", h.arg, len(data)-p)
	}
	end := p + int(h.arg)
	if h.major == majorText && !utf8.Valid(data[p:end]) {
		return off, syntaxErr(off, "invalid UTF-8 in text string")
	}
	return end, nil
}

// skipContainer checks the elements of the array or map with head h at off
// whose first element starts at p.
func skipContainer(data []byte, off, p int, h header, depth int) (int, error) {
	per := uint64(1)
	if h.major == majorMap {
		per = 2
	}
	if h.ai != aiIndefinite {
		// Every item takes at least one byte: refuse a count the rest of
		// the input cannot hold before looking at any element.
		if h.arg > uint64(len(data)-p)/per {
			return off, syntaxErr(off, "%d elements declared but only %d bytes left", h.arg, len(data)-p)
		}
		for i := uint64(0); i < h.arg*per; i++ {
			var err error
			if p, err = skipItem(data, p, depth); err != nil {
				return p, err
			}
		}
		return p, nil
	}
	for n := 0; ; n++ {
		if p >= len(data) {
			return p, syntaxErr(p, "unexpected end of input in indefinite-length container")
		}
		if data[p] == breakCode {
			if per == 2 && n%2 == 1 {
				return p, syntaxErr(p, "break code in place of a map value")
			}
			return p + 1, nil
		}
		var err error
		if p, err = skipItem(data, p, depth); err != nil {
			return p, err
		}
	}
}
