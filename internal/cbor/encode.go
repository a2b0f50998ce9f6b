package cbor

import (
	"reflect"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// encoder is the state of one Marshal call. Small writes go to buf; a
// large byte string is not copied but borrowed: buf so far and the string
// are moved to parts, and bytes joins everything with one allocation of
// the exact size. (Growing one buffer instead costs several times the
// output in garbage.) Borrowed slices are only read, before Marshal returns.
type encoder struct {
	buf   []byte
	parts [][]byte // finished pieces before buf, owned or borrowed
	n     int      // total length of parts
	chunk int      // capacity of the last chunk appendLarge started
	depth int      // containers and pointers entered, bounded by MaxEncodeDepth
	time  TimeFormat
}

// borrowMin is the length from which appendLarge borrows instead of copying.
const borrowMin = 256

// appendLarge appends b, borrowing it when it is large.
func (e *encoder) appendLarge(b []byte) {
	if len(b) < borrowMin {
		e.buf = append(e.buf, b...)
		return
	}
	e.parts = append(e.parts, e.buf, b)
	e.n += len(e.buf) + len(b)
	// Later small writes continue in buf's spare capacity, after the
	// piece just finished, so they never overwrite it; when little is
	// left, in a new chunk twice the size of the last (up to 64 KiB).
	e.buf = e.buf[len(e.buf):]
	if cap(e.buf) < borrowMin {
		e.chunk = min(max(2*e.chunk, 1<<10), 64<<10)
		e.buf = make([]byte, 0, e.chunk)
	}
}

// bytes returns the whole encoding.
func (e *encoder) bytes() []byte {
	if len(e.parts) == 0 {
		return e.buf
	}
	out := make([]byte, 0, e.n+len(e.buf))
	for _, p := range e.parts {
		out = append(out, p...)
	}
	return append(out, e.buf...)
}

// encoderFunc appends the encoding of v, whose type it was built for.
type encoderFunc func(e *encoder, v reflect.Value) error

var (
	marshalerType = reflect.TypeFor[Marshaler]()
	timeType      = reflect.TypeFor[time.Time]()
)

// encoderCache maps reflect.Type to encoderFunc. Package-level like
// encoding/json's: entries are built from types only and never change.
var encoderCache sync.Map

// value appends the encoding of v; the invalid Value (Marshal(nil)) is null.
func (e *encoder) value(v reflect.Value) error {
	if !v.IsValid() {
		e.buf = append(e.buf, simpleNull)
		return nil
	}
	return typeEncoder(v.Type())(e, v)
}

// enter counts one level of nesting for a value of type t.
func (e *encoder) enter(t reflect.Type) error {
	e.depth++
	if e.depth > MaxEncodeDepth {
		return &UnsupportedValueError{Type: t, Str: "nesting deeper than MaxEncodeDepth (a cyclic value?)"}
	}
	return nil
}

func (e *encoder) leave() { e.depth-- }

func typeEncoder(t reflect.Type) encoderFunc {
	if f, ok := encoderCache.Load(t); ok {
		return f.(encoderFunc)
	}
	// A recursive type reaches itself while its encoder is being built:
	// publish a forwarding func first, which waits for the real one.
	var (
		wg sync.WaitGroup
		f  encoderFunc
	)
	wg.Add(1)
	fi, loaded := encoderCache.LoadOrStore(t, encoderFunc(func(e *encoder, v reflect.Value) error {
		wg.Wait()
		return f(e, v)
	}))
	if loaded {
		return fi.(encoderFunc)
	}
	f = newTypeEncoder(t, true)
	wg.Done()
	encoderCache.Store(t, f)
	return f
}

// newTypeEncoder builds the encoder of t. With allowAddr, a type whose
// pointer is a Marshaler uses MarshalCBOR when the value is addressable.
func newTypeEncoder(t reflect.Type, allowAddr bool) encoderFunc {
	if t.Kind() != reflect.Pointer && allowAddr && reflect.PointerTo(t).Implements(marshalerType) {
		addr, plain := encoderFunc(addrMarshalerEncoder), newTypeEncoder(t, false)
		return func(e *encoder, v reflect.Value) error {
			if v.CanAddr() {
				return addr(e, v)
			}
			return plain(e, v)
		}
	}
	if t.Implements(marshalerType) {
		return marshalerEncoder
	}
	if t == timeType {
		return timeEncoder
	}
	switch t.Kind() {
	case reflect.Bool:
		return boolEncoder
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return intEncoder
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return uintEncoder
	case reflect.Float32, reflect.Float64:
		return floatEncoder
	case reflect.String:
		return stringEncoder
	case reflect.Interface:
		return interfaceEncoder
	case reflect.Struct:
		return newStructEncoder(t)
	case reflect.Map:
		return newMapEncoder(t)
	case reflect.Slice:
		if isByteElem(t.Elem()) {
			return bytesEncoder
		}
		return newSliceEncoder(t)
	case reflect.Array:
		if isByteElem(t.Elem()) {
			return byteArrayEncoder
		}
		return newArrayEncoder(t)
	case reflect.Pointer:
		return newPointerEncoder(t)
	}
	return unsupportedTypeEncoder
}

// isByteElem reports whether a slice or array of t is a byte string: t is
// a uint8 kind that does not encode itself.
func isByteElem(t reflect.Type) bool {
	return t.Kind() == reflect.Uint8 && !t.Implements(marshalerType) && !reflect.PointerTo(t).Implements(marshalerType)
}

// Simple values (major type 7) written as one byte.
const (
	simpleFalse = 0xf4
	simpleTrue  = 0xf5
	simpleNull  = 0xf6
	simpleUndef = 0xf7
)

func boolEncoder(e *encoder, v reflect.Value) error {
	if v.Bool() {
		e.buf = append(e.buf, simpleTrue)
	} else {
		e.buf = append(e.buf, simpleFalse)
	}
	return nil
}

func intEncoder(e *encoder, v reflect.Value) error {
	e.buf = appendInt(e.buf, v.Int())
	return nil
}

func uintEncoder(e *encoder, v reflect.Value) error {
	e.buf = appendHead(e.buf, majorUint, v.Uint())
	return nil
}

func floatEncoder(e *encoder, v reflect.Value) error {
	e.buf = appendFloat(e.buf, v.Float())
	return nil
}

func stringEncoder(e *encoder, v reflect.Value) error {
	e.buf = appendText(e.buf, v.String())
	return nil
}

// appendText appends s as a text string, invalid UTF-8 replaced by U+FFFD.
func appendText(b []byte, s string) []byte {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, "\uFFFD")
	}
	b = appendHead(b, majorText, uint64(len(s)))
	return append(b, s...)
}

