package expr

import (
	"strconv"
	"strings"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// PathElem is one step of a document path: a map key (or top-level
// attribute name) or a list index.
type PathElem struct {
	Name    string // attribute or map key, already resolved from #name
	Index   int    // list index when IsIndex
	IsIndex bool
	raw     string // the source spelling ("#n", "a"), for String forms
}

// Path is a document path: an attribute name followed by .field and
// [index] elements. The first element is always a name.
type Path []PathElem

// NamePath is the path of a top-level attribute.
func NamePath(name string) Path { return Path{{Name: name, raw: name}} }

// String renders the path as DynamoDB's messages do: "[a, b, [1]]".
func (p Path) String() string {
	var b strings.Builder
	b.WriteByte('[')
	for i, e := range p {
		if i > 0 {
			b.WriteString(", ")
		}
		if e.IsIndex {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(e.Index))
			b.WriteByte(']')
		} else {
			b.WriteString(e.Name)
		}
	}
	b.WriteByte(']')
	return b.String()
}

// Expr renders the path in expression syntax using its source spelling
// (placeholders stay placeholders), so it parses back with the same Params.
func (p Path) Expr() string {
	var b strings.Builder
	for i, e := range p {
		switch {
		case e.IsIndex:
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(e.Index))
			b.WriteByte(']')
		default:
			if i > 0 {
				b.WriteByte('.')
			}
			if e.raw != "" {
				b.WriteString(e.raw)
			} else {
				b.WriteString(e.Name)
			}
		}
	}
	return b.String()
}

// Attribute is the top-level attribute name the path starts at.
func (p Path) Attribute() string {
	if len(p) == 0 {
		return ""
	}
	return p[0].Name
}

// Equal reports whether two paths name the same location.
func (p Path) Equal(o Path) bool {
	if len(p) != len(o) {
		return false
	}
	for i := range p {
		if p[i].IsIndex != o[i].IsIndex || p[i].Name != o[i].Name || p[i].Index != o[i].Index {
			return false
		}
	}
	return true
}

// Get resolves the path in item; ok is false when any step is missing
// or of the wrong type.
func (p Path) Get(item attr.Item) (attr.Value, bool) {
	if len(p) == 0 {
		return attr.Value{}, false
	}
	v, ok := item[p[0].Name]
	if !ok {
		return attr.Value{}, false
	}
	for _, e := range p[1:] {
		if e.IsIndex {
			if v.Kind != attr.L || e.Index >= len(v.L) {
				return attr.Value{}, false
			}
			v = v.L[e.Index]
		} else {
			if v.Kind != attr.M {
				return attr.Value{}, false
			}
			v, ok = v.M[e.Name]
			if !ok {
				return attr.Value{}, false
			}
		}
	}
	return v, true
}

// checkPaths reports the first overlap or conflict between paths, in
// DynamoDB's words: a path that is a prefix of (or equal to) another
// overlaps it; paths that agree on a prefix and then differ in step kind
// (a key against an index) conflict. Overlaps are reported before
// conflicts.
func checkPaths(kind string, paths []Path) *Error {
	var conflict *Error
	for j := 1; j < len(paths); j++ {
		for i := 0; i < j; i++ {
			switch relation(paths[i], paths[j]) {
			case relOverlap:
				return errorf("Invalid ", kind, ": ", msgOverlap, paths[i].String(), ", path two: ", paths[j].String())
			case relConflict:
				if conflict == nil {
					conflict = errorf("Invalid ", kind, ": ", msgConflict, paths[i].String(), ", path two: ", paths[j].String())
				}
			}
		}
	}
	return conflict
}

const (
	relNone = iota
	relOverlap
	relConflict
)

func relation(a, b Path) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		if a[i].IsIndex != b[i].IsIndex {
			return relConflict
		}
		if a[i].Name != b[i].Name || a[i].Index != b[i].Index {
			return relNone
		}
	}
	return relOverlap
}
