package warehouse

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
	"github.com/tarnhq/tarn/internal/pgwire"
)

// nowTS is Redshift's GETDATE(): the statement's UTC time as a
// TIMESTAMP (the engine's time zone is UTC).
const nowTS = "CAST(date_trunc('second', get_current_timestamp()) AS TIMESTAMP)"

// partArg reads a date part given as a bare word or a string literal.
func partArg(s string) (string, error) {
	p := datePart(s)
	if p == "" {
		return "", pgwire.Errorf(pgwire.CodeInvalidParameterValue, "%s is not a valid date part", strings.Trim(s, `'"`))
	}
	return p, nil
}

// call renders the Redshift function name applied to translated
// arguments a.
func (x *rewriter) call(name string, a []string) (string, error) {
	j := func() string { return strings.Join(a, ", ") }
	switch name {
	case "GETDATE", "SYSDATE":
		return nowTS, wantArgs(name, a, 0)
	case "TIMEOFDAY":
		return "strftime(get_current_timestamp(), '%a %b %d %H:%M:%S.%f %Y UTC')", wantArgs(name, a, 0)
	case "VERSION":
		return engine.Quote(pgwire.RedshiftVersion), wantArgs(name, a, 0)
	case "CURRENT_DATABASE":
		return engine.Quote(x.c.database), wantArgs(name, a, 0)
	case "PG_GET_USERBYID":
		return "'rdsdb'", wantArgs(name, a, 1)
	case "PG_GET_EXPR": // the pretty flag is not DuckDB's
		if len(a) < 2 {
			return "", wantArgs(name, a, 2, 3)
		}
		return "pg_catalog.pg_get_expr(" + a[0] + ", " + a[1] + ")", nil
	case "PG_ENCODING_TO_CHAR":
		return "'UTF8'", wantArgs(name, a, 1)
	case "HAS_SCHEMA_PRIVILEGE", "HAS_TABLE_PRIVILEGE", "HAS_DATABASE_PRIVILEGE":
		return "true", wantArgs(name, a, 2, 3)
	case "PG_BACKEND_PID":
		return "pg_backend_pid()", nil
	case "NVL":
		if len(a) < 2 {
			return "", wantArgs(name, a, 2)
		}
		return "coalesce(" + j() + ")", nil
	case "NVL2":
		if err := wantArgs(name, a, 3); err != nil {
			return "", err
		}
		return fmt.Sprintf("CASE WHEN (%s) IS NOT NULL THEN %s ELSE %s END", a[0], a[1], a[2]), nil
	case "DECODE":
		if len(a) < 3 {
			return "", wantArgs(name, a, 3)
		}
		var b strings.Builder
		b.WriteString("CASE")
		k := 1
		for ; k+1 < len(a); k += 2 {
			fmt.Fprintf(&b, " WHEN (%s) IS NOT DISTINCT FROM (%s) THEN %s", a[0], a[k], a[k+1])
		}
		if k < len(a) {
			fmt.Fprintf(&b, " ELSE %s", a[k])
		}
		b.WriteString(" END")
		return b.String(), nil
	case "DATEADD":
		if err := wantArgs(name, a, 3); err != nil {
			return "", err
		}
		p, err := partArg(a[0])
		if err != nil {
			return "", err
		}
		n := a[1]
		switch p {
		case "quarter":
			p, n = "month", "3 * ("+n+")"
		case "decade":
			p, n = "year", "10 * ("+n+")"
		case "century":
			p, n = "year", "100 * ("+n+")"
		case "millennium":
			p, n = "year", "1000 * ("+n+")"
		}
		return fmt.Sprintf("(CAST(%s AS TIMESTAMP) + CAST(%s AS BIGINT) * INTERVAL '1 %s')", a[2], n, p), nil
	case "ADD_MONTHS":
		if err := wantArgs(name, a, 2); err != nil {
			return "", err
		}
		return fmt.Sprintf("(CAST(%s AS TIMESTAMP) + CAST(%s AS BIGINT) * INTERVAL '1 month')", a[0], a[1]), nil
	case "DATEDIFF":
		if err := wantArgs(name, a, 3); err != nil {
			return "", err
		}
		p, err := partArg(a[0])
		if err != nil {
			return "", err
		}
		return fmt.Sprintf("date_diff('%s', CAST(%s AS TIMESTAMP), CAST(%s AS TIMESTAMP))", p, a[1], a[2]), nil
	case "DATE_TRUNC", "DATE_PART":
		if err := wantArgs(name, a, 2); err != nil {
			return "", err
		}
		p, err := partArg(a[0])
		if err != nil {
			return "", err
		}
		if name == "DATE_TRUNC" {
			return fmt.Sprintf("CAST(date_trunc('%s', %s) AS TIMESTAMP)", p, a[1]), nil
		}
		return fmt.Sprintf("CAST(date_part('%s', %s) AS DOUBLE)", p, a[1]), nil
	case "CONVERT_TIMEZONE":
		src, tgt, ts := "'UTC'", "", ""
		switch len(a) {
		case 2:
			tgt, ts = a[0], a[1]
		case 3:
			src, tgt, ts = a[0], a[1], a[2]
		default:
			return "", wantArgs(name, a, 2, 3)
		}
		return fmt.Sprintf("timezone(%s, timezone(%s, CAST(%s AS TIMESTAMP)))", tgt, src, ts), nil
	case "LEN":
		return "length(" + j() + ")", wantArgs(name, a, 1)
	case "CHARINDEX":
		if err := wantArgs(name, a, 2); err != nil {
			return "", err
		}
		return fmt.Sprintf("strpos(%s, %s)", a[1], a[0]), nil
	case "STRTOL":
		if err := wantArgs(name, a, 2); err != nil {
			return "", err
		}
		return fmt.Sprintf("CAST((CASE CAST(%s AS INTEGER) WHEN 16 THEN '0x' WHEN 2 THEN '0b' ELSE '' END) || ltrim(lower(%s), '0x') AS BIGINT)", a[1], a[0]), nil
	case "TO_CHAR":
		if err := wantArgs(name, a, 2); err != nil {
			return "", err
		}
		f, err := strconv.Unquote(`"` + strings.ReplaceAll(strings.Trim(a[1], "'"), `"`, `\"`) + `"`)
		if err != nil || !strings.HasPrefix(a[1], "'") {
			return "", pgwire.Errorf(pgwire.CodeFeatureNotSupported, "TO_CHAR needs a literal format")
		}
		if numericFormat(f) {
			return numberFormat(a[0], f), nil
		}
		return fmt.Sprintf("strftime(CAST(%s AS TIMESTAMP), %s)", a[0], engine.Quote(dateFormat(f))), nil
	case "JSON_EXTRACT_PATH_TEXT":
		if len(a) < 2 {
			return "", wantArgs(name, a, 2)
		}
		path := "'$'"
		for _, k := range a[1:] {
			path += " || '.' || " + k
		}
		return fmt.Sprintf("json_extract_string(%s, %s)", a[0], path), nil
	case "IS_VALID_JSON":
		return "json_valid(" + j() + ")", wantArgs(name, a, 1)
	case "JSON_PARSE":
		return "CAST(" + j() + " AS JSON)", wantArgs(name, a, 1)
	case "BTRIM":
		return "trim(" + j() + ")", wantArgs(name, a, 1, 2)
	case "REGEXP_SUBSTR":
		if len(a) < 2 {
			return "", wantArgs(name, a, 2)
		}
		return fmt.Sprintf("nullif(regexp_extract(%s, %s), '')", a[0], a[1]), nil
	case "DEXP":
		return "exp(" + j() + ")", wantArgs(name, a, 1)
	case "DLOG10":
		return "log10(" + j() + ")", wantArgs(name, a, 1)
	}
	return "", fmt.Errorf("warehouse: unmapped function %s", name)
}

