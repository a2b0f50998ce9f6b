package awsjson

import (
	"bytes"
	"hash/crc32"
	"net/http"
	"strconv"
)

// CRC32Header is the response header DynamoDB sets: the CRC32 (IEEE) of
// the response body as an unsigned decimal. The AWS SDKs verify it and
// retry the request when it does not match.
const CRC32Header = "X-Amz-Crc32"

// WithCRC32 wraps h so that every response carries CRC32Header over the
// exact bytes of its body. It buffers the body; use it for services whose
// answers are bounded (DynamoDB's are: 16 MB at most for BatchGetItem).
// Opt-in per service: Kinesis and Firehose do not send it.
func WithCRC32(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		cw := &crcWriter{w: w, status: http.StatusOK}
		h.ServeHTTP(cw, r)
		hdr := w.Header()
		hdr.Set(CRC32Header, strconv.FormatUint(uint64(crc32.ChecksumIEEE(cw.buf.Bytes())), 10))
		hdr.Set("Content-Length", strconv.Itoa(cw.buf.Len()))
		w.WriteHeader(cw.status)
		_, _ = w.Write(cw.buf.Bytes())
	})
}

// crcWriter holds the status and body until the handler returns.
type crcWriter struct {
	w      http.ResponseWriter
	status int
	wrote  bool
	buf    bytes.Buffer
}

func (c *crcWriter) Header() http.Header { return c.w.Header() }

func (c *crcWriter) WriteHeader(status int) {
	if !c.wrote {
		c.status, c.wrote = status, true
	}
}

func (c *crcWriter) Write(p []byte) (int, error) {
	c.wrote = true
	return c.buf.Write(p)
}
