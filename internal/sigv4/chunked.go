package sigv4

import (
	"bufio"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"strconv"
)

// Limits of the aws-chunked decoder. Memory use per request is one signed
// chunk (up to maxSignedChunk, grown only as its bytes arrive) plus a small
// line buffer; unsigned chunks stream through without buffering, whatever
// their size.
const (
	readBufferSize = 4 << 10  // bufio buffer; also bounds a line's scan
	maxChunkLine   = 256      // "hex-size;chunk-signature=<64 hex>" is ~100 bytes
	maxSignedChunk = 16 << 20 // a signed chunk is buffered until verified
	minSignedChunk = 8 << 10  // AWS: only the last chunk may be smaller
	maxTrailerLine = 1 << 10
	maxTrailer     = 16 << 10 // all trailer lines together
)

var (
	errMalformedChunk = ErrInvalidRequest.WithMessage("Malformed aws-chunked encoding.")
	errTruncated      = ErrIncompleteBody.WithMessage("The request body terminated unexpectedly")
)

// chunkSigner verifies the signature chain of a signed aws-chunked body. The
// zero value (nil key) means the chunks are not signed.
type chunkSigner struct {
	key   []byte // the request's signing key
	date  string // X-Amz-Date
	scope string
	seed  []byte // the request signature: the first chunk's "previous" one
}

// chunkSignature is the signature of a chunk whose data hashes to dataHash.
func (cs chunkSigner) chunkSignature(prev, dataHash []byte) []byte {
	return hmacSHA256(cs.key, "AWS4-HMAC-SHA256-PAYLOAD\n"+cs.date+"\n"+cs.scope+"\n"+
		hex.EncodeToString(prev)+"\n"+emptySHA256+"\n"+hex.EncodeToString(dataHash))
}

// trailerSignature is the signature of trailer lines whose canonical form
// ("name:value\n" each) hashes to trailerHash.
func (cs chunkSigner) trailerSignature(prev, trailerHash []byte) []byte {
	return hmacSHA256(cs.key, "AWS4-HMAC-SHA256-TRAILER\n"+cs.date+"\n"+cs.scope+"\n"+
		hex.EncodeToString(prev)+"\n"+hex.EncodeToString(trailerHash))
}

// chunkedReader decodes an aws-chunked body:
//
//	hex-size[;chunk-signature=<64 hex>]\r\n <data> \r\n ... 0[;chunk-signature=...]\r\n
//	[trailer-name:value\r\n ...] [x-amz-trailer-signature:<64 hex>\r\n] \r\n
//
// It returns a signed chunk's data only once its signature verified, and
// io.EOF only once the final chunk, the trailer (and its signature) and the
// decoded length all checked out; any failure is a sticky *Error. It is not
// safe for concurrent use.
type chunkedReader struct {
	src      *bufio.Reader
	body     io.Closer
	cs       chunkSigner
	trailer  bool     // a trailer follows the final chunk
	declared []string // the trailer fields x-amz-trailer announced
	auth     *Auth    // receives the trailer at EOF

	prevSig   []byte
	remaining int64  // decoded bytes still expected
	left      int64  // unsigned: data bytes of the current chunk still to pass
	needCRLF  bool   // unsigned: the CRLF after the current chunk's data is due
	lastSize  int64  // previous data chunk's size, -1 before the first
	chunks    int    // chunk headers read
	pending   []byte // signed: verified data not yet returned
	buf       []byte // signed: chunk buffer, reused
	err       error  // sticky: io.EOF or an *Error
}

// chunkedOptions configure a chunkedReader.
type chunkedOptions struct {
	decodedLength int64       // x-amz-decoded-content-length
	signer        chunkSigner // zero value: the chunks are not signed
	trailer       bool        // a trailer follows the final chunk
	declared      []string    // x-amz-trailer names, lowercase: the trailer must hold exactly these
}

