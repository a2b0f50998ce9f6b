package sql

import (
	"fmt"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
)

// renames are Trino functions DuckDB has under another name with the same
// arguments and meaning (README.md lists them).
var renames = map[string]string{
	"approx_distinct":      "approx_count_distinct",
	"approx_percentile":    "approx_quantile",
	"arbitrary":            "any_value",
	"regexp_like":          "regexp_matches",
	"cardinality":          "len",
	"json_extract_scalar":  "json_extract_string",
	"json_parse":           "json",
	"to_unixtime":          "epoch",
	"split":                "string_split",
	"array_join":           "array_to_string",
	"contains":             "list_contains",
	"day_of_week":          "isodow",
	"dow":                  "isodow",
	"day_of_year":          "dayofyear",
	"doy":                  "dayofyear",
	"week_of_year":         "week",
	"date_diff":            "date_sub",
	"to_hex":               "hex",
	"from_hex":             "unhex",
	"codepoint":            "unicode",
	"is_nan":               "isnan",
	"is_finite":            "isfinite",
	"is_infinite":          "isinf",
	"levenshtein_distance": "levenshtein",
	"every":                "bool_and",
	"truncate":             "trunc",
	"rand":                 "random",
	"to_utf8":              "encode",
	"from_utf8":            "decode",
	"array_distinct":       "list_distinct",
	"array_max":            "list_max",
	"array_min":            "list_min",
	"array_sort":           "list_sort",
	"array_position":       "list_position",
	"array_intersect":      "list_intersect",
	"transform":            "list_transform",
	"filter":               "list_filter",
	"sequence":             "generate_series",
	"regexp_split":         "regexp_split_to_array",
	"format":               "printf",
	"map_from_entries":     "map_from_entries",
	"json_array_length":    "json_array_length",
	"stddev_samp":          "stddev_samp",
	"char_length":          "length",
	"day_of_month":         "dayofmonth",
	"last_day_of_month":    "last_day",
	"array_contains":       "list_contains",
}

// handler translates a call from its raw argument tokens; "" means "use
// the default translation".
type handler func(t *translator, name engine.Token, args [][]engine.Token) (string, error)

var funcs map[string]handler

func init() {
	funcs = map[string]handler{
		"cast":                   castCall("CAST"),
		"try_cast":               castCall("TRY_CAST"),
		"date_parse":             dateCall("strptime"),
		"date_format":            dateCall("strftime"),
		"parse_datetime":         jodaCall("strptime"),
		"format_datetime":        jodaCall("strftime"),
		"from_iso8601_timestamp": wrap("CAST(%s AS TIMESTAMPTZ)", 1),
		"from_iso8601_date":      wrap("CAST(%s AS DATE)", 1),
		"from_unixtime":          wrap("to_timestamp(%s)", 1),
		"json_format":            wrap("CAST(%s AS VARCHAR)", 1),
		"date":                   wrap("CAST(%s AS DATE)", 1),
		"element_at":             wrap("(%s)[%s]", 2),
		"date_add":               dateAdd,
		"regexp_replace":         regexpReplace,
		"row":                    rowCall,
		"slice":                  wrap("list_slice(%[1]s, %[2]s, (%[2]s) + (%[3]s) - 1)", 3),
	}
}

// args translates every argument.
func (t *translator) args(args [][]engine.Token) ([]string, error) {
	out := make([]string, len(args))
	for i, a := range args {
		s, err := t.sub(a)
		if err != nil {
			return nil, err
		}
		out[i] = s
	}
	return out, nil
}

func wrongArgs(name engine.Token, n int) error {
	return &queryError{Code: "FUNCTION_NOT_FOUND", Pos: name.Pos,
		Msg: fmt.Sprintf("Unexpected parameters for function %s: %d arguments", strings.ToLower(name.Value()), n)}
}

// wrap renders a fixed-arity call with a format of its translated args.
func wrap(format string, n int) handler {
	return func(t *translator, name engine.Token, args [][]engine.Token) (string, error) {
		if len(args) != n {
			return "", wrongArgs(name, len(args))
		}
		a, err := t.args(args)
		if err != nil {
			return "", err
		}
		vals := make([]any, n)
		for i := range a {
			vals[i] = a[i]
		}
		return fmt.Sprintf(format, vals...), nil
	}
}

// castCall maps CAST(x AS type) and TRY_CAST, translating the type.
func castCall(fn string) handler {
	return func(t *translator, name engine.Token, args [][]engine.Token) (string, error) {
		if len(args) != 1 {
			return "", wrongArgs(name, len(args))
		}
		arg := args[0]
		as := -1
		depth := 0
		for i, tk := range arg {
			switch {
			case tk.Text == "(" || tk.Text == "[":
				depth++
			case tk.Text == ")" || tk.Text == "]":
				depth--
			case depth == 0 && tk.Is("AS"):
				as = i
			}
		}
		if as < 0 {
			return "", syntaxError(t.src, name.Pos, "mismatched input ')'. Expecting: 'AS'")
		}
		var expr string
		var err error
		if sig := engine.Significant(arg[:as]); len(sig) > 2 && sig[0].Is("ROW") && sig[1].Text == "(" {
			// CAST(ROW(...) AS ROW(...)): DuckDB casts an unnamed row by position.
			a, err := t.args(splitArgs(arg[firstSig(arg, 0)+1 : as]))
			if err != nil {
				return "", err
			}
			expr = strings.TrimSpace(strings.Join(a, ", "))
			expr = "row" + expr[strings.Index(expr, "("):]
		} else if expr, err = t.sub(arg[:as]); err != nil {
			return "", err
		}
		sig := engine.Significant(arg[as+1:])
		typ, j, err := parseType(sig, 0)
		if err != nil || j != len(sig) {
			pos := name.Pos
			if len(sig) > 0 {
				pos = sig[0].Pos
			}
			msg := "Unknown type"
			if err != nil {
				msg = err.Error()
			}
			return "", &queryError{Code: "TYPE_NOT_FOUND", Pos: pos, Msg: msg}
		}
		return fn + "(" + expr + " AS " + typ + ")", nil
	}
}

