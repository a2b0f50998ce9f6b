package s3

import (
	"hash"
	"sync"
)

// asyncMinSize is the body size from which storeBody computes MD5 on its
// own goroutine. MD5 is the slowest digest on the write path (and every
// ETag needs it), so overlapping it with reading, SHA-256 verification,
// the checksum and the disk write shortens large PUTs; small bodies are
// not worth a goroutine.
const asyncMinSize = 1 << 20

// asyncHash feeds an inner hash on its own goroutine. Write copies p and
// returns at once (at most asyncDepth chunks are in flight); Sum waits for
// every written byte. After Sum (or Close) it accepts no more writes. Not
// safe for concurrent Writes, like any hash.Hash.
type asyncHash struct {
	inner hash.Hash
	work  chan []byte
	free  chan []byte
	done  chan struct{}
	once  sync.Once
}

const asyncDepth = 4

func newAsyncHash(inner hash.Hash) *asyncHash {
	a := &asyncHash{inner: inner, work: make(chan []byte, asyncDepth),
		free: make(chan []byte, asyncDepth+1), done: make(chan struct{})}
	go func() {
		defer close(a.done)
		for b := range a.work {
			a.inner.Write(b)
			select {
			case a.free <- b:
			default:
			}
		}
	}()
	return a
}

func (a *asyncHash) Write(p []byte) (int, error) {
	var buf []byte
	select {
	case buf = <-a.free:
	default:
	}
	a.work <- append(buf[:0], p...)
	return len(p), nil
}

// Close stops the goroutine; safe to call more than once and after Sum.
func (a *asyncHash) Close() {
	a.once.Do(func() { close(a.work) })
	<-a.done
}

// Sum waits for every written byte and appends the digest to b.
func (a *asyncHash) Sum(b []byte) []byte {
	a.Close()
	return a.inner.Sum(b)
}

func (a *asyncHash) Reset()         { panic("s3: asyncHash cannot be reset") }
func (a *asyncHash) Size() int      { return a.inner.Size() }
func (a *asyncHash) BlockSize() int { return a.inner.BlockSize() }
