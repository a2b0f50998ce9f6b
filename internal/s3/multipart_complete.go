package s3

import (
	"crypto/md5"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tarnhq/tarn/internal/blob"
)

// CompleteMultipartUpload: POST /<bucket>/<key>?uploadId=ID.

// mpMinPartSize is the least size of every part but the last: 5 MiB.
const mpMinPartSize = 5 << 20

// completeRequest is the request document. PartNumber is a string so that
// a non-number is MalformedXML rather than a decoding detail.
type completeRequest struct {
	XMLName xml.Name       `xml:"CompleteMultipartUpload"`
	Parts   []completePart `xml:"Part"`
}

type completePart struct {
	PartNumber string `xml:"PartNumber"`
	ETag       string `xml:"ETag"`
	mpChecksums
	number int
}

// parseCompleteXML decodes and checks a CompleteMultipartUpload document:
// at least one part, each numbered, numbers strictly ascending
// (InvalidPartOrder otherwise). It never panics, whatever body holds.
func parseCompleteXML(body []byte) ([]completePart, error) {
	if len(body) == 0 || len(body) > maxXMLBody {
		return nil, ErrMalformedXML
	}
	var req completeRequest
	if err := xml.Unmarshal(body, &req); err != nil || len(req.Parts) == 0 {
		return nil, ErrMalformedXML
	}
	for i := range req.Parts {
		p := &req.Parts[i]
		n, err := strconv.Atoi(strings.TrimSpace(p.PartNumber))
		if err != nil {
			return nil, ErrMalformedXML
		}
		p.number = n
		if i > 0 && n <= req.Parts[i-1].number {
			return nil, ErrInvalidPartOrder
		}
	}
	return req.Parts, nil
}

