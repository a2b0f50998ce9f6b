package sigv4

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"
	"time"
)

const (
	modeSigned         = streamingSigned
	modeSignedTrailer  = streamingSignedTrailer
	modeUnsignedTrail  = streamingUnsigned
	bigChunk           = 64 << 10
	smallestLegalChunk = 8 << 10
)

func TestChunkedRoundTrip(t *testing.T) {
	type tc struct {
		mode      string
		size      int
		chunkSize int
	}
	var cases []tc
	for _, mode := range []string{modeSigned, modeSignedTrailer} {
		for _, size := range []int{0, 1, 8191, 8192, 65536, 65537, 200000} {
			for _, cs := range []int{smallestLegalChunk, bigChunk} {
				cases = append(cases, tc{mode, size, cs})
			}
		}
	}
	for _, size := range []int{0, 1, 100, 65537} {
		for _, cs := range []int{1, 7, bigChunk, 1 << 20} {
			cases = append(cases, tc{modeUnsignedTrail, size, cs})
		}
	}
	readers := map[string]func(io.Reader) io.Reader{
		"whole":    func(r io.Reader) io.Reader { return r },
		"one byte": iotest.OneByteReader,
		"half":     iotest.HalfReader,
	}
	for _, c := range cases {
		for rname, wrap := range readers {
			if rname != "whole" && c.size > 70000 {
				continue
			}
			t.Run(fmt.Sprintf("%s/%d/%d/%s", c.mode, c.size, c.chunkSize, rname), func(t *testing.T) {
				data := testData(c.size)
				spec := chunkSpec{mode: c.mode, chunkSize: c.chunkSize, declared: -1}
				if c.mode != modeSigned {
					spec.trailers = crc32Trailer(data)
				}
				r := parseWire(t, chunkedWire(t, spec, data))
				a, err := newTestVerifier(t0).Verify(r)
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if a.DecodedLength != int64(c.size) || r.ContentLength != int64(c.size) {
					t.Errorf("DecodedLength %d, ContentLength %d, want %d", a.DecodedLength, r.ContentLength, c.size)
				}
				if ce, ok := r.Header["Content-Encoding"]; ok {
					t.Errorf("Content-Encoding left: %q", ce)
				}
				if got := r.Header.Get("Content-Length"); got != fmt.Sprint(c.size) {
					t.Errorf("Content-Length header %q", got)
				}
				if a.Trailer != nil {
					t.Errorf("Trailer before EOF: %v", a.Trailer)
				}
				got, err := io.ReadAll(wrap(r.Body))
				if err != nil {
					t.Fatalf("read: %v", err)
				}
				if !bytes.Equal(got, data) {
					t.Fatalf("decoded %d bytes, want %d (equal prefix? %v)", len(got), len(data), bytes.HasPrefix(data, got))
				}
				if spec.trailers != nil {
					if v := a.Trailer.Get("X-Amz-Checksum-Crc32"); v != spec.trailers[0][1] {
						t.Errorf("trailer crc32 = %q, want %q (trailer %v)", v, spec.trailers[0][1], a.Trailer)
					}
				}
			})
		}
	}
}

// TestChunkedAWSExample is the chunked upload example of the S3
// documentation (66560 bytes of 'a' in a 64 KiB and a 1 KiB chunk).
func TestChunkedAWSExample(t *testing.T) {
	const (
		seed   = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9"
		chunk1 = "ad80c730a21e5b8d04586a2213dd63b9a0e99e0e2307b0ade35a65485a288648"
		chunk2 = "0055627c9e194cb4542bae2aa5492e3c1575bbb81b612b7d234b86a503ef5497"
		final  = "b6c6ea8a5354eaf15b3cb7646744f4275b71ea724fed81ceb9323e279d449df9"
	)
	body := "10000;chunk-signature=" + chunk1 + "\r\n" + strings.Repeat("a", 65536) + "\r\n" +
		"400;chunk-signature=" + chunk2 + "\r\n" + strings.Repeat("a", 1024) + "\r\n" +
		"0;chunk-signature=" + final + "\r\n\r\n"
	head := "PUT /examplebucket/chunkObject.txt HTTP/1.1\r\n" +
		"Host: s3.amazonaws.com\r\n" +
		"x-amz-date: 20130524T000000Z\r\n" +
		"x-amz-storage-class: REDUCED_REDUNDANCY\r\n" +
		"Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=content-encoding;content-length;host;x-amz-content-sha256;x-amz-date;x-amz-decoded-content-length;x-amz-storage-class,Signature=" + seed + "\r\n" +
		"x-amz-content-sha256: STREAMING-AWS4-HMAC-SHA256-PAYLOAD\r\n" +
		"Content-Encoding: aws-chunked\r\n" +
		"x-amz-decoded-content-length: 66560\r\n" +
		fmt.Sprintf("Content-Length: %d\r\n\r\n", len(body))
	if len(body) != 66824 {
		t.Fatalf("encoded length %d, the documentation says 66824", len(body))
	}
	r := parseWire(t, []byte(head+body))
	v := New(Options{Keys: testKeys, Now: func() time.Time { return time.Date(2013, 5, 24, 0, 5, 0, 0, time.UTC) }})
	if _, err := v.Verify(r); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	got, err := io.ReadAll(r.Body)
	if err != nil || string(got) != strings.Repeat("a", 66560) {
		t.Fatalf("read %d bytes, %v", len(got), err)
	}
}

