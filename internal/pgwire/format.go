package pgwire

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

// Text and binary forms of floats, times and numerics.

// appendFloat prints f as PostgreSQL 12+ does (extra_float_digits 1):
// the shortest digits that read back exactly, in exponent form below
// 1e-4 and from 1e15 (float8) or 1e6 (float4). For numeric columns it
// prints plain decimal digits.
func appendFloat(dst []byte, f float64, bits int, numeric bool) []byte {
	switch {
	case math.IsNaN(f):
		return append(dst, "NaN"...)
	case math.IsInf(f, 1):
		return append(dst, "Infinity"...)
	case math.IsInf(f, -1):
		return append(dst, "-Infinity"...)
	}
	if numeric {
		return strconv.AppendFloat(dst, f, 'f', -1, bits)
	}
	var tmp [32]byte
	e := strconv.AppendFloat(tmp[:0], f, 'e', -1, bits)
	// e is d[.ddd]e±XX
	i := len(e) - 1
	for e[i] != 'e' {
		i--
	}
	exp, _ := strconv.Atoi(string(e[i+1:]))
	limit := 15
	if bits == 32 {
		limit = 6
	}
	if exp < -4 || exp >= limit {
		return append(dst, e...) // Go already prints at least two exponent digits, as C does
	}
	return strconv.AppendFloat(dst, f, 'f', -1, bits)
}

func appendTime(dst []byte, oid uint32, t time.Time) []byte {
	if oid != OIDTimestamp && oid != OIDDate && oid != OIDTime {
		t = t.UTC()
	}
	t = t.Round(time.Microsecond)
	y, mo, d := t.Date()
	bc := y <= 0
	if bc {
		y = 1 - y
	}
	if oid != OIDTime {
		dst = fmt.Appendf(dst, "%04d-%02d-%02d", y, int(mo), d)
		if oid == OIDDate {
			if bc {
				dst = append(dst, " BC"...)
			}
			return dst
		}
		dst = append(dst, ' ')
	}
	h, mi, s := t.Clock()
	dst = fmt.Appendf(dst, "%02d:%02d:%02d", h, mi, s)
	if us := t.Nanosecond() / 1000; us != 0 {
		frac := fmt.Appendf(nil, ".%06d", us)
		for frac[len(frac)-1] == '0' {
			frac = frac[:len(frac)-1]
		}
		dst = append(dst, frac...)
	}
	if oid != OIDTimestamp && oid != OIDTime {
		dst = append(dst, "+00"...)
	}
	if bc {
		dst = append(dst, " BC"...)
	}
	return dst
}

func appendTimeBinary(dst []byte, oid uint32, t time.Time) []byte {
	switch oid {
	case OIDDate:
		y, m, d := t.Date()
		days := time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix()/86400 - pgEpochDays
		return binary.BigEndian.AppendUint32(dst, uint32(int32(days)))
	case OIDTime:
		h, m, s := t.Clock()
		us := (int64(h)*3600+int64(m)*60+int64(s))*1e6 + int64(t.Nanosecond()/1000)
		return binary.BigEndian.AppendUint64(dst, uint64(us))
	case OIDTimestamp:
		y, m, d := t.Date()
		h, mi, s := t.Clock()
		t = time.Date(y, m, d, h, mi, s, t.Nanosecond(), time.UTC)
	}
	us := t.Round(time.Microsecond).UnixMicro() - pgEpochUnix*1e6
	return binary.BigEndian.AppendUint64(dst, uint64(us))
}

// numericFromText reads [+-]digits[.digits][e[+-]digits] or NaN.
func numericFromText(s string) (pgtype.Numeric, bool) {
	s = strings.TrimSpace(s)
	if strings.EqualFold(s, "nan") {
		return pgtype.Numeric{NaN: true, Valid: true}, true
	}
	if !validNumeric(s) {
		return pgtype.Numeric{}, false
	}
	mant, expPart, _ := strings.Cut(strings.ToLower(s), "e")
	exp := 0
	if expPart != "" {
		e, err := strconv.Atoi(expPart)
		if err != nil || e > 1000 || e < -1000 {
			return pgtype.Numeric{}, false
		}
		exp = e
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := intPart + frac
	i, ok := new(big.Int).SetString(digits, 10)
	if !ok {
		return pgtype.Numeric{}, false
	}
	return pgtype.Numeric{Int: i, Exp: int32(exp - len(frac)), Valid: true}, true
}
