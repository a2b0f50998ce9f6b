package s3

import (
	"encoding/hex"
	"net/http"
)

func hexMD5(sum []byte) string { return hex.EncodeToString(sum) }

// putObject is PutObject. Every header is validated before the body is
// read; the body streams through MD5 (the ETag) and the requested (or
// default) checksum into a new blob, is verified against Content-MD5 and
// x-amz-checksum-* (header or trailer), and only then is the index entry
// committed, subject to If-None-Match: * / If-Match. A failed check
// leaves nothing behind.
func (s *Service) putObject(c *call) error {
	h := c.r.Header
	if err := checkKey(c.key); err != nil {
		return err
	}
	size, err := declaredLength(c.r)
	if err != nil {
		return err
	}
	if size > maxPutSize {
		return ErrEntityTooLarge.WithExtra("ProposedSize", itoa(size)).WithExtra("MaxSizeAllowed", itoa(maxPutSize))
	}
	attrs, err := attrsFromHeaders(h)
	if err != nil {
		return err
	}
	tags, err := parseTaggingHeader(h.Get("x-amz-tagging"))
	if err != nil {
		return err
	}
	bc, err := parseBodyCheck(h, "x-amz-sdk-checksum-algorithm")
	if err != nil {
		return err
	}
	cond, err := parseWriteCond(h)
	if err != nil {
		return err
	}
	if _, err := s.bucket(c.bucket); err != nil {
		return err // refuse before reading the body; re-checked at commit
	}
	ctx := c.r.Context()
	m, err := s.storeBody(ctx, c.r, c.r.Body, size, bc)
	if err != nil {
		return err
	}
	m.setAttrs(attrs)
	m.Tags = tags
	if err := s.commitObject(ctx, objectWrite{bucket: c.bucket, key: c.key, meta: m, cond: cond}); err != nil {
		s.deleteBlobs(ctx, m.Segments)
		return err
	}
	out := c.w.Header()
	out.Set("ETag", `"`+m.ETag+`"`)
	out.Set("x-amz-server-side-encryption", "AES256")
	setChecksumHeaders(out, m)
	out.Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusOK)
	return nil
}
