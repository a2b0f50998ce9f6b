package cbor

import (
	"encoding/hex"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tarnhq/tarn/internal/datadriven"
)

// The files in testdata hold decoding cases:
//
//	# comment (the RFC's diagnostic notation, usually)
//	decode [millis] | malformed
//	<hex, spaces and line breaks allowed>
//	----
//	<expected output>
//	====
//
// decode unmarshals the bytes into `any` (with EpochMillis if asked) and
// prints the Go value in a diagnostic-like notation, or the error; on
// success it also prints "marshal: <hex>", the encoding of that value,
// which is the input again wherever the input is in preferred
// serialization. malformed requires a *SyntaxError, the same into `any`
// and into a struct, and prints it. -rewrite regenerates the expected
// output.
func TestDataDriven(t *testing.T) {
	datadriven.Run(t, "testdata/*.txt", func(t *testing.T, c datadriven.Case) string {
		return runCase(t, c.Pos(), c)
	})
}

func runCase(t *testing.T, where string, c datadriven.Case) string {
	fields := strings.Fields(c.Command)
	data, err := hex.DecodeString(strings.Join(strings.Fields(c.Input), ""))
	if err != nil {
		t.Fatalf("%s: input: %v", where, err)
	}
	switch fields[0] {
	case "decode":
	case "malformed":
		var v any
		var s struct{ A []any }
		err1, err2 := Unmarshal(data, &v), Unmarshal(data, &s)
		if !errors.Is(err1, ErrSyntax) || err2 == nil || err1.Error() != err2.Error() {
			t.Errorf("%s: want the same *SyntaxError into any and into a struct, got %v and %v", where, err1, err2)
		}
		if err1 == nil {
			return "no error\n"
		}
		return "error: " + err1.Error() + "\n"
	default:
		t.Fatalf("%s: unknown command %q", where, fields[0])
	}
	var codec Codec
	for _, arg := range fields[1:] {
		switch arg {
		case "millis":
			codec.Time = EpochMillis
		default:
			t.Fatalf("%s: unknown argument %q", where, arg)
		}
	}
	var v any
	if err := codec.Unmarshal(data, &v); err != nil {
		var se *SyntaxError
		var te *UnmarshalTypeError
		if !errors.As(err, &se) && !errors.As(err, &te) {
			t.Errorf("%s: error %v is neither a *SyntaxError nor an *UnmarshalTypeError", where, err)
		}
		return "error: " + err.Error() + "\n"
	}
	out := render(v) + "\n"
	enc, err := codec.Marshal(v)
	if err != nil {
		return out + "marshal error: " + err.Error() + "\n"
	}
	return out + "marshal: " + hex.EncodeToString(enc) + "\n"
}

// render prints a value decoded into `any` in a notation close to RFC
// 8949's diagnostic notation, with the Go type of each scalar.
func render(v any) string {
	switch v := v.(type) {
	case nil:
		return "nil"
	case bool:
		return strconv.FormatBool(v)
	case int64:
		return "int64(" + strconv.FormatInt(v, 10) + ")"
	case uint64:
		return "uint64(" + strconv.FormatUint(v, 10) + ")"
	case float64:
		s := strconv.FormatFloat(v, 'g', -1, 64)
		if math.IsInf(v, 1) {
			s = "+Inf"
		}
		return "float64(" + s + ")"
	case string:
		return strconv.Quote(v)
	case []byte:
		return "h'" + hex.EncodeToString(v) + "'"
	case time.Time:
		return "time(" + v.UTC().Format(time.RFC3339Nano) + ")"
	case []any:
		parts := make([]string, len(v))
		for i, x := range v {
			parts[i] = render(x)
		}
		return "[" + strings.Join(parts, ", ") + "]"
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		parts := make([]string, len(keys))
		for i, k := range keys {
			parts[i] = strconv.Quote(k) + ": " + render(v[k])
		}
		return "{" + strings.Join(parts, ", ") + "}"
	}
	return fmt.Sprintf("unexpected %T(%v)", v, v)
}
