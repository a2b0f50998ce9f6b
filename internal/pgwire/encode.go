package pgwire

import (
	"encoding/binary"
	"encoding/hex"
	"math"
	"math/big"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// Result values are encoded by the column's type OID and the format the
// client asked for. The core types are encoded here, as PostgreSQL
// prints them with DateStyle ISO and TimeZone UTC:
//
//	nil                      NULL
//	bool                     t / f
//	int, int8..int64, uint*  integers (int2/int4/int8/oid/numeric/float columns)
//	float32, float64         shortest exact digits, Infinity, -Infinity, NaN
//	string                   as is in text; parsed by the column type for binary
//	[]byte                   bytea (\x hex in text), or raw text for text types
//	time.Time                date, time, timestamp, timestamptz (UTC, "+00")
//
// Anything else is handed to pgtype (which knows uuid, interval, json,
// arrays, pgtype.Numeric, driver.Valuer, ...).

// pgEpoch is 2000-01-01 00:00:00 UTC in Unix seconds and days.
const (
	pgEpochUnix = 946684800
	pgEpochDays = 10957
)

// codec encodes results and decodes parameters for one connection
// (pgtype.Map caches plans and is not safe for concurrent use).
type codec struct {
	m *pgtype.Map
}

func newCodec() *codec { return &codec{m: pgtype.NewMap()} }

// appendValue appends the encoding of v to dst. null reports a NULL
// (nothing appended).
func (c *codec) appendValue(dst []byte, oid uint32, format int16, v any) (out []byte, null bool, err error) {
	if v == nil {
		return dst, true, nil
	}
	if format == 0 || textLike(oid) {
		return c.appendText(dst, oid, v)
	}
	return c.appendBinary(dst, oid, v)
}

func (c *codec) appendText(dst []byte, oid uint32, v any) ([]byte, bool, error) {
	switch x := v.(type) {
	case string:
		return append(dst, x...), false, nil
	case []byte:
		if oid == OIDBytea {
			dst = append(dst, '\\', 'x')
			return hex.AppendEncode(dst, x), false, nil
		}
		return append(dst, x...), false, nil
	case bool:
		if x {
			return append(dst, 't'), false, nil
		}
		return append(dst, 'f'), false, nil
	case int:
		return strconv.AppendInt(dst, int64(x), 10), false, nil
	case int8:
		return strconv.AppendInt(dst, int64(x), 10), false, nil
	case int16:
		return strconv.AppendInt(dst, int64(x), 10), false, nil
	case int32:
		return strconv.AppendInt(dst, int64(x), 10), false, nil
	case int64:
		return strconv.AppendInt(dst, x, 10), false, nil
	case uint:
		return strconv.AppendUint(dst, uint64(x), 10), false, nil
	case uint8:
		return strconv.AppendUint(dst, uint64(x), 10), false, nil
	case uint16:
		return strconv.AppendUint(dst, uint64(x), 10), false, nil
	case uint32:
		return strconv.AppendUint(dst, uint64(x), 10), false, nil
	case uint64:
		return strconv.AppendUint(dst, x, 10), false, nil
	case float32:
		return appendFloat(dst, float64(x), 32, oid == OIDNumeric), false, nil
	case float64:
		bits := 64
		if oid == OIDFloat4 {
			bits = 32
		}
		return appendFloat(dst, x, bits, oid == OIDNumeric), false, nil
	case time.Time:
		return appendTime(dst, oid, x), false, nil
	case *big.Int:
		if x == nil {
			return dst, true, nil
		}
		return x.Append(dst, 10), false, nil
	}
	return c.pgtypeEncode(dst, oid, pgtype.TextFormatCode, v)
}

func (c *codec) pgtypeEncode(dst []byte, oid uint32, format int16, v any) ([]byte, bool, error) {
	n := len(dst)
	out, err := c.m.Encode(oid, format, v, dst)
	if err != nil {
		return dst, false, err
	}
	if out == nil {
		return dst[:n], true, nil
	}
	return out, false, nil
}

func (c *codec) appendBinary(dst []byte, oid uint32, v any) ([]byte, bool, error) {
	if s, ok := v.(string); ok && oid != OIDBytea {
		// A value given as text for a typed column: read it as the type.
		pv, err := parseText(oid, s)
		if err != nil {
			return dst, false, err
		}
		if _, still := pv.(string); still && oid != OIDNumeric {
			return c.pgtypeEncode(dst, oid, pgtype.BinaryFormatCode, s)
		}
		v = pv
	}
	switch oid {
	case OIDBool:
		b, ok := v.(bool)
		if !ok {
			break
		}
		if b {
			return append(dst, 1), false, nil
		}
		return append(dst, 0), false, nil
	case OIDInt2, OIDInt4, OIDInt8, OIDOID:
		n, ok := toInt64(v)
		if !ok {
			break
		}
		switch oid {
		case OIDInt2:
			if n < math.MinInt16 || n > math.MaxInt16 {
				return dst, false, Errorf(CodeNumericValueOutOfRange, "smallint out of range")
			}
			return binary.BigEndian.AppendUint16(dst, uint16(n)), false, nil
		case OIDInt4:
			if n < math.MinInt32 || n > math.MaxInt32 {
				return dst, false, Errorf(CodeNumericValueOutOfRange, "integer out of range")
			}
			return binary.BigEndian.AppendUint32(dst, uint32(n)), false, nil
		case OIDOID:
			if n < 0 || n > math.MaxUint32 {
				return dst, false, Errorf(CodeNumericValueOutOfRange, "OID out of range")
			}
			return binary.BigEndian.AppendUint32(dst, uint32(n)), false, nil
		}
		return binary.BigEndian.AppendUint64(dst, uint64(n)), false, nil
	case OIDFloat4, OIDFloat8:
		f, ok := toFloat64(v)
		if !ok {
			break
		}
		if oid == OIDFloat4 {
			return binary.BigEndian.AppendUint32(dst, math.Float32bits(float32(f))), false, nil
		}
		return binary.BigEndian.AppendUint64(dst, math.Float64bits(f)), false, nil
	case OIDDate, OIDTimestamp, OIDTimestamptz, OIDTime:
		t, ok := v.(time.Time)
		if !ok {
			break
		}
		return appendTimeBinary(dst, oid, t), false, nil
	case OIDBytea:
		switch x := v.(type) {
		case []byte:
			return append(dst, x...), false, nil
		case string:
			return append(dst, x...), false, nil
		}
	case OIDNumeric:
		var n pgtype.Numeric
		switch x := v.(type) {
		case string:
			n, ok := numericFromText(x)
			if !ok {
				return dst, false, Errorf(CodeInvalidTextRepresentation, "invalid input syntax for type numeric: %q", x)
			}
			v = n
		case float32, float64:
			f, _ := toFloat64(x)
			if math.IsInf(f, 0) {
				return dst, false, Errorf(CodeFeatureNotSupported, "cannot convert infinity to numeric")
			}
			n, _ = numericFromText(string(appendFloat(nil, f, 64, true)))
			v = n
		default:
			if i, ok := toInt64(x); ok {
				v = pgtype.Numeric{Int: big.NewInt(i), Valid: true}
			}
		}
	}
	return c.pgtypeEncode(dst, oid, pgtype.BinaryFormatCode, v)
}

func toInt64(v any) (int64, bool) {
	switch x := v.(type) {
	case int:
		return int64(x), true
	case int8:
		return int64(x), true
	case int16:
		return int64(x), true
	case int32:
		return int64(x), true
	case int64:
		return x, true
	case uint:
		return int64(x), x <= math.MaxInt64
	case uint8:
		return int64(x), true
	case uint16:
		return int64(x), true
	case uint32:
		return int64(x), true
	case uint64:
		return int64(x), x <= math.MaxInt64
	}
	return 0, false
}

func toFloat64(v any) (float64, bool) {
	switch x := v.(type) {
	case float32:
		return float64(x), true
	case float64:
		return x, true
	}
	if n, ok := toInt64(v); ok {
		return float64(n), true
	}
	return 0, false
}
