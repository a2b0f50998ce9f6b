package pgwire

import (
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgtype"
)

func TestEncodeText(t *testing.T) {
	c := newCodec()
	ts := time.Date(2024, 1, 2, 3, 4, 5, 120000000, time.FixedZone("x", -5*3600))
	for _, tc := range []struct {
		oid  uint32
		v    any
		want string
	}{
		{OIDBool, true, "t"},
		{OIDBool, false, "f"},
		{OIDInt4, int32(-42), "-42"},
		{OIDInt8, uint64(math.MaxUint64), "18446744073709551615"},
		{OIDFloat8, 0.1, "0.1"},
		{OIDFloat8, 1e15, "1e+15"},
		{OIDFloat8, 123456789012345.0, "123456789012345"},
		{OIDFloat8, 1e-5, "1e-05"},
		{OIDFloat8, 0.0001, "0.0001"},
		{OIDFloat8, math.Inf(-1), "-Infinity"},
		{OIDFloat8, math.NaN(), "NaN"},
		{OIDFloat4, float32(1.1), "1.1"},
		{OIDFloat4, float32(1234567), "1.234567e+06"},
		{OIDFloat4, 1.1, "1.1"},
		{OIDNumeric, 1e20, "100000000000000000000"},
		{OIDNumeric, "12.340", "12.340"},
		{OIDNumeric, big.NewInt(-7), "-7"},
		{OIDText, "héllo", "héllo"},
		{OIDText, []byte("raw"), "raw"},
		{OIDBytea, []byte{0xde, 0xad}, `\xdead`},
		{OIDDate, ts, "2024-01-02"},
		{OIDDate, time.Date(-44, 3, 15, 0, 0, 0, 0, time.UTC), "0045-03-15 BC"},
		{OIDTimestamp, ts, "2024-01-02 03:04:05.12"},
		{OIDTimestamptz, ts, "2024-01-02 08:04:05.12+00"},
		{OIDTimestamptz, time.Date(2024, 1, 2, 3, 4, 5, 999999600, time.UTC), "2024-01-02 03:04:06+00"},
		{OIDTime, ts, "03:04:05.12"},
		{OIDUUID, [16]byte{1}, "01000000-0000-0000-0000-000000000000"},
		{OIDInterval, pgtype.Interval{Days: 1, Microseconds: 3600e6, Valid: true}, "1 day 01:00:00"},
	} {
		got, null, err := c.appendValue(nil, tc.oid, 0, tc.v)
		if err != nil || null || string(got) != tc.want {
			t.Errorf("%d %#v: got %q null=%v err=%v, want %q", tc.oid, tc.v, got, null, err, tc.want)
		}
	}
	if _, null, _ := c.appendValue(nil, OIDInt4, 0, nil); !null {
		t.Error("nil is not NULL")
	}
}

// TestEncodeBinary checks binary results against pgtype's decoder.
func TestEncodeBinary(t *testing.T) {
	c := newCodec()
	m := pgtype.NewMap()
	ts := time.Date(2024, 1, 2, 3, 4, 5, 123456000, time.UTC)
	for _, tc := range []struct {
		oid  uint32
		v    any
		want any // what pgtype decodes; nil means v
	}{
		{OIDBool, true, nil},
		{OIDInt2, int16(-3), nil},
		{OIDInt2, 7, int16(7)},
		{OIDInt4, int64(1 << 30), int32(1 << 30)},
		{OIDInt4, "12", int32(12)},
		{OIDInt8, int64(-1 << 62), nil},
		{OIDFloat4, float32(2.5), nil},
		{OIDFloat8, 2.5, nil},
		{OIDFloat8, int32(3), 3.0},
		{OIDDate, ts, time.Date(2024, 1, 2, 0, 0, 0, 0, time.UTC)},
		{OIDDate, "1999-12-31", time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)},
		{OIDTimestamp, ts, nil},
		{OIDTimestamptz, ts.In(time.FixedZone("y", 7200)), ts},
		{OIDBytea, []byte{1, 2}, nil},
		{OIDText, "t", nil},
		{OIDUUID, [16]byte{9}, nil},
	} {
		buf, _, err := c.appendValue(nil, tc.oid, 1, tc.v)
		if err != nil {
			t.Errorf("%d %#v: %v", tc.oid, tc.v, err)
			continue
		}
		typ, _ := m.TypeForOID(tc.oid)
		got, err := typ.Codec.DecodeValue(m, tc.oid, 1, buf)
		want := tc.want
		if want == nil {
			want = tc.v
		}
		if tm, ok := got.(time.Time); ok {
			if !tm.Equal(want.(time.Time)) {
				t.Errorf("%d: got %v, want %v", tc.oid, tm, want)
			}
			continue
		}
		if err != nil || !equalValue(got, want) {
			t.Errorf("%d %#v: decoded %#v (%v), want %#v", tc.oid, tc.v, got, err, want)
		}
	}
	// numeric: through pgtype.Numeric
	buf, _, err := c.appendValue(nil, OIDNumeric, 1, "-12.345")
	var n pgtype.Numeric
	if err == nil {
		err = m.Scan(OIDNumeric, 1, buf, &n)
	}
	if v, _ := n.Value(); err != nil || v != "-12.345" {
		t.Errorf("numeric: %v %v", v, err)
	}
	if _, _, err := c.appendValue(nil, OIDInt2, 1, 1<<20); err == nil {
		t.Error("int2 overflow not caught")
	}
}

