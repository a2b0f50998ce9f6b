package attr

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/tarnhq/tarn/internal/datadriven"
)

// testdata/*.txt cases:
//
//	decode        input: one AttributeValue; output: its re-encoding or "error: ..."
//	item          input: an attribute map; output: re-encoding, size, or error
//	number        input: number texts, one a line; output: canonical text or error
//	add / sub     input: "a b" lines; output: the exact result or error
//	compare       input: two AttributeValues, one a line; output: Compare and Equal
func TestDataDriven(t *testing.T) {
	datadriven.Run(t, "testdata/*.txt", func(t *testing.T, c datadriven.Case) string {
		switch c.Command {
		case "decode":
			v, err := DecodeValue([]byte(c.Input))
			if err != nil {
				return errText(err)
			}
			return v.String() + fmt.Sprintf("\nsize %d", Size(v))
		case "item":
			it, err := DecodeItem([]byte(c.Input))
			if err != nil {
				return errText(err)
			}
			b, _ := it.MarshalJSON()
			return string(b) + fmt.Sprintf("\nsize %d", ItemSize(it))
		case "number", "add", "sub":
			var out strings.Builder
			for _, line := range strings.Split(strings.TrimSuffix(c.Input, "\n"), "\n") {
				var got string
				var err error
				switch c.Command {
				case "number":
					got, err = CanonicalNumber(line)
				case "add", "sub":
					a, b, _ := strings.Cut(line, " ")
					if c.Command == "add" {
						got, err = AddNumbers(a, b)
					} else {
						got, err = SubNumbers(a, b)
					}
				}
				if err != nil {
					got = errText(err)
				}
				fmt.Fprintf(&out, "%s -> %s\n", line, got)
			}
			return out.String()
		case "compare":
			lines := strings.Split(strings.TrimSuffix(c.Input, "\n"), "\n")
			a, err := DecodeValue([]byte(lines[0]))
			if err != nil {
				return errText(err)
			}
			b, err := DecodeValue([]byte(lines[1]))
			if err != nil {
				return errText(err)
			}
			return fmt.Sprintf("compare %d equal %v", Compare(a, b), Equal(a, b))
		}
		t.Fatalf("%s: unknown command %q", c.Pos(), c.Command)
		return ""
	})
}

func errText(err error) string {
	if e, ok := err.(*Error); ok && e.Serialization {
		return "serialization error: " + e.Message
	}
	return "error: " + err.Error()
}

func TestKeyOrderNumbers(t *testing.T) {
	texts := []string{"0", "1", "-1", "10", "-10", "0.5", "-0.5", "1.5", "1.05", "1.005", "2", "99", "100", "101",
		"1E+125", "9.9999999999999999999999999999999999999E+125", "-9.9999999999999999999999999999999999999E+125",
		"1E-130", "-1E-130", "12345678901234567890123456789012345678", "0.001", "0.01", "0.0101", "-0.0101",
		"123.456", "123.4561", "123.45", "-123.45", "-123.456", "7", "70", "700", "0.7", "0.07"}
	r := rand.New(rand.NewPCG(1, 2))
	for range 150 {
		digits := r.IntN(38) + 1
		var b strings.Builder
		if r.IntN(2) == 0 {
			b.WriteByte('-')
		}
		for i := range digits {
			d := r.IntN(10)
			if i == 0 && d == 0 {
				d = 1
			}
			b.WriteByte(byte('0' + d))
		}
		fmt.Fprintf(&b, "E%d", r.IntN(160)-90)
		texts = append(texts, b.String())
	}
	var vals []Value
	for _, s := range texts {
		v, err := Number(s)
		if err != nil {
			t.Fatalf("Number(%q): %v", s, err)
		}
		vals = append(vals, v)
	}
	checkKeyOrder(t, vals)
}

func TestKeyOrderStrings(t *testing.T) {
	vals := []Value{String(""), String("a"), String("a\x00"), String("a\x00b"), String("a\x01"), String("ab"), String("b"),
		String("\xff"), String("é"), String("A"), String("\x00"), String("\x00\x00")}
	checkKeyOrder(t, vals)
	bins := []Value{Binary([]byte{}), Binary([]byte{0}), Binary([]byte{0, 0}), Binary([]byte{0, 1}), Binary([]byte{1}), Binary([]byte{0xff, 0})}
	checkKeyOrder(t, bins)
}

