package s3

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
)

// UploadPartCopy: PUT /<bucket>/<key>?partNumber=N&uploadId=ID with
// x-amz-copy-source (parsed by parseCopySource, preconditions as CopyObject's).
// The part gets its own blob (bytes are copied), so the source object may
// be overwritten or deleted at any time afterwards.

var (
	errCopyRangeSyntax = ErrInvalidArgument.With("The x-amz-copy-source-range value must be of the form bytes=first-last where first and last are the zero-based offsets of the first and last bytes to copy")
	errCopyTooLarge    = ErrInvalidRequest.With("The specified copy source is larger than the maximum allowable size for a copy source: 5368709120")
)

type copyPartResult struct {
	XMLName      xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CopyPartResult"`
	ETag         string   `xml:"ETag"`
	LastModified string   `xml:"LastModified"`
	mpChecksums
}

func (s *Service) uploadPartCopy(c *call) error {
	n, err := mpPartNumberArg(c)
	if err != nil {
		return err
	}
	if _, err := s.bucket(c.bucket); err != nil {
		return err
	}
	id := c.q.Get("uploadId")
	up, err := s.upload(c.bucket, c.key, id)
	if err != nil {
		return err
	}
	srcBucket, srcKey, err := parseCopySource(c.r.Header.Get("x-amz-copy-source"))
	if err != nil {
		return err
	}
	ctx := c.r.Context()
	src, rd, err := s.openObject(ctx, srcBucket, srcKey)
	if err != nil {
		return err
	}
	defer rd.Close()
	if err := copyConditions.evaluate(c.r.Header, src, ErrPreconditionFailed); err != nil {
		return err
	}
	off, length, err := mpCopyRange(c.r.Header.Get("x-amz-copy-source-range"), src.Size)
	if err != nil {
		return err
	}
	if length > maxPutSize {
		return errCopyTooLarge
	}
	bc := &bodyCheck{Algo: up.ChecksumAlgo, Explicit: true}
	if bc.Algo == "" {
		bc.Algo, bc.Explicit = defaultChecksum, false
	}
	om, err := s.storeBody(ctx, c.r, io.NewSectionReader(rd, off, length), length, bc)
	if err != nil {
		return err
	}
	pm := partMeta{Blob: om.Segments[0].Blob, Size: om.Size, ETag: om.ETag, ChecksumAlgo: bc.Algo,
		Checksum: om.Checksum, Implicit: !bc.Explicit, LastModified: s.now().UTC().Truncate(1e9)}
	if err := s.mpCommitPart(ctx, c.bucket, c.key, id, n, pm); err != nil {
		return err
	}
	c.w.Header().Set("x-amz-server-side-encryption", "AES256")
	return writeXML(c.w, copyPartResult{ETag: `"` + pm.ETag + `"`, LastModified: s3Time(pm.LastModified),
		mpChecksums: mpChecksumsOf(pm.shownChecksum())})
}

// mpCopyRange parses x-amz-copy-source-range "bytes=first-last" against an
// object of size bytes; no header means the whole object.
func mpCopyRange(v string, size int64) (off, n int64, err error) {
	if v == "" {
		return 0, size, nil
	}
	spec, ok := strings.CutPrefix(v, "bytes=")
	a, b, ok2 := strings.Cut(spec, "-")
	first, err1 := strconv.ParseInt(a, 10, 64)
	last, err2 := strconv.ParseInt(b, 10, 64)
	if !ok || !ok2 || err1 != nil || err2 != nil || first < 0 || last < first {
		return 0, 0, errCopyRangeSyntax
	}
	if last >= size {
		return 0, 0, ErrInvalidArgument.With("Range specified is not valid for source object of size: " + itoa(size))
	}
	return first, last - first + 1, nil
}
