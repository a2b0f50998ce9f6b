package s3

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/tarnhq/tarn/internal/blob"
	"github.com/tarnhq/tarn/internal/kv"
)

// Multipart uploads. An upload is a u/ index entry (uploadMeta) and one p/
// entry per uploaded part (partMeta), each part one immutable blob.
// CompleteMultipartUpload makes the listed part blobs the new object's
// segments without copying a byte, in one batch with the deletion of the
// upload's entries. Writers of an upload's entries hold the key's lock
// (s.lockKey(bucket, key)); blobs leave the store only after the index
// commit that drops their last reference.

// uploadMeta is an in-progress upload: what the object will carry.
type uploadMeta struct {
	Initiated    time.Time         `json:"initiated"`
	ContentType  string            `json:"ctype,omitempty"`
	Headers      map[string]string `json:"headers,omitempty"`
	UserMeta     map[string]string `json:"meta,omitempty"`
	ChecksumAlgo string            `json:"ckalgo,omitempty"` // CRC32, CRC32C, CRC64NVME, SHA1, SHA256
	ChecksumType string            `json:"cktype,omitempty"` // COMPOSITE or FULL_OBJECT, when ChecksumAlgo is set
	StorageClass string            `json:"class,omitempty"`
	Tags         []objectTag       `json:"tags,omitempty"` // from x-amz-tagging, given to the object
}

// partMeta is one uploaded part. The garbage collector reads p/ entries as
// {"blob": ...}: the field names blob and size are a contract.
type partMeta struct {
	Blob         blob.ID `json:"blob"`
	Size         int64   `json:"size"`
	ETag         string  `json:"etag"`             // unquoted hex md5
	ChecksumAlgo string  `json:"ckalgo,omitempty"` // the algorithm of Checksum
	Checksum     string  `json:"ck,omitempty"`     // base64
	// Implicit marks a checksum tarn computed unasked (CRC64NVME, for an
	// upload without an algorithm): it makes the object's default
	// checksum but is never shown as the part's.
	Implicit     bool      `json:"ckimplicit,omitempty"`
	LastModified time.Time `json:"mtime"`
}

// shownChecksum is the checksum S3 reports for the part ("" if none).
func (p partMeta) shownChecksum() (algo, value string) {
	if p.Implicit {
		return "", ""
	}
	return p.ChecksumAlgo, p.Checksum
}

// Upload ids are base64 of 8 bytes of big-endian initiation time (ns) and
// 16 random bytes, in an alphabet that is URL-safe and sorted in ASCII
// order, so ids sort by initiation time as ListMultipartUploads must.
const uploadIDAlphabet = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz"

var uploadIDEnc = base64.NewEncoding(uploadIDAlphabet).WithPadding(base64.NoPadding)

// uploadIDLen is the length of every upload id tarn hands out.
const uploadIDLen = 32

func newUploadID(t time.Time) string {
	var b [24]byte
	binary.BigEndian.PutUint64(b[:8], uint64(t.UnixNano()))
	_, _ = rand.Read(b[8:]) // crypto/rand.Read never fails
	return uploadIDEnc.EncodeToString(b[:])
}

// validUploadID reports whether id has the shape newUploadID gives, so a
// forged id can never reach into other index keys.
func validUploadID(id string) bool {
	if len(id) != uploadIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if strings.IndexByte(uploadIDAlphabet, id[i]) < 0 {
			return false
		}
	}
	return true
}

// partPrefix is the prefix of every part entry of an upload.
func partPrefix(uploadID string) []byte { return []byte(famPart + uploadID + "/") }

// upload returns the upload's meta, or ErrNoSuchUpload.
func (s *Service) upload(bucket, key, id string) (*uploadMeta, error) {
	if !validUploadID(id) {
		return nil, ErrNoSuchUpload
	}
	var m uploadMeta
	err := getJSON(s.meta, uploadKey(bucket, key, id), &m)
	if errors.Is(err, kv.ErrNotFound) {
		return nil, ErrNoSuchUpload
	}
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// uploadParts returns every part entry of an upload, by part number.
func (s *Service) uploadParts(id string) (map[int]partMeta, error) {
	pre := partPrefix(id)
	it, err := s.meta.Iter(pre, kv.PrefixEnd(pre))
	if err != nil {
		return nil, err
	}
	parts := map[int]partMeta{}
	for ok := it.First(); ok; ok = it.Next() {
		n, valid := mpPartNumber(string(it.Key()[len(pre):]))
		raw, err := it.Value()
		if err != nil || !valid {
			it.Close()
			return nil, errors.Join(err, errors.New("s3: corrupt part entry "+string(it.Key())))
		}
		var pm partMeta
		if err := mpUnmarshalPart(raw, &pm); err != nil {
			it.Close()
			return nil, err
		}
		parts[n] = pm
	}
	return parts, it.Close()
}

type initiateResult struct {
	XMLName  xml.Name `xml:"http://s3.amazonaws.com/doc/2006-03-01/ InitiateMultipartUploadResult"`
	Bucket   string   `xml:"Bucket"`
	Key      string   `xml:"Key"`
	UploadID string   `xml:"UploadId"`
}

func (s *Service) createMultipartUpload(c *call) error {
	if err := checkKey(c.key); err != nil {
		return err
	}
	m, err := uploadMetaFrom(c.r.Header)
	if err != nil {
		return err
	}
	s.bucketsMu.RLock()
	defer s.bucketsMu.RUnlock()
	if _, err := s.bucket(c.bucket); err != nil {
		return err
	}
	now := s.now().UTC()
	id := newUploadID(now) // the full clock, so ids sort by initiation
	m.Initiated = now.Truncate(time.Second)
	if err := s.meta.Set(uploadKey(c.bucket, c.key, id), mustJSON(m)); err != nil {
		return err
	}
	c.w.Header().Set("x-amz-server-side-encryption", "AES256")
	if m.ChecksumAlgo != "" {
		c.w.Header().Set("x-amz-checksum-algorithm", m.ChecksumAlgo)
		c.w.Header().Set("x-amz-checksum-type", m.ChecksumType)
	}
	return writeXML(c.w, initiateResult{Bucket: c.bucket, Key: c.key, UploadID: id})
}

// abortMultipartUpload deletes the upload and its parts' entries in one
// batch, then the parts' blobs. 204 as S3.
func (s *Service) abortMultipartUpload(c *call) error {
	if _, err := s.bucket(c.bucket); err != nil {
		return err
	}
	id := c.q.Get("uploadId")
	unlock := s.lockKey(c.bucket, c.key)
	if _, err := s.upload(c.bucket, c.key, id); err != nil {
		unlock()
		return err
	}
	parts, err := s.uploadParts(id)
	if err != nil {
		unlock()
		return err
	}
	b := s.db.NewBatch()
	b.Delete(s.meta, uploadKey(c.bucket, c.key, id))
	for n := range parts {
		b.Delete(s.meta, partKey(id, n))
	}
	err = b.Commit()
	unlock()
	if err != nil {
		return err
	}
	for _, p := range parts {
		s.mpDropBlob(c.r.Context(), p.Blob)
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}
