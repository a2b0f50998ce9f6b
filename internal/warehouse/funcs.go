package warehouse

import (
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
	"github.com/tarnhq/tarn/internal/pgwire"
)

// rewriter maps Redshift (and PostgreSQL catalog) expressions to DuckDB.
type rewriter struct {
	c   tctx
	ddl bool
}

// datePart normalizes a Redshift date part name (or abbreviation) to
// DuckDB's; "" when unknown.
func datePart(p string) string {
	switch strings.ToLower(strings.Trim(p, `'"`)) {
	case "millennium", "millennia", "mil", "mils":
		return "millennium"
	case "century", "centuries", "c", "cent", "cents":
		return "century"
	case "decade", "decades", "dec", "decs":
		return "decade"
	case "year", "years", "y", "yr", "yrs":
		return "year"
	case "quarter", "quarters", "qtr", "qtrs":
		return "quarter"
	case "month", "months", "mon", "mons":
		return "month"
	case "week", "weeks", "w":
		return "week"
	case "day", "days", "d":
		return "day"
	case "dayofweek", "dow", "dw", "weekday":
		return "dow"
	case "dayofyear", "doy", "dy", "yearday":
		return "doy"
	case "hour", "hours", "h", "hr", "hrs":
		return "hour"
	case "minute", "minutes", "m", "min", "mins":
		return "minute"
	case "second", "seconds", "s", "sec", "secs":
		return "second"
	case "millisecond", "milliseconds", "ms", "msec", "msecs", "msecond", "mseconds", "millisec", "millisecs", "millisecon":
		return "millisecond"
	case "microsecond", "microseconds", "microsec", "microsecs", "microsecond_", "usecond", "useconds", "us", "usec", "usecs":
		return "microsecond"
	case "epoch":
		return "epoch"
	}
	return ""
}

// emit writes sig translated.
func (x *rewriter) emit(sig []engine.Token, w *writer) error {
	for i := 0; i < len(sig); i++ {
		t := sig[i]
		if t.Kind == engine.Ident && systemTables[strings.ToLower(t.Text)] && (i == 0 || sig[i-1].Text != ".") {
			w.raw("pg_internal." + strings.ToLower(t.Text))
			continue
		}
		if t.Is("pg_catalog") && i+2 < len(sig) && sig[i+1].Text == "." && (missingCatalog[strings.ToLower(sig[i+2].Text)] || systemTables[strings.ToLower(sig[i+2].Text)]) {
			w.raw("pg_internal." + strings.ToLower(sig[i+2].Text))
			i += 2
			continue
		}
		if t.Is("pg_catalog") && i+3 < len(sig) && sig[i+1].Text == "." && sig[i+3].Text == "(" && (mappedFuncs[sig[i+2].Upper()] || plainFuncs[strings.ToLower(sig[i+2].Text)]) {
			i++ // drop the qualifier
			continue
		}
		if x.c.external != nil && (t.Kind == engine.Ident || t.Kind == engine.QuotedIdent) && i+2 < len(sig) && sig[i+1].Text == "." &&
			(sig[i+2].Kind == engine.Ident || sig[i+2].Kind == engine.QuotedIdent) && (i == 0 || sig[i-1].Text != ".") &&
			!(i+3 < len(sig) && sig[i+3].Text == "(") {
			rel, ok, err := x.c.external(identName(t), identName(sig[i+2]))
			if err != nil {
				return err
			}
			if ok {
				w.raw("(" + rel + ")")
				if !aliased(sig, i+3) {
					w.raw("AS " + quoteName(identName(sig[i+2])))
				}
				i += 2
				continue
			}
		}
		call := i+1 < len(sig) && sig[i+1].Text == "(" && sig[i+1].Kind == engine.Punct
		if t.Kind == engine.Ident && call {
			e := matching(sig, i+1)
			if e < 0 {
				return errSyntax(sig[len(sig)-1].Text)
			}
			n, err := x.function(sig, i, e, w)
			if err != nil {
				return err
			}
			if n > 0 {
				i = n
				continue
			}
		}
		if t.Kind == engine.Ident && !call {
			if i > 0 && sig[i-1].Text == "." {
				w.tok(t)
				continue
			}
			switch t.Upper() {
			case "SYSDATE":
				w.raw("CAST(date_trunc('microsecond', get_current_timestamp()) AS TIMESTAMP)")
				continue
			case "CURRENT_USER", "SESSION_USER", "USER":
				if !x.ddl {
					w.raw(engine.Quote(x.c.user))
					continue
				}
			case "APPROXIMATE":
				// APPROXIMATE COUNT(DISTINCT x) → approx_count_distinct(x)
				if i+3 < len(sig) && sig[i+1].Is("COUNT") && sig[i+2].Text == "(" && sig[i+3].Is("DISTINCT") {
					e := matching(sig, i+2)
					if e < 0 {
						return errSyntax("end of input")
					}
					w.raw("approx_count_distinct(")
					if err := x.emit(sig[i+4:e], w); err != nil {
						return err
					}
					w.raw(")")
					i = e
					continue
				}
			case "OPERATOR":
				// psql's OPERATOR(pg_catalog.~) → ~
				if i+1 < len(sig) && sig[i+1].Text == "(" {
					e := matching(sig, i+1)
					if e > 0 {
						w.raw(sig[e-1].Text)
						i = e
						continue
					}
				}
			case "COLLATE":
				// COLLATE pg_catalog.default / case_sensitive: dropped
				j := i + 2 // the collation name, possibly qualified
				if j+1 < len(sig) && sig[j].Text == "." {
					j += 2
				}
				i = j - 1
				continue
			}
		}
		if t.Text == "::" && t.Kind == engine.Punct && i+1 < len(sig) {
			n := typeLen(sig, i+1)
			// ::pg_catalog.regclass and friends keep their qualifier.
			if i+3 < len(sig) && sig[i+2].Text == "." && sig[i+1].Is("pg_catalog") {
				i += 2 // ::pg_catalog.text → ::VARCHAR
				n = typeLen(sig, i+1)
			}
			w.tok(t)
			w.raw(mapType(sig[i+1 : i+1+n]))
			i += n
			continue
		}
		w.tok(t)
	}
	return nil
}

