package cbor

import (
	"bytes"
	"encoding/hex"
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/tarnhq/tarn/internal/datadriven"
)

// fuzzTarget has a field of every kind Unmarshal handles.
type fuzzTarget struct {
	S    string            `json:"s"`
	B    []byte            `json:"b,omitempty"`
	I8   int8              `json:"i8"`
	U16  uint16            `json:"u16"`
	I    int64             `json:"i"`
	U    uint64            `json:"u"`
	F32  float32           `json:"f32"`
	F    float64           `json:"f"`
	Bool bool              `json:"bool"`
	T    time.Time         `json:"t"`
	TP   *time.Time        `json:"tp,omitempty"`
	Kids []*fuzzTarget     `json:"kids,omitempty"`
	M    map[string]string `json:"m,omitempty"`
	A    any               `json:"a"`
	Arr  [2]int            `json:"arr"`
	BA   [4]byte           `json:"ba"`
	R    RawMessage        `json:"r,omitempty"`
	*Embedded
}

// FuzzUnmarshal feeds arbitrary bytes to Unmarshal, into `any` and into a
// struct, with both time formats. It must never panic, must fail only
// with this package's error types, and whatever it accepts must survive
// Marshal: into `any`, Marshal succeeds and decodes back to an equal value
// (NaN equals NaN; times compare at the millisecond Marshal keeps), and
// marshalling that value again gives the same bytes.
func FuzzUnmarshal(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.txt")
	for _, file := range files {
		src, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		cases, err := datadriven.Parse(file, string(src))
		if err != nil {
			f.Fatal(err)
		}
		for _, c := range cases {
			if b, err := hex.DecodeString(strings.Join(strings.Fields(c.Input), "")); err == nil {
				f.Add(b)
			}
		}
	}
	for _, v := range []any{
		&putRecordsInput{Records: []putRecordsRequestEntry{{Data: []byte("d"), PartitionKey: "k"}}, StreamName: ptr("s")},
		&getRecordsOutput{Records: []kinesisRecord{{ApproximateArrivalTimestamp: ptr(time.UnixMilli(1700000000123)), Data: []byte{1}}}},
		&fuzzTarget{S: "x", Kids: []*fuzzTarget{{I8: -3}}, M: map[string]string{"a": "b"}, A: []any{1.5, "z"}, Embedded: &Embedded{E: "e"}},
	} {
		b, err := Marshal(v)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, codec := range []Codec{{}, {Time: EpochMillis}} {
			var v any
			if err := codec.Unmarshal(data, &v); err != nil {
				checkErrorType(t, err)
			} else {
				b1 := mustMarshal(t, codec, v)
				var w any
				if err := codec.Unmarshal(b1, &w); err != nil {
					t.Fatalf("Unmarshal(Marshal(%#v)) = %v; bytes %x", v, err, b1)
				}
				if !equalAny(v, w) {
					t.Fatalf("round trip changed the value:\nfirst  %#v\nsecond %#v", v, w)
				}
				if b2 := mustMarshal(t, codec, w); !bytes.Equal(b1, b2) {
					t.Fatalf("Marshal is not stable: %x then %x", b1, b2)
				}
			}

			var s fuzzTarget
			if err := codec.Unmarshal(data, &s); err != nil {
				checkErrorType(t, err)
				continue
			}
			b1 := mustMarshal(t, codec, &s)
			var s2 fuzzTarget
			if err := codec.Unmarshal(b1, &s2); err != nil {
				t.Fatalf("Unmarshal(Marshal(struct)) = %v; bytes %x", err, b1)
			}
			if b2 := mustMarshal(t, codec, &s2); !bytes.Equal(b1, b2) {
				t.Fatalf("struct Marshal is not stable: %x then %x", b1, b2)
			}
		}
	})
}

func mustMarshal(t *testing.T, c Codec, v any) []byte {
	t.Helper()
	b, err := c.Marshal(v)
	if err != nil {
		t.Fatalf("Marshal(%#v) after a successful Unmarshal: %v", v, err)
	}
	return b
}

func checkErrorType(t *testing.T, err error) {
	t.Helper()
	var (
		se *SyntaxError
		te *UnmarshalTypeError
	)
	if !errors.As(err, &se) && !errors.As(err, &te) {
		t.Fatalf("unexpected error type %T: %v", err, err)
	}
}

// equalAny compares values decoded into `any`: NaN equals NaN (and the
// sign of zero matters), and a time equals the other truncated to the
// millisecond, which is what Marshal keeps.
func equalAny(a, b any) bool {
	switch a := a.(type) {
	case float64:
		b, ok := b.(float64)
		return ok && (math.IsNaN(a) && math.IsNaN(b) || math.Float64bits(a) == math.Float64bits(b))
	case time.Time:
		b, ok := b.(time.Time)
		return ok && b.Equal(a.Truncate(time.Millisecond))
	case []byte:
		b, ok := b.([]byte)
		return ok && bytes.Equal(a, b) && b != nil
	case []any:
		b, ok := b.([]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for i := range a {
			if !equalAny(a[i], b[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		b, ok := b.(map[string]any)
		if !ok || len(a) != len(b) {
			return false
		}
		for k, x := range a {
			y, ok := b[k]
			if !ok || !equalAny(x, y) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}
