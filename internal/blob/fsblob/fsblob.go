// Package fsblob is the disk blob.Store: one file per blob under a root
// directory, fanned out by the ID's first two hex digits.
//
// Put writes into a file that was created earlier with its final name and
// whose directory entry is already durable (see pool.go), then fsyncs it:
// one fsync per blob, so a blob that Put returned survives kill -9 and
// (unless NoSync) power loss. Files are never modified after Put returns.
// A crash mid-Put leaves a file that no index references; the owner's
// garbage collection (List at startup) removes it.
package fsblob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sync"

	"github.com/tarnhq/tarn/internal/blob"
)

var (
	_ blob.Store  = (*Store)(nil)
	_ blob.Pather = (*Store)(nil)
)

// Options configure New. Dir is required.
type Options struct {
	// Dir is the root directory; it is created if missing.
	Dir string
	// NoSync skips fsync: blobs survive kill -9 but not power loss.
	NoSync bool
}

// Store is a directory of blob files. Safe for concurrent use.
type Store struct {
	dir    string
	noSync bool
	pool   *pool
}

var copyBufs = sync.Pool{New: func() any { b := make([]byte, 1<<20); return &b }}

// New opens (creating if needed) the store rooted at opts.Dir.
func New(opts Options) (*Store, error) {
	if opts.Dir == "" {
		return nil, errors.New("fsblob: Dir is required")
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("fsblob: %w", err)
	}
	s := &Store{dir: opts.Dir, noSync: opts.NoSync}
	s.pool = &pool{store: s}
	for i := 0; i < 256; i++ {
		if err := os.MkdirAll(filepath.Join(opts.Dir, fmt.Sprintf("%02x", i)), 0o755); err != nil {
			return nil, fmt.Errorf("fsblob: %w", err)
		}
	}
	if err := s.syncDir(opts.Dir); err != nil {
		return nil, err
	}
	return s, nil
}

// Path implements blob.Pather: the file that holds blob id.
func (s *Store) Path(id blob.ID) string { return s.path(id) }

func (s *Store) path(id blob.ID) string {
	return filepath.Join(s.dir, string(id[:2]), string(id))
}

// Put implements blob.Store.
func (s *Store) Put(ctx context.Context, r io.Reader) (blob.ID, int64, error) {
	id, f, err := s.pool.take()
	if err != nil {
		return "", 0, fmt.Errorf("fsblob put: %w", err)
	}
	n, err := s.fill(ctx, f, r)
	if cerr := f.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("fsblob put: %w", cerr)
	}
	if err != nil {
		os.Remove(s.path(id))
		return "", 0, err
	}
	return id, n, nil
}

// fill copies r into f and fsyncs it.
func (s *Store) fill(ctx context.Context, f *os.File, r io.Reader) (int64, error) {
	bp := copyBufs.Get().(*[]byte)
	defer copyBufs.Put(bp)
	n, err := io.CopyBuffer(f, ctxReader{ctx, r}, *bp)
	if err != nil {
		return 0, fmt.Errorf("fsblob put: %w", err)
	}
	if !s.noSync {
		if err := f.Sync(); err != nil {
			return 0, fmt.Errorf("fsblob put: fsync: %w", err)
		}
	}
	return n, nil
}

func (s *Store) syncDir(dir string) error {
	if s.noSync {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("fsblob: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("fsblob: fsync dir: %w", err)
	}
	return nil
}

// Open implements blob.Store.
func (s *Store) Open(ctx context.Context, id blob.ID) (blob.Reader, error) {
	if !id.Valid() {
		return nil, blob.ErrNotFound
	}
	f, err := os.Open(s.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, blob.ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("fsblob open: %w", err)
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("fsblob open: %w", err)
	}
	return &reader{File: f, size: st.Size()}, nil
}

// Delete implements blob.Store.
func (s *Store) Delete(ctx context.Context, id blob.ID) error {
	if !id.Valid() {
		return blob.ErrNotFound
	}
	err := os.Remove(s.path(id))
	if errors.Is(err, fs.ErrNotExist) {
		return blob.ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("fsblob delete: %w", err)
	}
	return nil
}

// List implements blob.Store. Files waiting in this Store's pool are not
// blobs yet and are not reported; Puts in flight are (List is meant for
// garbage collection before serving).
func (s *Store) List(ctx context.Context, fn func(blob.ID) error) error {
	for i := 0; i < 256; i++ {
		shard := filepath.Join(s.dir, fmt.Sprintf("%02x", i))
		entries, err := os.ReadDir(shard)
		if err != nil {
			return fmt.Errorf("fsblob list: %w", err)
		}
		for _, e := range entries {
			name := e.Name()
			if id := blob.ID(name); id.Valid() && !s.pool.holds(id) {
				if err := fn(id); err != nil {
					return err
				}
			}
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return nil
}

type reader struct {
	*os.File
	size int64
}

func (r *reader) Size() int64 { return r.size }

// ctxReader stops a copy when ctx is done.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}