// verifyChunked verifies a chunked request built from spec and returns the
// bytes read and the codes of Verify and of the read.
func verifyChunked(t *testing.T, wire []byte) (data []byte, verifyCode, readCode string) {
	t.Helper()
	r := parseWire(t, wire)
	if _, err := newTestVerifier(t0).Verify(r); err != nil {
		return nil, code(err), ""
	}
	data, readCode = readAllCode(r)
	return data, "", readCode
}

func TestChunkedTampered(t *testing.T) {
	data := testData(3 * smallestLegalChunk)
	signed := chunkSpec{mode: modeSigned, chunkSize: smallestLegalChunk, declared: -1}
	trailer := chunkSpec{mode: modeSignedTrailer, chunkSize: smallestLegalChunk, declared: -1, trailers: crc32Trailer(data)}
	unsigned := chunkSpec{mode: modeUnsignedTrail, chunkSize: smallestLegalChunk, declared: -1, trailers: crc32Trailer(data)}
	// header length of a signed chunk: "2000;chunk-signature=<64>\r\n"
	const hdr = 4 + 17 + 64 + 2
	secondChunkData := hdr + smallestLegalChunk + 2 + hdr
	tests := []struct {
		name       string
		spec       chunkSpec
		edit       func(wire []byte) []byte // on the whole request
		verify     string
		read       string
		wantPrefix int // bytes that must have been returned before the error
	}{
		{name: "data byte", spec: signed, edit: flipBody(secondChunkData + 5), read: "SignatureDoesNotMatch", wantPrefix: smallestLegalChunk},
		{name: "first chunk signature", spec: signed, edit: flipBody(hdr - 3), read: "SignatureDoesNotMatch"},
		{name: "final chunk signature", spec: signed, edit: flipBodyFromEnd(6), read: "SignatureDoesNotMatch", wantPrefix: len(data)},
		{name: "trailer value", spec: trailer, edit: flipAfter("x-amz-checksum-crc32:"), read: "SignatureDoesNotMatch", wantPrefix: len(data)},
		{name: "trailer signature", spec: trailer, edit: flipBodyFromEnd(6), read: "SignatureDoesNotMatch", wantPrefix: len(data)},
		{name: "trailer signature missing", spec: trailer, edit: replaceBody("x-amz-trailer-signature:", "x-amz-trailer-signaturX:"), read: "SignatureDoesNotMatch", wantPrefix: len(data)},
		{name: "truncated", spec: signed, edit: truncateBody(10), read: "IncompleteBody", wantPrefix: len(data)},
		{name: "truncated inside chunk", spec: signed, edit: truncateBody(smallestLegalChunk), read: "IncompleteBody", wantPrefix: 2 * smallestLegalChunk},
		{name: "unsigned truncated", spec: unsigned, edit: truncateBody(40), read: "IncompleteBody", wantPrefix: -1},
		{name: "declared longer", spec: chunkSpec{mode: modeSigned, chunkSize: smallestLegalChunk, declared: int64(len(data) + 1)}, read: "IncompleteBody", wantPrefix: len(data)},
		{name: "declared shorter", spec: chunkSpec{mode: modeSigned, chunkSize: smallestLegalChunk, declared: int64(len(data) - 1)}, read: "IncompleteBody", wantPrefix: 2 * smallestLegalChunk},
		{name: "unsigned declared longer", spec: chunkSpec{mode: modeUnsignedTrail, chunkSize: 1000, declared: int64(len(data) + 1), trailers: crc32Trailer(data)}, read: "IncompleteBody", wantPrefix: len(data)},
		{name: "small chunk", spec: chunkSpec{mode: modeSigned, chunkSize: smallestLegalChunk - 1, declared: -1}, read: "InvalidChunkSizeError", wantPrefix: smallestLegalChunk - 1},
		{name: "decoded length header", spec: signed, edit: replaceHead("X-Amz-Decoded-Content-Length: 24576", "X-Amz-Decoded-Content-Length: 24575"), verify: "SignatureDoesNotMatch"},
		{name: "decoded length missing", spec: signed, edit: replaceHead("X-Amz-Decoded-Content-Length: 24576\r\n", ""), verify: "SignatureDoesNotMatch"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			wire := chunkedWire(t, tc.spec, data)
			if tc.edit != nil {
				wire = tc.edit(wire)
			}
			got, vc, rc := verifyChunked(t, wire)
			if vc != tc.verify || rc != tc.read {
				t.Fatalf("Verify code %q, read code %q; want %q, %q", vc, rc, tc.verify, tc.read)
			}
			if tc.wantPrefix >= 0 && len(got) != tc.wantPrefix {
				t.Errorf("returned %d bytes before failing, want %d", len(got), tc.wantPrefix)
			}
			if !bytes.HasPrefix(data, got) {
				t.Errorf("returned bytes are not a prefix of the payload")
			}
		})
	}
}

