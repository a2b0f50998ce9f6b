package cbor

import (
	"bytes"
	"math"
	"reflect"
	"testing"
	"time"
)

type caseFold struct {
	StreamName string `json:"StreamName"`
	Exact      string `json:"name"`
	Other      string `json:"Name"`
}

type withEmbedded struct {
	*Embedded
	Z int `json:"z"`
}

// upper is an Unmarshaler that keeps the raw item.
type upper struct{ raw []byte }

func (u *upper) UnmarshalCBOR(b []byte) error {
	u.raw = append([]byte(nil), b...)
	return nil
}

func TestUnmarshal(t *testing.T) {
	for _, c := range []struct {
		name  string
		in    string // hex
		into  any    // pointer to the target, possibly pre-filled
		want  any    // what *into must equal afterwards
		codec Codec
	}{
		{"int16", "19012c", new(int16), ptr(int16(300)), Codec{}},
		{"int8 min", "387f", new(int8), ptr(int8(-128)), Codec{}},
		{"uint8 max", "18ff", new(uint8), ptr(uint8(255)), Codec{}},
		{"uint64 max", "1bffffffffffffffff", new(uint64), ptr(uint64(math.MaxUint64)), Codec{}},
		{"int64 min", "3b7fffffffffffffff", new(int64), ptr(int64(math.MinInt64)), Codec{}},
		{"integral float into int", "f93c00", new(int), ptr(1), Codec{}},
		{"negative int into float", "3bffffffffffffffff", new(float64), ptr(-18446744073709551616.0), Codec{}},
		{"half into float32", "f93e00", new(float32), ptr(float32(1.5)), Codec{}},
		{"double into float32 rounds", "fb3ff199999999999a", new(float32), ptr(float32(1.1)), Codec{}},
		{"inf into float32", "f97c00", new(float32), ptr(float32(math.Inf(1))), Codec{}},
		{"bool", "f5", new(bool), ptr(true), Codec{}},
		{"text", "6449455446", new(string), ptr("IETF"), Codec{}},
		{"indefinite text", "7f657374726561646d696e67ff", new(string), ptr("streaming"), Codec{}},
		{"bytes", "4401020304", new([]byte), ptr([]byte{1, 2, 3, 4}), Codec{}},
		{"empty bytes", "40", new([]byte), ptr([]byte{}), Codec{}},
		{"indefinite bytes", "5f42010243030405ff", new([]byte), ptr([]byte{1, 2, 3, 4, 5}), Codec{}},
		{"base64 text", "6441514944", new([]byte), ptr([]byte{1, 2, 3}), Codec{}},
		{"byte array", "4401020304", new([3]byte), ptr([3]byte{1, 2, 3}), Codec{}},
		{"array of numbers into bytes", "820102", new([]byte), ptr([]byte{1, 2}), Codec{}},
		{"slice", "83010203", new([]int), ptr([]int{1, 2, 3}), Codec{}},
		{"indefinite slice", "9f0102ff", new([]int), ptr([]int{1, 2}), Codec{}},
		{"empty indefinite slice", "9fff", new([]int), ptr([]int{}), Codec{}},
		{"Go array short", "8101", &[3]int{7, 7, 7}, &[3]int{1, 0, 0}, Codec{}},
		{"Go array long", "9f01020304ff", new([2]int), &[2]int{1, 2}, Codec{}},
		{"map merges", "a1616101", &map[string]int{"b": 2}, &map[string]int{"a": 1, "b": 2}, Codec{}},
		{"indefinite map", "bf61619f01ff61629f0203ffff", new(map[string][]int), &map[string][]int{"a": {1}, "b": {2, 3}}, Codec{}},
		{"null into pointer", "f6", ptr(ptr(1)), ptr((*int)(nil)), Codec{}},
		{"null into slice", "f6", ptr([]int{1}), ptr([]int(nil)), Codec{}},
		{"null into map", "f7", &map[string]int{"a": 1}, ptr(map[string]int(nil)), Codec{}},
		{"null into int leaves it", "f6", ptr(5), ptr(5), Codec{}},
		{"null into struct field", "a1617af6", &withEmbedded{Z: 3}, &withEmbedded{Z: 3}, Codec{}},
		{"case-insensitive key", "a1 6a73747265616d6e616d65 6178", new(caseFold), &caseFold{StreamName: "x"}, Codec{}},
		{"exact key wins", "a2 646e616d65 6161 644e616d65 6162", new(caseFold), &caseFold{Exact: "a", Other: "b"}, Codec{}},
		{"first folded field wins", "a1 644e414d45 6162", new(caseFold), &caseFold{Exact: "b"}, Codec{}},
		{"unknown keys skipped", "a3 6171 a1 6179 9f 01 ff 01 02 617a 05", new(withEmbedded), &withEmbedded{Z: 5}, Codec{}},
		{"embedded pointer allocated", "a2 6165 6176 617a 01", new(withEmbedded), &withEmbedded{Embedded: &Embedded{E: "v"}, Z: 1}, Codec{}},
		{"tags are transparent", "d9d9f7 a1 617a c2 05", new(withEmbedded), &withEmbedded{Z: 5}, Codec{}},
		{"interface", "82 a1 6161 f5 fb3ff8000000000000", new(any), ptr(any([]any{map[string]any{"a": true}, 1.5})), Codec{}},
		{"interface holding pointer", "07", ptr(any(ptr(0))), ptr(any(ptr(7))), Codec{}},
		{"unmarshaler", "a1617a9f01ff", new(map[string]upper), &map[string]upper{"z": {raw: []byte{0x9f, 1, 0xff}}}, Codec{}},
		{"raw message", "82 c1 01 f6", new([]RawMessage), &[]RawMessage{{0xc1, 1}, {0xf6}}, Codec{}},
		{"time tag 0", "c074323031332d30332d32315432303a30343a30305a", new(time.Time), ptr(time.Unix(1363896240, 0).UTC()), Codec{}},
		{"time tag 1 int", "c11a514b67b0", new(time.Time), ptr(time.Unix(1363896240, 0).UTC()), Codec{}},
		{"time tag 1 negative", "c120", new(time.Time), ptr(time.Unix(-1, 0).UTC()), Codec{}},
		{"time tag 1 float", "c1fb41d452d9ec200000", new(time.Time), ptr(time.Unix(1363896240, 5e8).UTC()), Codec{}},
		{"time untagged number", "1a514b67b0", new(time.Time), ptr(time.Unix(1363896240, 0).UTC()), Codec{}},
		{"time millis", "c11b0000013d8e8d0974", new(time.Time), ptr(time.UnixMilli(1363896240500).UTC()), Codec{Time: EpochMillis}},
		{"time under another tag", "d82ac11a514b67b0", new(time.Time), ptr(time.Unix(1363896240, 0).UTC()), Codec{}},
		{"time into any", "c11a514b67b0", new(any), ptr(any(time.Unix(1363896240, 0).UTC())), Codec{}},
	} {
		t.Run(c.name, func(t *testing.T) {
			if err := c.codec.Unmarshal(unhex(t, c.in), c.into); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(c.into, c.want) {
				t.Errorf("got %#v, want %#v", reflect.ValueOf(c.into).Elem(), reflect.ValueOf(c.want).Elem())
			}
		})
	}
}

