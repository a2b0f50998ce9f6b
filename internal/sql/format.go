package sql

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"
)

// formatValue renders a scanned DuckDB value as Athena writes it in its
// CSV results and GetQueryResults (Trino's text forms); typ is DuckDB's
// type name for it. ok is false for NULL.
func formatValue(v any, typ string) (s string, ok bool) {
	if v == nil {
		return "", false
	}
	t := strings.ToUpper(typ)
	if t == "JSON" {
		if s, ok := v.(string); ok && json.Valid([]byte(s)) {
			return s, true
		}
		b, _ := json.Marshal(v)
		return string(b), true
	}
	switch x := v.(type) {
	case string:
		return x, true
	case bool:
		return strconv.FormatBool(x), true
	case int8, int16, int32, int64, uint8, uint16, uint32, uint64, int, uint:
		return fmt.Sprint(x), true
	case *big.Int:
		return x.String(), true
	case float64:
		return javaDouble(x, 64), true
	case float32:
		return javaDouble(float64(x), 32), true
	case duckdb.Decimal:
		return decimalString(x), true
	case time.Time:
		switch {
		case t == "DATE":
			return x.Format("2006-01-02"), true
		case strings.HasPrefix(t, "TIME") && !strings.HasPrefix(t, "TIMESTAMP"):
			return x.Format("15:04:05.000"), true
		case t == "TIMESTAMPTZ" || strings.Contains(t, "TIME ZONE"):
			return x.UTC().Format("2006-01-02 15:04:05.000") + " UTC", true
		}
		return x.Format("2006-01-02 15:04:05.000"), true
	case []byte:
		if t == "UUID" && len(x) == 16 {
			u := duckdb.UUID(x)
			return u.String(), true
		}
		parts := make([]string, len(x))
		for i, b := range x {
			parts[i] = fmt.Sprintf("%02x", b)
		}
		return strings.Join(parts, " "), true
	case duckdb.UUID:
		return x.String(), true
	case duckdb.Interval:
		d := time.Duration(x.Micros) * time.Microsecond
		if x.Months != 0 {
			return fmt.Sprintf("%d-%d", x.Months/12, x.Months%12), true
		}
		sign := ""
		if d < 0 {
			sign, d = "-", -d
		}
		return fmt.Sprintf("%s%d %02d:%02d:%02d.%03d", sign, int(x.Days), int(d.Hours()), int(d.Minutes())%60, int(d.Seconds())%60, d.Milliseconds()%1000), true
	case []any:
		el := ""
		if strings.HasSuffix(t, "[]") {
			el = t[:len(t)-2]
		}
		parts := make([]string, len(x))
		for i, e := range x {
			s, ok := formatValue(e, el)
			if !ok {
				s = "null"
			}
			parts[i] = s
		}
		return "[" + strings.Join(parts, ", ") + "]", true
	case duckdb.OrderedMap:
		kt, vt := mapTypes(t)
		keys, values := x.Keys(), x.Values()
		parts := make([]string, len(keys))
		for i := range keys {
			ks, _ := formatValue(keys[i], kt)
			vs, ok := formatValue(values[i], vt)
			if !ok {
				vs = "null"
			}
			parts[i] = ks + "=" + vs
		}
		return "{" + strings.Join(parts, ", ") + "}", true
	case duckdb.Map:
		_, vt := mapTypes(t)
		type kv struct{ k, v string }
		var entries []kv
		for k, e := range x {
			ks, _ := formatValue(k, "")
			vs, ok := formatValue(e, vt)
			if !ok {
				vs = "null"
			}
			entries = append(entries, kv{ks, vs})
		}
		sort.Slice(entries, func(i, j int) bool { return entries[i].k < entries[j].k })
		parts := make([]string, len(entries))
		for i, e := range entries {
			parts[i] = e.k + "=" + e.v
		}
		return "{" + strings.Join(parts, ", ") + "}", true
	case map[string]any:
		names, types := structFields(typ)
		if len(names) != len(x) {
			names, types = names[:0], types[:0]
			for k := range x {
				names = append(names, k)
			}
			sort.Strings(names)
			types = make([]string, len(names))
		}
		parts := make([]string, len(names))
		for i, n := range names {
			s, ok := formatValue(x[n], types[i])
			if !ok {
				s = "null"
			}
			parts[i] = n + "=" + s
		}
		return "{" + strings.Join(parts, ", ") + "}", true
	}
	return fmt.Sprint(v), true
}

// javaDouble formats like Java's Double.toString, as Trino prints doubles.
func javaDouble(f float64, bits int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	case f == 0:
		if math.Signbit(f) {
			return "-0.0"
		}
		return "0.0"
	}
	a := math.Abs(f)
	if a >= 1e-3 && a < 1e7 {
		s := strconv.FormatFloat(f, 'f', -1, bits)
		if !strings.Contains(s, ".") {
			s += ".0"
		}
		return s
	}
	s := strconv.FormatFloat(f, 'E', -1, bits)
	mant, exp, _ := strings.Cut(s, "E")
	if !strings.Contains(mant, ".") {
		mant += ".0"
	}
	e, _ := strconv.Atoi(exp)
	return mant + "E" + strconv.Itoa(e)
}

// decimalString renders a decimal with all its scale digits ("1.50").
func decimalString(d duckdb.Decimal) string {
	if d.Value == nil {
		return "0"
	}
	s := new(big.Int).Abs(d.Value).String()
	sign := ""
	if d.Value.Sign() < 0 {
		sign = "-"
	}
	sc := int(d.Scale)
	if sc == 0 {
		return sign + s
	}
	for len(s) <= sc {
		s = "0" + s
	}
	return sign + s[:len(s)-sc] + "." + s[len(s)-sc:]
}

// structFields parses STRUCT(a INTEGER, "b c" VARCHAR[]) into names and types.
func structFields(typ string) (names, types []string) {
	if !strings.HasPrefix(strings.ToUpper(typ), "STRUCT(") || !strings.HasSuffix(typ, ")") {
		return nil, nil
	}
	for _, f := range splitTop(typ[len("STRUCT(") : len(typ)-1]) {
		f = strings.TrimSpace(f)
		var name, rest string
		if strings.HasPrefix(f, `"`) {
			end := strings.Index(f[1:], `"`) + 1
			for end+1 < len(f) && f[end+1] == '"' { // doubled quote
				end = strings.Index(f[end+2:], `"`) + end + 2
			}
			name, rest = strings.ReplaceAll(f[1:end], `""`, `"`), f[end+1:]
		} else {
			name, rest, _ = strings.Cut(f, " ")
		}
		names = append(names, name)
		types = append(types, strings.TrimSpace(rest))
	}
	return names, types
}

func mapTypes(typ string) (string, string) {
	if !strings.HasPrefix(typ, "MAP(") || !strings.HasSuffix(typ, ")") {
		return "", ""
	}
	parts := splitTop(typ[4 : len(typ)-1])
	if len(parts) != 2 {
		return "", ""
	}
	return strings.TrimSpace(parts[0]), strings.TrimSpace(parts[1])
}

// splitTop splits s at commas outside parentheses and double quotes.
func splitTop(s string) []string {
	var out []string
	depth, start, quoted := 0, 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c == '"':
			quoted = !quoted
		case quoted:
		case c == '(':
			depth++
		case c == ')':
			depth--
		case c == ',' && depth == 0:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}
