package s3

import (
	"context"
	"io"
)

// PutObjectInternal stores size bytes of body as bucket/key for another
// service of the same process (Firehose delivering into the lake). It
// takes the same path as PutObject: the body streams into a new blob
// (MD5 ETag and the default checksum computed), then the index entry is
// committed under the key lock, replacing any current object. It returns
// ErrNoSuchBucket (errors.Is) when the bucket does not exist and
// ErrKeyTooLong for an over-long key; on any error nothing is written.
// contentType "" means S3's default.
func (s *Service) PutObjectInternal(ctx context.Context, bucket, key string, body io.Reader, size int64, contentType string) error {
	return s.PutObjectEncoded(ctx, bucket, key, body, size, contentType, "")
}

// PutObjectEncoded is PutObjectInternal with a Content-Encoding ("" for
// none), which GetObject and HeadObject then return.
func (s *Service) PutObjectEncoded(ctx context.Context, bucket, key string, body io.Reader, size int64, contentType, contentEncoding string) error {
	if err := checkKey(key); err != nil {
		return err
	}
	if size > maxPutSize {
		return ErrEntityTooLarge
	}
	if _, err := s.bucket(bucket); err != nil {
		return err
	}
	m, err := s.storeBody(ctx, nil, body, size, &bodyCheck{Algo: defaultChecksum})
	if err != nil {
		return err
	}
	if contentType == "" {
		contentType = defaultCType
	}
	m.ContentType = contentType
	if contentEncoding != "" {
		m.Headers = map[string]string{"Content-Encoding": contentEncoding}
	}
	if err := s.commitObject(ctx, objectWrite{bucket: bucket, key: key, meta: m}); err != nil {
		s.deleteBlobs(ctx, m.Segments)
		return err
	}
	return nil
}
