package s3

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/tarnhq/tarn/internal/blob"
	"github.com/tarnhq/tarn/internal/kv"
)

// The S3 index lives in one kv.Space with these key families (bucket names
// cannot contain 0x00, so bucket+"\x00"+key sorts every bucket's keys
// together in UTF-8 binary order, which is S3's listing order):
//
//	b/<bucket>                          bucketMeta
//	o/<bucket>\x00<key>                 objectMeta
//	u/<bucket>\x00<key>\x00<uploadId>   uploadMeta
//	p/<uploadId>/<%05d part number>     partMeta
const (
	famBucket = "b/"
	famObject = "o/"
	famUpload = "u/"
	famPart   = "p/"
)

type bucketMeta struct {
	Created time.Time `json:"created"`
	Region  string    `json:"region"`
}

// segment is one blob of an object's bytes; an object is its segments
// concatenated (one for PutObject, one per part after multipart upload).
type segment struct {
	Blob blob.ID `json:"blob"`
	Size int64   `json:"size"`
}

// objectMeta is an object's index entry. Its bytes are immutable blobs; an
// overwrite commits a new objectMeta and only then deletes the old blobs.
type objectMeta struct {
	Segments     []segment         `json:"segments"`
	Size         int64             `json:"size"`
	ETag         string            `json:"etag"` // unquoted: hex md5, or hex-N for multipart
	LastModified time.Time         `json:"mtime"`
	ContentType  string            `json:"ctype,omitempty"`
	Headers      map[string]string `json:"headers,omitempty"` // Content-Encoding, -Disposition, -Language, Cache-Control, Expires (canonical names)
	UserMeta     map[string]string `json:"meta,omitempty"`    // x-amz-meta-* without the prefix, lowercase names
	// Checksum is the object's x-amz-checksum-<algo> value (base64), if one
	// was sent or asked for; ChecksumType is FULL_OBJECT or COMPOSITE.
	ChecksumAlgo string `json:"ckalgo,omitempty"` // CRC32, CRC32C, SHA1, SHA256, CRC64NVME
	Checksum     string `json:"ck,omitempty"`
	ChecksumType string `json:"cktype,omitempty"`
	// PartSizes lists the part sizes of a multipart object, for partNumber reads.
	PartSizes    []int64 `json:"parts,omitempty"`
	StorageClass string  `json:"class,omitempty"`
	// Tags are the object's tags in the order given (object_tagging.go).
	Tags []objectTag `json:"tags,omitempty"`
}

func bucketKey(bucket string) []byte { return []byte(famBucket + bucket) }

func objectKey(bucket, key string) []byte {
	return []byte(famObject + bucket + "\x00" + key)
}

// objectPrefix is the prefix of every object key of bucket.
func objectPrefix(bucket string) []byte { return []byte(famObject + bucket + "\x00") }

func uploadKey(bucket, key, uploadID string) []byte {
	return []byte(famUpload + bucket + "\x00" + key + "\x00" + uploadID)
}

func partKey(uploadID string, part int) []byte {
	return []byte(fmt.Sprintf("%s%s/%05d", famPart, uploadID, part))
}

// getJSON loads the value at key into v; kv.ErrNotFound if missing.
func getJSON(sp kv.Space, key []byte, v any) error {
	raw, err := sp.Get(key)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(raw, v); err != nil {
		return fmt.Errorf("decode %q: %w", key, err)
	}
	return nil
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("s3: encode index entry: %v", err)) // only plain structs are encoded
	}
	return b
}

// bucket returns the bucket's meta, or ErrNoSuchBucket.
func (s *Service) bucket(name string) (*bucketMeta, error) {
	var m bucketMeta
	err := getJSON(s.meta, bucketKey(name), &m)
	if errors.Is(err, kv.ErrNotFound) {
		return nil, ErrNoSuchBucket.WithExtra("BucketName", name)
	}
	if err != nil {
		return nil, err
	}
	return &m, nil
}

// object returns the object's meta, or ErrNoSuchKey.
func (s *Service) object(bucket, key string) (*objectMeta, error) {
	var m objectMeta
	err := getJSON(s.meta, objectKey(bucket, key), &m)
	if errors.Is(err, kv.ErrNotFound) {
		return nil, ErrNoSuchKey.WithExtra("Key", key)
	}
	if err != nil {
		return nil, err
	}
	return &m, nil
}
