package cbor

import (
	"bytes"
	"errors"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestUnmarshalErrors(t *testing.T) {
	deep := func(n int) string { return strings.Repeat("81", n) + "00" }
	for _, c := range []struct {
		name  string
		in    string
		into  any
		check func(error) bool
		codec Codec
	}{
		{"empty", "", new(any), isSyntax, Codec{}},
		{"truncated head", "1a0000", new(any), isSyntax, Codec{}},
		{"truncated string", "6461", new(string), isSyntax, Codec{}},
		{"truncated map", "a2616101", new(map[string]int), isSyntax, Codec{}},
		{"huge byte string", "5bffffffffffffffff00", new([]byte), isSyntax, Codec{}},
		{"huge text string", "7b7fffffffffffffff00", new(string), isSyntax, Codec{}},
		{"huge array", "9b00000000ffffffff00", new([]int), isSyntax, Codec{}},
		{"huge map", "bb0000000100000000 0000", new(map[string]int), isSyntax, Codec{}},
		{"array longer than input", "9a000f4240" + strings.Repeat("00", 999_999), new([]int), isSyntax, Codec{}},
		{"map longer than half the input", "a2 00 00 00", new(any), isSyntax, Codec{}},
		{"depth 65", deep(65), new(any), isSyntax, Codec{}},
		{"depth 65 into a struct", deep(65), new(struct{ A []any }), isSyntax, Codec{}},
		{"deep tags", strings.Repeat("c6", 65) + "00", new(any), isSyntax, Codec{}},
		{"deep indefinite", strings.Repeat("9f", 200), new(any), isSyntax, Codec{}},
		{"depth over a custom limit", deep(3), new(any), isSyntax, Codec{MaxDepth: 2}},
		{"bad UTF-8", "62c328", new(string), isSyntax, Codec{}},
		{"bad UTF-8 in an ignored key", "a1 62c328 00", new(struct{}), isSyntax, Codec{}},
		{"UTF-8 split across chunks", "7f 61c3 61bc ff", new(string), isSyntax, Codec{}},
		{"reserved ai", "1c", new(int), isSyntax, Codec{}},
		{"lone break", "ff", new(any), isSyntax, Codec{}},
		{"break in definite array", "8201ff", new([]int), isSyntax, Codec{}},
		{"trailing bytes", "0000", new(int), isSyntax, Codec{}},
		{"trailing break", "80ff", new([]int), isSyntax, Codec{}},
		{"overflow int8", "190100", new(int8), isTypeErr, Codec{}},
		{"underflow int8", "388f", new(int8), isTypeErr, Codec{}},
		{"overflow uint8", "190100", new(uint8), isTypeErr, Codec{}},
		{"negative into uint", "20", new(uint), isTypeErr, Codec{}},
		{"overflow int64", "1b8000000000000000", new(int64), isTypeErr, Codec{}},
		{"fraction into int", "f93e00", new(int), isTypeErr, Codec{}},
		{"NaN into int", "f97e00", new(int), isTypeErr, Codec{}},
		{"float into int64 edge", "fb43e0000000000000", new(int64), isTypeErr, Codec{}}, // 2^63
		{"overflow float32", "fb7e37e43c8800759c", new(float32), isTypeErr, Codec{}},
		{"negative below MinInt64 into any", "3b8000000000000000", new(any), isTypeErr, Codec{}},
		{"text into int", "6161", new(int), isTypeErr, Codec{}},
		{"bytes into string", "4161", new(string), isTypeErr, Codec{}},
		{"not base64", "6441512a2a", new([]byte), isTypeErr, Codec{}},
		{"array into struct", "80", new(putRecordInput), isTypeErr, Codec{}},
		{"integer map key", "a10102", new(map[string]int), isTypeErr, Codec{}},
		{"integer map key into any", "a10102", new(any), isTypeErr, Codec{}},
		{"simple value into any", "f0", new(any), isTypeErr, Codec{}},
		{"int-keyed map target", "a0", new(map[int]int), isErr[*UnsupportedTypeError], Codec{}},
		{"nil embedded pointer to unexported struct", "a1617901", new(outer), isErr[*UnsupportedTypeError], Codec{}},
		{"chan target", "00", new(chan int), isErr[*UnsupportedTypeError], Codec{}},
		{"bad RFC 3339", "c06178", new(time.Time), isTypeErr, Codec{}},
		{"tag 0 of a number", "c000", new(any), isTypeErr, Codec{}},
		{"tag 1 of text", "c16178", new(time.Time), isTypeErr, Codec{}},
		{"epoch seconds too large", "c11b00000fffffffffff", new(time.Time), isTypeErr, Codec{}},
		{"epoch millis too large", "c11b0001000000000000", new(time.Time), isTypeErr, Codec{Time: EpochMillis}},
		{"epoch NaN", "c1f97e00", new(time.Time), isTypeErr, Codec{}},
		{"epoch infinity into any", "c1f97c00", new(any), isTypeErr, Codec{}},
		{"year 10000 in RFC 3339", "c0 75 31303030302d30312d30315430303a30303a30305a", new(time.Time), isTypeErr, Codec{}},
		{"field path", "a1 67 5265636f726473 81 a1 6444617461 01", new(putRecordsInput), func(err error) bool {
			var e *UnmarshalTypeError
			return errors.As(err, &e) && e.Field == "Records.Data" && e.Offset == 16
		}, Codec{}},
		{"unmarshaler error is wrapped", "00", new(failing), func(err error) bool { return errors.Is(err, errBoom) }, Codec{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := c.codec.Unmarshal(unhex(t, c.in), c.into)
			if err == nil || !c.check(err) {
				t.Errorf("Unmarshal = %v (%T)", err, err)
			}
		})
	}
}

type failing struct{}

func (*failing) UnmarshalCBOR([]byte) error { return errBoom }

func isSyntax(err error) bool  { return errors.Is(err, ErrSyntax) && isErr[*SyntaxError](err) }
func isTypeErr(err error) bool { return isErr[*UnmarshalTypeError](err) }

func TestUnmarshalInvalidTarget(t *testing.T) {
	for _, v := range []any{nil, 1, (*int)(nil), putRecordInput{}} {
		if err := Unmarshal([]byte{0}, v); !isErr[*InvalidUnmarshalError](err) {
			t.Errorf("Unmarshal(%T) = %v", v, err)
		}
	}
}

// TestDepthLimitBoundary: exactly DefaultMaxDepth levels decode.
func TestDepthLimitBoundary(t *testing.T) {
	data := append(bytes.Repeat([]byte{0x81}, DefaultMaxDepth), 0)
	var v any
	if err := Unmarshal(data, &v); err != nil {
		t.Fatalf("depth %d: %v", DefaultMaxDepth, err)
	}
	if err := (Codec{MaxDepth: DefaultMaxDepth - 1}).Unmarshal(data, &v); !isSyntax(err) {
		t.Errorf("MaxDepth %d: %v", DefaultMaxDepth-1, err)
	}
}

// TestTruncationEverywhere cuts a realistic message at every byte: each
// prefix must be a *SyntaxError.
func TestTruncationEverywhere(t *testing.T) {
	full, err := Marshal(&getRecordsOutput{
		NextShardIterator: ptr("it"),
		Records:           []kinesisRecord{{ApproximateArrivalTimestamp: ptr(time.UnixMilli(1)), Data: []byte("abc"), PartitionKey: "k", SequenceNumber: "1"}},
	})
	if err != nil {
		t.Fatal(err)
	}
	for n := range len(full) {
		var v getRecordsOutput
		if err := Unmarshal(full[:n], &v); !isSyntax(err) {
			t.Errorf("prefix of %d bytes: %v", n, err)
		}
	}
}

// TestHugeLengthsDoNotAllocate: a declared length beyond the input is
// refused before anything is allocated for it.
func TestHugeLengthsDoNotAllocate(t *testing.T) {
	for _, in := range []string{"5b00000000ffffffff00", "9b00000000ffffffff00", "bb00000000ffffffff00", "9a000f4240" + strings.Repeat("00", 100)} {
		data := unhex(t, in)
		const runs = 20
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range runs {
			var v any
			_ = Unmarshal(data, &v)
		}
		runtime.ReadMemStats(&after)
		if perRun := (after.TotalAlloc - before.TotalAlloc) / runs; perRun > 1024 {
			t.Errorf("%s...: %d bytes allocated per call", in[:10], perRun)
		}
	}
}

func TestErrorMessages(t *testing.T) {
	for _, err := range []error{
		&SyntaxError{Offset: 3, msg: "m"},
		&UnmarshalTypeError{Value: "map", Type: timeType, Offset: 1, Field: "A.B"},
		&UnmarshalTypeError{Value: "map"},
		&InvalidUnmarshalError{},
		&InvalidUnmarshalError{Type: timeType},
		&InvalidUnmarshalError{Type: reflect.TypeFor[*int]()},
		&UnsupportedTypeError{Type: timeType},
		&UnsupportedValueError{Type: timeType, Str: "s"},
		&MarshalerError{Type: timeType, Err: errBoom},
	} {
		if s := err.Error(); !strings.HasPrefix(s, "cbor: ") {
			t.Errorf("%T: %q", err, s)
		}
	}
}