func checkKeyOrder(t *testing.T, vals []Value) {
	t.Helper()
	for _, a := range vals {
		ka := AppendKey(nil, a)
		got, rest, err := DecodeKey(append(ka, 0x42), a.Kind)
		if err != nil || !Equal(got, a) || !bytes.Equal(rest, []byte{0x42}) {
			t.Fatalf("DecodeKey(%v) = %v, %x, %v", a, got, rest, err)
		}
		for _, b := range vals {
			kb := AppendKey(nil, b)
			if c1, c2 := bytes.Compare(ka, kb), Compare(a, b); c1 != c2 {
				t.Fatalf("order of %v vs %v: encoding %d, Compare %d", a, b, c1, c2)
			}
			// hash||range concatenations
			h1 := AppendKey(AppendKey(nil, a), String("z"))
			h2 := AppendKey(AppendKey(nil, b), String(""))
			if c := Compare(a, b); c != 0 && bytes.Compare(h1, h2) != c {
				t.Fatalf("concatenation order of %v vs %v wrong", a, b)
			}
		}
	}
	sorted := slices.Clone(vals)
	slices.SortFunc(sorted, Compare)
	for i := 1; i < len(sorted); i++ {
		if Compare(sorted[i-1], sorted[i]) > 0 {
			t.Fatal("Compare is not a total order")
		}
	}
}

func TestRoundTripJSON(t *testing.T) {
	src := `{"a":{"S":"x\"\n\u00e9\u2028"},"b":{"N":"1.50"},"c":{"B":"AAEC"},"d":{"BOOL":false},"e":{"NULL":true},` +
		`"f":{"L":[{"S":"1"},{"M":{"x":{"NS":["1","2"]}}}]},"g":{"SS":["a","b"]},"h":{"BS":["AA==","AQ=="]}}`
	it, err := DecodeItem([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(it)
	it2, err := DecodeItem(b)
	if err != nil {
		t.Fatal(err)
	}
	if !it.Equal(it2) {
		t.Fatalf("round trip changed the item: %s", b)
	}
	// encoding/json calls UnmarshalJSON and returns its *Error untouched
	var req struct{ Item Item }
	err = json.Unmarshal([]byte(`{"Item":{"a":{"SS":[]}}}`), &req)
	if e, ok := err.(*Error); !ok || e.Message != MsgEmptySS {
		t.Fatalf("json.Unmarshal error = %#v", err)
	}
}

func TestNesting(t *testing.T) {
	deep := func(n int) string {
		return strings.Repeat(`{"L":[`, n) + `{"S":"x"}` + strings.Repeat(`]}`, n)
	}
	// real DynamoDB accepts 31 wrappers around a scalar and rejects 32
	v, err := DecodeValue([]byte(deep(31)))
	if err != nil {
		t.Fatalf("31 wrappers: %v", err)
	}
	if Depth(v) != 32 || Validate(v) != nil {
		t.Fatalf("Depth %d, Validate %v", Depth(v), Validate(v))
	}
	if _, err := DecodeValue([]byte(deep(32))); err == nil || err.Error() != MsgNestingTooDeep {
		t.Fatalf("32 wrappers: %v", err)
	}
	if _, err := DecodeItem([]byte(`{"a":` + deep(32) + `}`)); err == nil {
		t.Fatal("item with 32 wrappers accepted")
	}
	if Validate(List(v)) == nil {
		t.Fatal("Validate accepted 32 wrappers")
	}
}

func TestHostileNesting(t *testing.T) {
	deep := `{"S":"x","X":` + strings.Repeat("[", 200000) + strings.Repeat("]", 200000) + `}`
	if _, err := DecodeValue([]byte(deep)); err == nil {
		t.Fatal("200000 levels of ignored nesting accepted")
	}
	ok := `{"S":"x","X":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`
	if v, err := DecodeValue([]byte(ok)); err != nil || v.S != "x" {
		t.Fatal(v, err)
	}
}

func BenchmarkUnmarshalItem1KB(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"pk":{"S":"user#12345"},"sk":{"N":"1700000000123"},`)
	for i := 0; sb.Len() < 900; i++ {
		fmt.Fprintf(&sb, `"attr%d":{"S":"value number %d with some text"},"n%d":{"N":"%d.25"},`, i, i, i, i*37)
	}
	sb.WriteString(`"tags":{"SS":["a","b","c"]},"m":{"M":{"x":{"BOOL":true},"y":{"L":[{"N":"1"},{"N":"2"}]}}}}`)
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeItem(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarshalItem1KB(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"pk":{"S":"user#12345"},`)
	for i := 0; sb.Len() < 900; i++ {
		fmt.Fprintf(&sb, `"attr%d":{"S":"value number %d with some text"},"n%d":{"N":"%d.25"},`, i, i, i, i*37)
	}
	sb.WriteString(`"z":{"NULL":true}}`)
	it, _ := DecodeItem([]byte(sb.String()))
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		buf = AppendItemJSON(buf[:0], it)
	}
}