// aliased reports whether the relation ending before sig[j] is followed
// by an alias.
func aliased(sig []engine.Token, j int) bool {
	if j >= len(sig) {
		return false
	}
	t := sig[j]
	if t.Kind == engine.QuotedIdent || t.Is("AS") {
		return true
	}
	if t.Kind != engine.Ident {
		return false
	}
	switch t.Upper() {
	case "WHERE", "JOIN", "ON", "GROUP", "ORDER", "LIMIT", "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "UNION", "HAVING",
		"USING", "NATURAL", "EXCEPT", "INTERSECT", "WINDOW", "QUALIFY", "OFFSET", "OUTER", "SET", "VALUES", "SELECT":
		return false
	}
	return true
}

// plainFuncs are built-in functions clients call with a pg_catalog.
// qualifier that DuckDB has only unqualified.
var plainFuncs = map[string]bool{"array_to_string": true, "array_length": true, "array_upper": true, "array_lower": true,
	"unnest": true, "quote_ident": true, "quote_literal": true, "lower": true, "upper": true, "concat": true, "length": true,
	"substring": true, "substr": true, "regexp_replace": true, "now": true, "string_agg": true, "left": true, "right": true,
	"trim": true, "coalesce": true, "current_schemas": false, "generate_series": true, "textcat": false, "count": true,
	"max": true, "min": true, "sum": true, "position": true, "replace": true, "strpos": true}

