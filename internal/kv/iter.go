package kv

import (
	"fmt"

	"github.com/cockroachdb/pebble/v2"
)

// Iterator walks keys of one Space in ascending byte order over a snapshot
// of the database taken when it was made. Keys and values are valid only
// until the next move; copy them to keep them. Close releases it.
type Iterator struct {
	it     *pebble.Iterator
	prefix []byte
}

// Iter returns an iterator over keys k of s with lower <= k < upper. A nil
// lower means the start of the space; a nil upper means its end. The
// iterator starts unpositioned: call First or SeekGE.
func (s Space) Iter(lower, upper []byte) (*Iterator, error) {
	lo := s.key(lower)
	var hi []byte
	if upper != nil {
		hi = s.key(upper)
	} else {
		hi = prefixEnd(s.prefix)
	}
	it, err := s.db.p.NewIter(&pebble.IterOptions{LowerBound: lo, UpperBound: hi})
	if err != nil {
		return nil, fmt.Errorf("kv iter: %w", err)
	}
	return &Iterator{it: it, prefix: s.prefix}, nil
}

// First moves to the first key; it reports whether there is one.
func (i *Iterator) First() bool { return i.it.First() }

// SeekGE moves to the first key >= key (relative to the space).
func (i *Iterator) SeekGE(key []byte) bool {
	return i.it.SeekGE(append(append([]byte(nil), i.prefix...), key...))
}

// Next moves to the next key; it reports whether there is one.
func (i *Iterator) Next() bool { return i.it.Next() }

// Valid reports whether the iterator is at a key.
func (i *Iterator) Valid() bool { return i.it.Valid() }

// Key is the current key, relative to the space.
func (i *Iterator) Key() []byte { return i.it.Key()[len(i.prefix):] }

// Value is the current value.
func (i *Iterator) Value() ([]byte, error) {
	v, err := i.it.ValueAndErr()
	if err != nil {
		return nil, fmt.Errorf("kv value: %w", err)
	}
	return v, nil
}

// Close releases the iterator and returns any error met while iterating.
func (i *Iterator) Close() error {
	if err := i.it.Close(); err != nil {
		return fmt.Errorf("kv iter: %w", err)
	}
	return nil
}

// prefixEnd returns the smallest key greater than every key with prefix p,
// or nil when there is none (p is all 0xff).
func prefixEnd(p []byte) []byte {
	end := append([]byte(nil), p...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// PrefixEnd is exported for callers that seek past all keys sharing a
// prefix (for example S3 listing skipping a CommonPrefix).
func PrefixEnd(p []byte) []byte { return prefixEnd(p) }