func bytesEncoder(e *encoder, v reflect.Value) error {
	if v.IsNil() {
		e.buf = append(e.buf, simpleNull)
		return nil
	}
	b := v.Bytes()
	e.buf = appendHead(e.buf, majorBytes, uint64(len(b)))
	e.appendLarge(b)
	return nil
}

func byteArrayEncoder(e *encoder, v reflect.Value) error {
	n := v.Len()
	e.buf = appendHead(e.buf, majorBytes, uint64(n))
	if v.CanAddr() {
		e.appendLarge(v.Bytes())
		return nil
	}
	for i := range n {
		e.buf = append(e.buf, byte(v.Index(i).Uint()))
	}
	return nil
}

func unsupportedTypeEncoder(e *encoder, v reflect.Value) error {
	return &UnsupportedTypeError{Type: v.Type()}
}

// timeEncoder writes tag 1 in the encoder's TimeFormat, at millisecond
// precision (later digits are truncated).
func timeEncoder(e *encoder, v reflect.Value) error {
	if !v.CanInterface() {
		return &UnsupportedValueError{Type: v.Type(), Str: "unexported time value"}
	}
	t := v.Interface().(time.Time)
	if !timeInRange(t) {
		return &UnsupportedValueError{Type: v.Type(), Str: "time outside years 0-9999 (UTC)"}
	}
	ms := t.UnixMilli()
	e.buf = appendHead(e.buf, majorTag, tagEpoch)
	if e.time == EpochMillis {
		e.buf = appendInt(e.buf, ms)
	} else {
		e.buf = appendDouble(e.buf, float64(ms)/1000)
	}
	return nil
}

func marshalerEncoder(e *encoder, v reflect.Value) error {
	if (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil() {
		e.buf = append(e.buf, simpleNull)
		return nil
	}
	return e.marshaler(v)
}

func addrMarshalerEncoder(e *encoder, v reflect.Value) error {
	return e.marshaler(v.Addr())
}

// marshaler appends what v's MarshalCBOR returns, once it is checked to be
// a single well-formed item.
func (e *encoder) marshaler(v reflect.Value) error {
	if !v.CanInterface() {
		return &UnsupportedValueError{Type: v.Type(), Str: "unexported Marshaler value"}
	}
	m := v.Interface().(Marshaler)
	b, err := m.MarshalCBOR()
	if err == nil {
		err = wellFormed(b, MaxEncodeDepth)
	}
	if err != nil {
		return &MarshalerError{Type: v.Type(), Err: err}
	}
	// A Marshaler may reuse its buffer on the next call: copy, except for
	// a RawMessage, whose bytes are the caller's value itself.
	if _, ok := m.(RawMessage); ok {
		e.appendLarge(b)
	} else {
		e.buf = append(e.buf, b...)
	}
	return nil
}
