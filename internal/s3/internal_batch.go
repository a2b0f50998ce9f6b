package s3

import (
	"context"
	"errors"
	"fmt"
	"io"
)

// InternalObject is one object of PutObjectsInternal: Size bytes of Body
// become Key. ContentType "" means S3's default.
type InternalObject struct {
	Key         string
	Body        io.Reader
	Size        int64
	ContentType string
}

// ErrDuplicateKey is returned by PutObjectsInternal when two objects of
// one call have the same key.
var ErrDuplicateKey = errors.New("s3: the same key twice in one atomic put")

// PutObjectsInternal stores every object of objs in bucket atomically,
// for another service of the same process (Athena's CTAS and INSERT INTO
// output): after it returns nil all of them are current, and a crash or
// error at any moment leaves either all of them or none visible.
//
// It writes in two phases. First each body streams into its own durable
// blob, as PutObjectInternal's does (MD5 ETag, default checksum); then,
// under bucketsMu and the key locks of every key, ONE Pebble batch holds
// all the index entries and the S3 notification outbox records each
// single put would have made (ObjectCreated:Put per object). Blobs of a
// call that fails are deleted before it returns; blobs of a call that a
// crash interrupts before the batch committed are referenced by no index
// entry and are removed by the garbage collection of the next Start
// (gc.go), exactly like those of a single put. Replaced objects' blobs are
// deleted after the commit.
//
// Errors: ErrNoSuchBucket (errors.Is) when the bucket does not exist,
// ErrKeyTooLong, ErrEntityTooLarge, ErrDuplicateKey, or the body's error;
// on any error nothing is visible. An empty objs is a no-op.
func (s *Service) PutObjectsInternal(ctx context.Context, bucket string, objs []InternalObject) error {
	if len(objs) == 0 {
		return nil
	}
	seen := make(map[string]bool, len(objs))
	for _, o := range objs {
		if err := checkKey(o.Key); err != nil {
			return err
		}
		if o.Size > maxPutSize {
			return ErrEntityTooLarge
		}
		if seen[o.Key] {
			return fmt.Errorf("%w: %s", ErrDuplicateKey, o.Key)
		}
		seen[o.Key] = true
	}
	if _, err := s.bucket(bucket); err != nil {
		return err
	}
	staged, err := s.stageObjects(ctx, objs)
	if err != nil {
		return err
	}
	old, err := s.commitObjects(ctx, bucket, objs, staged)
	if err != nil {
		for _, m := range staged {
			s.deleteBlobs(ctx, m.Segments)
		}
		return err
	}
	for _, m := range old {
		s.deleteBlobs(ctx, m.Segments)
	}
	return nil
}

// stageObjects is the first phase: each body into a new durable blob.
// The returned metas (one per object, in order) are referenced by no
// index entry yet. On error the blobs already written are deleted.
func (s *Service) stageObjects(ctx context.Context, objs []InternalObject) ([]*objectMeta, error) {
	staged := make([]*objectMeta, 0, len(objs))
	for _, o := range objs {
		m, err := s.storeBody(ctx, nil, o.Body, o.Size, &bodyCheck{Algo: defaultChecksum})
		if err != nil {
			for _, sm := range staged {
				s.deleteBlobs(ctx, sm.Segments)
			}
			return nil, fmt.Errorf("put %s: %w", o.Key, err)
		}
		m.ContentType = o.ContentType
		if m.ContentType == "" {
			m.ContentType = defaultCType
		}
		staged = append(staged, m)
	}
	return staged, nil
}

// commitObjects is the second phase: one batch makes staged[i] the
// current object at objs[i].Key, with the outbox records of their
// ObjectCreated:Put events. It returns the replaced objects, whose blobs
// the caller deletes. On error nothing was written and the caller still
// owns the staged blobs. Lock order as commitLocked's: bucketsMu (read),
// then the key stripes in ascending order (lockKeys).
func (s *Service) commitObjects(ctx context.Context, bucket string, objs []InternalObject, staged []*objectMeta) ([]*objectMeta, error) {
	s.bucketsMu.RLock()
	defer s.bucketsMu.RUnlock()
	keys := make([]string, len(objs))
	for i, o := range objs {
		keys[i] = o.Key
	}
	defer s.lockKeys(bucket, keys)()
	if _, err := s.bucket(bucket); err != nil {
		return nil, err
	}
	now := s.now().UTC().Truncate(1e9)
	b := s.db.NewBatch()
	defer b.Close()
	var old []*objectMeta
	notify := false
	for i, o := range objs {
		cur, err := s.currentObject(bucket, o.Key)
		if err != nil {
			return nil, err
		}
		if cur != nil {
			old = append(old, cur)
		}
		n, err := s.stageObject(ctx, b, bucket, o.Key, evPut, staged[i], now)
		if err != nil {
			return nil, err
		}
		notify = notify || n
	}
	if err := b.Commit(); err != nil {
		return nil, err
	}
	if notify {
		s.wakeRelay()
	}
	return old, nil
}