// mappedFuncs are the functions call translates; a pg_catalog.
// qualifier in front of one is dropped.
var mappedFuncs = map[string]bool{
	"GETDATE": true, "SYSDATE": true, "VERSION": true, "CURRENT_DATABASE": true, "NVL": true, "NVL2": true,
	"DECODE": true, "DATEADD": true, "DATEDIFF": true, "DATE_TRUNC": true, "CONVERT_TIMEZONE": true, "LEN": true,
	"CHARINDEX": true, "STRTOL": true, "TO_CHAR": true, "PG_GET_USERBYID": true, "ADD_MONTHS": true,
	"JSON_EXTRACT_PATH_TEXT": true, "IS_VALID_JSON": true, "JSON_PARSE": true, "BTRIM": true, "REGEXP_SUBSTR": true,
	"PG_BACKEND_PID": true, "TIMEOFDAY": true, "DEXP": true, "DLOG10": true, "DATE_PART": true,
	"PG_ENCODING_TO_CHAR": true, "PG_GET_EXPR": true, "HAS_SCHEMA_PRIVILEGE": true, "HAS_TABLE_PRIVILEGE": true, "HAS_DATABASE_PRIVILEGE": true,
}

// args translates each argument of the call whose "(" is at open and
// ")" at close.
func (x *rewriter) args(sig []engine.Token, open, close int) ([]string, error) {
	var out []string
	for _, a := range splitArgs(sig[open+1 : close]) {
		var w writer
		w.lastEnd = -1
		if err := x.emit(a, &w); err != nil {
			return nil, err
		}
		out = append(out, w.b.String())
	}
	return out, nil
}

func wantArgs(name string, a []string, n ...int) error {
	for _, k := range n {
		if len(a) == k {
			return nil
		}
	}
	return pgwire.Errorf(pgwire.CodeUndefinedFunction, "function %s with %d arguments does not exist", strings.ToLower(name), len(a))
}

// function translates the call sig[i](...) ending at e; it returns the
// index of the last token consumed, or 0 when the call is not mapped
// (it is then emitted as is).
func (x *rewriter) function(sig []engine.Token, i, e int, w *writer) (int, error) {
	if i > 0 && sig[i-1].Text == "." && !(i > 1 && sig[i-2].Is("pg_catalog")) {
		return 0, nil // a qualified name: schema.func or table.column
	}
	name := strings.ToUpper(sig[i].Text)
	if sig[i].Kind != engine.Ident {
		return 0, nil
	}
	switch name {
	case "CAST", "TRY_CAST":
		parts := splitArgs(sig[i+2 : e])
		if len(parts) != 1 {
			return 0, nil
		}
		body := parts[0]
		as := -1
		depth := 0
		for j, t := range body {
			switch {
			case t.Text == "(":
				depth++
			case t.Text == ")":
				depth--
			case depth == 0 && t.Is("AS"):
				as = j
			}
		}
		if as < 0 {
			return 0, nil
		}
		w.raw(name + "(")
		if err := x.emit(body[:as], w); err != nil {
			return 0, err
		}
		w.raw("AS " + mapType(body[as+1:]) + ")")
		return e, nil
	case "LISTAGG":
		a, err := x.args(sig, i+1, e)
		if err != nil {
			return 0, err
		}
		if len(a) == 0 || len(a) > 2 {
			return 0, wantArgs(name, a, 1, 2)
		}
		sep := "''"
		if len(a) > 1 {
			sep = a[1]
		}
		expr := a[0]
		order := ""
		end := e
		if e+3 < len(sig) && sig[e+1].Is("WITHIN") && sig[e+2].Is("GROUP") && sig[e+3].Text == "(" {
			end = matching(sig, e+3)
			if end < 0 {
				return 0, errSyntax("end of input")
			}
			var ow writer
			ow.lastEnd = -1
			if err := x.emit(sig[e+4:end], &ow); err != nil {
				return 0, err
			}
			order = " " + ow.b.String()
		}
		w.raw("string_agg(" + expr + ", " + sep + order + ")")
		return end, nil
	case "MEDIAN":
		return 0, nil // DuckDB's median
	case "OPERATOR": // psql's OPERATOR(pg_catalog.~) → ~
		w.raw(sig[e-1].Text)
		return e, nil
	}
	// the rest take plain arguments
	if !mappedFuncs[name] {
		return 0, nil
	}
	a, err := x.args(sig, i+1, e)
	if err != nil {
		return 0, err
	}
	out, err := x.call(name, a)
	if err != nil {
		return 0, err
	}
	w.raw(out)
	return e, nil
}
