package warehouse

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/tarnhq/tarn/internal/pgwire"
)

// oidOf maps a DuckDB type to the PostgreSQL type clients see (as
// Redshift reports it) and its type modifier.
func oidOf(t duckdb.Type, info duckdb.TypeInfo) (uint32, int32) {
	switch t {
	case duckdb.TYPE_BOOLEAN:
		return pgwire.OIDBool, -1
	case duckdb.TYPE_TINYINT, duckdb.TYPE_SMALLINT, duckdb.TYPE_UTINYINT:
		return pgwire.OIDInt2, -1
	case duckdb.TYPE_INTEGER, duckdb.TYPE_USMALLINT:
		return pgwire.OIDInt4, -1
	case duckdb.TYPE_BIGINT, duckdb.TYPE_UINTEGER:
		return pgwire.OIDInt8, -1
	case duckdb.TYPE_UBIGINT, duckdb.TYPE_HUGEINT, duckdb.TYPE_UHUGEINT, duckdb.TYPE_BIGNUM:
		return pgwire.OIDNumeric, -1
	case duckdb.TYPE_FLOAT:
		return pgwire.OIDFloat4, -1
	case duckdb.TYPE_DOUBLE:
		return pgwire.OIDFloat8, -1
	case duckdb.TYPE_DECIMAL:
		if info != nil {
			if d, ok := info.Details().(*duckdb.DecimalDetails); ok {
				return pgwire.OIDNumeric, int32(d.Width)<<16 | int32(d.Scale) + 4
			}
		}
		return pgwire.OIDNumeric, -1
	case duckdb.TYPE_DATE:
		return pgwire.OIDDate, -1
	case duckdb.TYPE_TIME:
		return pgwire.OIDTime, -1
	case duckdb.TYPE_TIMESTAMP, duckdb.TYPE_TIMESTAMP_S, duckdb.TYPE_TIMESTAMP_MS, duckdb.TYPE_TIMESTAMP_NS:
		return pgwire.OIDTimestamp, -1
	case duckdb.TYPE_TIMESTAMP_TZ:
		return pgwire.OIDTimestamptz, -1
	case duckdb.TYPE_INTERVAL:
		return pgwire.OIDInterval, -1
	case duckdb.TYPE_BLOB:
		return pgwire.OIDBytea, -1
	case duckdb.TYPE_VARCHAR, duckdb.TYPE_ENUM:
		return pgwire.OIDVarchar, -1
	case duckdb.TYPE_UUID:
		return pgwire.OIDText, -1
	case duckdb.TYPE_INVALID, duckdb.TYPE_ANY, duckdb.TYPE_SQLNULL:
		return pgwire.OIDUnknown, -1
	}
	return pgwire.OIDText, -1 // lists, structs, maps: their text form
}

// converter turns a value scanned from DuckDB into one pgwire encodes
// for the column's type.
type converter func(any) any

func converterFor(oid uint32) converter {
	switch oid {
	case pgwire.OIDNumeric:
		return func(v any) any {
			switch x := v.(type) {
			case duckdb.Decimal:
				return decimalString(x)
			case *big.Int:
				return x.String()
			case uint64:
				return strconv.FormatUint(x, 10)
			}
			return v
		}
	case pgwire.OIDInterval:
		return func(v any) any {
			if x, ok := v.(duckdb.Interval); ok {
				return pgtype.Interval{Months: x.Months, Days: x.Days, Microseconds: x.Micros, Valid: true}
			}
			return v
		}
	case pgwire.OIDVarchar, pgwire.OIDText, pgwire.OIDUnknown:
		return textValue
	}
	return func(v any) any { return v }
}

// decimalString prints a decimal with its full scale, as PostgreSQL
// prints numeric(p,s) (duckdb.Decimal.String trims trailing zeros).
func decimalString(d duckdb.Decimal) string {
	if d.Value == nil {
		return "0"
	}
	digits := new(big.Int).Abs(d.Value).String()
	sign := ""
	if d.Value.Sign() < 0 {
		sign = "-"
	}
	sc := int(d.Scale)
	if sc == 0 {
		return sign + digits
	}
	for len(digits) <= sc {
		digits = "0" + digits
	}
	return sign + digits[:len(digits)-sc] + "." + digits[len(digits)-sc:]
}

// textValue renders any value as text (nested types as JSON).
func textValue(v any) any {
	switch x := v.(type) {
	case nil, string:
		return v
	case []byte:
		if len(x) == 16 {
			return uuidString(x)
		}
		return string(x)
	case duckdb.UUID:
		return uuidString(x[:])
	case *duckdb.UUID:
		return uuidString(x[:])
	case []any, map[string]any, duckdb.Map:
		b, err := json.Marshal(jsonable(x))
		if err != nil {
			return fmt.Sprint(x)
		}
		return string(b)
	}
	return fmt.Sprint(v)
}

func uuidString(b []byte) string {
	h := hex.EncodeToString(b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// jsonable makes DuckDB maps (any keys) encodable as JSON.
func jsonable(v any) any {
	switch x := v.(type) {
	case duckdb.Map:
		m := map[string]any{}
		for k, e := range x {
			m[fmt.Sprint(k)] = jsonable(e)
		}
		return m
	case map[string]any:
		for k, e := range x {
			x[k] = jsonable(e)
		}
		return x
	case []any:
		for i, e := range x {
			x[i] = jsonable(e)
		}
		return x
	case duckdb.Decimal:
		return json.Number(decimalString(x))
	}
	return v
}
