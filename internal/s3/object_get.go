package s3

import (
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// byteRange is the part of an object a GET serves.
type byteRange struct {
	off, n  int64
	partial bool // answer 206 with Content-Range
}

// parseRange interprets a Range header as S3 does: one range of
// "bytes=a-b", "bytes=a-" or "bytes=-n". ok is false when the header is
// absent or malformed (or lists several ranges): S3 then serves the whole
// object. A well-formed range that starts past the end (or any range of an
// empty object, or a zero suffix) is unsatisfiable: InvalidRange.
func parseRange(v string, size int64) (br byteRange, ok bool, err error) {
	spec, found := strings.CutPrefix(v, "bytes=")
	if !found || strings.Contains(spec, ",") {
		return br, false, nil
	}
	first, last, found := strings.Cut(spec, "-")
	if !found {
		return br, false, nil
	}
	a, aok := parseDigits(first)
	b, bok := parseDigits(last)
	unsatisfiable := ErrInvalidRange.WithExtra("RangeRequested", v).WithExtra("ActualObjectSize", itoa(size))
	switch {
	case first == "" && bok: // suffix
		if b == 0 || size == 0 {
			return br, true, unsatisfiable
		}
		b = min(b, size)
		return byteRange{off: size - b, n: b, partial: true}, true, nil
	case aok && last == "":
		if a >= size {
			return br, true, unsatisfiable
		}
		return byteRange{off: a, n: size - a, partial: true}, true, nil
	case aok && bok && a <= b:
		if a >= size {
			return br, true, unsatisfiable
		}
		b = min(b, size-1)
		return byteRange{off: a, n: b - a + 1, partial: true}, true, nil
	}
	return br, false, nil
}

// parseDigits parses a non-empty run of ASCII digits.
func parseDigits(s string) (int64, bool) {
	if s == "" || len(s) > 19 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// partRange is the byte range of part n (1-based) of m. An object not
// uploaded in parts has one part, the whole object.
func partRange(m *objectMeta, n int) (byteRange, error) {
	sizes := m.PartSizes
	if len(sizes) == 0 {
		sizes = []int64{m.Size}
	}
	if n > len(sizes) {
		return byteRange{}, ErrInvalidPartNumber.WithExtra("PartNumberRequested", strconv.Itoa(n)).
			WithExtra("ActualPartCount", strconv.Itoa(len(sizes)))
	}
	var off int64
	for _, sz := range sizes[:n-1] {
		off += sz
	}
	return byteRange{off: off, n: sizes[n-1], partial: m.Size > 0}, nil
}

func (s *Service) getObject(c *call) error  { return s.serveObject(c, false) }
func (s *Service) headObject(c *call) error { return s.serveObject(c, true) }

// serveObject is GetObject and HeadObject: preconditions (412/304),
// partNumber or Range (206/416), the object's headers, then (GET) its
// bytes streamed from the blobs.
func (s *Service) serveObject(c *call, head bool) error {
	if err := checkVersionID(c); err != nil {
		return err
	}
	part, err := partNumberParam(c)
	if err != nil {
		return err
	}
	rangeHdr := c.r.Header.Get("Range")
	if part > 0 && rangeHdr != "" {
		return ErrInvalidRequest.With("Cannot specify both Range header and partNumber query parameter")
	}
	var m *objectMeta
	var rd *segmentReader
	if head {
		m, err = s.lookupObject(c.bucket, c.key)
	} else {
		m, rd, err = s.openObject(c.r.Context(), c.bucket, c.key)
	}
	if err != nil {
		return err
	}
	if rd != nil {
		defer rd.Close()
	}
	h := c.w.Header()
	if err := readConditions.evaluate(c.r.Header, m, ErrNotModified); err != nil {
		h.Set("ETag", `"`+m.ETag+`"`)
		h.Set("Last-Modified", httpTime(m.LastModified))
		return err
	}
	if !head && (m.StorageClass == "GLACIER" || m.StorageClass == "DEEP_ARCHIVE") {
		return ErrInvalidObjectState.WithExtra("StorageClass", m.StorageClass)
	}
	br := byteRange{n: m.Size}
	if part > 0 {
		if br, err = partRange(m, part); err != nil {
			return err
		}
	} else if rangeHdr != "" {
		r, ok, err := parseRange(rangeHdr, m.Size)
		if err != nil {
			h.Set("Content-Range", "bytes */"+itoa(m.Size))
			return err
		}
		if ok {
			br = r
		}
	}
	setObjectHeaders(h, m, c.q)
	if part > 0 && len(m.PartSizes) > 0 {
		h.Set("x-amz-mp-parts-count", strconv.Itoa(len(m.PartSizes)))
	}
	if !br.partial && strings.EqualFold(c.r.Header.Get("x-amz-checksum-mode"), "ENABLED") {
		setChecksumHeaders(h, m)
	}
	h.Set("Content-Length", itoa(br.n))
	status := http.StatusOK
	if br.partial {
		h.Set("Content-Range", fmt.Sprintf("bytes %d-%d/%d", br.off, br.off+br.n-1, m.Size))
		status = http.StatusPartialContent
	}
	c.w.WriteHeader(status)
	if head {
		return nil
	}
	if _, err := io.Copy(c.w, io.NewSectionReader(rd, br.off, br.n)); err != nil {
		// The status is sent: cut the connection so the client sees a
		// truncated body, never a short success.
		s.log.Warn("s3: GetObject body", "bucket", c.bucket, "key", c.key, "err", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

// partNumberParam returns the partNumber query (0 when absent).
func partNumberParam(c *call) (int, error) {
	if !has(c.q, "partNumber") {
		return 0, nil
	}
	v := c.q.Get("partNumber")
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 || n > 10000 {
		return 0, ErrTooManyParts.WithExtra("ArgumentName", "partNumber").WithExtra("ArgumentValue", v)
	}
	return n, nil
}

// checkVersionID accepts only the "null" version: tarn buckets are never
// versioned, and S3 answers this for any other id on such a bucket.
func checkVersionID(c *call) error {
	if v, ok := c.q["versionId"]; ok && (len(v) != 1 || v[0] != "null") {
		return ErrInvalidArgument.With("Invalid version id specified").
			WithExtra("ArgumentName", "versionId").WithExtra("ArgumentValue", strings.Join(v, ","))
	}
	return nil
}
