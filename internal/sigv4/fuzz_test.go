package sigv4

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"testing"
)

func FuzzParseAuthorization(f *testing.F) {
	for _, s := range []string{
		"AWS4-HMAC-SHA256 " + goodCred + ", SignedHeaders=host;x-amz-date, " + goodSig,
		"AWS4-HMAC-SHA256 " + goodCred + ",SignedHeaders=host," + goodSig,
		"AWS4-HMAC-SHA256 Credential=a/b/c/d/e, SignedHeaders=;, Signature=",
		"AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/s3/aws4_request/x,,,",
		"AWS AKID:sig",
		"",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		sr, err := parseAuthorization(h)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || e.Status == 0 || e.Code == "" {
				t.Fatalf("error %v is not a complete *Error", err)
			}
			return
		}
		c := sr.Cred
		if c.AccessKey == "" || c.Region == "" || c.Service == "" || !validScopeDate(c.Date) {
			t.Fatalf("accepted credential %+v", c)
		}
		if len(sr.SignedHeaders) == 0 || sr.Signature != nil && len(sr.Signature) != 32 {
			t.Fatalf("accepted %+v", sr)
		}
		r, _ := http.NewRequest("GET", "http://h/", nil)
		r.Header.Set("Authorization", h)
		Scope(r) // must not panic
	})
}

// FuzzChunkedReader feeds arbitrary bodies to the aws-chunked decoder: it
// must not panic, must end with io.EOF or an *Error, must make progress,
// and must never return more bytes than it was given (or than declared).
func FuzzChunkedReader(f *testing.F) {
	seed := hex.EncodeToString(zeroSeed)
	data := testData(9000)
	for _, s := range []chunkSpec{
		{mode: modeSigned, chunkSize: smallestLegalChunk},
		{mode: modeSignedTrailer, chunkSize: smallestLegalChunk, trailers: crc32Trailer(data)},
		{mode: modeUnsignedTrail, chunkSize: 3000, trailers: crc32Trailer(data)},
	} {
		f.Add(encodeChunked(s, data, seed), uint32(len(data)), s.signed(), s.trailers != nil)
		f.Add(encodeChunked(s, data[:10], seed), uint32(10), s.signed(), s.trailers != nil)
	}
	for _, s := range []string{"0\r\n\r\n", "5\r\nhello\r\n0\r\nx:y\r\n\r\n", "fffffff\r\n", "0;chunk-signature=\r\n"} {
		f.Add([]byte(s), uint32(5), false, true)
	}
	f.Fuzz(func(t *testing.T, body []byte, decoded uint32, signed, trailer bool) {
		var cs chunkSigner
		if signed {
			cs = testChunkSigner()
		}
		cr := newChunkedReader(io.NopCloser(bytes.NewReader(body)), chunkedOptions{
			decodedLength: int64(decoded), signer: cs, trailer: trailer, declared: []string{"x-amz-checksum-crc32"},
		}, &Auth{})
		buf := make([]byte, len(body)%13+1)
		total := 0
		for calls := 0; ; calls++ {
			if calls > 2*len(body)+10 {
				t.Fatalf("no progress after %d reads", calls)
			}
			n, err := cr.Read(buf)
			if n < 0 || n > len(buf) {
				t.Fatalf("Read returned %d", n)
			}
			total += n
			if total > len(body) || total > int(decoded) {
				t.Fatalf("returned %d bytes from a %d byte body declaring %d", total, len(body), decoded)
			}
			if errors.Is(err, io.EOF) {
				if total != int(decoded) {
					t.Fatalf("EOF after %d bytes, declared %d", total, decoded)
				}
				return
			}
			if err != nil {
				var e *Error
				if !errors.As(err, &e) {
					t.Fatalf("error %v is not an *Error", err)
				}
				return
			}
		}
	})
}

// FuzzVerify feeds arbitrary requests through Verify and the body reader.
func FuzzVerify(f *testing.F) {
	for _, c := range signCases {
		f.Add(signedWire(f, c))
	}
	data := testData(100)
	f.Add(chunkedWire(f, chunkSpec{mode: modeSignedTrailer, chunkSize: 64, declared: -1, trailers: crc32Trailer(data)}, data))
	f.Add(chunkedWire(f, chunkSpec{mode: modeUnsignedTrail, chunkSize: 30, declared: -1, trailers: crc32Trailer(data)}, data))
	f.Add([]byte("GET /b?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240101%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240101T120000Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&X-Amz-Signature=00 HTTP/1.1\r\nHost: h\r\n\r\n"))
	v := newTestVerifier(t0)
	f.Fuzz(func(t *testing.T, raw []byte) {
		r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(raw)))
		if err != nil {
			return
		}
		orig := r.Body
		a, err := v.Verify(r)
		var e *Error
		if err != nil {
			if !errors.As(err, &e) {
				t.Fatalf("Verify error %v is not an *Error", err)
			}
			return
		}
		if a == nil {
			t.Fatal("nil Auth without error")
		}
		n, err := io.Copy(io.Discard, r.Body)
		if n > int64(len(raw)) {
			t.Fatalf("body gave %d bytes from a %d byte request", n, len(raw))
		}
		// Only a body Verify replaced promises *Error failures.
		if err != nil && r.Body != orig && !errors.As(err, &e) {
			t.Fatalf("body error %v is not an *Error", err)
		}
	})
}