// dateFormat converts a Redshift datetime format string to strftime's.
func dateFormat(f string) string {
	repl := []struct{ from, to string }{
		{"YYYY", "%Y"}, {"HH24", "%H"}, {"HH12", "%I"}, {"MONTH", "%B"}, {"Month", "%B"}, {"month", "%B"},
		{"MON", "%b"}, {"Mon", "%b"}, {"DAY", "%A"}, {"Day", "%A"}, {"DY", "%a"}, {"Dy", "%a"},
		{"YY", "%y"}, {"MM", "%m"}, {"DD", "%d"}, {"HH", "%I"}, {"MI", "%M"}, {"SS", "%S"}, {"MS", "%g"},
		{"US", "%f"}, {"AM", "%p"}, {"PM", "%p"}, {"DDD", "%j"}, {"TZ", "%Z"},
	}
	var b strings.Builder
	for i := 0; i < len(f); {
		if f[i] == '"' { // quoted literal text
			j := strings.IndexByte(f[i+1:], '"')
			if j < 0 {
				b.WriteString(f[i+1:])
				break
			}
			b.WriteString(strings.ReplaceAll(f[i+1:i+1+j], "%", "%%"))
			i += j + 2
			continue
		}
		hit := false
		if strings.HasPrefix(f[i:], "DDD") {
			b.WriteString("%j")
			i += 3
			continue
		}
		for _, r := range repl {
			if strings.HasPrefix(f[i:], r.from) {
				b.WriteString(r.to)
				i += len(r.from)
				hit = true
				break
			}
		}
		if !hit {
			if f[i] == '%' {
				b.WriteString("%%")
			} else {
				b.WriteByte(f[i])
			}
			i++
		}
	}
	return b.String()
}

func numericFormat(f string) bool {
	if f == "" {
		return false
	}
	for _, r := range f {
		if !strings.ContainsRune("90.,DGSL$ FM", r) {
			return false
		}
	}
	return strings.ContainsAny(f, "90")
}

// numberFormat renders TO_CHAR(x, '999,999.99'): the digits after the
// decimal point fix the scale; G or , groups thousands.
func numberFormat(x, f string) string {
	scale := 0
	if i := strings.IndexAny(f, ".D"); i >= 0 {
		scale = strings.Count(f[i+1:], "9") + strings.Count(f[i+1:], "0")
	}
	group := strings.ContainsAny(f, ",G")
	spec := fmt.Sprintf("{:.%df}", scale)
	if group {
		spec = fmt.Sprintf("{:,.%df}", scale)
	}
	return fmt.Sprintf("format('%s', CAST(%s AS DOUBLE))", spec, x)
}
