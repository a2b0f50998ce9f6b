package s3

import (
	"bytes"
	"crypto/md5"
	"math/rand/v2"
	"testing"
)

func TestAsyncHashMatchesSync(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	data := make([]byte, 3<<20+17)
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	a := newAsyncHash(md5.New())
	for off := 0; off < len(data); {
		n := min(1+rng.IntN(100_000), len(data)-off)
		chunk := append([]byte(nil), data[off:off+n]...)
		a.Write(chunk)
		clear(chunk) // the caller may reuse its buffer at once
		off += n
	}
	want := md5.Sum(data)
	if got := a.Sum(nil); !bytes.Equal(got, want[:]) {
		t.Errorf("async MD5 %x, want %x", got, want)
	}
	a.Close() // again: no-op
	b := newAsyncHash(md5.New())
	b.Close() // closed without Sum: the goroutine ends
}

func BenchmarkAsyncMD5(b *testing.B) {
	buf := make([]byte, 32<<10)
	b.SetBytes(int64(len(buf)))
	a := newAsyncHash(md5.New())
	for b.Loop() {
		a.Write(buf)
	}
	a.Sum(nil)
}
