package s3

import (
	"testing"
	"unicode/utf8"
)

// FuzzContinuationToken: decoding never panics, accepts only what
// encodeListToken made for the same bucket, and round-trips every key.
func FuzzContinuationToken(f *testing.F) {
	for _, seed := range []string{"", "a", "a/", "日本/語", "AWEvMjrjwQ==", "!!", "AQ==", encodeListToken("b", "k")} {
		f.Add("b", seed)
	}
	f.Fuzz(func(t *testing.T, bucket, s string) {
		if key, err := decodeListToken(bucket, s); err == nil {
			if encodeListToken(bucket, key) != s {
				t.Fatalf("token %q decodes to %q, which encodes differently", s, key)
			}
		}
		if s == "" || !utf8.ValidString(s) || len(s) > maxKeyLength {
			return
		}
		tok := encodeListToken(bucket, s)
		key, err := decodeListToken(bucket, tok)
		if err != nil || key != s {
			t.Fatalf("key %q: token %q decodes to %q, %v", s, tok, key, err)
		}
		if _, err := decodeListToken(bucket+"x", tok); err == nil {
			t.Fatalf("token of bucket %q accepted for %q", bucket, bucket+"x")
		}
	})
}