func equalValue(a, b any) bool {
	switch x := a.(type) {
	case []byte:
		y, ok := b.([]byte)
		return ok && string(x) == string(y)
	}
	return a == b
}

// TestDecodeParams checks parameter decoding against pgtype's encoder.
func TestDecodeParams(t *testing.T) {
	c := newCodec()
	m := pgtype.NewMap()
	ts := time.Date(2024, 1, 2, 3, 4, 5, 123456000, time.UTC)
	for _, tc := range []struct {
		oid  uint32
		in   any // encoded by pgtype in binary
		want any
	}{
		{OIDBool, false, false},
		{OIDInt2, int16(-2), int16(-2)},
		{OIDInt4, int32(5), int32(5)},
		{OIDInt8, int64(1 << 40), int64(1 << 40)},
		{OIDOID, uint32(77), uint32(77)},
		{OIDFloat4, float32(0.5), float32(0.5)},
		{OIDFloat8, 0.25, 0.25},
		{OIDNumeric, pgtype.Numeric{Int: big.NewInt(12345), Exp: -2, Valid: true}, "123.45"},
		{OIDText, "x", "x"},
		{OIDVarchar, "y", "y"},
		{OIDBytea, []byte{0, 9}, []byte{0, 9}},
		{OIDDate, time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)},
		{OIDTimestamp, ts, ts},
		{OIDTimestamptz, ts, ts},
		{OIDUUID, [16]byte{0xab}, "ab000000-0000-0000-0000-000000000000"},
	} {
		raw, err := m.Encode(tc.oid, 1, tc.in, nil)
		if err != nil {
			t.Fatalf("%d: pgtype encode: %v", tc.oid, err)
		}
		got, err := c.decodeParam(1, tc.oid, 1, raw)
		if err != nil {
			t.Errorf("%d: %v", tc.oid, err)
			continue
		}
		if tm, ok := got.(time.Time); ok {
			if !tm.Equal(tc.want.(time.Time)) || tm.Location() != time.UTC {
				t.Errorf("%d: got %v, want %v", tc.oid, tm, tc.want)
			}
			continue
		}
		if !equalValue(got, tc.want) {
			t.Errorf("%d: got %#v, want %#v", tc.oid, got, tc.want)
		}
	}
	for _, tc := range []struct {
		oid  uint32
		in   string
		want any
	}{
		{OIDBool, " ON ", true},
		{OIDFloat8, "-Infinity", math.Inf(-1)},
		{OIDNumeric, " 1.5e3 ", "1.5e3"},
		{OIDNumeric, "nan", "NaN"},
		{OIDDate, "2024-02-29 10:00:00", time.Date(2024, 2, 29, 0, 0, 0, 0, time.UTC)},
		{OIDTimestamp, "2024-02-29T10:00:00+05:00", time.Date(2024, 2, 29, 10, 0, 0, 0, time.UTC)},
		{OIDTimestamptz, "2024-02-29 10:00:00+05", time.Date(2024, 2, 29, 5, 0, 0, 0, time.UTC)},
		{OIDTimestamptz, "2024-02-29 10:00:00", time.Date(2024, 2, 29, 10, 0, 0, 0, time.UTC)},
		{OIDBytea, `a\\b\001`, []byte("a\\b\x01")},
		{OIDUUID, "not checked here", "not checked here"},
	} {
		got, err := c.decodeParam(1, tc.oid, 0, []byte(tc.in))
		if err != nil {
			t.Errorf("%d %q: %v", tc.oid, tc.in, err)
			continue
		}
		if tm, ok := got.(time.Time); ok {
			if !tm.Equal(tc.want.(time.Time)) {
				t.Errorf("%d %q: got %v, want %v", tc.oid, tc.in, tm, tc.want)
			}
			continue
		}
		if !equalValue(got, tc.want) {
			t.Errorf("%d %q: got %#v, want %#v", tc.oid, tc.in, got, tc.want)
		}
	}
	if _, err := c.decodeParam(1, OIDText, 0, []byte{0xff}); err == nil {
		t.Error("invalid UTF-8 accepted")
	}
}
