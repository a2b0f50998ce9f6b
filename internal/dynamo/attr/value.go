package attr

import (
	"bytes"
	"strings"
)

// Value is one DynamoDB attribute value; Kind selects the field in use.
type Value struct {
	Kind Kind
	S    string           // S; for N the canonical decimal text
	B    []byte           // B
	Bool bool             // BOOL
	L    []Value          // L
	M    map[string]Value // M
	SS   []string         // SS; for NS canonical decimal texts
	BS   [][]byte         // BS
}

// Item is an item: attribute name to value.
type Item map[string]Value

// String is an S value.
func String(s string) Value { return Value{Kind: S, S: s} }

// Number is an N value from decimal text, canonicalized; the error is
// DynamoDB's for text that is not a number or out of range.
func Number(text string) (Value, error) {
	c, err := CanonicalNumber(text)
	if err != nil {
		return Value{}, err
	}
	return Value{Kind: N, S: c}, nil
}

// MustNumber is Number for constants known to be valid; it panics otherwise.
func MustNumber(text string) Value {
	v, err := Number(text)
	if err != nil {
		panic("attr: MustNumber(" + text + "): " + err.Error())
	}
	return v
}

// Binary is a B value (the slice is kept, not copied).
func Binary(b []byte) Value { return Value{Kind: B, B: b} }

// Bool is a BOOL value.
func Bool(b bool) Value { return Value{Kind: BOOL, Bool: b} }

// Null is the NULL value.
func Null() Value { return Value{Kind: NULL} }

// List is an L value.
func List(vs ...Value) Value {
	if vs == nil {
		vs = []Value{}
	}
	return Value{Kind: L, L: vs}
}

// Map is an M value (the map is kept, not copied).
func Map(m map[string]Value) Value {
	if m == nil {
		m = map[string]Value{}
	}
	return Value{Kind: M, M: m}
}

// StringSet is an SS value; it does not check for duplicates or emptiness
// (UnmarshalJSON and Validate do).
func StringSet(ss ...string) Value { return Value{Kind: SS, SS: ss} }

// NumberSet is an NS value, each element canonicalized.
func NumberSet(ns ...string) (Value, error) {
	out := make([]string, len(ns))
	for i, n := range ns {
		c, err := CanonicalNumber(n)
		if err != nil {
			return Value{}, err
		}
		out[i] = c
	}
	return Value{Kind: NS, SS: out}, nil
}

// BinarySet is a BS value.
func BinarySet(bs ...[]byte) Value { return Value{Kind: BS, BS: bs} }

// IsZero reports whether v is the zero Value (no type: a missing attribute).
func (v Value) IsZero() bool { return v.Kind == 0 }

// Clone is a deep copy of v.
func (v Value) Clone() Value {
	switch v.Kind {
	case B:
		v.B = bytes.Clone(v.B)
	case L:
		l := make([]Value, len(v.L))
		for i, e := range v.L {
			l[i] = e.Clone()
		}
		v.L = l
	case M:
		m := make(map[string]Value, len(v.M))
		for k, e := range v.M {
			m[k] = e.Clone()
		}
		v.M = m
	case SS, NS:
		v.SS = append([]string(nil), v.SS...)
	case BS:
		bs := make([][]byte, len(v.BS))
		for i, b := range v.BS {
			bs[i] = bytes.Clone(b)
		}
		v.BS = bs
	}
	return v
}

// Clone is a copy of the item's map; values are shared (Values are
// treated as immutable throughout tarn).
func (it Item) Clone() Item {
	out := make(Item, len(it))
	for k, v := range it {
		out[k] = v
	}
	return out
}

// Compare orders two values of the same key kind as DynamoDB sorts keys:
// S by UTF-8 bytes, N numerically, B by bytes. Values of different kinds
// order by kind; other kinds compare as equal.
func Compare(a, b Value) int {
	if a.Kind != b.Kind {
		if a.Kind < b.Kind {
			return -1
		}
		return 1
	}
	switch a.Kind {
	case S:
		return strings.Compare(a.S, b.S)
	case N:
		return compareNumbers(a.S, b.S)
	case B:
		return bytes.Compare(a.B, b.B)
	}
	return 0
}

// Equal reports DynamoDB equality: same type, numbers numerically, sets
// as unordered collections, lists and maps deeply.
func Equal(a, b Value) bool {
	if a.Kind != b.Kind {
		return false
	}
	switch a.Kind {
	case S:
		return a.S == b.S
	case N:
		return a.S == b.S || compareNumbers(a.S, b.S) == 0
	case B:
		return bytes.Equal(a.B, b.B)
	case BOOL:
		return a.Bool == b.Bool
	case NULL:
		return true
	case L:
		if len(a.L) != len(b.L) {
			return false
		}
		for i := range a.L {
			if !Equal(a.L[i], b.L[i]) {
				return false
			}
		}
		return true
	case M:
		if len(a.M) != len(b.M) {
			return false
		}
		for k, x := range a.M {
			y, ok := b.M[k]
			if !ok || !Equal(x, y) {
				return false
			}
		}
		return true
	case SS:
		return sameStrings(a.SS, b.SS, func(x, y string) bool { return x == y })
	case NS:
		return sameStrings(a.SS, b.SS, func(x, y string) bool { return compareNumbers(x, y) == 0 })
	case BS:
		if len(a.BS) != len(b.BS) {
			return false
		}
		for _, x := range a.BS {
			if !ContainsBytes(b.BS, x) {
				return false
			}
		}
		return true
	}
	return true
}

func sameStrings(a, b []string, eq func(x, y string) bool) bool {
	if len(a) != len(b) {
		return false
	}
outer:
	for _, x := range a {
		for _, y := range b {
			if eq(x, y) {
				continue outer
			}
		}
		return false
	}
	return true
}

// ContainsBytes reports whether set holds b.
func ContainsBytes(set [][]byte, b []byte) bool {
	for _, x := range set {
		if bytes.Equal(x, b) {
			return true
		}
	}
	return false
}

// SetContains reports whether set (SS, NS or BS) holds elem (S, N or B of
// the matching kind).
func SetContains(set, elem Value) bool {
	switch {
	case set.Kind == SS && elem.Kind == S:
		for _, s := range set.SS {
			if s == elem.S {
				return true
			}
		}
	case set.Kind == NS && elem.Kind == N:
		for _, s := range set.SS {
			if s == elem.S || compareNumbers(s, elem.S) == 0 {
				return true
			}
		}
	case set.Kind == BS && elem.Kind == B:
		return ContainsBytes(set.BS, elem.B)
	}
	return false
}

// Equal reports whether two items hold the same attributes with equal values.
func (it Item) Equal(o Item) bool {
	if len(it) != len(o) {
		return false
	}
	for k, v := range it {
		w, ok := o[k]
		if !ok || !Equal(v, w) {
			return false
		}
	}
	return true
}
