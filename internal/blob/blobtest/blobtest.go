// Package blobtest is the conformance suite for blob.Store: every
// implementation runs Run in its own tests.
package blobtest

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/tarnhq/tarn/internal/blob"
)

// Run checks the blob.Store contract against stores made by newStore, which
// must return an empty store each call.
func Run(t *testing.T, newStore func(t *testing.T) blob.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s blob.Store)
	}{
		{"PutOpenRoundTrip", testRoundTrip},
		{"EmptyBlob", testEmpty},
		{"ReadAtOffsets", testReadAt},
		{"DeleteThenOpen", testDelete},
		{"OpenReaderSurvivesDelete", testReaderSurvivesDelete},
		{"FailedPutLeavesNothing", testFailedPut},
		{"CanceledPut", testCanceledPut},
		{"UnknownAndForgedIDs", testUnknownIDs},
		{"ListReportsEveryBlob", testList},
		{"ConcurrentPuts", testConcurrent},
		{"LargeBlobStreams", testLarge},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { tc.fn(t, newStore(t)) })
	}
}

func put(t *testing.T, s blob.Store, data []byte) blob.ID {
	t.Helper()
	id, n, err := s.Put(t.Context(), bytes.NewReader(data))
	if err != nil {
		t.Fatalf("Put: %v", err)
	}
	if n != int64(len(data)) {
		t.Fatalf("Put size = %d, want %d", n, len(data))
	}
	return id
}

func readAll(t *testing.T, s blob.Store, id blob.ID) []byte {
	t.Helper()
	r, err := s.Open(t.Context(), id)
	if err != nil {
		t.Fatalf("Open(%s): %v", id, err)
	}
	defer r.Close()
	got, err := io.ReadAll(io.NewSectionReader(r, 0, r.Size()))
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	return got
}

func testRoundTrip(t *testing.T, s blob.Store) {
	data := []byte("hello, lake")
	id := put(t, s, data)
	if !id.Valid() {
		t.Errorf("ID %q is not Valid", id)
	}
	if got := readAll(t, s, id); !bytes.Equal(got, data) {
		t.Errorf("got %q, want %q", got, data)
	}
	if id2 := put(t, s, data); id2 == id {
		t.Errorf("two Puts returned the same ID %s", id)
	}
}

func testEmpty(t *testing.T, s blob.Store) {
	id := put(t, s, nil)
	r, err := s.Open(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if r.Size() != 0 {
		t.Errorf("Size = %d, want 0", r.Size())
	}
}

func testReadAt(t *testing.T, s blob.Store) {
	data := make([]byte, 100_000)
	_, _ = io.ReadFull(randReader(1), data)
	id := put(t, s, data)
	r, err := s.Open(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, off := range []int64{0, 1, 4095, 4096, 99_999} {
		buf := make([]byte, 10)
		n, err := r.ReadAt(buf, off)
		want := data[off:min(off+10, int64(len(data)))]
		if n != len(want) || !bytes.Equal(buf[:n], want) {
			t.Errorf("ReadAt(%d) = %d %v", off, n, err)
		}
	}
	if _, err := r.ReadAt(make([]byte, 1), int64(len(data))); err != io.EOF {
		t.Errorf("ReadAt(size) err = %v, want io.EOF", err)
	}
}

func testDelete(t *testing.T, s blob.Store) {
	id := put(t, s, []byte("x"))
	if err := s.Delete(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Open(t.Context(), id); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("Open after Delete: %v, want ErrNotFound", err)
	}
	if err := s.Delete(t.Context(), id); !errors.Is(err, blob.ErrNotFound) {
		t.Errorf("second Delete: %v, want ErrNotFound", err)
	}
}

func testReaderSurvivesDelete(t *testing.T, s blob.Store) {
	data := bytes.Repeat([]byte("abc"), 1000)
	id := put(t, s, data)
	r, err := s.Open(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	if err := s.Delete(t.Context(), id); err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(io.NewSectionReader(r, 0, r.Size()))
	if err != nil || !bytes.Equal(got, data) {
		t.Errorf("read after delete: %d bytes, %v", len(got), err)
	}
}

var errBoom = errors.New("boom")

type failingReader struct{ n int }

func (f *failingReader) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errBoom
	}
	k := min(len(p), f.n)
	f.n -= k
	return k, nil
}

func testFailedPut(t *testing.T, s blob.Store) {
	_, _, err := s.Put(t.Context(), &failingReader{n: 3 << 20})
	if !errors.Is(err, errBoom) {
		t.Fatalf("Put err = %v, want the reader's error", err)
	}
	count := 0
	if err := s.List(t.Context(), func(blob.ID) error { count++; return nil }); err != nil {
		t.Fatal(err)
	}
	if count != 0 {
		t.Errorf("failed Put left %d blobs", count)
	}
}

func testCanceledPut(t *testing.T, s blob.Store) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, _, err := s.Put(ctx, bytes.NewReader(make([]byte, 1<<20))); err == nil {
		t.Error("Put with a canceled context succeeded")
	}
}

