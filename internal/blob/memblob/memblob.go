// Package memblob is an in-memory blob.Store for tests. Nothing survives
// the process.
package memblob

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sync"

	"github.com/tarnhq/tarn/internal/blob"
)

var _ blob.Store = (*Store)(nil)

// Store keeps blobs in a map. Safe for concurrent use.
type Store struct {
	mu    sync.Mutex
	blobs map[blob.ID][]byte // guarded by mu; values are never mutated
}

// New returns an empty Store.
func New() *Store { return &Store{blobs: map[blob.ID][]byte{}} }

// Put implements blob.Store.
func (s *Store) Put(ctx context.Context, r io.Reader) (blob.ID, int64, error) {
	var buf bytes.Buffer
	if _, err := io.Copy(&buf, r); err != nil {
		return "", 0, fmt.Errorf("memblob put: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return "", 0, err
	}
	id := blob.NewID()
	s.mu.Lock()
	s.blobs[id] = buf.Bytes()
	s.mu.Unlock()
	return id, int64(buf.Len()), nil
}

// Open implements blob.Store.
func (s *Store) Open(ctx context.Context, id blob.ID) (blob.Reader, error) {
	s.mu.Lock()
	b, ok := s.blobs[id]
	s.mu.Unlock()
	if !ok {
		return nil, blob.ErrNotFound
	}
	return reader{bytes.NewReader(b)}, nil
}

// Delete implements blob.Store.
func (s *Store) Delete(ctx context.Context, id blob.ID) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.blobs[id]; !ok {
		return blob.ErrNotFound
	}
	delete(s.blobs, id)
	return nil
}

// List implements blob.Store.
func (s *Store) List(ctx context.Context, fn func(blob.ID) error) error {
	s.mu.Lock()
	ids := make([]blob.ID, 0, len(s.blobs))
	for id := range s.blobs {
		ids = append(ids, id)
	}
	s.mu.Unlock()
	for _, id := range ids {
		if err := fn(id); err != nil {
			return err
		}
	}
	return nil
}

type reader struct{ *bytes.Reader }

func (reader) Close() error { return nil }
