package cbor

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
)

// decoder is the state of one Unmarshal call, run only on input that
// wellFormed accepted: every length is known to fit and every container to
// be complete. It still checks bounds on each head it reads, so that a
// disagreement with the scanner is an error, never a panic.
type decoder struct {
	data []byte
	off  int
	time TimeFormat
}

var unmarshalerType = reflect.TypeFor[Unmarshaler]()

// maxSkipDepth is the depth passed when skipping an item the scanner has
// already checked against the real limit.
const maxSkipDepth = math.MaxInt32

// value decodes the item at d.off into v, which must be settable.
func (d *decoder) value(v reflect.Value) error {
	if d.off >= len(d.data) {
		return syntaxErr(d.off, "unexpected end of input")
	}
	isNull := d.data[d.off] == simpleNull || d.data[d.off] == simpleUndef
	u, v := indirect(v, isNull)
	if u != nil {
		return d.unmarshaler(u)
	}
	if isNull {
		// Null empties what can be nil and leaves the rest unchanged.
		d.off++
		switch v.Kind() {
		case reflect.Pointer, reflect.Map, reflect.Slice, reflect.Interface:
			v.SetZero()
		}
		return nil
	}
	if v.Type() == timeType {
		return d.timeInto(v)
	}
	if v.Kind() == reflect.Interface && v.NumMethod() == 0 {
		x, err := d.any()
		if err != nil {
			return err
		}
		if x == nil {
			v.SetZero()
		} else {
			v.Set(reflect.ValueOf(x))
		}
		return nil
	}
	h, p, err := readHeader(d.data, d.off)
	for err == nil && h.major == majorTag {
		// Tags other than the date tags (which only time.Time and any
		// read) are transparent.
		d.off = p
		h, p, err = readHeader(d.data, d.off)
	}
	if err != nil {
		return err
	}
	if h.major == majorSimple && (h.arg == 22 || h.arg == 23) && h.ai < aiOneByte {
		return d.value(v) // null under a tag
	}
	switch v.Kind() {
	case reflect.Bool:
		if h.major == majorSimple && (h.ai == 20 || h.ai == 21) {
			v.SetBool(h.ai == 21)
			d.off = p
			return nil
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64:
		return d.number(v, h, p)
	case reflect.String:
		if h.major == majorText {
			b, err := d.stringBytes(h, p)
			if err != nil {
				return err
			}
			v.SetString(string(b))
			return nil
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 && (h.major == majorBytes || h.major == majorText) {
			return d.bytesInto(v, h, p)
		}
		if h.major == majorArray {
			return d.sliceInto(v, h, p)
		}
	case reflect.Array:
		if v.Type().Elem().Kind() == reflect.Uint8 && h.major == majorBytes {
			return d.byteArrayInto(v, h, p)
		}
		if h.major == majorArray {
			return d.arrayInto(v, h, p)
		}
	case reflect.Map:
		if h.major == majorMap {
			return d.mapInto(v, h, p)
		}
	case reflect.Struct:
		if h.major == majorMap {
			return d.structInto(v, h, p)
		}
	case reflect.Interface: // with methods: only into the pointer it holds, see indirect
	default:
		return &UnsupportedTypeError{Type: v.Type()}
	}
	return d.typeErr(h, v.Type())
}

// indirect walks through pointers to the value to decode into, allocating
// nil pointers, and stops at the first Unmarshaler (a pointer type's own,
// or the address of an addressable value's). For null it stops at the
// first settable pointer instead, for the caller to set to nil. A non-nil
// interface holding a non-nil pointer is decoded through that pointer.
func indirect(v reflect.Value, decodingNull bool) (Unmarshaler, reflect.Value) {
	for {
		if v.Kind() == reflect.Interface && !v.IsNil() {
			if e := v.Elem(); e.Kind() == reflect.Pointer && !e.IsNil() && !(decodingNull && v.CanSet()) {
				v = e
				continue
			}
		}
		if v.Kind() != reflect.Pointer {
			if v.CanAddr() && reflect.PointerTo(v.Type()).Implements(unmarshalerType) && v.Addr().CanInterface() {
				return v.Addr().Interface().(Unmarshaler), v
			}
			return nil, v
		}
		if decodingNull && v.CanSet() {
			return nil, v
		}
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		if v.Type().Implements(unmarshalerType) && v.CanInterface() {
			return v.Interface().(Unmarshaler), v
		}
		v = v.Elem()
	}
}

// unmarshaler hands the raw item at d.off to u.
func (d *decoder) unmarshaler(u Unmarshaler) error {
	start := d.off
	end, err := skipItem(d.data, start, maxSkipDepth)
	if err != nil {
		return err
	}
	d.off = end
	if err := u.UnmarshalCBOR(d.data[start:end:end]); err != nil {
		return fmt.Errorf("cbor: %T.UnmarshalCBOR: %w", u, err)
	}
	return nil
}

// typeErr describes the item with head h at d.off that t cannot hold.
func (d *decoder) typeErr(h header, t reflect.Type) *UnmarshalTypeError {
	return &UnmarshalTypeError{Value: describe(h), Type: t, Offset: int64(d.off)}
}

// describe names a CBOR item for an error message.
func describe(h header) string {
	switch h.major {
	case majorUint:
		return "integer " + strconv.FormatUint(h.arg, 10)
	case majorNegInt:
		if h.arg == math.MaxUint64 {
			return "negative integer -18446744073709551616"
		}
		return "negative integer -" + strconv.FormatUint(h.arg+1, 10)
	case majorBytes:
		return "byte string"
	case majorText:
		return "text string"
	case majorArray:
		return "array"
	case majorMap:
		return "map"
	case majorTag:
		return "tag " + strconv.FormatUint(h.arg, 10)
	}
	switch h.ai {
	case 20, 21:
		return "bool"
	case 22:
		return "null"
	case 23:
		return "undefined"
	case aiTwoBytes, aiFourBytes, aiEightBytes:
		if f, ok := floatOf(h); ok {
			return "float " + strconv.FormatFloat(f, 'g', -1, 64)
		}
	}
	return "simple value " + strconv.FormatUint(h.arg, 10)
}

// withField records, on a type error, the struct field it happened in.
func withField(err error, name string) error {
	if e, ok := err.(*UnmarshalTypeError); ok {
		if e.Field == "" {
			e.Field = name
		} else {
			e.Field = name + "." + e.Field
		}
	}
	return err
}
