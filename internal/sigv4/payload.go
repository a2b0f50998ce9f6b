package sigv4

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"hash"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// The x-amz-content-sha256 values other than a hex digest.
const (
	unsignedPayload        = "UNSIGNED-PAYLOAD"
	streamingSigned        = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD"
	streamingSignedTrailer = "STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER"
	streamingUnsigned      = "STREAMING-UNSIGNED-PAYLOAD-TRAILER"

	emptySHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
)

// payloadMode is how the body is covered by the signature.
type payloadMode int

const (
	modeUnsigned        payloadMode = iota // UNSIGNED-PAYLOAD: body untouched
	modeHex                                // hex digest: hashed while read
	modeBuffered                           // hashed by Verify; body already verified
	modeChunked                            // STREAMING-AWS4-HMAC-SHA256-PAYLOAD
	modeChunkedTrailer                     // ... -PAYLOAD-TRAILER
	modeUnsignedTrailer                    // STREAMING-UNSIGNED-PAYLOAD-TRAILER
)

// payloadHash returns the payload mode of r and the payload hash line of
// its canonical request. For a non-S3 request without
// x-amz-content-sha256 it reads and hashes the body, replacing r.Body with
// the buffered bytes.
func (v *Verifier) payloadHash(r *http.Request, sr *signedRequest, s3 bool) (payloadMode, string, error) {
	h, present := "", false
	if vals := r.Header.Values("X-Amz-Content-Sha256"); len(vals) > 0 {
		h, present = vals[0], true
	}
	switch {
	case present:
		switch h {
		case unsignedPayload:
			return modeUnsigned, h, nil
		case streamingSigned:
			return modeChunked, h, nil
		case streamingSignedTrailer:
			return modeChunkedTrailer, h, nil
		case streamingUnsigned:
			return modeUnsignedTrailer, h, nil
		}
		if isHexDigest(h) {
			return modeHex, h, nil
		}
		return 0, "", ErrInvalidArgument.WithMessage("x-amz-content-sha256 must be UNSIGNED-PAYLOAD, "+
			"STREAMING-UNSIGNED-PAYLOAD-TRAILER, STREAMING-AWS4-HMAC-SHA256-PAYLOAD, "+
			"STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER, STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD, "+
			"STREAMING-AWS4-ECDSA-P256-SHA256-PAYLOAD-TRAILER or a valid sha256 value.").
			withDetails("ArgumentName", "x-amz-content-sha256", "ArgumentValue", h)
	case s3 && sr.Presigned:
		return modeUnsigned, unsignedPayload, nil
	case s3:
		return 0, "", ErrInvalidRequest.WithMessage("Missing required header for this request: x-amz-content-sha256")
	}
	sum, err := v.bufferBody(r)
	return modeBuffered, sum, err
}

func isHexDigest(s string) bool {
	if len(s) != 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// bufferBody reads r.Body (at most v.maxBuffered bytes), replaces it with
// the bytes read, and returns their hex sha256.
func (v *Verifier) bufferBody(r *http.Request) (string, error) {
	if r.Body == nil || r.Body == http.NoBody {
		return emptySHA256, nil
	}
	if r.ContentLength > v.maxBuffered {
		return "", ErrRequestTooLarge
	}
	var buf bytes.Buffer
	if r.ContentLength > 0 {
		buf.Grow(int(r.ContentLength))
	}
	_, err := buf.ReadFrom(io.LimitReader(r.Body, v.maxBuffered+1))
	r.Body.Close()
	if err != nil {
		return "", bodyError(err)
	}
	if int64(buf.Len()) > v.maxBuffered {
		return "", ErrRequestTooLarge
	}
	r.Body = io.NopCloser(bytes.NewReader(buf.Bytes()))
	sum := sha256.Sum256(buf.Bytes())
	return hex.EncodeToString(sum[:]), nil
}

// bodyError turns an error reading the client's body into an *Error.
func bodyError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return ErrIncompleteBody.wrap(err)
}

