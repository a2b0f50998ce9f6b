package catalog

import (
	"strings"
)

// htype is an inferred Hive type. Primitive kinds are Hive type names
// ("bigint", "decimal(10,2)", ...); "struct", "array" and "map" are
// composite; "null" is a value seen only as null (unknown so far).
type htype struct {
	kind   string
	fields []hfield // struct, in order of first appearance
	elem   *htype   // array element, map value
	key    *htype   // map key
}

type hfield struct {
	name string
	t    *htype
}

func prim(kind string) *htype { return &htype{kind: kind} }

var (
	tNull      = prim("null")
	tString    = prim("string")
	tBoolean   = prim("boolean")
	tInt       = prim("int")
	tBigint    = prim("bigint")
	tDouble    = prim("double")
	tDate      = prim("date")
	tTimestamp = prim("timestamp")
)

// String renders the Hive type string as Glue writes it, e.g.
// array<struct<a:int,b:string>>. A null type renders as string.
func (t *htype) String() string {
	var b strings.Builder
	t.write(&b)
	return b.String()
}

func (t *htype) write(b *strings.Builder) {
	switch t.kind {
	case "null":
		b.WriteString("string")
	case "struct":
		b.WriteString("struct<")
		for i, f := range t.fields {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(f.name)
			b.WriteByte(':')
			f.t.write(b)
		}
		b.WriteByte('>')
	case "array":
		b.WriteString("array<")
		t.elem.write(b)
		b.WriteByte('>')
	case "map":
		b.WriteString("map<")
		t.key.write(b)
		b.WriteByte(',')
		t.elem.write(b)
		b.WriteByte('>')
	default:
		b.WriteString(t.kind)
	}
}

// intRank orders the integer kinds by width; 0 for other kinds.
func intRank(k string) int {
	switch k {
	case "tinyint":
		return 1
	case "smallint":
		return 2
	case "int":
		return 3
	case "bigint":
		return 4
	}
	return 0
}

func isFloat(k string) bool { return k == "double" || k == "float" }

// mergeType is the type that holds values of both a and b: null yields
// to anything, integers widen (int+bigint → bigint), numbers meet as
// double, date+timestamp → timestamp, structs take the union of their
// fields, arrays and maps merge their elements; anything else is string.
func mergeType(a, b *htype) *htype {
	switch {
	case a == nil || a.kind == "null":
		return b
	case b == nil || b.kind == "null":
		return a
	}
	ra, rb := intRank(a.kind), intRank(b.kind)
	composite := func(k string) bool { return k == "struct" || k == "array" || k == "map" }
	switch {
	case a.kind == b.kind && !composite(a.kind):
		return a
	case ra > 0 && rb > 0:
		if ra >= rb {
			return a
		}
		return b
	case (ra > 0 || isFloat(a.kind)) && (rb > 0 || isFloat(b.kind)):
		return tDouble
	case a.kind == "struct" && b.kind == "struct":
		return &htype{kind: "struct", fields: mergeFields(a.fields, b.fields)}
	case a.kind == "array" && b.kind == "array":
		return &htype{kind: "array", elem: mergeType(a.elem, b.elem)}
	case a.kind == "map" && b.kind == "map":
		return &htype{kind: "map", key: mergeType(a.key, b.key), elem: mergeType(a.elem, b.elem)}
	case a.kind == "struct" || a.kind == "array" || a.kind == "map" || b.kind == "struct" || b.kind == "array" || b.kind == "map":
		return tString
	case a.kind == b.kind:
		return a
	case (a.kind == "date" && b.kind == "timestamp") || (a.kind == "timestamp" && b.kind == "date"):
		return tTimestamp
	}
	return tString
}

// mergeFields unions two field lists: a's order, then b's new fields;
// names match case-insensitively.
func mergeFields(a, b []hfield) []hfield {
	out := make([]hfield, len(a), len(a)+len(b))
	copy(out, a)
	idx := make(map[string]int, len(a))
	for i, f := range a {
		idx[strings.ToLower(f.name)] = i
	}
	for _, f := range b {
		if i, ok := idx[strings.ToLower(f.name)]; ok {
			out[i].t = mergeType(out[i].t, f.t)
			continue
		}
		idx[strings.ToLower(f.name)] = len(out)
		out = append(out, f)
	}
	return out
}

// fieldNames is the lowercased set of names.
func fieldNames(fs []hfield) map[string]bool {
	m := make(map[string]bool, len(fs))
	for _, f := range fs {
		m[strings.ToLower(f.name)] = true
	}
	return m
}

// similar reports whether two column lists are alike enough to be one
// table: at least 70% of the smaller list's columns are in the other
// (Glue's rule of thumb, tolerant of columns added over time).
func similar(a, b []hfield) bool {
	na, nb := fieldNames(a), fieldNames(b)
	common := 0
	for n := range na {
		if nb[n] {
			common++
		}
	}
	total := min(len(na), len(nb))
	return total == 0 || float64(common)/float64(total) >= 0.7
}
