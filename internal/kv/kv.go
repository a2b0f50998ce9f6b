package kv

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"

	"github.com/cockroachdb/pebble/v2"
)

// ErrNotFound means the key has no value.
var ErrNotFound = errors.New("kv: not found")

// Options configure Open. The zero value is valid: durable writes.
type Options struct {
	// NoSync acknowledges writes before the WAL is fsynced. They still
	// survive a crash of the process (kill -9), not a power loss.
	NoSync bool
	// Logger receives Pebble's own messages; nil discards them.
	Logger *slog.Logger
}

// DB is one Pebble database. Safe for concurrent use.
type DB struct {
	p    *pebble.DB
	sync *pebble.WriteOptions
}

// Open opens (creating if needed) the database in dir.
func Open(dir string, opts Options) (*DB, error) {
	po := &pebble.Options{Logger: pebbleLogger{opts.Logger}}
	p, err := pebble.Open(dir, po)
	if err != nil {
		return nil, fmt.Errorf("open pebble %s: %w", dir, err)
	}
	wo := pebble.Sync
	if opts.NoSync {
		wo = pebble.NoSync
	}
	return &DB{p: p, sync: wo}, nil
}

// Close flushes and closes the database. No Space of it may be used after.
func (db *DB) Close() error { return db.p.Close() }

// Space returns the key space under prefix. Prefixes of different spaces
// must not be prefixes of each other; end each with '/' by convention.
func (db *DB) Space(prefix string) Space {
	return Space{db: db, prefix: []byte(prefix)}
}

// Space is a key prefix in a DB. Keys passed to its methods are relative
// to the prefix. A Space is a value; copying it is cheap.
type Space struct {
	db     *DB
	prefix []byte
}

func (s Space) key(k []byte) []byte {
	out := make([]byte, 0, len(s.prefix)+len(k))
	return append(append(out, s.prefix...), k...)
}

// Get returns a copy of the value stored under key, or ErrNotFound.
func (s Space) Get(key []byte) ([]byte, error) {
	v, closer, err := s.db.p.Get(s.key(key))
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("kv get: %w", err)
	}
	out := bytes.Clone(v)
	closer.Close()
	return out, nil
}

// Set stores value under key durably.
func (s Space) Set(key, value []byte) error {
	if err := s.db.p.Set(s.key(key), value, s.db.sync); err != nil {
		return fmt.Errorf("kv set: %w", err)
	}
	return nil
}

// Delete removes key durably. Deleting a missing key is not an error.
func (s Space) Delete(key []byte) error {
	if err := s.db.p.Delete(s.key(key), s.db.sync); err != nil {
		return fmt.Errorf("kv delete: %w", err)
	}
	return nil
}

// NewBatch starts an atomic batch of writes across spaces of the same DB.
func (db *DB) NewBatch() *Batch { return &Batch{db: db, b: db.p.NewBatch()} }

// Batch collects writes that Commit applies atomically and durably.
// A Batch is not safe for concurrent use; Close it if not committed.
type Batch struct {
	db *DB
	b  *pebble.Batch
}

// Set adds a write of key in space s to the batch.
func (b *Batch) Set(s Space, key, value []byte) {
	_ = b.b.Set(s.key(key), value, nil) // in-memory batch: cannot fail
}

// Delete adds a delete of key in space s to the batch.
func (b *Batch) Delete(s Space, key []byte) {
	_ = b.b.Delete(s.key(key), nil)
}

// Empty reports whether the batch holds no writes.
func (b *Batch) Empty() bool { return b.b.Empty() }

// Commit applies the batch atomically; durable when it returns nil.
// The batch is closed afterwards either way.
func (b *Batch) Commit() error {
	err := b.b.Commit(b.db.sync)
	b.Close()
	if err != nil {
		return fmt.Errorf("kv commit: %w", err)
	}
	return nil
}

// Close discards an uncommitted batch. Safe after Commit and more than
// once (Pebble recycles closed batches, so it must not close one twice).
func (b *Batch) Close() {
	if b.b != nil {
		_ = b.b.Close()
		b.b = nil
	}
}
