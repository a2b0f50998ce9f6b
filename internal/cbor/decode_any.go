package cbor

import (
	"math"
	"reflect"
)

var anyType = reflect.TypeFor[any]()

// any decodes the item at d.off into the Go value an empty interface
// holds for it: int64 (uint64 above MaxInt64), float64, bool, nil, string,
// []byte, []any, map[string]any or time.Time (tags 0 and 1; other tags
// yield their content).
func (d *decoder) any() (any, error) {
	h, p, err := readHeader(d.data, d.off)
	if err != nil {
		return nil, err
	}
	switch h.major {
	case majorUint:
		d.off = p
		if h.arg <= math.MaxInt64 {
			return int64(h.arg), nil
		}
		return h.arg, nil
	case majorNegInt:
		if h.arg > math.MaxInt64 {
			return nil, d.typeErr(h, anyType)
		}
		d.off = p
		return -1 - int64(h.arg), nil
	case majorBytes:
		b, err := d.stringBytes(h, p)
		if err != nil {
			return nil, err
		}
		if h.ai != aiIndefinite {
			b = append(make([]byte, 0, len(b)), b...)
		}
		return b, nil
	case majorText:
		b, err := d.stringBytes(h, p)
		return string(b), err
	case majorArray:
		return d.anyArray(h, p)
	case majorMap:
		return d.anyMap(h, p)
	case majorTag:
		if h.arg == tagDateTime || h.arg == tagEpoch {
			t, err := d.taggedTime(h, p)
			if err != nil {
				return nil, err
			}
			return t, nil
		}
		d.off = p
		return d.any()
	}
	switch h.ai {
	case 20, 21:
		d.off = p
		return h.ai == 21, nil
	case 22, 23:
		d.off = p
		return nil, nil
	}
	if f, ok := floatOf(h); ok {
		d.off = p
		return f, nil
	}
	return nil, d.typeErr(h, anyType)
}

func (d *decoder) anyArray(h header, p int) ([]any, error) {
	d.off = p
	n, err := d.count(h)
	if err != nil {
		return nil, err
	}
	out := make([]any, 0, n)
	for i := uint64(0); ; i++ {
		more, err := d.more(h, i)
		if err != nil || !more {
			return out, err
		}
		x, err := d.any()
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
}

func (d *decoder) anyMap(h header, p int) (map[string]any, error) {
	d.off = p
	n, err := d.count(h)
	if err != nil {
		return nil, err
	}
	out := make(map[string]any, n)
	for i := uint64(0); ; i++ {
		more, err := d.more(h, i)
		if err != nil || !more {
			return out, err
		}
		kh, kp, err := readHeader(d.data, d.off)
		if err != nil {
			return nil, err
		}
		if kh.major != majorText {
			return nil, &UnmarshalTypeError{Value: describe(kh) + " as map key", Type: anyType, Offset: int64(d.off)}
		}
		kb, err := d.stringBytes(kh, kp)
		if err != nil {
			return nil, err
		}
		x, err := d.any()
		if err != nil {
			return nil, err
		}
		out[string(kb)] = x
	}
}
