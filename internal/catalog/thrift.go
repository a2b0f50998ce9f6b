package catalog

import (
	"encoding/binary"
	"math"
)

// Thrift compact protocol, the subset footers use.
const (
	tcStop   = 0
	tcTrue   = 1
	tcFalse  = 2
	tcByte   = 3
	tcI16    = 4
	tcI32    = 5
	tcI64    = 6
	tcDouble = 7
	tcBinary = 8
	tcList   = 9
	tcSet    = 10
	tcMap    = 11
	tcStruct = 12

	maxThriftDepth = 32
)

type thriftReader struct {
	b []byte
	i int
}

func (r *thriftReader) varint() (uint64, error) {
	v, n := binary.Uvarint(r.b[min(r.i, len(r.b)):])
	if n <= 0 {
		return 0, errParquet
	}
	r.i += n
	return v, nil
}

func (r *thriftReader) zigzag() (int64, error) {
	u, err := r.varint()
	return int64(u>>1) ^ -int64(u&1), err
}

func (r *thriftReader) binary() ([]byte, error) {
	n, err := r.varint()
	if err != nil || n > uint64(len(r.b)-r.i) {
		return nil, errParquet
	}
	s := r.b[r.i : r.i+int(n)]
	r.i += int(n)
	return s, nil
}

func (r *thriftReader) listHeader() (byte, int, error) {
	if r.i >= len(r.b) {
		return 0, 0, errParquet
	}
	h := r.b[r.i]
	r.i++
	n := int(h >> 4)
	if n == 15 {
		u, err := r.varint()
		if err != nil || u > uint64(len(r.b)) {
			return 0, 0, errParquet
		}
		n = int(u)
	}
	return h & 0x0f, n, nil
}

// readStruct calls fn for each field; fn must consume the field's value.
func (r *thriftReader) readStruct(depth int, fn func(id int16, typ byte) error) error {
	if depth > maxThriftDepth {
		return errParquet
	}
	var last int16
	for {
		if r.i >= len(r.b) {
			return errParquet
		}
		h := r.b[r.i]
		r.i++
		typ := h & 0x0f
		if typ == tcStop {
			return nil
		}
		id := last + int16(h>>4)
		if h>>4 == 0 {
			v, err := r.zigzag()
			if err != nil {
				return err
			}
			id = int16(v)
		}
		last = id
		if err := fn(id, typ); err != nil {
			return err
		}
	}
}

func (r *thriftReader) skip(typ byte, depth int) error {
	if depth > maxThriftDepth {
		return errParquet
	}
	switch typ {
	case tcTrue, tcFalse:
		return nil
	case tcByte:
		r.i++
	case tcI16, tcI32, tcI64:
		_, err := r.varint()
		return err
	case tcDouble:
		r.i += 8
	case tcBinary:
		_, err := r.binary()
		return err
	case tcList, tcSet:
		et, n, err := r.listHeader()
		if err != nil {
			return err
		}
		for range n {
			if et == tcTrue || et == tcFalse {
				r.i++
				continue
			}
			if err := r.skip(et, depth+1); err != nil {
				return err
			}
		}
	case tcMap:
		n, err := r.varint()
		if err != nil || n > math.MaxInt32 {
			return errParquet
		}
		if n > 0 {
			if r.i >= len(r.b) {
				return errParquet
			}
			kv := r.b[r.i]
			r.i++
			for range n {
				if err := r.skip(kv>>4, depth+1); err != nil {
					return err
				}
				if err := r.skip(kv&0x0f, depth+1); err != nil {
					return err
				}
			}
		}
	case tcStruct:
		return r.readStruct(depth+1, func(_ int16, t byte) error { return r.skip(t, depth+1) })
	default:
		return errParquet
	}
	if r.i > len(r.b) {
		return errParquet
	}
	return nil
}
