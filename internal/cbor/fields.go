package cbor

import (
	"cmp"
	"reflect"
	"slices"
	"strings"
	"sync"
)

// field is one map entry of a struct type.
type field struct {
	name      string
	key       []byte // name as an encoded CBOR text string
	index     []int  // path for reflect.Value.Field, through embedded structs
	typ       reflect.Type
	tagged    bool // the name came from a json tag
	omitEmpty bool
	omitZero  bool
	isZero    func(reflect.Value) bool // for omitZero
}

// structInfo is the immutable field list of a struct type.
type structInfo struct {
	fields  []field        // in declaration order (depth-first through embedding)
	byName  map[string]int // exact name -> index in fields
	mayOmit bool           // some field can be left out: count before writing
}

// structCache maps reflect.Type to *structInfo. Package-level like
// encoding/json's field cache: entries are derived from types only and
// never change once stored.
var structCache sync.Map

func cachedStructInfo(t reflect.Type) *structInfo {
	if si, ok := structCache.Load(t); ok {
		return si.(*structInfo)
	}
	si, _ := structCache.LoadOrStore(t, newStructInfo(t))
	return si.(*structInfo)
}

func newStructInfo(t reflect.Type) *structInfo {
	si := &structInfo{fields: typeFields(t), byName: map[string]int{}}
	for i := range si.fields {
		f := &si.fields[i]
		f.key = append(appendHead(nil, majorText, uint64(len(f.name))), f.name...)
		si.byName[f.name] = i
		if f.omitEmpty || f.omitZero || len(f.index) > 1 {
			si.mayOmit = true // a nil embedded pointer drops its fields too
		}
		if f.omitZero {
			f.isZero = zeroFunc(f.typ)
		}
	}
	return si
}

// typeFields lists the fields of struct type t with encoding/json's rules:
// a breadth-first walk through embedded structs, where a name found at a
// shallower depth hides deeper ones, and at equal depth a single tagged
// field wins over untagged ones; otherwise the name is dropped.
func typeFields(t reflect.Type) []field {
	type level struct {
		typ   reflect.Type
		index []int
	}
	var fields []field
	next := []level{{typ: t}}
	visited := map[reflect.Type]bool{}
	for len(next) > 0 {
		current := next
		next = nil
		// Struct types embedded more than once at one depth: their fields
		// are ambiguous, so each is added twice to be annihilated below.
		count := map[reflect.Type]int{}
		for _, l := range current {
			count[l.typ]++
		}
		for _, l := range current {
			if visited[l.typ] {
				continue
			}
			visited[l.typ] = true
			for i := range l.typ.NumField() {
				sf := l.typ.Field(i)
				ft := sf.Type
				if sf.Anonymous && ft.Kind() == reflect.Pointer {
					ft = ft.Elem()
				}
				if !sf.IsExported() && !(sf.Anonymous && ft.Kind() == reflect.Struct) {
					continue
				}
				tag := sf.Tag.Get("json")
				if tag == "-" {
					continue
				}
				name, opts, _ := strings.Cut(tag, ",")
				if !sf.IsExported() && name != "" {
					continue // a named unexported embedded struct is unreachable
				}
				index := append(slices.Clip(l.index), i)
				if name == "" && sf.Anonymous && ft.Kind() == reflect.Struct {
					next = append(next, level{typ: ft, index: index})
					continue
				}
				f := field{name: name, index: index, typ: sf.Type, tagged: name != ""}
				if name == "" {
					f.name = sf.Name
				}
				for o := range strings.SplitSeq(opts, ",") {
					f.omitEmpty = f.omitEmpty || o == "omitempty"
					f.omitZero = f.omitZero || o == "omitzero"
				}
				fields = append(fields, f)
				if count[l.typ] > 1 {
					fields = append(fields, f)
				}
			}
		}
	}
	// Group by name, dominant first; keep each name's dominant field.
	slices.SortStableFunc(fields, func(a, b field) int {
		if c := strings.Compare(a.name, b.name); c != 0 {
			return c
		}
		if c := cmp.Compare(len(a.index), len(b.index)); c != 0 {
			return c
		}
		if a.tagged != b.tagged {
			if a.tagged {
				return -1
			}
			return 1
		}
		return slices.Compare(a.index, b.index)
	})
	out := fields[:0]
	for i := 0; i < len(fields); {
		j := i + 1
		for j < len(fields) && fields[j].name == fields[i].name {
			j++
		}
		g := fields[i:j]
		if len(g) == 1 || len(g[0].index) < len(g[1].index) || g[0].tagged && !g[1].tagged {
			out = append(out, g[0])
		}
		i = j
	}
	slices.SortFunc(out, func(a, b field) int { return slices.Compare(a.index, b.index) })
	return out
}

// fieldByIndex returns the field of struct v at path index, or false when
// the path crosses a nil embedded pointer.
func fieldByIndex(v reflect.Value, index []int) (reflect.Value, bool) {
	for i, x := range index {
		if i > 0 && v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.Value{}, false
			}
			v = v.Elem()
		}
		v = v.Field(x)
	}
	return v, true
}

type isZeroer interface{ IsZero() bool }

var isZeroerType = reflect.TypeFor[isZeroer]()

// zeroFunc is how omitzero decides for type t: its IsZero method when it
// has one (a nil pointer or interface counts as zero), else
// reflect.Value.IsZero.
func zeroFunc(t reflect.Type) func(reflect.Value) bool {
	switch {
	case (t.Kind() == reflect.Pointer || t.Kind() == reflect.Interface) && t.Implements(isZeroerType):
		return func(v reflect.Value) bool { return v.IsNil() || v.Interface().(isZeroer).IsZero() }
	case t.Implements(isZeroerType):
		return func(v reflect.Value) bool { return v.Interface().(isZeroer).IsZero() }
	case reflect.PointerTo(t).Implements(isZeroerType):
		return func(v reflect.Value) bool {
			if !v.CanAddr() {
				c := reflect.New(t).Elem()
				c.Set(v)
				v = c
			}
			return v.Addr().Interface().(isZeroer).IsZero()
		}
	}
	return reflect.Value.IsZero
}

// isEmpty is encoding/json's omitempty test.
func isEmpty(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.Array, reflect.Map, reflect.Slice, reflect.String:
		return v.Len() == 0
	case reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr,
		reflect.Float32, reflect.Float64, reflect.Interface, reflect.Pointer:
		return v.IsZero()
	}
	return false
}
