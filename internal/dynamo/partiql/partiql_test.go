package partiql

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/tarnhq/tarn/internal/datadriven"
	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// The files in testdata hold cases of the form
//
//	<command> [hash=<name>] [range=<name>] [tx]
//	<statement, one or more lines>
//	params: <JSON array of AttributeValues>   (optional, last line)
//	----
//	<the printed Statement and what the command asks, or error: <message>>
//	====
//
// Commands: parse (the Statement), split (Split's key condition and
// filter), key (Key's key and condition), readkey (ReadKey, tx for a
// transaction), orderby (CheckOrderBy), keytypes (CheckKeyTypes; keys
// given as name:TYPE).
func TestData(t *testing.T) {
	datadriven.Run(t, "testdata/*.txt", func(t *testing.T, c datadriven.Case) string {
		return runCase(t, c)
	})
}

func runCase(t *testing.T, c datadriven.Case) string {
	fields := strings.Fields(c.Command)
	var hash, rng string
	var hashKind, rngKind attr.Kind
	kinded := func(s string) (string, attr.Kind) {
		name, kind, _ := strings.Cut(s, ":")
		k, _ := attr.ParseKind(kind)
		return name, k
	}
	tx := false
	for _, f := range fields[1:] {
		switch {
		case strings.HasPrefix(f, "hash="):
			hash, hashKind = kinded(f[5:])
		case strings.HasPrefix(f, "range="):
			rng, rngKind = kinded(f[6:])
		case f == "tx":
			tx = true
		default:
			t.Fatalf("%s: unknown argument %q", c.Pos(), f)
		}
	}
	src, params := c.Input, []attr.Value(nil)
	lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	if last := lines[len(lines)-1]; strings.HasPrefix(last, "params: ") {
		if err := json.Unmarshal([]byte(last[len("params: "):]), &params); err != nil {
			t.Fatalf("%s: params: %v", c.Pos(), err)
		}
		src = strings.Join(lines[:len(lines)-1], "\n")
	}
	st, err := Parse(src, params)
	if err != nil {
		var e *Error
		if !errorsAs(err, &e) {
			t.Fatalf("%s: error %T is not *Error", c.Pos(), err)
		}
		return "error: " + err.Error()
	}
	checkBalanced(t, c.Pos(), st)
	var b strings.Builder
	switch fields[0] {
	case "parse":
		printStatement(&b, st)
	case "split":
		kc, f, ok := st.Split(hash, rng)
		if !ok {
			fmt.Fprintf(&b, "scan\nfilter: %s\n", st.Where)
			printUsed(&b, st, st.Where)
			break
		}
		fmt.Fprintf(&b, "query\nkey: %s\n", kc)
		if f != "" {
			fmt.Fprintf(&b, "filter: %s\n", f)
		}
		printUsed(&b, st, kc, f)
	case "key":
		key, cond, err := st.Key(hash, rng)
		if err != nil {
			return "error: " + err.Error()
		}
		fmt.Fprintf(&b, "key: %s\n", jsonValue(attr.Map(key)))
		if cond != "" {
			fmt.Fprintf(&b, "condition: %s\n", cond)
		}
		if st.Update != "" {
			fmt.Fprintf(&b, "update: %s\n", st.Update)
		}
		printUsed(&b, st, cond, st.Update)
	case "readkey":
		key, err := st.ReadKey(hash, rng, tx)
		if err != nil {
			return "error: " + err.Error()
		}
		fmt.Fprintf(&b, "key: %s\n", jsonValue(attr.Map(key)))
	case "keytypes":
		if err := st.CheckKeyTypes(hash, hashKind, rng, rngKind); err != nil {
			return "error: " + err.Error()
		}
		b.WriteString("ok\n")
	case "orderby":
		if err := st.CheckOrderBy(hash); err != nil {
			return "error: " + err.Error()
		}
		b.WriteString("ok\n")
	default:
		t.Fatalf("%s: unknown command %q", c.Pos(), fields[0])
	}
	return b.String()
}

func errorsAs(err error, e **Error) bool {
	x, ok := err.(*Error)
	*e = x
	return ok
}

func printStatement(b *strings.Builder, st *Statement) {
	fmt.Fprintf(b, "kind: %s\ntable: %s\n", st.Kind, st.Table)
	line := func(k, v string) {
		if v != "" {
			fmt.Fprintf(b, "%s: %s\n", k, v)
		}
	}
	line("index", st.Index)
	line("projection", st.Projection)
	line("where", st.Where)
	if len(st.OrderBy) > 0 {
		dir := "ASC"
		if st.Descending {
			dir = "DESC"
		}
		line("orderby", strings.Join(st.OrderBy, ", ")+" ("+dir+")")
	}
	if st.Item != nil {
		line("item", jsonValue(attr.Map(st.Item)))
	}
	line("update", st.Update)
	line("returning", st.Returning)
	line("names", names(st.Names))
	line("values", values(st.Values))
}

func printUsed(b *strings.Builder, st *Statement, exprs ...string) {
	n, v := st.Used(exprs...)
	if len(n) > 0 {
		fmt.Fprintf(b, "names: %s\n", names(n))
	}
	if len(v) > 0 {
		fmt.Fprintf(b, "values: %s\n", values(v))
	}
}

// byIndex sorts placeholders #n2 < #n10.
func byIndex(keys []string) {
	sort.Slice(keys, func(i, j int) bool {
		a, _ := strconv.Atoi(keys[i][2:])
		b, _ := strconv.Atoi(keys[j][2:])
		return a < b
	})
}

func names(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	byIndex(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + m[k]
	}
	return strings.Join(parts, " ")
}

func values(m map[string]attr.Value) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	byIndex(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + "=" + jsonValue(m[k])
	}
	return strings.Join(parts, " ")
}

// jsonValue is v in DynamoDB's wire JSON, map keys sorted.
func jsonValue(v attr.Value) string {
	q := func(s string) string { b, _ := json.Marshal(s); return string(b) }
	switch v.Kind {
	case attr.S, attr.N:
		return `{"` + v.Kind.String() + `":` + q(v.S) + `}`
	case attr.B:
		return `{"B":` + q(base64.StdEncoding.EncodeToString(v.B)) + `}`
	case attr.BOOL:
		return `{"BOOL":` + strconv.FormatBool(v.Bool) + `}`
	case attr.NULL:
		return `{"NULL":true}`
	case attr.L:
		parts := make([]string, len(v.L))
		for i, e := range v.L {
			parts[i] = jsonValue(e)
		}
		return `{"L":[` + strings.Join(parts, ",") + `]}`
	case attr.M:
		keys := make([]string, 0, len(v.M))
		for k := range v.M {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = q(k) + ":" + jsonValue(v.M[k])
		}
		return `{"M":{` + strings.Join(parts, ",") + `}}`
	case attr.SS, attr.NS:
		parts := make([]string, len(v.SS))
		for i, e := range v.SS {
			parts[i] = q(e)
		}
		return `{"` + v.Kind.String() + `":[` + strings.Join(parts, ",") + `]}`
	case attr.BS:
		parts := make([]string, len(v.BS))
		for i, e := range v.BS {
			parts[i] = q(base64.StdEncoding.EncodeToString(e))
		}
		return `{"BS":[` + strings.Join(parts, ",") + `]}`
	}
	return "<invalid>"
}

func jsonUnmarshal(s string, v any) error { return json.Unmarshal([]byte(s), v) }
