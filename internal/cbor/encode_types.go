package cbor

import (
	"cmp"
	"reflect"
	"slices"
)

// structEncoder writes a struct as a map with one entry per field of
// structInfo that is reachable and not omitted.
type structEncoder struct {
	info *structInfo
	encs []encoderFunc // per field of info
}

func newStructEncoder(t reflect.Type) encoderFunc {
	se := &structEncoder{info: cachedStructInfo(t)}
	se.encs = make([]encoderFunc, len(se.info.fields))
	for i, f := range se.info.fields {
		se.encs[i] = typeEncoder(f.typ)
	}
	return se.encode
}

// fieldValue returns the value of f in v, or false when f is left out.
func (se *structEncoder) fieldValue(v reflect.Value, f *field) (reflect.Value, bool) {
	var fv reflect.Value
	if len(f.index) == 1 {
		fv = v.Field(f.index[0])
	} else if fv, _ = fieldByIndex(v, f.index); !fv.IsValid() {
		return fv, false
	}
	if f.omitEmpty && isEmpty(fv) || f.omitZero && f.isZero(fv) {
		return fv, false
	}
	return fv, true
}

func (se *structEncoder) encode(e *encoder, v reflect.Value) error {
	if err := e.enter(v.Type()); err != nil {
		return err
	}
	defer e.leave()
	fields := se.info.fields
	n := len(fields)
	if se.info.mayOmit {
		n = 0
		for i := range fields {
			if _, ok := se.fieldValue(v, &fields[i]); ok {
				n++
			}
		}
	}
	e.buf = appendHead(e.buf, majorMap, uint64(n))
	for i := range fields {
		f := &fields[i]
		fv, ok := se.fieldValue(v, f)
		if !ok {
			continue
		}
		e.buf = append(e.buf, f.key...)
		if err := se.encs[i](e, fv); err != nil {
			return err
		}
	}
	return nil
}

func newMapEncoder(t reflect.Type) encoderFunc {
	if t.Key().Kind() != reflect.String {
		return unsupportedTypeEncoder
	}
	elem := typeEncoder(t.Elem())
	type entry struct {
		key string
		val reflect.Value
	}
	return func(e *encoder, v reflect.Value) error {
		if v.IsNil() {
			e.buf = append(e.buf, simpleNull)
			return nil
		}
		if err := e.enter(v.Type()); err != nil {
			return err
		}
		defer e.leave()
		entries := make([]entry, 0, v.Len())
		for it := v.MapRange(); it.Next(); {
			entries = append(entries, entry{it.Key().String(), it.Value()})
		}
		slices.SortFunc(entries, func(a, b entry) int { return cmp.Compare(a.key, b.key) })
		e.buf = appendHead(e.buf, majorMap, uint64(len(entries)))
		for _, en := range entries {
			e.buf = appendText(e.buf, en.key)
			if err := elem(e, en.val); err != nil {
				return err
			}
		}
		return nil
	}
}

func newSliceEncoder(t reflect.Type) encoderFunc {
	arr := newArrayEncoder(t)
	return func(e *encoder, v reflect.Value) error {
		if v.IsNil() {
			e.buf = append(e.buf, simpleNull)
			return nil
		}
		return arr(e, v)
	}
}

// newArrayEncoder writes a Go array, or a non-nil slice, as an array.
func newArrayEncoder(t reflect.Type) encoderFunc {
	elem := typeEncoder(t.Elem())
	return func(e *encoder, v reflect.Value) error {
		if err := e.enter(v.Type()); err != nil {
			return err
		}
		defer e.leave()
		n := v.Len()
		e.buf = appendHead(e.buf, majorArray, uint64(n))
		for i := range n {
			if err := elem(e, v.Index(i)); err != nil {
				return err
			}
		}
		return nil
	}
}

func newPointerEncoder(t reflect.Type) encoderFunc {
	elem := typeEncoder(t.Elem())
	return func(e *encoder, v reflect.Value) error {
		if v.IsNil() {
			e.buf = append(e.buf, simpleNull)
			return nil
		}
		if err := e.enter(v.Type()); err != nil {
			return err
		}
		defer e.leave()
		return elem(e, v.Elem())
	}
}

func interfaceEncoder(e *encoder, v reflect.Value) error {
	if v.IsNil() {
		e.buf = append(e.buf, simpleNull)
		return nil
	}
	if err := e.enter(v.Type()); err != nil {
		return err
	}
	defer e.leave()
	return e.value(v.Elem())
}
