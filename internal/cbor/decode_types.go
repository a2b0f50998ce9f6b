package cbor

import (
	"encoding/base64"
	"fmt"
	"reflect"
	"strings"
)

// stringBytes returns the content of the byte or text string with head h
// (content or first chunk at p) and moves past it. A definite-length
// string's bytes alias d.data; an indefinite one's chunks are joined into
// a new slice.
func (d *decoder) stringBytes(h header, p int) ([]byte, error) {
	if h.ai != aiIndefinite {
		if h.arg > uint64(len(d.data)-p) {
			return nil, syntaxErr(d.off, "string longer than the input")
		}
		end := p + int(h.arg)
		d.off = end
		return d.data[p:end:end], nil
	}
	// First pass: the total length, so the result is allocated once.
	n, q := 0, p
	for q < len(d.data) && d.data[q] != breakCode {
		ch, c, err := readHeader(d.data, q)
		if err != nil {
			return nil, err
		}
		if ch.major != h.major || ch.ai == aiIndefinite || ch.arg > uint64(len(d.data)-c) {
			return nil, syntaxErr(q, "bad chunk in indefinite-length string")
		}
		n += int(ch.arg)
		q = c + int(ch.arg)
	}
	if q >= len(d.data) {
		return nil, syntaxErr(q, "unexpected end of input in indefinite-length string")
	}
	out := make([]byte, 0, n)
	for p < q {
		ch, c, _ := readHeader(d.data, p)
		p = c + int(ch.arg)
		out = append(out, d.data[c:p]...)
	}
	d.off = q + 1
	return out, nil
}

// atBreak reports whether the next byte ends an indefinite-length item,
// and consumes it if so.
func (d *decoder) atBreak() (bool, error) {
	if d.off >= len(d.data) {
		return false, syntaxErr(d.off, "unexpected end of input in indefinite-length item")
	}
	if d.data[d.off] == breakCode {
		d.off++
		return true, nil
	}
	return false, nil
}

// count returns how many elements to allocate for the array or map with
// head h, whose content starts at d.off: its declared length (0 if
// indefinite). The scanner has checked that they are present; checking
// again here keeps a broken invariant from becoming a huge allocation.
func (d *decoder) count(h header) (int, error) {
	if h.ai == aiIndefinite {
		return 0, nil
	}
	if h.arg > uint64(len(d.data)-d.off) {
		return 0, syntaxErr(d.off, "%d elements declared but only %d bytes left", h.arg, len(d.data)-d.off)
	}
	return int(h.arg), nil
}

// more reports whether element i of a container with head h follows,
// consuming the break of an indefinite-length one.
func (d *decoder) more(h header, i uint64) (bool, error) {
	if h.ai != aiIndefinite {
		return i < h.arg, nil
	}
	done, err := d.atBreak()
	return !done, err
}

// bytesInto stores a byte string, or a text string holding base64, in a
// []byte-kind slice. The result never aliases the input.
func (d *decoder) bytesInto(v reflect.Value, h header, p int) error {
	start := d.off
	b, err := d.stringBytes(h, p)
	if err != nil {
		return err
	}
	if h.major == majorText {
		enc := base64.StdEncoding
		if len(b)%4 != 0 {
			enc = base64.RawStdEncoding
		}
		out := make([]byte, enc.DecodedLen(len(b)))
		n, err := enc.Decode(out, b)
		if err != nil {
			return &UnmarshalTypeError{Value: "text string (not base64)", Type: v.Type(), Offset: int64(start)}
		}
		b = out[:n]
	} else if h.ai != aiIndefinite {
		b = append(make([]byte, 0, len(b)), b...)
	}
	v.SetBytes(b)
	return nil
}

// byteArrayInto copies a byte string into a [N]byte-kind array, zeroing
// what the string does not cover and dropping what does not fit.
func (d *decoder) byteArrayInto(v reflect.Value, h header, p int) error {
	b, err := d.stringBytes(h, p)
	if err != nil {
		return err
	}
	for i := range v.Len() {
		var c byte
		if i < len(b) {
			c = b[i]
		}
		v.Index(i).SetUint(uint64(c))
	}
	return nil
}