func TestValidate(t *testing.T) {
	cases := []struct {
		v    Value
		want string
	}{
		{String("x"), ""},
		{Value{Kind: N, S: "1e200"}, MsgNumberOverflow},
		{StringSet(), MsgEmptySS},
		{StringSet("a", "a"), "One or more parameter values were invalid: Input collection [a, a] contains duplicates."},
		{Value{Kind: NS, SS: []string{"1", "1"}}, MsgNumberDuplicates},
		{Value{Kind: NS}, MsgEmptyNS},
		{BinarySet(), MsgEmptyBS},
		{BinarySet([]byte{1}, []byte{1}), MsgNumberDuplicates},
		{List(Map(map[string]Value{"a": StringSet()})), MsgEmptySS},
		{Value{}, MsgEmptyValue},
	}
	for _, c := range cases {
		got := ""
		if err := Validate(c.v); err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("Validate(%v) = %q, want %q", c.v, got, c.want)
		}
	}
	if err := ValidateItem(Item{"a": String("x"), "b": StringSet()}); err == nil {
		t.Error("ValidateItem accepted an empty set")
	}
}

func TestNumbersAndSizes(t *testing.T) {
	// the figures captured from DynamoDB (eu-west-2, 2026-08) by the
	// 400 KB accept/reject boundary
	for _, c := range []struct {
		text string
		size int
	}{{"0", 1}, {"1", 2}, {"12", 2}, {"123", 3}, {"1234", 3}, {"12345678901234567890123456789012345678", 20},
		{"0042", 2}, {"100", 2}, {"1010", 3}, {"0.0000001", 2}, {"1E125", 2}, {"1E-100", 2}, {"1.5", 3}, {"15", 2},
		{"1.2", 3}, {"1.200", 3}, {"1.234", 4}, {"3.14159", 5}, {"123456", 4}, {"100.5", 4}, {"0.15", 2}, {"-42", 3},
		{"-0", 1}, {"-1.5", 4}} {
		v, err := Number(c.text)
		if err != nil {
			t.Fatal(err)
		}
		if got := Size(v); got != c.size {
			t.Errorf("Size(%s) = %d, want %d", c.text, got, c.size)
		}
	}
	if Compare(MustNumber("1e2"), MustNumber("100")) != 0 || !Equal(MustNumber("1e2"), MustNumber("100.0")) {
		t.Error("numeric equality")
	}
	if Equal(MustNumber("1"), String("1")) || Equal(Bool(true), Bool(false)) || !Equal(Null(), Null()) {
		t.Error("Equal across kinds")
	}
	for _, s := range []string{"S", "N", "B", "BOOL", "NULL", "L", "M", "SS", "NS", "BS"} {
		k, ok := ParseKind(s)
		if !ok || k.String() != s {
			t.Errorf("ParseKind(%s)", s)
		}
	}
	if _, ok := ParseKind("X"); ok || Kind(0).String() != "" || Kind(99).String() != "" {
		t.Error("bad kinds")
	}
}
