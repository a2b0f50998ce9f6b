// Package fsblob is the disk blob.Store: one file per blob under a root
// directory, fanned out by the ID's first two hex digits.
//
// Put streams to a temporary file in the blob's shard directory, fsyncs it,
// renames it to its final name and fsyncs the directory, so a blob that Put
// returned survives kill -9 and (unless NoSync) power loss. Files are never
// modified after the rename. A crash mid-Put leaves only a temporary file,
// which the next New removes.
package fsblob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/tarnhq/tarn/internal/blob"
)

var _ blob.Store = (*Store)(nil)

// Options configure New. Dir is required.
type Options struct {
	// Dir is the root directory; it is created if missing.
	Dir string
	// NoSync skips fsync: blobs survive kill -9 but not power loss.
	NoSync bool
}

const tmpSuffix = ".tmp"

// Store is a directory of blob files. Safe for concurrent use.
type Store struct {
	dir    string
	noSync bool
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
	for i := 0; i < 256; i++ {
		if err := s.openShard(filepath.Join(opts.Dir, fmt.Sprintf("%02x", i))); err != nil {
			return nil, err
		}
	}
	if err := s.syncDir(opts.Dir); err != nil {
		return nil, err
	}
	return s, nil
}

// openShard creates a shard directory and removes the temporary files that
// interrupted Puts left in it. Only one Store may use a directory at a time.
func (s *Store) openShard(shard string) error {
	if err := os.MkdirAll(shard, 0o755); err != nil {
		return fmt.Errorf("fsblob: %w", err)
	}
	entries, err := os.ReadDir(shard)
	if err != nil {
		return fmt.Errorf("fsblob: %w", err)
	}
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), tmpSuffix) {
			os.Remove(filepath.Join(shard, e.Name()))
		}
	}
	return nil
}

func (s *Store) path(id blob.ID) string {
	return filepath.Join(s.dir, string(id[:2]), string(id))
}

// Put implements blob.Store.
func (s *Store) Put(ctx context.Context, r io.Reader) (blob.ID, int64, error) {
	id := blob.NewID()
	final := s.path(id)
	tmp := final + tmpSuffix
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return "", 0, fmt.Errorf("fsblob put: %w", err)
	}
	n, err := s.fill(ctx, f, r)
	if err != nil {
		f.Close()
		os.Remove(tmp)
		return "", 0, err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return "", 0, fmt.Errorf("fsblob put: %w", err)
	}
	if err := os.Rename(tmp, final); err != nil {
		os.Remove(tmp)
		return "", 0, fmt.Errorf("fsblob put: %w", err)
	}
	if err := s.syncDir(filepath.Dir(final)); err != nil {
		os.Remove(final)
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

// List implements blob.Store. Temporary files of Puts in flight are not
// blobs and are not reported.
func (s *Store) List(ctx context.Context, fn func(blob.ID) error) error {
	for i := 0; i < 256; i++ {
		shard := filepath.Join(s.dir, fmt.Sprintf("%02x", i))
		entries, err := os.ReadDir(shard)
		if err != nil {
			return fmt.Errorf("fsblob list: %w", err)
		}
		for _, e := range entries {
			name := e.Name()
			if id := blob.ID(name); id.Valid() {
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
