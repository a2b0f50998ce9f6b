package s3

import (
	"encoding/xml"
	"io"
	"net/url"
	"strings"
)

// parseCopySource splits an x-amz-copy-source value, "bucket/key" or
// "/bucket/key", URL-encoded, optionally followed by "?versionId=...".
// Only the "null" version exists in tarn's unversioned buckets.
func parseCopySource(v string) (bucket, key string, err error) {
	path, query, _ := strings.Cut(v, "?")
	if query != "" {
		q, err := url.ParseQuery(query)
		if err != nil {
			return "", "", ErrCopySourceInvalid
		}
		if vid, ok := q["versionId"]; ok && (len(vid) != 1 || vid[0] != "null") {
			return "", "", ErrInvalidArgument.With("Invalid version id specified").
				WithExtra("ArgumentName", "versionId").WithExtra("ArgumentValue", strings.Join(vid, ","))
		}
	}
	dec, err := url.PathUnescape(path)
	if err != nil {
		return "", "", ErrCopySourceInvalid
	}
	bucket, key, ok := strings.Cut(strings.TrimPrefix(dec, "/"), "/")
	if !ok || bucket == "" || key == "" {
		return "", "", ErrCopySourceInvalid
	}
	return bucket, key, nil
}

type copyObjectResult struct {
	XMLName           xml.Name `xml:"CopyObjectResult"`
	NS                string   `xml:"xmlns,attr"`
	ETag              string   `xml:"ETag"`
	LastModified      string   `xml:"LastModified"`
	ChecksumType      string   `xml:"ChecksumType,omitempty"`
	ChecksumCRC32     string   `xml:"ChecksumCRC32,omitempty"`
	ChecksumCRC32C    string   `xml:"ChecksumCRC32C,omitempty"`
	ChecksumCRC64NVME string   `xml:"ChecksumCRC64NVME,omitempty"`
	ChecksumSHA1      string   `xml:"ChecksumSHA1,omitempty"`
	ChecksumSHA256    string   `xml:"ChecksumSHA256,omitempty"`
}

func (r *copyObjectResult) setChecksum(algo, v string) {
	switch algo {
	case "CRC32":
		r.ChecksumCRC32 = v
	case "CRC32C":
		r.ChecksumCRC32C = v
	case "CRC64NVME":
		r.ChecksumCRC64NVME = v
	case "SHA1":
		r.ChecksumSHA1 = v
	case "SHA256":
		r.ChecksumSHA256 = v
	}
}

// copyObject is CopyObject: the source's bytes are streamed into a new
// blob (recomputing MD5 and the checksum: the source's algorithm, the one
// x-amz-checksum-algorithm names, or the default) and committed like a
// PutObject. x-amz-metadata-directive COPY (default) keeps the source's
// metadata, REPLACE takes the request's; the storage class is the
// request's (STANDARD by default), never the source's; tags follow
// x-amz-tagging-directive the same way (copyTagging). Source
// preconditions fail with 412, including x-amz-copy-source-if-none-match.
func (s *Service) copyObject(c *call) error {
	h := c.r.Header
	if err := checkKey(c.key); err != nil {
		return err
	}
	srcBucket, srcKey, err := parseCopySource(h.Get("x-amz-copy-source"))
	if err != nil {
		return err
	}
	directive := h.Get("x-amz-metadata-directive")
	if directive != "" && directive != "COPY" && directive != "REPLACE" {
		return ErrInvalidArgument.With("Unknown metadata directive.").
			WithExtra("ArgumentName", "x-amz-metadata-directive").WithExtra("ArgumentValue", directive)
	}
	// REPLACE takes every attribute from the request; COPY takes only the
	// storage class (and the validation of unsupported features).
	attrs, err := attrsFromHeaders(h)
	if err != nil {
		return err
	}
	replaceTags, tags, err := copyTagging(h)
	if err != nil {
		return err
	}
	algo := ""
	if v := h.Get("x-amz-checksum-algorithm"); v != "" {
		var ok bool
		if algo, ok = normAlgo(v); !ok {
			return errUnsupportedAlgo
		}
	}
	cond, err := parseWriteCond(h)
	if err != nil {
		return err
	}
	if _, err := s.bucket(c.bucket); err != nil {
		return err
	}
	ctx := c.r.Context()
	src, rd, err := s.openObject(ctx, srcBucket, srcKey)
	if err != nil {
		return err
	}
	defer rd.Close()
	if err := copyConditions.evaluate(h, src, ErrPreconditionFailed); err != nil {
		return err
	}
	if srcBucket == c.bucket && srcKey == c.key && directive != "REPLACE" && attrs.storageClass == "" &&
		h.Get("X-Amz-Website-Redirect-Location") == "" && (algo == "" || algo == src.ChecksumAlgo) {
		return ErrInvalidCopyRequest
	}
	if src.Size > maxPutSize {
		return ErrInvalidRequest.With("The specified copy source is larger than the maximum allowable size for a copy source: 5368709120")
	}
	if src.StorageClass == "GLACIER" || src.StorageClass == "DEEP_ARCHIVE" {
		return ErrInvalidObjectState.WithExtra("StorageClass", src.StorageClass)
	}
	if algo == "" {
		algo = src.ChecksumAlgo
	}
	if algo == "" {
		algo = defaultChecksum
	}
	m, err := s.storeBody(ctx, c.r, io.NewSectionReader(rd, 0, src.Size), src.Size, &bodyCheck{Algo: algo, Explicit: true})
	if err != nil {
		return err
	}
	if directive == "REPLACE" {
		m.setAttrs(attrs)
	} else {
		m.ContentType, m.Headers, m.UserMeta, m.StorageClass = src.ContentType, src.Headers, src.UserMeta, attrs.storageClass
	}
	if !replaceTags {
		tags = src.Tags
	}
	m.Tags = tags
	if err := s.commitObject(ctx, objectWrite{bucket: c.bucket, key: c.key, meta: m, cond: cond, event: evCopy}); err != nil {
		s.deleteBlobs(ctx, m.Segments)
		return err
	}
	res := copyObjectResult{NS: xmlNS, ETag: `"` + m.ETag + `"`, LastModified: s3Time(m.LastModified), ChecksumType: m.ChecksumType}
	res.setChecksum(m.ChecksumAlgo, m.Checksum)
	c.w.Header().Set("x-amz-server-side-encryption", "AES256")
	return writeXML(c.w, res)
}
