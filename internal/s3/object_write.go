package s3

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/tarnhq/tarn/internal/blob"
	"github.com/tarnhq/tarn/internal/kv"
	"github.com/tarnhq/tarn/internal/sigv4"
)

// declaredLength is the size the request says its body has: the decoded
// length of an aws-chunked body, else Content-Length. A body of unknown
// length is refused as S3 does: 501 for Transfer-Encoding: chunked, 411
// when no length is given at all.
func declaredLength(r *http.Request) (int64, error) {
	if a := sigv4.AuthFrom(r.Context()); a != nil && a.DecodedLength >= 0 {
		return a.DecodedLength, nil
	}
	if v := r.Header.Get("x-amz-decoded-content-length"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			return 0, ErrMissingContentLength
		}
		return n, nil
	}
	for _, te := range r.TransferEncoding {
		if strings.EqualFold(te, "chunked") {
			return 0, ErrNotImplemented.WithExtra("Header", "Transfer-Encoding")
		}
	}
	if r.ContentLength < 0 || r.ContentLength == 0 && r.Header.Get("Content-Length") == "" {
		return 0, ErrMissingContentLength
	}
	return r.ContentLength, nil
}

// bodyReader passes a request body through its hashes and enforces its
// declared length: a body that ends early is IncompleteBody.
type bodyReader struct {
	r    io.Reader
	h    io.Writer
	left int64
}

var errBodyTooLong = ErrInvalidRequest.With("The request body is longer than its declared length.")

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if int64(n) > b.left {
		return 0, errBodyTooLong
	}
	b.left -= int64(n)
	b.h.Write(p[:n])
	switch {
	case err == io.EOF && b.left > 0, errors.Is(err, io.ErrUnexpectedEOF):
		return n, ErrIncompleteBody
	}
	return n, err
}

// storeBody streams size bytes of body into a new blob, verifying them
// against bc. On success the blob holds the bytes and the returned meta
// has its one segment, size, ETag and checksum; on any failure no blob is
// left behind.
func (s *Service) storeBody(ctx context.Context, r *http.Request, body io.Reader, size int64, bc *bodyCheck) (*objectMeta, error) {
	hs := bc.newBodyHashes(size)
	defer hs.close()
	id, n, err := s.blobs.Put(ctx, &bodyReader{r: body, h: hs, left: size})
	if err != nil {
		return nil, err
	}
	ck, err := bc.verify(r, hs)
	if err == nil && n != size {
		err = ErrIncompleteBody
	}
	if err != nil {
		s.deleteBlobs(ctx, []segment{{Blob: id}})
		return nil, err
	}
	return &objectMeta{
		Segments: []segment{{Blob: id, Size: n}}, Size: n,
		ETag:         hexMD5(hs.md5.Sum(nil)),
		ChecksumAlgo: bc.Algo, Checksum: ck, ChecksumType: checksumFullObject,
	}, nil
}

// objectWrite is one commit of an object's index entry.
type objectWrite struct {
	bucket, key string
	meta        *objectMeta
	cond        writeCond
	// also adds writes to the same atomic batch (a completed upload's
	// entries, for example); nil for none. It runs under the key lock.
	also func(b *kv.Batch) error
	// event is the notification event name (notification_event.go);
	// empty means ObjectCreated:Put.
	event string
}

// commitObject makes w.meta the current object at w.bucket/w.key: under
// bucketsMu (read) and the key lock it checks that the bucket exists and
// that w.cond holds, commits the entry, and then deletes the replaced
// object's blobs. It stamps LastModified. On error nothing was written
// and the caller still owns w.meta's blobs.
func (s *Service) commitObject(ctx context.Context, w objectWrite) error {
	old, err := s.commitLocked(ctx, w)
	if err != nil {
		return err
	}
	if old != nil {
		s.deleteBlobs(ctx, old.Segments)
	}
	return nil
}

func (s *Service) commitLocked(ctx context.Context, w objectWrite) (*objectMeta, error) {
	s.bucketsMu.RLock()
	defer s.bucketsMu.RUnlock()
	unlock := s.lockKey(w.bucket, w.key)
	defer unlock()
	if _, err := s.bucket(w.bucket); err != nil {
		return nil, err
	}
	cur, err := s.currentObject(w.bucket, w.key)
	if err != nil {
		return nil, err
	}
	if err := w.cond.check(w.key, cur); err != nil {
		return nil, err
	}
	b := s.db.NewBatch()
	defer b.Close()
	if w.event == "" {
		w.event = evPut
	}
	notify, err := s.stageObject(ctx, b, w.bucket, w.key, w.event, w.meta, s.now().UTC().Truncate(1e9))
	if err != nil {
		return nil, err
	}
	if w.also != nil {
		if err := w.also(b); err != nil {
			return nil, err
		}
	}
	if err := b.Commit(); err != nil {
		return nil, err
	}
	if notify {
		s.wakeRelay()
	}
	return cur, nil
}

// currentObject is the object at key, nil if there is none.
func (s *Service) currentObject(bucket, key string) (*objectMeta, error) {
	cur, err := s.object(bucket, key)
	if errors.Is(err, ErrNoSuchKey) {
		return nil, nil
	}
	return cur, err
}

// stageObject adds to b the index entry that makes m (stamped now) the
// object at key, and the outbox records of its event: they commit
// together. It reports whether the notification relay must be woken.
func (s *Service) stageObject(ctx context.Context, b *kv.Batch, bucket, key, event string, m *objectMeta, now time.Time) (bool, error) {
	m.LastModified = now
	b.Set(s.meta, objectKey(bucket, key), mustJSON(m))
	return s.addEvents(ctx, b, bucket, key, event, m)
}

// deleteBlobs removes blobs no index entry references any more. Failures
// are logged, not returned: the blob is garbage that the next Start
// collects. It runs even if ctx (the request) is already canceled.
func (s *Service) deleteBlobs(ctx context.Context, segs []segment) {
	ctx = context.WithoutCancel(ctx)
	for _, sg := range segs {
		if err := s.blobs.Delete(ctx, sg.Blob); err != nil && !errors.Is(err, blob.ErrNotFound) {
			s.log.Warn("s3: delete blob", "blob", sg.Blob, "err", err)
		}
	}
}
