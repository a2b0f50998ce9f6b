package sigv4

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"strings"
	"testing"
)

var zeroSeed = make([]byte, 32)

// testChunkSigner verifies bodies encoded by encodeChunked with seed
// zeroSeed.
func testChunkSigner() chunkSigner {
	return chunkSigner{
		key:   docSigningKey(),
		date:  t0.Format(amzDateFormat),
		scope: t0.Format(scopeFormat) + "/us-east-1/s3/aws4_request",
		seed:  zeroSeed,
	}
}

// decodeRaw runs body through the aws-chunked decoder; declared are the
// x-amz-trailer names.
func decodeRaw(body []byte, decoded int64, signed, trailer bool, declared ...string) ([]byte, *Auth, error) {
	var cs chunkSigner
	if signed {
		cs = testChunkSigner()
	}
	a := &Auth{}
	cr := newChunkedReader(io.NopCloser(bytes.NewReader(body)),
		chunkedOptions{decodedLength: decoded, signer: cs, trailer: trailer, declared: declared}, a)
	out, err := io.ReadAll(cr)
	return out, a, err
}

func TestChunkedDecoderFraming(t *testing.T) {
	cs := testChunkSigner()
	empty := sha256.Sum256(nil)
	finalSig := hex.EncodeToString(cs.chunkSignature(zeroSeed, empty[:]))
	long := strings.Repeat("a", 1100)
	tests := []struct {
		name            string
		body            string
		decoded         int64
		signed, trailer bool
		declared        string // x-amz-trailer
		want            string // decoded bytes
		code            string // "" for success
	}{
		{name: "empty", body: "0\r\n\r\n", trailer: true},
		{name: "no closing line", body: "0\r\n", trailer: true},
		{name: "one chunk", body: "5\r\nhello\r\n0\r\n\r\n", decoded: 5, trailer: true, want: "hello"},
		{name: "uppercase hex and leading zeros", body: "000A\r\n0123456789\r\n0\r\n\r\n", decoded: 10, trailer: true, want: "0123456789"},
		{name: "extension ignored", body: "5;ext=1\r\nhello\r\n0\r\n\r\n", decoded: 5, trailer: true, want: "hello"},
		{name: "trailer", body: "0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n", trailer: true, declared: "x-amz-checksum-crc32"},
		{name: "trailer empty value", body: "0\r\nx-amz-checksum-crc32:\r\n\r\n", trailer: true, declared: "x-amz-checksum-crc32"},
		{name: "trailer undeclared", body: "0\r\nx-amz-checksum-crc32:AAAAAA==\r\n\r\n", trailer: true, code: "MalformedTrailerError"},
		{name: "trailer other than declared", body: "0\r\nx-amz-checksum-sha256:AAAAAA==\r\n\r\n", trailer: true, declared: "x-amz-checksum-crc32", code: "MalformedTrailerError"},
		{name: "trailer declared but missing", body: "0\r\n\r\n", trailer: true, declared: "x-amz-checksum-crc32", code: "MalformedTrailerError"},
		{name: "trailer duplicated", body: "0\r\nx:1\r\nx:2\r\n\r\n", trailer: true, declared: "x", code: "MalformedTrailerError"},
		{name: "empty body", body: "", trailer: true, code: "IncompleteBody"},
		{name: "data too long", body: "5\r\nhelloX\r\n0\r\n\r\n", decoded: 5, trailer: true, code: "InvalidRequest", want: "hello"},
		{name: "bare LF", body: "5\nhello\r\n0\r\n\r\n", decoded: 5, trailer: true, code: "InvalidRequest"},
		{name: "not hex", body: "zz\r\n", decoded: 5, trailer: true, code: "InvalidRequest"},
		{name: "negative", body: "-5\r\n", decoded: 5, trailer: true, code: "InvalidRequest"},
		{name: "plus", body: "+5\r\nhello\r\n0\r\n\r\n", decoded: 5, trailer: true, code: "InvalidRequest"},
		{name: "0x prefix", body: "0x5\r\nhello\r\n0\r\n\r\n", decoded: 5, trailer: true, code: "InvalidRequest"},
		{name: "empty size", body: ";x\r\n", trailer: true, code: "InvalidRequest"},
		{name: "16 hex digits", body: "ffffffffffffffff\r\n", decoded: 1 << 62, trailer: true, code: "InvalidRequest"},
		{name: "line too long", body: strings.Repeat("0", 300) + "1\r\n", decoded: 1, trailer: true, code: "InvalidRequest"},
		{name: "line longer than the buffer", body: strings.Repeat("0", 5000), decoded: 1, trailer: true, code: "InvalidRequest"},
		{name: "huge declared chunk", body: "fffffffffff\r\nabc", decoded: 1 << 50, trailer: true, code: "IncompleteBody", want: "abc"},
		{name: "chunk beyond decoded length", body: "6\r\nhello!\r\n0\r\n\r\n", decoded: 5, trailer: true, code: "IncompleteBody"},
		{name: "short of decoded length", body: "5\r\nhello\r\n0\r\n\r\n", decoded: 6, trailer: true, code: "IncompleteBody", want: "hello"},
		{name: "trailer without colon", body: "0\r\nbogus\r\n\r\n", trailer: true, code: "MalformedTrailerError"},
		{name: "trailer empty name", body: "0\r\n:v\r\n\r\n", trailer: true, code: "MalformedTrailerError"},
		{name: "trailer line too long", body: "0\r\nx:" + long + "\r\n\r\n", trailer: true, declared: "x", code: "MalformedTrailerError"},
		{name: "trailer bare LF", body: "0\r\nx:y\n\r\n", trailer: true, declared: "x", code: "MalformedTrailerError"},
		{name: "trailer truncated", body: "0\r\nx:y", trailer: true, declared: "x", code: "IncompleteBody"},
		{name: "trailer too large", body: "0\r\n" + strings.Repeat("x:"+long[:1000]+"\r\n", 17) + "\r\n", trailer: true, declared: "x", code: "MalformedTrailerError"},
		{name: "unsigned trailer signed", body: "0\r\nx-amz-trailer-signature:" + finalSig + "\r\n\r\n", trailer: true, code: "MalformedTrailerError"},
		{name: "data after end", body: "0\r\n\r\nextra", trailer: true, code: "InvalidRequest"},
		{name: "trailer when none expected", body: "0\r\nx:y\r\n\r\n", code: "InvalidRequest"},
		{name: "signed final", body: "0;chunk-signature=" + finalSig + "\r\n\r\n", signed: true},
		{name: "signed final no closing line", body: "0;chunk-signature=" + finalSig + "\r\n", signed: true},
		{name: "signed missing signature", body: "0\r\n\r\n", signed: true, code: "SignatureDoesNotMatch"},
		{name: "signed other extension", body: "0;x=" + finalSig + "\r\n\r\n", signed: true, code: "SignatureDoesNotMatch"},
		{name: "signed bad hex", body: "0;chunk-signature=" + strings.Repeat("z", 64) + "\r\n\r\n", signed: true, code: "SignatureDoesNotMatch"},
		{name: "signed short", body: "0;chunk-signature=abc\r\n\r\n", signed: true, code: "SignatureDoesNotMatch"},
		{name: "signed wrong", body: "0;chunk-signature=" + strings.Repeat("0", 64) + "\r\n\r\n", signed: true, code: "SignatureDoesNotMatch"},
		{name: "signed chunk over 16 MiB", body: "1000001;chunk-signature=" + finalSig + "\r\n", decoded: 1 << 30, signed: true, code: "InvalidChunkSizeError"},
		{name: "signed chunk of 16 MiB truncated", body: "1000000;chunk-signature=" + finalSig + "\r\nabc", decoded: 1 << 30, signed: true, code: "IncompleteBody"},
		{name: "signed trailer without signature", body: "0;chunk-signature=" + finalSig + "\r\nx:y\r\n\r\n", signed: true, trailer: true, code: "SignatureDoesNotMatch"},
		{name: "signed trailer field after signature", body: "0;chunk-signature=" + finalSig + "\r\nx-amz-trailer-signature:" + finalSig + "\r\nx:y\r\n\r\n", signed: true, trailer: true, declared: "x", code: "MalformedTrailerError"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var declared []string
			if tc.declared != "" {
				declared = strings.Split(tc.declared, ",")
			}
			out, a, err := decodeRaw([]byte(tc.body), tc.decoded, tc.signed, tc.trailer, declared...)
			if code(err) != tc.code {
				t.Fatalf("error %v, want code %q", err, tc.code)
			}
			if string(out) != tc.want {
				t.Errorf("decoded %q, want %q", out, tc.want)
			}
			if tc.code == "" && tc.trailer && a.Trailer == nil {
				t.Errorf("no Trailer after EOF")
			}
		})
	}
}

