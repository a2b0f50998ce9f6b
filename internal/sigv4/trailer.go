package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
)

const trailerSignatureName = "x-amz-trailer-signature"

// trailerField is one trailer line, name lowercased, value trimmed.
type trailerField struct{ name, value string }

// readTrailer reads the trailer lines after the final chunk up to the empty
// line that ends the body (or the end of the body), verifies the trailer
// signature when the chunks are signed, checks that the fields are exactly
// the declared ones, and returns them with canonical keys.
func (c *chunkedReader) readTrailer() (http.Header, error) {
	var fields []trailerField
	var sig []byte
	sawSig := false
	total := 0
	for {
		line, err := c.readLine(maxTrailerLine)
		if errors.Is(err, io.EOF) || err == nil && line == "" {
			break
		}
		if errors.Is(err, ErrInvalidRequest) {
			return nil, ErrMalformedTrailer // a line too long or not CRLF-terminated
		}
		if err != nil {
			return nil, err
		}
		if total += len(line) + 2; total > maxTrailer {
			return nil, ErrMalformedTrailer
		}
		name, value, ok := strings.Cut(line, ":")
		name = strings.ToLower(strings.TrimSpace(name))
		if !ok || name == "" || sawSig {
			return nil, ErrMalformedTrailer
		}
		value = strings.TrimSpace(value)
		if name == trailerSignatureName {
			if !c.signed() {
				return nil, ErrMalformedTrailer
			}
			sawSig = true
			if sig, ok = parseSignature(value); !ok {
				return nil, ErrSignatureDoesNotMatch.WithMessage("The trailer signature is malformed.")
			}
			continue
		}
		fields = append(fields, trailerField{name, value})
	}
	if c.signed() {
		if !sawSig {
			return nil, ErrSignatureDoesNotMatch.WithMessage("The trailer is missing x-amz-trailer-signature.")
		}
		if !c.trailerSignatureOK(fields, sig) {
			return nil, ErrSignatureDoesNotMatch.WithMessage("The trailer signature we calculated does not match the signature you provided.")
		}
	}
	h := make(http.Header, len(fields))
	for _, f := range fields {
		if !slices.Contains(c.declared, f.name) || len(h.Values(f.name)) > 0 {
			return nil, ErrMalformedTrailer.withDetails("TrailerHeader", f.name)
		}
		h.Add(f.name, f.value)
	}
	for _, name := range c.declared {
		if len(h.Values(name)) == 0 {
			return nil, ErrMalformedTrailer.withDetails("TrailerHeader", name)
		}
	}
	return h, nil
}

// trailerSignatureOK checks sig against the fields' canonical form
// ("name:value\n" per field), with the fields sorted by name as the SDKs
// sign them, or else in the order sent.
func (c *chunkedReader) trailerSignatureOK(fields []trailerField, sig []byte) bool {
	sum := func(fs []trailerField) []byte {
		h := sha256.New()
		for _, f := range fs {
			h.Write([]byte(f.name + ":" + f.value + "\n"))
		}
		return h.Sum(nil)
	}
	sorted := slices.Clone(fields)
	slices.SortStableFunc(sorted, func(a, b trailerField) int { return strings.Compare(a.name, b.name) })
	if hmac.Equal(c.cs.trailerSignature(c.prevSig, sum(sorted)), sig) {
		return true
	}
	return !slices.Equal(sorted, fields) && hmac.Equal(c.cs.trailerSignature(c.prevSig, sum(fields)), sig)
}
