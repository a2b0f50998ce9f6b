package sigv4

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"testing"
)

func BenchmarkVerifyHeader(b *testing.B) {
	for _, c := range []signCase{
		{name: "s3-get", service: "s3", method: "GET", path: "/bucket/some/key.txt", query: "versionId=3"},
		{name: "dynamodb-post", service: "dynamodb", method: "POST", path: "/", body: `{"TableName":"t","Key":{"k":{"S":"v"}}}`},
	} {
		b.Run(c.name, func(b *testing.B) {
			r := parseWire(b, signedWire(b, c))
			body := []byte(c.body)
			v := newTestVerifier(t0)
			b.ReportAllocs()
			for b.Loop() {
				if len(body) > 0 {
					r.Body = io.NopCloser(bytes.NewReader(body))
				}
				if _, err := v.Verify(r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkChunkedDecode(b *testing.B) {
	data := testData(8 << 20)
	seed := hex.EncodeToString(zeroSeed)
	for _, s := range []struct {
		name string
		spec chunkSpec
	}{
		{"signed-64KiB", chunkSpec{mode: modeSigned, chunkSize: 64 << 10}},
		{"signed-1MiB", chunkSpec{mode: modeSigned, chunkSize: 1 << 20}},
		{"signed-trailer-64KiB", chunkSpec{mode: modeSignedTrailer, chunkSize: 64 << 10, trailers: crc32Trailer(data)}},
		{"unsigned-trailer-64KiB", chunkSpec{mode: modeUnsignedTrail, chunkSize: 64 << 10, trailers: crc32Trailer(data)}},
		{"unsigned-trailer-single", chunkSpec{mode: modeUnsignedTrail, chunkSize: len(data), trailers: crc32Trailer(data)}},
	} {
		body := encodeChunked(s.spec, data, seed)
		b.Run(s.name, func(b *testing.B) {
			var cs chunkSigner
			if s.spec.signed() {
				cs = testChunkSigner()
			}
			b.SetBytes(int64(len(data)))
			b.ReportAllocs()
			buf := make([]byte, 32<<10)
			for b.Loop() {
				cr := newChunkedReader(io.NopCloser(bytes.NewReader(body)), chunkedOptions{
					decodedLength: int64(len(data)), signer: cs, trailer: s.spec.trailers != nil, declared: []string{"x-amz-checksum-crc32"},
				}, &Auth{})
				if n, err := io.CopyBuffer(io.Discard, onlyReader{cr}, buf); err != nil || n != int64(len(data)) {
					b.Fatal(n, err)
				}
			}
		})
	}
	// For reference: a hex x-amz-content-sha256 body through hashReader.
	b.Run("sha256-hex", func(b *testing.B) {
		sum := sha256.Sum256(data)
		b.SetBytes(int64(len(data)))
		b.ReportAllocs()
		buf := make([]byte, 32<<10)
		for b.Loop() {
			hr := &hashReader{body: io.NopCloser(bytes.NewReader(data)), h: sha256.New(), want: sum[:]}
			if _, err := io.CopyBuffer(io.Discard, onlyReader{hr}, buf); err != nil {
				b.Fatal(err)
			}
		}
	})
}
