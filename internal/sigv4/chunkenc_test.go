package sigv4

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"testing"

	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// This file is an aws-chunked encoder written from the AWS documentation
// ("Signature Calculations for the Authorization Header: Transferring
// Payload in Multiple Chunks" and "... Including Trailing Headers"). Chunk
// signatures come from the SDK's own v4.StreamSigner; the trailer signature,
// which the SDK has no signer for, is computed here as documented.

// chunkSpec describes an aws-chunked request to build.
type chunkSpec struct {
	mode      string      // x-amz-content-sha256
	chunkSize int         // data bytes per chunk
	trailers  [][2]string // trailer fields, in order; nil: none
	declared  int64       // x-amz-decoded-content-length; -1 means len(data)
}

func (s chunkSpec) signed() bool { return strings.HasPrefix(s.mode, "STREAMING-AWS4-HMAC") }

// crc32Trailer is the x-amz-checksum-crc32 trailer of data.
func crc32Trailer(data []byte) [][2]string {
	var b [4]byte
	binary.BigEndian.PutUint32(b[:], crc32.ChecksumIEEE(data))
	return [][2]string{{"x-amz-checksum-crc32", base64.StdEncoding.EncodeToString(b[:])}}
}

// testData returns n deterministic pseudo-random bytes.
func testData(n int) []byte {
	r := rand.New(rand.NewPCG(uint64(n), 42))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// encodeChunked encodes data as aws-chunked. seed is the request
// signature; for unsigned modes it is ignored.
func encodeChunked(s chunkSpec, data []byte, seed string) []byte {
	var b bytes.Buffer
	stream := v4.NewStreamSigner(testCreds, "s3", "us-east-1", mustHex(seed))
	prev := mustHex(seed)
	emit := func(chunk []byte) {
		b.WriteString(strconv.FormatInt(int64(len(chunk)), 16))
		if s.signed() {
			sig, _ := stream.GetSignature(context.Background(), nil, chunk, t0)
			fmt.Fprintf(&b, ";chunk-signature=%x", sig)
			prev = sig
		}
		b.WriteString("\r\n")
		if len(chunk) > 0 {
			b.Write(chunk)
			b.WriteString("\r\n")
		}
	}
	for off := 0; off < len(data); off += s.chunkSize {
		emit(data[off:min(off+s.chunkSize, len(data))])
	}
	emit(nil)
	if s.trailers != nil {
		var canon strings.Builder
		for _, f := range s.trailers {
			b.WriteString(f[0] + ":" + f[1] + "\r\n")
			canon.WriteString(f[0] + ":" + f[1] + "\n")
		}
		if s.signed() {
			sum := sha256.Sum256([]byte(canon.String()))
			sts := "AWS4-HMAC-SHA256-TRAILER\n" + t0.Format("20060102T150405Z") + "\n" +
				t0.Format("20060102") + "/us-east-1/s3/aws4_request\n" + hex.EncodeToString(prev) + "\n" + hex.EncodeToString(sum[:])
			fmt.Fprintf(&b, "x-amz-trailer-signature:%x\r\n", docHMAC(docSigningKey(), sts))
		}
	}
	b.WriteString("\r\n")
	return b.Bytes()
}

func mustHex(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}

func docHMAC(key []byte, s string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(s))
	return h.Sum(nil)
}

// docSigningKey is the signing key of testCreds for t0/us-east-1/s3.
func docSigningKey() []byte {
	k := docHMAC([]byte("AWS4"+testCreds.SecretAccessKey), t0.Format("20060102"))
	for _, s := range []string{"us-east-1", "s3", "aws4_request"} {
		k = docHMAC(k, s)
	}
	return k
}

// chunkedWire builds a signed aws-chunked PUT of data and returns it as
// sent on the wire.
func chunkedWire(t testing.TB, s chunkSpec, data []byte) []byte {
	t.Helper()
	req, err := http.NewRequest("PUT", "http://s3.amazonaws.com/bucket/object", nil)
	if err != nil {
		t.Fatal(err)
	}
	declared := s.declared
	if declared < 0 {
		declared = int64(len(data))
	}
	req.Header.Set("X-Amz-Content-Sha256", s.mode)
	req.Header.Set("Content-Encoding", "aws-chunked")
	req.Header.Set("X-Amz-Decoded-Content-Length", strconv.FormatInt(declared, 10))
	if s.trailers != nil {
		var names []string
		for _, f := range s.trailers {
			names = append(names, f[0])
		}
		req.Header.Set("X-Amz-Trailer", strings.Join(names, ","))
	}
	// The encoded length does not depend on the signature values.
	req.ContentLength = int64(len(encodeChunked(s, data, emptySHA256)))
	sdkSign(t, req, testCreds, "s3", "us-east-1", s.mode, t0)
	h := req.Header.Get("Authorization")
	seed := h[strings.LastIndex(h, "Signature=")+len("Signature="):]
	body := encodeChunked(s, data, seed)
	req.Body = nopCloser{bytes.NewReader(body)}
	return wireBytes(t, req)
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }
