package s3

import (
	"context"
	"time"

	"github.com/tarnhq/tarn/internal/blob"
)

// internalListPage is how many objects ListInternal reads per index scan.
const internalListPage = 1000

// ObjectInfo describes one object for another service of the process
// (the catalog's crawlers, the SQL engine).
type ObjectInfo struct {
	Key          string
	Size         int64
	ETag         string // unquoted
	LastModified time.Time
}

// ListInternal returns every object of bucket whose key starts with
// prefix, in key order. It returns ErrNoSuchBucket (errors.Is) when the
// bucket does not exist. The listing is not a snapshot: objects written
// while it runs may or may not appear.
func (s *Service) ListInternal(ctx context.Context, bucket, prefix string) ([]ObjectInfo, error) {
	if _, err := s.bucket(bucket); err != nil {
		return nil, err
	}
	var out []ObjectInfo
	q := listQuery{bucket: bucket, prefix: prefix, max: internalListPage}
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		page, err := s.scanObjects(q)
		if err != nil {
			return nil, err
		}
		for _, it := range page.items {
			out = append(out, ObjectInfo{Key: it.key, Size: it.meta.Size, ETag: it.meta.ETag, LastModified: it.meta.LastModified})
		}
		if !page.truncated {
			return out, nil
		}
		q.after = page.last()
	}
}

// OpenInternal opens the current version of bucket/key for reading; the
// caller closes the reader, which keeps reading that version in full even
// if the object is overwritten meanwhile. Errors are ErrNoSuchBucket and
// ErrNoSuchKey (errors.Is) or storage failures.
func (s *Service) OpenInternal(ctx context.Context, bucket, key string) (blob.Reader, ObjectInfo, error) {
	m, rd, err := s.openObject(ctx, bucket, key)
	if err != nil {
		return nil, ObjectInfo{}, err
	}
	return rd, ObjectInfo{Key: key, Size: m.Size, ETag: m.ETag, LastModified: m.LastModified}, nil
}

// LocalPath returns the file that holds bucket/key's bytes, when the
// object is one blob and the blob store keeps blobs as files (fsblob):
// engines that read files themselves (DuckDB) then read it in place. ok
// is false otherwise (multipart objects, other stores); the caller then
// copies the object through OpenInternal. The file is immutable but is
// deleted when the object is overwritten or deleted.
func (s *Service) LocalPath(bucket, key string) (path string, info ObjectInfo, ok bool, err error) {
	m, err := s.lookupObject(bucket, key)
	if err != nil {
		return "", ObjectInfo{}, false, err
	}
	info = ObjectInfo{Key: key, Size: m.Size, ETag: m.ETag, LastModified: m.LastModified}
	p, isPather := s.blobs.(blob.Pather)
	if !isPather || len(m.Segments) != 1 {
		return "", info, false, nil
	}
	return p.Path(m.Segments[0].Blob), info, true, nil
}
