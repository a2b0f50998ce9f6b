package blob

import (
	"context"
	"errors"
	"io"
)

// ErrNotFound means no blob has the given ID (never written, or deleted).
var ErrNotFound = errors.New("blob: not found")

// ID names one immutable blob. It is opaque to callers, chosen by the Store,
// and made only of [0-9a-z], so it is safe as a file name or an object key.
type ID string

// Store holds immutable blobs: written once, read many times, deleted once.
// Implementations are safe for concurrent use.
type Store interface {
	// Put writes all of r as a new blob and returns its ID and size once the
	// blob is durable (as durable as the Store's options say). If r returns an
	// error, Put returns it (wrapped) and leaves no blob behind. A blob is
	// never visible to Open before Put returns.
	Put(ctx context.Context, r io.Reader) (ID, int64, error)
	// Open returns a reader over the blob. The caller closes it. A reader
	// opened before Delete keeps reading the whole blob.
	Open(ctx context.Context, id ID) (Reader, error)
	// Delete removes the blob. It returns ErrNotFound if there is none.
	Delete(ctx context.Context, id ID) error
	// List calls fn with every blob's ID, in no particular order, for
	// garbage collection. An error from fn stops the walk and is returned.
	List(ctx context.Context, fn func(ID) error) error
}

// Reader reads one blob at any offset. Safe for concurrent ReadAt calls.
type Reader interface {
	io.ReaderAt
	io.Closer
	// Size is the blob's length in bytes.
	Size() int64
}

// Pather is a Store that keeps each blob as a file of its own, so that
// engines reading files directly (DuckDB) can read a blob in place. The
// file must be treated as read-only; it disappears when the blob is
// deleted.
type Pather interface {
	Path(id ID) string
}