// newChunkedReader decodes body; a receives the trailer at EOF.
func newChunkedReader(body io.ReadCloser, o chunkedOptions, a *Auth) *chunkedReader {
	return &chunkedReader{
		src:       bufio.NewReaderSize(body, readBufferSize),
		body:      body,
		cs:        o.signer,
		trailer:   o.trailer,
		declared:  o.declared,
		auth:      a,
		prevSig:   o.signer.seed,
		remaining: o.decodedLength,
		lastSize:  -1,
	}
}

func (c *chunkedReader) signed() bool { return c.cs.key != nil }

// Read implements io.Reader.
func (c *chunkedReader) Read(p []byte) (int, error) {
	if len(p) == 0 {
		if c.err != nil {
			return 0, c.err
		}
		return 0, nil
	}
	for c.err == nil {
		if len(c.pending) > 0 {
			n := copy(p, c.pending)
			c.pending = c.pending[n:]
			return n, nil
		}
		if c.left > 0 {
			q := p
			if int64(len(q)) > c.left {
				q = q[:c.left]
			}
			n, err := c.src.Read(q)
			c.left -= int64(n)
			if n > 0 {
				c.needCRLF = c.left == 0
				return n, nil
			}
			c.err = truncated(err)
			break
		}
		if c.needCRLF {
			c.needCRLF = false
			if c.err = c.readCRLF(); c.err != nil {
				break
			}
		}
		c.err = c.nextChunk()
	}
	return 0, c.err
}

// Close closes the request body.
func (c *chunkedReader) Close() error { return c.body.Close() }

// nextChunk reads a chunk header and, for a signed chunk, its data. At the
// final chunk it finishes the body and returns io.EOF.
func (c *chunkedReader) nextChunk() error {
	line, err := c.readLine(maxChunkLine)
	if err != nil {
		return truncated(err)
	}
	size, sig, err := parseChunkHeader(line, c.signed())
	if err != nil {
		return err
	}
	c.chunks++
	if size > c.remaining {
		return ErrIncompleteBody.WithMessage("The aws-chunked body is longer than x-amz-decoded-content-length.")
	}
	if c.signed() {
		if size > maxSignedChunk {
			return ErrInvalidChunk.WithMessage("A chunk may not be larger than 16 MiB.").
				withDetails("Chunk", strconv.Itoa(c.chunks), "BadChunkSize", strconv.FormatInt(size, 10))
		}
		if size > 0 && c.lastSize >= 0 && c.lastSize < minSignedChunk {
			return ErrInvalidChunk.withDetails("Chunk", strconv.Itoa(c.chunks), "BadChunkSize", strconv.FormatInt(c.lastSize, 10))
		}
		data, err := c.readData(size)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		want := c.cs.chunkSignature(c.prevSig, sum[:])
		if !hmac.Equal(want, sig) {
			return ErrSignatureDoesNotMatch.WithMessage("The chunk signature we calculated does not match the signature you provided.")
		}
		c.prevSig = want
		c.pending = data
	} else {
		c.left = size
	}
	c.remaining -= size
	c.lastSize = size
	if size == 0 {
		return c.finish()
	}
	return nil
}

// finish runs after the final chunk: it reads the trailer (or the closing
// CRLF), checks the decoded length and that nothing follows, and returns
// io.EOF on success.
func (c *chunkedReader) finish() error {
	c.buf, c.pending = nil, nil
	if c.remaining != 0 {
		return ErrIncompleteBody
	}
	var h http.Header
	if c.trailer {
		var err error
		if h, err = c.readTrailer(); err != nil {
			return err
		}
	} else {
		// The closing empty line; tolerated when absent, as other S3
		// implementations do.
		line, err := c.readLine(maxChunkLine)
		if err != nil && !errors.Is(err, io.EOF) {
			return err
		}
		if line != "" {
			return errMalformedChunk
		}
	}
	if _, err := c.src.ReadByte(); !errors.Is(err, io.EOF) {
		if err != nil {
			return bodyError(err)
		}
		return errMalformedChunk.WithMessage("There is data after the end of the aws-chunked body.")
	}
	c.auth.Trailer = h
	return io.EOF
}