func TestChunkedMissingDecodedLength(t *testing.T) {
	req, _ := http.NewRequest("PUT", "http://s3.amazonaws.com/b/k", strings.NewReader("0\r\n\r\n"))
	req.Header.Set("X-Amz-Content-Sha256", modeUnsignedTrail)
	req.Header.Set("Content-Encoding", "aws-chunked, gzip")
	sdkSign(t, req, testCreds, "s3", "us-east-1", modeUnsignedTrail, t0)
	if _, err := newTestVerifier(t0).Verify(overWire(t, req)); code(err) != "MissingContentLength" {
		t.Fatalf("Verify = %v, want MissingContentLength", err)
	}
	req.Header.Set("X-Amz-Decoded-Content-Length", "0")
	req.Body = io.NopCloser(strings.NewReader("0\r\n\r\n"))
	sdkSign(t, req, testCreds, "s3", "us-east-1", modeUnsignedTrail, t0)
	r := overWire(t, req)
	if _, err := newTestVerifier(t0).Verify(r); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if ce := r.Header.Values("Content-Encoding"); len(ce) != 1 || ce[0] != "gzip" {
		t.Errorf("Content-Encoding = %q, want gzip", ce)
	}
}

func headEnd(wire []byte) int { return bytes.Index(wire, []byte("\r\n\r\n")) + 4 }

func flipBody(off int) func([]byte) []byte {
	return func(w []byte) []byte {
		w[headEnd(w)+off] ^= 1
		return w
	}
}

func flipBodyFromEnd(off int) func([]byte) []byte {
	return func(w []byte) []byte {
		// hex digits: keep it a hex digit so only the value is wrong
		i := len(w) - off
		if w[i] == '0' {
			w[i] = '1'
		} else {
			w[i] = '0'
		}
		return w
	}
}

// flipAfter changes the character after the first occurrence of s in the
// body to another base64 character.
func flipAfter(s string) func([]byte) []byte {
	return func(w []byte) []byte {
		i := bytes.Index(w, []byte(s)) + len(s)
		if w[i] == 'A' {
			w[i] = 'B'
		} else {
			w[i] = 'A'
		}
		return w
	}
}

func truncateBody(n int) func([]byte) []byte {
	return func(w []byte) []byte { return w[:len(w)-n] }
}

func replaceBody(old, new string) func([]byte) []byte {
	return func(w []byte) []byte {
		h := headEnd(w)
		body := bytes.Replace(w[h:], []byte(old), []byte(new), 1)
		return fixLength(w[:h], body)
	}
}

func replaceHead(old, new string) func([]byte) []byte {
	return func(w []byte) []byte {
		h := headEnd(w)
		head := bytes.Replace(w[:h], []byte(old), []byte(new), 1)
		return append(head, w[h:]...)
	}
}

// fixLength re-attaches body to head with a Content-Length that fits (the
// signature goes stale if the length changed: Content-Length is signed).
func fixLength(head, body []byte) []byte {
	s := string(head)
	i := strings.Index(s, "Content-Length: ")
	j := i + strings.Index(s[i:], "\r\n")
	return append([]byte(s[:i]+fmt.Sprintf("Content-Length: %d", len(body))+s[j:]), body...)
}
