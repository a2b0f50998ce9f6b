package s3

import (
	"context"
	"errors"
	"io"
	"sort"

	"github.com/tarnhq/tarn/internal/blob"
)

// maxOpenAttempts bounds how often openObject re-reads the index after a
// concurrent overwrite deleted the blobs it had just looked up.
const maxOpenAttempts = 100

// lookupObject returns the object's meta, or NoSuchKey / NoSuchBucket
// (the bucket is only looked at when the key is missing).
func (s *Service) lookupObject(bucket, key string) (*objectMeta, error) {
	m, err := s.object(bucket, key)
	if errors.Is(err, ErrNoSuchKey) {
		if _, berr := s.bucket(bucket); berr != nil {
			return nil, berr
		}
	}
	return m, err
}

// openObject returns the current meta of bucket/key and a reader over
// its bytes, which the caller closes. Every segment blob is opened before
// it returns, so the reader sees that version in full even if an
// overwrite deletes the blobs meanwhile (open blobs stay readable).
func (s *Service) openObject(ctx context.Context, bucket, key string) (*objectMeta, *segmentReader, error) {
	for attempt := 0; attempt < maxOpenAttempts; attempt++ {
		m, err := s.lookupObject(bucket, key)
		if err != nil {
			return nil, nil, err
		}
		rd, err := s.openSegments(ctx, m.Segments)
		if errors.Is(err, blob.ErrNotFound) {
			continue // overwritten or deleted since we read m: look again
		}
		if err != nil {
			return nil, nil, err
		}
		return m, rd, nil
	}
	return nil, nil, ErrServiceUnavailable
}

func (s *Service) openSegments(ctx context.Context, segs []segment) (*segmentReader, error) {
	sr := &segmentReader{}
	for _, sg := range segs {
		br, err := s.blobs.Open(ctx, sg.Blob)
		if err != nil {
			sr.Close()
			return nil, err
		}
		sr.parts = append(sr.parts, br)
		sr.offs = append(sr.offs, sr.size)
		sr.size += sg.Size
	}
	return sr, nil
}

// segmentReader reads an object's segments as one byte sequence. It is an
// io.ReaderAt (use io.NewSectionReader for a range); safe for concurrent
// ReadAt calls; Close closes every segment.
type segmentReader struct {
	parts []blob.Reader
	offs  []int64 // start offset of each part
	size  int64
}

// Size is the total length of the segments.
func (r *segmentReader) Size() int64 { return r.size }

func (r *segmentReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("s3: negative offset")
	}
	if off >= r.size {
		return 0, io.EOF
	}
	i := sort.Search(len(r.offs), func(i int) bool { return r.offs[i] > off }) - 1
	n := 0
	for n < len(p) && i < len(r.parts) {
		local := off + int64(n) - r.offs[i]
		end := r.size
		if i+1 < len(r.offs) {
			end = r.offs[i+1]
		}
		want := p[n:]
		if rest := end - r.offs[i] - local; int64(len(want)) > rest {
			want = want[:rest]
		}
		m, err := r.parts[i].ReadAt(want, local)
		n += m
		if m < len(want) {
			if err == nil || err == io.EOF {
				err = io.ErrUnexpectedEOF // a blob shorter than its index entry
			}
			return n, err
		}
		i++
	}
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// Close closes every segment; it returns the first error.
func (r *segmentReader) Close() error {
	var first error
	for _, p := range r.parts {
		if err := p.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}
