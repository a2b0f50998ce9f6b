package s3

import (
	"context"
	"errors"
	"net/http"
	"strings"
)

// deleteObject is DeleteObject: 204 whether or not the key existed (S3
// semantics), NoSuchBucket for a missing bucket. If-Match makes it
// conditional: 412 when the ETag differs, NoSuchKey when there is no
// object (as S3 does for general purpose buckets since 2025).
func (s *Service) deleteObject(c *call) error {
	if err := checkVersionID(c); err != nil {
		return err
	}
	if _, err := s.bucket(c.bucket); err != nil {
		return err
	}
	cond := writeCond{ifMatch: strings.TrimSpace(c.r.Header.Get("If-Match"))}
	if err := s.removeObject(c.r.Context(), c.bucket, c.key, cond); err != nil {
		return err
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// removeObject deletes the index entry of bucket/key (if any, and if cond
// holds) and then its blobs.
func (s *Service) removeObject(ctx context.Context, bucket, key string, cond writeCond) error {
	old, err := s.removeLocked(ctx, bucket, key, cond)
	if err != nil {
		return err
	}
	if old != nil {
		s.deleteBlobs(ctx, old.Segments)
	}
	return nil
}

func (s *Service) removeLocked(ctx context.Context, bucket, key string, cond writeCond) (*objectMeta, error) {
	s.bucketsMu.RLock()
	defer s.bucketsMu.RUnlock()
	unlock := s.lockKey(bucket, key)
	defer unlock()
	if _, err := s.bucket(bucket); err != nil {
		return nil, err
	}
	cur, err := s.object(bucket, key)
	if errors.Is(err, ErrNoSuchKey) {
		cur, err = nil, nil
	}
	if err != nil {
		return nil, err
	}
	if err := cond.check(key, cur); err != nil {
		return nil, err
	}
	if cur == nil {
		return nil, nil
	}
	b := s.db.NewBatch() // the index delete and its events (outbox) commit together
	defer b.Close()
	b.Delete(s.meta, objectKey(bucket, key))
	notify, err := s.addEvents(ctx, b, bucket, key, evDelete, nil)
	if err != nil {
		return nil, err
	}
	if err := b.Commit(); err != nil {
		return nil, err
	}
	if notify {
		s.wakeRelay()
	}
	return cur, nil
}