type completeResult struct {
	XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ CompleteMultipartUploadResult"`
	Location string   `xml:"Location"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	ETag     string   `xml:"ETag"`
	mpChecksums
	ChecksumType string `xml:"ChecksumType,omitempty"`
}

func (s *Service) completeMultipartUpload(c *call) error {
	body, err := io.ReadAll(io.LimitReader(c.r.Body, maxXMLBody+1))
	if err != nil {
		return err // a sigv4 verification error, or a broken connection
	}
	cond, err := parseWriteCond(c.r.Header)
	if err != nil {
		return err
	}
	m, old, parts, err := s.completeLocked(c, body, cond)
	if err != nil {
		return err
	}
	// The new object is durable: drop what nothing references any more.
	ctx := c.r.Context()
	if old != nil {
		s.deleteBlobs(ctx, old.Segments)
	}
	used := map[blob.ID]bool{}
	for _, sg := range m.Segments {
		used[sg.Blob] = true
	}
	for _, p := range parts {
		if !used[p.Blob] {
			s.mpDropBlob(ctx, p.Blob)
		}
	}
	res := completeResult{Location: s.mpLocation(c), Bucket: c.bucket, Key: c.key, ETag: `"` + m.ETag + `"`,
		mpChecksums: mpChecksumsOf(m.ChecksumAlgo, m.Checksum), ChecksumType: m.ChecksumType}
	c.w.Header().Set("x-amz-server-side-encryption", "AES256")
	return writeXML(c.w, res)
}

// completeLocked checks the completion under bucketsMu (read) and the key
// lock and commits, in one batch, the new object entry and the deletion of
// the upload and every part entry. It returns the new object, the one it
// replaced (nil if none) and all of the upload's parts.
func (s *Service) completeLocked(c *call, body []byte, cond writeCond) (*objectMeta, *objectMeta, map[int]partMeta, error) {
	s.bucketsMu.RLock()
	defer s.bucketsMu.RUnlock()
	if _, err := s.bucket(c.bucket); err != nil {
		return nil, nil, nil, err
	}
	unlock := s.lockKey(c.bucket, c.key)
	defer unlock()
	id := c.q.Get("uploadId")
	up, err := s.upload(c.bucket, c.key, id)
	if err != nil {
		return nil, nil, nil, err
	}
	listed, err := parseCompleteXML(body)
	if err != nil {
		return nil, nil, nil, err
	}
	parts, err := s.uploadParts(id)
	if err != nil {
		return nil, nil, nil, err
	}
	m, err := mpAssemble(up, listed, parts)
	if err != nil {
		return nil, nil, nil, err
	}
	if err := mpCheckObjectChecksum(c.r.Header, m); err != nil {
		return nil, nil, nil, err
	}
	old, err := s.object(c.bucket, c.key)
	if errors.Is(err, ErrNoSuchKey) {
		old, err = nil, nil
	}
	if err != nil {
		return nil, nil, nil, err
	}
	if err := cond.check(c.key, old); err != nil {
		return nil, nil, nil, err
	}
	b := s.db.NewBatch() // not deferred Close: kv.Batch.Close after Commit releases a pooled batch twice
	b.Set(s.meta, objectKey(c.bucket, c.key), mustJSON(m))
	b.Delete(s.meta, uploadKey(c.bucket, c.key, id))
	for n := range parts {
		b.Delete(s.meta, partKey(id, n))
	}
	notify, err := s.addEvents(c.r.Context(), b, c.bucket, c.key, evComplete, m) // the outbox: same batch
	if err != nil {
		b.Close()
		return nil, nil, nil, err
	}
	if err := b.Commit(); err != nil {
		return nil, nil, nil, err
	}
	if notify {
		s.wakeRelay()
	}
	return m, old, parts, nil
}

// mpAssemble builds the object from the listed parts: InvalidPart for a
// part not uploaded or whose ETag or checksum differs, EntityTooSmall for
// a part under 5 MiB that is not the last. The object's checksum is the
// upload's algorithm and type; without one, the FULL_OBJECT CRC64NVME
// that S3 gives every object (when all parts carry it).
func mpAssemble(up *uploadMeta, listed []completePart, parts map[int]partMeta) (*objectMeta, error) {
	m := &objectMeta{LastModified: up.Initiated.Truncate(time.Second), ContentType: up.ContentType,
		Headers: up.Headers, UserMeta: up.UserMeta, StorageClass: up.StorageClass, Tags: up.Tags}
	algo, typ := up.ChecksumAlgo, up.ChecksumType
	if algo == "" {
		algo, typ = defaultChecksum, checksumFullObject
	}
	etags := md5.New()
	var sums []string
	for i, lp := range listed {
		p, ok := parts[lp.number]
		if !ok || strings.Trim(strings.TrimSpace(lp.ETag), `"`) != p.ETag {
			return nil, ErrInvalidPart
		}
		if v := lp.get(p.ChecksumAlgo); v != "" && !p.Implicit && v != p.Checksum {
			return nil, ErrInvalidPart
		}
		if i < len(listed)-1 && p.Size < mpMinPartSize {
			return nil, ErrEntityTooSmall.WithExtra("ProposedSize", itoa(p.Size)).
				WithExtra("MinSizeAllowed", itoa(mpMinPartSize)).
				WithExtra("PartNumber", itoa(int64(lp.number))).WithExtra("ETag", p.ETag)
		}
		raw, _ := hex.DecodeString(p.ETag)
		etags.Write(raw)
		m.Segments = append(m.Segments, segment{Blob: p.Blob, Size: p.Size})
		m.PartSizes = append(m.PartSizes, p.Size)
		m.Size += p.Size
		if p.ChecksumAlgo != algo {
			algo = "" // a part summed otherwise: no object checksum can be made
		}
		sums = append(sums, p.Checksum)
	}
	m.ETag = hex.EncodeToString(etags.Sum(nil)) + "-" + itoa(int64(len(listed)))
	switch {
	case algo == "":
	case typ == checksumFullObject:
		m.ChecksumAlgo, m.ChecksumType, m.Checksum = algo, typ, mpFullObjectSum(algo, sums, m.PartSizes)
	default:
		m.ChecksumAlgo, m.ChecksumType, m.Checksum = algo, typ, mpCompositeSum(algo, sums)
	}
	return m, nil
}

// mpCheckObjectChecksum verifies an x-amz-checksum-<algo> header sent with
// the completion (the whole object's value, "-N" optional for COMPOSITE).
func mpCheckObjectChecksum(h interface{ Get(string) string }, m *objectMeta) error {
	if m.ChecksumAlgo == "" {
		return nil
	}
	v := h.Get(checksumHeader(m.ChecksumAlgo))
	if v == "" {
		return nil
	}
	want, _, _ := strings.Cut(m.Checksum, "-")
	if got, _, _ := strings.Cut(v, "-"); got != want {
		return ErrBadDigest.With("The " + m.ChecksumAlgo + " you specified did not match the calculated checksum.")
	}
	return nil
}

// mpLocation is the object's URL as the request addressed it (virtual-
// hosted style when routing found the bucket in the Host, as in address).
func (s *Service) mpLocation(c *call) string {
	scheme := "http"
	if c.r.TLS != nil {
		scheme = "https"
	}
	path := "/" + c.bucket + "/" + c.key
	host := strings.ToLower(c.r.Host)
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	for _, d := range s.domains {
		if host == c.bucket+"."+d {
			path = "/" + c.key
		}
	}
	return scheme + "://" + c.r.Host + (&url.URL{Path: path}).EscapedPath()
}