// installBody replaces r.Body by the verifying reader for mode, once the
// signature is known to be good.
func installBody(r *http.Request, a *Auth, mode payloadMode, payloadHash string, cs chunkSigner) error {
	switch mode {
	case modeHex:
		want, _ := hex.DecodeString(payloadHash)
		if r.Body == nil || r.Body == http.NoBody {
			if !strings.EqualFold(payloadHash, emptySHA256) {
				return ErrContentSHA256Mismatch
			}
			return nil
		}
		r.Body = &hashReader{body: r.Body, h: sha256.New(), want: want}
	case modeChunked, modeChunkedTrailer, modeUnsignedTrailer:
		return installChunked(r, a, mode, cs)
	}
	return nil
}

// installChunked sets up aws-chunked decoding: r.Body decodes, r.ContentLength
// (and a Content-Length header) become the decoded length, and the
// aws-chunked token leaves Content-Encoding.
func installChunked(r *http.Request, a *Auth, mode payloadMode, cs chunkSigner) error {
	dl := r.Header.Get("X-Amz-Decoded-Content-Length")
	if dl == "" {
		return ErrMissingContentLength
	}
	n, err := strconv.ParseInt(dl, 10, 64)
	if err != nil || n < 0 {
		return ErrInvalidArgument.WithMessage("x-amz-decoded-content-length must be a non-negative integer").
			withDetails("ArgumentName", "x-amz-decoded-content-length", "ArgumentValue", dl)
	}
	a.DecodedLength = n
	body := r.Body
	if body == nil {
		body = http.NoBody
	}
	if mode != modeChunked && mode != modeChunkedTrailer {
		cs = chunkSigner{}
	}
	var declared []string
	for _, v := range r.Header.Values("X-Amz-Trailer") {
		for name := range strings.SplitSeq(v, ",") {
			if name = strings.ToLower(strings.TrimSpace(name)); name != "" {
				declared = append(declared, name)
			}
		}
	}
	r.Body = newChunkedReader(body, chunkedOptions{
		decodedLength: n, signer: cs, trailer: mode != modeChunked, declared: declared,
	}, a)
	r.ContentLength = n
	if r.Header.Get("Content-Length") != "" {
		r.Header.Set("Content-Length", strconv.FormatInt(n, 10))
	}
	stripAWSChunked(r.Header)
	return nil
}

// stripAWSChunked removes the aws-chunked coding from Content-Encoding,
// deleting the header when nothing is left.
func stripAWSChunked(h http.Header) {
	vals := h.Values("Content-Encoding")
	if len(vals) == 0 {
		return
	}
	var keep []string
	for _, v := range vals {
		for c := range strings.SplitSeq(v, ",") {
			if c = strings.TrimSpace(c); c != "" && !strings.EqualFold(c, "aws-chunked") {
				keep = append(keep, c)
			}
		}
	}
	if len(keep) == 0 {
		h.Del("Content-Encoding")
		return
	}
	h.Set("Content-Encoding", strings.Join(keep, ","))
}

// hashReader passes the body through and, at EOF, returns
// ErrContentSHA256Mismatch instead of io.EOF unless the bytes hash to want.
type hashReader struct {
	body io.ReadCloser
	h    hash.Hash
	want []byte
	err  error // sticky final result (io.EOF or an *Error)
}

func (hr *hashReader) Read(p []byte) (int, error) {
	if hr.err != nil {
		return 0, hr.err
	}
	n, err := hr.body.Read(p)
	hr.h.Write(p[:n])
	switch {
	case errors.Is(err, io.EOF):
		if bytes.Equal(hr.h.Sum(nil), hr.want) {
			hr.err = io.EOF
		} else {
			hr.err = ErrContentSHA256Mismatch
			n = 0 // hold back bytes in the read that proved the body bad
		}
		return n, hr.err
	case err != nil:
		hr.err = bodyError(err)
		return n, hr.err
	}
	return n, nil
}

func (hr *hashReader) Close() error { return hr.body.Close() }