func TestUnmarshalBase64Variants(t *testing.T) {
	for in, want := range map[string][]byte{"AQID": {1, 2, 3}, "AQI=": {1, 2}, "AQI": {1, 2}, "": {}} {
		data, _ := Marshal(in)
		var b []byte
		if err := Unmarshal(data, &b); err != nil || !bytes.Equal(b, want) || b == nil {
			t.Errorf("%q: got %#v, %v; want %#v", in, b, err, want)
		}
	}
}

// TestUnmarshalDoesNotAlias checks that decoded bytes and strings are
// copies: the caller may reuse its buffer.
func TestUnmarshalDoesNotAlias(t *testing.T) {
	data := unhex(t, "a2 6444617461 420102 6c506172746974696f6e4b6579 616b")
	var got putRecordInput
	if err := Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	for i := range data {
		data[i] = 0
	}
	if !bytes.Equal(got.Data, []byte{1, 2}) || got.PartitionKey != "k" {
		t.Errorf("decoded values changed with the input: %+v", got)
	}
	var raw RawMessage
	data = []byte{0x01}
	_ = Unmarshal(data, &raw)
	data[0] = 2
	if raw[0] != 1 {
		t.Error("RawMessage aliases the input")
	}
}

// TestUnmarshalSyntaxErrorStoresNothing: a malformed input must not
// change the target, even partly.
func TestUnmarshalSyntaxErrorStoresNothing(t *testing.T) {
	v := putRecordInput{PartitionKey: "old"}
	err := Unmarshal(unhex(t, "a2 6c506172746974696f6e4b6579 616b 6444617461 5a ffffffff"), &v)
	if !isErr[*SyntaxError](err) {
		t.Fatalf("err = %v", err)
	}
	if v.PartitionKey != "old" {
		t.Errorf("PartitionKey = %q", v.PartitionKey)
	}
}
