package attr

import (
	"bytes"
	"testing"
)

func FuzzDecodeItem(f *testing.F) {
	for _, s := range []string{
		`{"a":{"S":"x"},"b":{"N":"1.50"},"c":{"L":[{"M":{"k":{"NS":["1","2"]}}}]}}`,
		`{"a":{"SS":["a","a"]}}`, `{"a":{"B":"AAE="},"b":{"BS":["AA=="]}}`, `{"a":{"NULL":true,"S":null}}`,
		`{"a":{"S":"\u00e9\ud83d\ude00"}}`, `{}`, `null`, `{"a":{}}`, `{"a":{"N":"1e126"}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		it, err := DecodeItem(data)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not *Error", err)
			}
			return
		}
		enc := AppendItemJSON(nil, it)
		it2, err := DecodeItem(enc)
		if err != nil {
			t.Fatalf("re-decoding %s: %v", enc, err)
		}
		if !it.Equal(it2) {
			t.Fatalf("round trip changed %s", enc)
		}
		if enc2 := AppendItemJSON(nil, it2); !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding not stable: %s vs %s", enc, enc2)
		}
		for _, v := range it {
			if v.Kind.IsKey() {
				k := AppendKey(nil, v)
				got, rest, err := DecodeKey(k, v.Kind)
				if err != nil || len(rest) != 0 || !Equal(got, v) {
					t.Fatalf("key round trip of %v: %v %v %v", v, got, rest, err)
				}
			}
			_ = Size(v)
		}
	})
}