// TestChunkedDecoderSticky checks that a failure repeats on every Read.
func TestChunkedDecoderSticky(t *testing.T) {
	cr := newChunkedReader(io.NopCloser(strings.NewReader("zz\r\n")), chunkedOptions{decodedLength: 5, trailer: true}, &Auth{})
	buf := make([]byte, 8)
	_, err1 := cr.Read(buf)
	_, err2 := cr.Read(buf)
	if !errors.Is(err1, ErrInvalidRequest) || err1 != err2 {
		t.Errorf("errors %v then %v", err1, err2)
	}
	if n, err := cr.Read(nil); n != 0 || err != err1 {
		t.Errorf("Read(nil) = %d, %v", n, err)
	}
}

// TestChunkedTrailerOrder accepts trailer signatures over the fields sorted
// (as the SDKs sign them) or in the order sent.
func TestChunkedTrailerOrder(t *testing.T) {
	data := []byte("some data")
	fields := [][2]string{{"x-amz-checksum-sha256", "abc="}, {"x-amz-checksum-crc32", "AAAAAA=="}}
	spec := chunkSpec{mode: modeSignedTrailer, chunkSize: 64, trailers: fields}
	out, a, err := decodeRaw(encodeChunked(spec, data, hex.EncodeToString(zeroSeed)), int64(len(data)), true, true,
		"x-amz-checksum-crc32", "x-amz-checksum-sha256")
	if err != nil || string(out) != string(data) || a.Trailer.Get("x-amz-checksum-sha256") != "abc=" || len(a.Trailer) != 2 {
		t.Fatalf("decoded %q, %v, trailer %v", out, err, a.Trailer)
	}
}