// sliceInto replaces v with a new slice holding the array's elements.
func (d *decoder) sliceInto(v reflect.Value, h header, p int) error {
	d.off = p
	if h.ai != aiIndefinite {
		n, err := d.count(h)
		if err != nil {
			return err
		}
		s := reflect.MakeSlice(v.Type(), n, n)
		for i := range n {
			if err := d.value(s.Index(i)); err != nil {
				return err
			}
		}
		v.Set(s)
		return nil
	}
	v.Set(reflect.MakeSlice(v.Type(), 0, 0))
	for i := 0; ; i++ {
		if done, err := d.atBreak(); err != nil || done {
			return err
		}
		if i == v.Cap() {
			v.Grow(1)
		}
		v.SetLen(i + 1)
		if err := d.value(v.Index(i)); err != nil {
			return err
		}
	}
}

// arrayInto fills a Go array from a CBOR array: extra elements are
// skipped, missing ones zeroed.
func (d *decoder) arrayInto(v reflect.Value, h header, p int) error {
	d.off = p
	i := 0
	for ; ; i++ {
		more, err := d.more(h, uint64(i))
		if err != nil {
			return err
		}
		if !more {
			break
		}
		if i < v.Len() {
			err = d.value(v.Index(i))
		} else {
			d.off, err = skipItem(d.data, d.off, maxSkipDepth)
		}
		if err != nil {
			return err
		}
	}
	for ; i < v.Len(); i++ {
		v.Index(i).SetZero()
	}
	return nil
}

// mapInto adds the entries of a CBOR map to v, a map with a string-kind
// key, making it if nil. Keys must be text strings.
func (d *decoder) mapInto(v reflect.Value, h header, p int) error {
	t := v.Type()
	if t.Key().Kind() != reflect.String {
		return &UnsupportedTypeError{Type: t}
	}
	d.off = p
	if v.IsNil() {
		n, err := d.count(h)
		if err != nil {
			return err
		}
		v.Set(reflect.MakeMapWithSize(t, n))
	}
	elem := reflect.New(t.Elem()).Elem()
	for i := uint64(0); ; i++ {
		more, err := d.more(h, i)
		if err != nil || !more {
			return err
		}
		kh, kp, err := readHeader(d.data, d.off)
		if err != nil {
			return err
		}
		if kh.major != majorText {
			return &UnmarshalTypeError{Value: describe(kh) + " as map key", Type: t, Offset: int64(d.off)}
		}
		kb, err := d.stringBytes(kh, kp)
		if err != nil {
			return err
		}
		key := reflect.ValueOf(string(kb))
		if key.Type() != t.Key() {
			key = key.Convert(t.Key())
		}
		elem.SetZero()
		if err := d.value(elem); err != nil {
			return withField(err, string(kb))
		}
		v.SetMapIndex(key, elem)
	}
}

// structInto sets the fields of v named by the keys of a CBOR map:
// the exact name first, else the first field equal under case folding.
// Other keys, and keys that are not text strings, are skipped.
func (d *decoder) structInto(v reflect.Value, h header, p int) error {
	si := cachedStructInfo(v.Type())
	d.off = p
	for i := uint64(0); ; i++ {
		more, err := d.more(h, i)
		if err != nil || !more {
			return err
		}
		kh, kp, err := readHeader(d.data, d.off)
		if err != nil {
			return err
		}
		var f *field
		if kh.major == majorText {
			kb, err := d.stringBytes(kh, kp)
			if err != nil {
				return err
			}
			f = si.lookup(kb)
		} else if d.off, err = skipItem(d.data, d.off, maxSkipDepth); err != nil {
			return err
		}
		if f == nil {
			if d.off, err = skipItem(d.data, d.off, maxSkipDepth); err != nil {
				return err
			}
			continue
		}
		fv, err := fieldForDecode(v, f.index)
		if err == nil {
			err = d.value(fv)
		}
		if err != nil {
			return withField(err, f.name)
		}
	}
}

// lookup finds the field a map key names.
func (si *structInfo) lookup(key []byte) *field {
	if i, ok := si.byName[string(key)]; ok {
		return &si.fields[i]
	}
	for i := range si.fields {
		if strings.EqualFold(si.fields[i].name, string(key)) {
			return &si.fields[i]
		}
	}
	return nil
}

// fieldForDecode returns the field of v at index, allocating nil embedded
// pointers on the way.
func fieldForDecode(v reflect.Value, index []int) (reflect.Value, error) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !v.CanSet() {
					return reflect.Value{}, fmt.Errorf("cbor: cannot set embedded pointer to unexported struct: %w", &UnsupportedTypeError{Type: v.Type()})
				}
				v.Set(reflect.New(v.Type().Elem()))
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, nil
}