// literal returns the value of a single string-literal argument.
func literal(arg []engine.Token) (string, bool) {
	sig := engine.Significant(arg)
	if len(sig) == 1 && sig[0].Kind == engine.String {
		return sig[0].Value(), true
	}
	return "", false
}

// dateCall maps date_parse/date_format, converting a literal format.
func dateCall(fn string) handler {
	return func(t *translator, name engine.Token, args [][]engine.Token) (string, error) {
		if len(args) != 2 {
			return "", wrongArgs(name, len(args))
		}
		a, err := t.args(args)
		if err != nil {
			return "", err
		}
		if f, ok := literal(args[1]); ok {
			a[1] = engine.Quote(dateFormat(f))
		}
		return fn + "(" + a[0] + ", " + a[1] + ")", nil
	}
}

// jodaCall maps parse_datetime/format_datetime, converting a literal Joda
// pattern.
func jodaCall(fn string) handler {
	return func(t *translator, name engine.Token, args [][]engine.Token) (string, error) {
		if len(args) != 2 {
			return "", wrongArgs(name, len(args))
		}
		a, err := t.args(args)
		if err != nil {
			return "", err
		}
		if f, ok := literal(args[1]); ok {
			a[1] = engine.Quote(jodaFormat(f))
		}
		return fn + "(" + a[0] + ", " + a[1] + ")", nil
	}
}

var intervalFuncs = map[string]string{
	"millisecond": "to_milliseconds(CAST(%s AS BIGINT))", "second": "to_seconds(CAST(%s AS DOUBLE))",
	"minute": "to_minutes(CAST(%s AS BIGINT))", "hour": "to_hours(CAST(%s AS BIGINT))",
	"day": "to_days(CAST(%s AS INTEGER))", "week": "to_weeks(CAST(%s AS INTEGER))",
	"month": "to_months(CAST(%s AS INTEGER))", "quarter": "to_months(CAST(3 * (%s) AS INTEGER))",
	"year": "to_years(CAST(%s AS INTEGER))",
}

// dateAdd maps date_add('unit', n, x) to x + to_<unit>s(n).
func dateAdd(t *translator, name engine.Token, args [][]engine.Token) (string, error) {
	if len(args) != 3 {
		return "", wrongArgs(name, len(args))
	}
	unit, ok := literal(args[0])
	f, known := intervalFuncs[strings.ToLower(unit)]
	if !ok || !known {
		return "", &queryError{Code: "INVALID_FUNCTION_ARGUMENT", Pos: name.Pos, Msg: fmt.Sprintf("'%s' is not a valid Timestamp field", unit)}
	}
	a, err := t.args(args)
	if err != nil {
		return "", err
	}
	return "(" + a[2] + " + " + fmt.Sprintf(f, a[1]) + ")", nil
}

// regexpReplace maps Trino's replace-all regexp_replace (with $1 group
// references) to DuckDB's with the 'g' flag (and \1 references).
func regexpReplace(t *translator, name engine.Token, args [][]engine.Token) (string, error) {
	if len(args) != 2 && len(args) != 3 {
		return "", wrongArgs(name, len(args))
	}
	a, err := t.args(args)
	if err != nil {
		return "", err
	}
	repl := "''"
	if len(args) == 3 {
		repl = a[2]
		if r, ok := literal(args[2]); ok {
			var b strings.Builder
			for i := 0; i < len(r); i++ {
				if r[i] == '$' && i+1 < len(r) && r[i+1] >= '0' && r[i+1] <= '9' {
					b.WriteByte('\\')
					continue
				}
				if r[i] == '\\' {
					b.WriteString("\\\\")
					continue
				}
				b.WriteByte(r[i])
			}
			repl = engine.Quote(b.String())
		}
	}
	return "regexp_replace(" + a[0] + ", " + a[1] + ", " + repl + ", 'g')", nil
}

// rowCall maps ROW(a, b) to a struct with Trino's field names field0...
func rowCall(t *translator, name engine.Token, args [][]engine.Token) (string, error) {
	a, err := t.args(args)
	if err != nil {
		return "", err
	}
	for i := range a {
		a[i] = fmt.Sprintf("field%d := %s", i, a[i])
	}
	return "struct_pack(" + strings.Join(a, ", ") + ")", nil
}

// deniedFunction reports functions that read files, run SQL from strings
// or reveal the host: user SQL never names files (tables are resolved by
// tarn), so these are refused before DuckDB sees them.
func deniedFunction(name string) bool {
	for _, p := range []string{"read_", "parquet_", "duckdb_", "pragma_", "iceberg_", "delta_", "sqlite_", "postgres_", "mysql_", "ducklake_", "json_execute", "glob"} {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	if strings.HasSuffix(name, "_scan") {
		return true
	}
	switch name {
	case "query", "query_table", "getenv", "sniff_csv", "current_setting", "checkpoint", "force_checkpoint",
		"which_secret", "load_extension", "install_extension", "read_json_objects", "arrow_scan", "summary",
		"test_all_types", "enable_profiling", "disable_profiling", "set_config":
		return true
	}
	return false
}
