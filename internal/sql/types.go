package sql

import (
	"fmt"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
)

// Type names: Athena/Trino and Hive/Glue spellings to DuckDB, and DuckDB
// result types back to the names Athena reports in ColumnInfo.Type.

var scalarTypes = map[string]string{
	"string": "VARCHAR", "varchar": "VARCHAR", "char": "VARCHAR", "text": "VARCHAR",
	"tinyint": "TINYINT", "smallint": "SMALLINT", "int": "INTEGER", "integer": "INTEGER",
	"bigint": "BIGINT", "double": "DOUBLE", "float": "FLOAT", "real": "FLOAT",
	"boolean": "BOOLEAN", "date": "DATE", "timestamp": "TIMESTAMP", "time": "TIME",
	"binary": "BLOB", "varbinary": "BLOB", "json": "JSON", "uuid": "UUID",
	"decimal": "DECIMAL", "numeric": "DECIMAL", "ipaddress": "VARCHAR",
}

// parseType reads a type at toks[i:] in Trino (array(varchar), row(a int),
// map(k, v)) or Hive (array<string>, struct<a:int>, map<k,v>) syntax and
// returns its DuckDB spelling and the index after it.
func parseType(toks []engine.Token, i int) (string, int, error) {
	if i >= len(toks) || (toks[i].Kind != engine.Ident && toks[i].Kind != engine.QuotedIdent) {
		return "", i, fmt.Errorf("type expected")
	}
	name := strings.ToLower(toks[i].Value())
	i++
	open := func() (string, bool) {
		if i < len(toks) && (toks[i].Text == "(" || toks[i].Text == "<") {
			t := toks[i].Text
			i++
			if t == "(" {
				return ")", true
			}
			return ">", true
		}
		return "", false
	}
	expect := func(s string) error {
		if i < len(toks) && toks[i].Text == s {
			i++
			return nil
		}
		return fmt.Errorf("%q expected in type", s)
	}
	switch name {
	case "array":
		cl, ok := open()
		if !ok {
			return "", i, fmt.Errorf("array element type expected")
		}
		el, j, err := parseType(toks, i)
		if err != nil {
			return "", j, err
		}
		i = j
		if err := expect(cl); err != nil {
			return "", i, err
		}
		return el + "[]", i, nil
	case "map":
		cl, ok := open()
		if !ok {
			return "", i, fmt.Errorf("map key type expected")
		}
		k, j, err := parseType(toks, i)
		if err != nil {
			return "", j, err
		}
		i = j
		if err := expect(","); err != nil {
			return "", i, err
		}
		v, j, err := parseType(toks, i)
		if err != nil {
			return "", j, err
		}
		i = j
		if err := expect(cl); err != nil {
			return "", i, err
		}
		return "MAP(" + k + ", " + v + ")", i, nil
	case "row", "struct":
		cl, ok := open()
		if !ok {
			return "", i, fmt.Errorf("row fields expected")
		}
		var fields []string
		for {
			if i >= len(toks) {
				return "", i, fmt.Errorf("row field expected")
			}
			f := toks[i].Value()
			i++
			if i < len(toks) && toks[i].Text == ":" {
				i++
			}
			ft, j, err := parseType(toks, i)
			if err != nil {
				return "", j, err
			}
			i = j
			fields = append(fields, engine.QuoteIdent(f)+" "+ft)
			if i < len(toks) && toks[i].Text == "," {
				i++
				continue
			}
			break
		}
		if err := expect(cl); err != nil {
			return "", i, err
		}
		return "STRUCT(" + strings.Join(fields, ", ") + ")", i, nil
	}
	duck, ok := scalarTypes[name]
	if !ok {
		return "", i, fmt.Errorf("Unknown type '%s'", name)
	}
	// Optional (n) / (p, s) parameters; only DECIMAL keeps them.
	if i < len(toks) && toks[i].Text == "(" {
		j := i + 1
		var params []string
		for j < len(toks) && toks[j].Text != ")" {
			if toks[j].Text != "," {
				params = append(params, toks[j].Text)
			}
			j++
		}
		if j >= len(toks) {
			return "", j, fmt.Errorf("unterminated type parameters")
		}
		i = j + 1
		if duck == "DECIMAL" {
			duck = "DECIMAL(" + strings.Join(params, ", ") + ")"
		}
	}
	if duck == "TIMESTAMP" || duck == "TIME" { // ... with time zone
		if i+2 < len(toks) && toks[i].Is("with") && toks[i+1].Is("time") && toks[i+2].Is("zone") {
			i += 3
			if duck == "TIMESTAMP" {
				duck = "TIMESTAMPTZ"
			} else {
				duck = "TIMETZ"
			}
		}
	}
	return duck, i, nil
}