func testUnknownIDs(t *testing.T, s blob.Store) {
	for _, id := range []blob.ID{"", "0123456789abcdef0123456789abcdef", "../../etc/passwd", "00/../../x", blob.ID(bytes.Repeat([]byte("a"), 500))} {
		if _, err := s.Open(t.Context(), id); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("Open(%q) = %v, want ErrNotFound", id, err)
		}
		if err := s.Delete(t.Context(), id); !errors.Is(err, blob.ErrNotFound) {
			t.Errorf("Delete(%q) = %v, want ErrNotFound", id, err)
		}
	}
}

func testList(t *testing.T, s blob.Store) {
	want := map[blob.ID]bool{}
	for i := 0; i < 20; i++ {
		want[put(t, s, []byte{byte(i)})] = true
	}
	got := map[blob.ID]bool{}
	if err := s.List(t.Context(), func(id blob.ID) error { got[id] = true; return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("List found %d blobs, want %d", len(got), len(want))
	}
	for id := range want {
		if !got[id] {
			t.Errorf("List missed %s", id)
		}
	}
	stop := errors.New("stop")
	if err := s.List(t.Context(), func(blob.ID) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("List did not return fn's error: %v", err)
	}
}

func testConcurrent(t *testing.T, s blob.Store) {
	var wg sync.WaitGroup
	ids := make([]blob.ID, 16)
	errs := make([]error, 16)
	for i := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids[i], _, errs[i] = s.Put(t.Context(), bytes.NewReader(bytes.Repeat([]byte{byte(i)}, 10_000)))
		}()
	}
	wg.Wait()
	for i, id := range ids {
		if errs[i] != nil {
			t.Fatal(errs[i])
		}
		if got := readAll(t, s, id); !bytes.Equal(got, bytes.Repeat([]byte{byte(i)}, 10_000)) {
			t.Errorf("blob %d corrupted", i)
		}
	}
}

// testLarge streams 64 MiB through Put and back, checking the hash.
func testLarge(t *testing.T, s blob.Store) {
	const size = 64 << 20
	src := io.LimitReader(randReader(3), size)
	h := sha256.New()
	id, n, err := s.Put(t.Context(), io.TeeReader(src, h))
	if err != nil || n != size {
		t.Fatalf("Put = %d, %v", n, err)
	}
	r, err := s.Open(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	h2 := sha256.New()
	if _, err := io.Copy(h2, io.NewSectionReader(r, 0, r.Size())); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(h.Sum(nil), h2.Sum(nil)) {
		t.Error("64 MiB blob read back differently")
	}
}

// randReader is a deterministic pseudo-random byte stream.
func randReader(seed uint64) io.Reader { return &chacha{rand.NewChaCha8([32]byte{byte(seed)})} }

type chacha struct{ c *rand.ChaCha8 }

func (c *chacha) Read(p []byte) (int, error) { return c.c.Read(p) }
