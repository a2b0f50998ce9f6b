package sigv4

import (
	"bufio"
	"errors"
	"io"
	"strconv"
	"strings"
)

// The framing of aws-chunked bodies: chunk headers, lines and CRLFs.

// truncated maps an error hit inside a chunk to an *Error.
func truncated(err error) *Error {
	if err == nil || errors.Is(err, io.EOF) {
		return errTruncated
	}
	return bodyError(err)
}

// parseChunkHeader parses "hex-size[;chunk-signature=<64 hex>]". A signed
// chunk must carry its signature; an unsigned one's extensions are ignored.
func parseChunkHeader(line string, signed bool) (int64, []byte, error) {
	sizeHex, ext, hasExt := strings.Cut(line, ";")
	if sizeHex == "" || len(sizeHex) > 15 {
		return 0, nil, errMalformedChunk
	}
	size, err := strconv.ParseUint(sizeHex, 16, 63)
	if err != nil {
		return 0, nil, errMalformedChunk
	}
	if !signed {
		return int64(size), nil, nil
	}
	sigHex, ok := strings.CutPrefix(ext, "chunk-signature=")
	if !hasExt || !ok {
		return 0, nil, ErrSignatureDoesNotMatch.WithMessage("The chunk is missing its chunk-signature.")
	}
	sig, ok := parseSignature(sigHex)
	if !ok {
		return 0, nil, ErrSignatureDoesNotMatch.WithMessage("The chunk signature is malformed.")
	}
	return int64(size), sig, nil
}

// readData reads a signed chunk's size data bytes and the CRLF after them
// (a final, empty chunk has no data and no CRLF of its own). The buffer
// grows as bytes arrive, so a size that is a lie costs no memory.
func (c *chunkedReader) readData(size int64) ([]byte, error) {
	if size == 0 {
		return nil, nil
	}
	n := int(size)
	buf := c.buf[:0]
	for len(buf) < n {
		if len(buf) == cap(buf) {
			grown := make([]byte, len(buf), min(n, max(2*cap(buf), 64<<10)))
			copy(grown, buf)
			buf = grown
		}
		m, err := c.src.Read(buf[len(buf):min(cap(buf), n)])
		buf = buf[:len(buf)+m]
		if m == 0 && err != nil {
			return nil, truncated(err)
		}
	}
	c.buf = buf
	return buf, c.readCRLF()
}

// readLine reads one CRLF-terminated line of at most limit bytes (CRLF
// excluded). At a clean end of the body it returns io.EOF.
func (c *chunkedReader) readLine(limit int) (string, error) {
	line, err := c.src.ReadSlice('\n')
	switch {
	case errors.Is(err, bufio.ErrBufferFull) || len(line) > limit+2:
		return "", errMalformedChunk.WithMessage("A line of the aws-chunked body is too long.")
	case errors.Is(err, io.EOF) && len(line) == 0:
		return "", io.EOF
	case errors.Is(err, io.EOF):
		return "", errTruncated
	case err != nil:
		return "", bodyError(err)
	case len(line) < 2 || line[len(line)-2] != '\r':
		return "", errMalformedChunk
	}
	return string(line[:len(line)-2]), nil
}

// readCRLF reads the CRLF that ends a chunk's data.
func (c *chunkedReader) readCRLF() error {
	b0, err := c.src.ReadByte()
	if err != nil {
		return truncated(err)
	}
	b1, err := c.src.ReadByte()
	if err != nil {
		return truncated(err)
	}
	if b0 != '\r' || b1 != '\n' {
		return errMalformedChunk.WithMessage("A chunk's data is longer than its declared size.")
	}
	return nil
}
