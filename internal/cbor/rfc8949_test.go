package cbor

import (
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the expected output of testdata/*.txt")

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
	files, _ := filepath.Glob("testdata/*.txt")
	if len(files) == 0 {
		t.Fatal("no testdata/*.txt files")
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			cases, err := parseCases(string(src))
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			var out strings.Builder
			for _, c := range cases {
				got := runCase(t, fmt.Sprintf("%s:%d", file, c.line), c)
				if !*rewrite && got != c.expected {
					t.Errorf("%s:%d: %s %s\ngot:\n%s\nwant:\n%s", file, c.line, c.command, strings.TrimSpace(c.input), got, c.expected)
				}
				fmt.Fprintf(&out, "%s%s\n%s----\n%s====\n", c.preamble, c.command, c.input, got)
			}
			if *rewrite {
				if err := os.WriteFile(file, []byte(out.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

type ddCase struct {
	line     int
	preamble string // comments and blank lines before the command
	command  string
	input    string // lines up to "----", each ending in "\n"
	expected string // lines up to "====", each ending in "\n"
}

func parseCases(src string) ([]ddCase, error) {
	lines := strings.SplitAfter(src, "\n")
	var cases []ddCase
	var pre strings.Builder
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			pre.WriteString(l)
			continue
		}
		c := ddCase{line: i + 1, preamble: pre.String(), command: strings.TrimSuffix(l, "\n")}
		pre.Reset()
		var in, exp strings.Builder
		for i++; i < len(lines) && lines[i] != "----\n"; i++ {
			in.WriteString(lines[i])
		}
		for i++; i < len(lines) && lines[i] != "====\n"; i++ {
			exp.WriteString(lines[i])
		}
		if i >= len(lines) {
			return nil, fmt.Errorf("line %d: case not terminated by ====", c.line)
		}
		c.input, c.expected = in.String(), exp.String()
		cases = append(cases, c)
	}
	return cases, nil
}

func runCase(t *testing.T, where string, c ddCase) string {
	fields := strings.Fields(c.command)
	data, err := hex.DecodeString(strings.Join(strings.Fields(c.input), ""))
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
