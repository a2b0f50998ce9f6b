package fsblob

import (
	"fmt"
	"os"
	"path/filepath"
	"sync"

	"github.com/tarnhq/tarn/internal/blob"
)

// poolBatch is how many empty blob files one refill creates. They share a
// shard directory, so one directory fsync makes all their entries durable.
const poolBatch = 64

// pool hands out empty files that already have their final names and
// durable directory entries. Writing a blob then needs only its own fsync,
// not a rename and a directory fsync each: under strict durability that is
// one fsync fewer per PUT. Unused pool files left by a crash or a stop are
// empty, unreferenced blobs that the owner's startup garbage collection
// removes.
type pool struct {
	store *Store
	mu    sync.Mutex
	ready []pooled // guarded by mu
}

type pooled struct {
	id blob.ID
	f  *os.File
}

// take returns an empty file for a new blob; the caller writes, fsyncs
// and closes it.
func (p *pool) take() (blob.ID, *os.File, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.ready) == 0 {
		if err := p.refillLocked(); err != nil {
			return "", nil, err
		}
	}
	last := p.ready[len(p.ready)-1]
	p.ready = p.ready[:len(p.ready)-1]
	return last.id, last.f, nil
}

// refillLocked creates poolBatch files in one random shard and fsyncs it.
func (p *pool) refillLocked() error {
	shard := blob.NewID()[:2]
	for range poolBatch {
		id := blob.ID(string(shard) + string(blob.NewID()[2:]))
		f, err := os.OpenFile(p.store.path(id), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			p.discardLocked()
			return fmt.Errorf("create blob file: %w", err)
		}
		p.ready = append(p.ready, pooled{id, f})
	}
	if err := p.store.syncDir(filepath.Join(p.store.dir, string(shard))); err != nil {
		p.discardLocked()
		return err
	}
	return nil
}

func (p *pool) discardLocked() {
	for _, e := range p.ready {
		e.f.Close()
		os.Remove(p.store.path(e.id))
	}
	p.ready = nil
}

// holds reports whether id is an unused pool file.
func (p *pool) holds(id blob.ID) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, e := range p.ready {
		if e.id == id {
			return true
		}
	}
	return false
}