// duckType converts a Hive/Glue or Trino type string to DuckDB.
func duckType(hive string) (string, error) {
	toks, err := engine.Lex(hive)
	if err != nil {
		return "", err
	}
	sig := engine.Significant(toks)
	t, i, err := parseType(sig, 0)
	if err != nil {
		return "", err
	}
	if i != len(sig) {
		return "", fmt.Errorf("unexpected %q after type", sig[i].Text)
	}
	return t, nil
}

// athenaType is the ColumnInfo.Type name for a DuckDB result type
// (DatabaseTypeName), with precision and scale.
func athenaType(duck string) (name string, precision, scale int) {
	d := strings.ToUpper(duck)
	switch {
	case strings.HasSuffix(d, "[]") || strings.HasPrefix(d, "LIST") || strings.HasPrefix(d, "ARRAY"):
		return "array", 0, 0
	case strings.HasPrefix(d, "MAP"):
		return "map", 0, 0
	case strings.HasPrefix(d, "STRUCT") || strings.HasPrefix(d, "UNION"):
		return "row", 0, 0
	case strings.HasPrefix(d, "DECIMAL"):
		p, s := 38, 0
		fmt.Sscanf(strings.TrimPrefix(d, "DECIMAL"), "(%d,%d)", &p, &s)
		return "decimal", p, s
	}
	switch d {
	case "VARCHAR", "ENUM", "BIT":
		return "varchar", 2147483647, 0
	case "BIGINT", "HUGEINT", "UBIGINT", "UHUGEINT", "UINTEGER":
		return "bigint", 19, 0
	case "INTEGER", "USMALLINT":
		return "integer", 10, 0
	case "SMALLINT", "UTINYINT":
		return "smallint", 5, 0
	case "TINYINT":
		return "tinyint", 3, 0
	case "DOUBLE":
		return "double", 17, 0
	case "FLOAT":
		return "real", 7, 0
	case "BOOLEAN":
		return "boolean", 0, 0
	case "DATE":
		return "date", 0, 0
	case "TIMESTAMP", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP_S":
		return "timestamp", 3, 0
	case "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE":
		return "timestamp with time zone", 3, 0
	case "TIME", "TIMETZ":
		return "time", 3, 0
	case "BLOB":
		return "varbinary", 1073741824, 0
	case "JSON":
		return "json", 0, 0
	case "UUID":
		return "uuid", 0, 0
	case "INTERVAL":
		return "interval day to second", 0, 0
	case "NULL", "SQLNULL", "":
		return "unknown", 0, 0
	}
	return strings.ToLower(d), 0, 0
}

// hiveType is the Glue/Hive name of a DuckDB result type, for CTAS.
func hiveType(duck string) string {
	d := strings.ToUpper(duck)
	switch {
	case strings.HasPrefix(d, "DECIMAL"):
		return strings.ToLower(strings.ReplaceAll(d, " ", ""))
	case strings.HasSuffix(d, "[]"):
		return "array<" + hiveType(d[:len(d)-2]) + ">"
	}
	switch d {
	case "VARCHAR", "JSON", "UUID", "ENUM":
		return "string"
	case "HUGEINT", "UBIGINT", "UINTEGER", "BIGINT":
		return "bigint"
	case "INTEGER", "USMALLINT":
		return "int"
	case "FLOAT":
		return "float"
	case "BLOB":
		return "binary"
	case "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMP_S":
		return "timestamp"
	}
	a, _, _ := athenaType(d)
	switch a {
	case "map", "row":
		return "string" // nested types beyond arrays are stored as their text
	}
	return a
}
