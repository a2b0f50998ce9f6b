package kv

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/cockroachdb/pebble/v2"
)

// Last moves to the last key; it reports whether there is one.
func (i *Iterator) Last() bool { return i.it.Last() }

// SeekLT moves to the last key < key (relative to the space).
func (i *Iterator) SeekLT(key []byte) bool {
	return i.it.SeekLT(append(append([]byte(nil), i.prefix...), key...))
}

// Prev moves to the previous key; it reports whether there is one.
func (i *Iterator) Prev() bool { return i.it.Prev() }

// DeleteRange adds a delete of every key k of space s with lo <= k < hi
// (a nil hi means the end of the space).
func (b *Batch) DeleteRange(s Space, lo, hi []byte) {
	end := prefixEnd(s.prefix)
	if hi != nil {
		end = s.key(hi)
	}
	_ = b.b.DeleteRange(s.key(lo), end, nil)
}

// Len is the size in bytes of the batch's encoded writes.
func (b *Batch) Len() int { return b.b.Len() }

// Snapshot is a consistent read-only view of a DB at one instant. Close
// releases it; it is safe for concurrent reads.
type Snapshot struct {
	s *pebble.Snapshot
}

// Snapshot returns a view of the whole database as of now.
func (db *DB) Snapshot() *Snapshot { return &Snapshot{s: db.p.NewSnapshot()} }

// Get returns a copy of the value of key in space sp as of the snapshot,
// or ErrNotFound.
func (sn *Snapshot) Get(sp Space, key []byte) ([]byte, error) {
	v, closer, err := sn.s.Get(sp.key(key))
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("kv snapshot get: %w", err)
	}
	out := bytes.Clone(v)
	closer.Close()
	return out, nil
}

// Close releases the snapshot.
func (sn *Snapshot) Close() error { return sn.s.Close() }

// DB returns the database the space belongs to.
func (s Space) DB() *DB { return s.db }

// Sub returns the space under s's prefix followed by prefix.
func (s Space) Sub(prefix string) Space {
	return Space{db: s.db, prefix: append(append([]byte(nil), s.prefix...), prefix...)}
}
