package pgwire

import (
	"encoding/binary"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgtype"
)

// decodeParam turns Bind parameter n (1-based) into the Go value
// documented on Description.ParamOIDs. raw nil is NULL.
func (c *codec) decodeParam(n int, oid uint32, format int16, raw []byte) (any, error) {
	if raw == nil {
		return nil, nil
	}
	if format == 0 || textLike(oid) {
		if !utf8.Valid(raw) {
			return nil, Errorf("22021", "invalid byte sequence for encoding \"UTF8\"")
		}
		return parseText(oid, string(raw))
	}
	bad := func() (any, error) {
		return nil, Errorf(CodeInvalidBinaryRepresentation, "incorrect binary data format in bind parameter %d", n)
	}
	switch oid {
	case OIDBool:
		if len(raw) != 1 {
			return bad()
		}
		return raw[0] != 0, nil
	case OIDInt2:
		if len(raw) != 2 {
			return bad()
		}
		return int16(binary.BigEndian.Uint16(raw)), nil
	case OIDInt4:
		if len(raw) != 4 {
			return bad()
		}
		return int32(binary.BigEndian.Uint32(raw)), nil
	case OIDOID:
		if len(raw) != 4 {
			return bad()
		}
		return binary.BigEndian.Uint32(raw), nil
	case OIDInt8:
		if len(raw) != 8 {
			return bad()
		}
		return int64(binary.BigEndian.Uint64(raw)), nil
	case OIDFloat4:
		if len(raw) != 4 {
			return bad()
		}
		return math.Float32frombits(binary.BigEndian.Uint32(raw)), nil
	case OIDFloat8:
		if len(raw) != 8 {
			return bad()
		}
		return math.Float64frombits(binary.BigEndian.Uint64(raw)), nil
	case OIDBytea:
		return append([]byte{}, raw...), nil
	case OIDDate:
		if len(raw) != 4 {
			return bad()
		}
		d := int32(binary.BigEndian.Uint32(raw))
		if d == math.MaxInt32 || d == math.MinInt32 {
			return nil, Errorf(CodeFeatureNotSupported, "infinite dates are not supported")
		}
		return time.Unix((int64(d)+pgEpochDays)*86400, 0).UTC(), nil
	case OIDTimestamp, OIDTimestamptz:
		if len(raw) != 8 {
			return bad()
		}
		us := int64(binary.BigEndian.Uint64(raw))
		if us == math.MaxInt64 || us == math.MinInt64 {
			return nil, Errorf(CodeFeatureNotSupported, "infinite timestamps are not supported")
		}
		return time.UnixMicro(us + pgEpochUnix*1e6).UTC(), nil
	}
	// Any other type pgtype knows: decode and hand over its text form.
	t, ok := c.m.TypeForOID(oid)
	if !ok {
		return nil, Errorf(CodeFeatureNotSupported, "binary format is not supported for parameters of type %d", oid)
	}
	v, err := t.Codec.DecodeValue(c.m, oid, pgtype.BinaryFormatCode, raw)
	if err != nil {
		return bad()
	}
	txt, err := c.m.Encode(oid, pgtype.TextFormatCode, v, nil)
	if err != nil || txt == nil {
		return bad()
	}
	return string(txt), nil
}

func syntaxErr(oid uint32, s string) error {
	code := CodeInvalidTextRepresentation
	switch oid {
	case OIDDate, OIDTimestamp, OIDTimestamptz:
		code = "22007"
	}
	return Errorf(code, "invalid input syntax for type %s: %q", typeName(oid), s)
}

// parseText reads the text form of a value of type oid.
func parseText(oid uint32, s string) (any, error) {
	t := strings.TrimSpace(s)
	switch oid {
	case OIDBool:
		switch strings.ToLower(t) {
		case "t", "true", "y", "yes", "on", "1":
			return true, nil
		case "f", "false", "n", "no", "off", "0":
			return false, nil
		}
		return nil, syntaxErr(oid, s)
	case OIDInt2, OIDInt4, OIDInt8:
		bits := map[uint32]int{OIDInt2: 16, OIDInt4: 32, OIDInt8: 64}[oid]
		n, err := strconv.ParseInt(t, 10, bits)
		if err != nil {
			if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
				return nil, Errorf(CodeNumericValueOutOfRange, "value %q is out of range for type %s", s, typeName(oid))
			}
			return nil, syntaxErr(oid, s)
		}
		switch oid {
		case OIDInt2:
			return int16(n), nil
		case OIDInt4:
			return int32(n), nil
		}
		return n, nil
	case OIDOID:
		n, err := strconv.ParseUint(t, 10, 32)
		if err != nil {
			return nil, syntaxErr(oid, s)
		}
		return uint32(n), nil
	case OIDFloat4, OIDFloat8:
		bits := 64
		if oid == OIDFloat4 {
			bits = 32
		}
		var f float64
		switch strings.ToLower(t) {
		case "infinity", "+infinity", "inf", "+inf":
			f = math.Inf(1)
		case "-infinity", "-inf":
			f = math.Inf(-1)
		case "nan":
			f = math.NaN()
		default:
			var err error
			f, err = strconv.ParseFloat(t, bits)
			if err != nil {
				if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
					return nil, Errorf(CodeNumericValueOutOfRange, "%q is out of range for type %s", s, typeName(oid))
				}
				return nil, syntaxErr(oid, s)
			}
		}
		if bits == 32 {
			return float32(f), nil
		}
		return f, nil
	case OIDNumeric:
		if !validNumeric(t) {
			return nil, syntaxErr(oid, s)
		}
		if _, e, ok := strings.Cut(strings.ToLower(t), "e"); ok {
			// NUMERIC_MAX_PRECISION bounds the exponent in PostgreSQL.
			if n, err := strconv.Atoi(e); err != nil || n > 1000 || n < -1000 {
				return nil, Errorf(CodeNumericValueOutOfRange, "value overflows numeric format")
			}
		}
		if strings.EqualFold(t, "nan") {
			return "NaN", nil
		}
		return t, nil
	case OIDDate, OIDTimestamp, OIDTimestamptz:
		return parseDatetime(oid, t, s)
	case OIDBytea:
		return parseBytea(s)
	}
	return s, nil
}

// validNumeric accepts [+-]digits[.digits][e[+-]digits] and NaN.
func validNumeric(s string) bool {
	if strings.EqualFold(s, "nan") {
		return true
	}
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	digits := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i, digits = i+1, digits+1
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, digits = i+1, digits+1
		}
	}
	if digits == 0 {
		return false
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		ed := 0
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i, ed = i+1, ed+1
		}
		if ed == 0 {
			return false
		}
	}
	return i == len(s)
}
