package kv

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"
)

func openTest(t *testing.T, dir string) *DB {
	t.Helper()
	db, err := Open(dir, Options{})
	if err != nil {
		t.Fatal(err)
	}
	return db
}

func TestSpacesAreIsolated(t *testing.T) {
	db := openTest(t, t.TempDir())
	defer db.Close()
	a, b := db.Space("a/"), db.Space("b/")
	if err := a.Set([]byte("k"), []byte("in a")); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Get([]byte("k")); !errors.Is(err, ErrNotFound) {
		t.Errorf("b sees a's key: %v", err)
	}
	got, err := a.Get([]byte("k"))
	if err != nil || string(got) != "in a" {
		t.Errorf("a.Get = %q, %v", got, err)
	}
	if err := a.Delete([]byte("k")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Get([]byte("k")); !errors.Is(err, ErrNotFound) {
		t.Errorf("after Delete: %v", err)
	}
	if err := a.Delete([]byte("missing")); err != nil {
		t.Errorf("deleting a missing key: %v", err)
	}
}

func TestBatchIsAtomicAcrossSpaces(t *testing.T) {
	dir := t.TempDir()
	db := openTest(t, dir)
	a, b := db.Space("a/"), db.Space("b/")
	batch := db.NewBatch()
	batch.Set(a, []byte("x"), []byte("1"))
	batch.Set(b, []byte("y"), []byte("2"))
	if batch.Empty() {
		t.Fatal("batch with writes is Empty")
	}
	if _, err := a.Get([]byte("x")); !errors.Is(err, ErrNotFound) {
		t.Error("uncommitted batch is visible")
	}
	if err := batch.Commit(); err != nil {
		t.Fatal(err)
	}
	discarded := db.NewBatch()
	discarded.Set(a, []byte("never"), []byte("!"))
	discarded.Close()
	db.Close()

	db = openTest(t, dir) // survives reopen
	defer db.Close()
	a, b = db.Space("a/"), db.Space("b/")
	for _, kv := range []struct {
		s    Space
		k, v string
	}{{a, "x", "1"}, {b, "y", "2"}} {
		if got, err := kv.s.Get([]byte(kv.k)); err != nil || string(got) != kv.v {
			t.Errorf("Get(%s) = %q, %v", kv.k, got, err)
		}
	}
	if _, err := a.Get([]byte("never")); !errors.Is(err, ErrNotFound) {
		t.Error("closed batch was applied")
	}
}

func TestIterBoundsAndSeek(t *testing.T) {
	db := openTest(t, t.TempDir())
	defer db.Close()
	s := db.Space("s/")
	db.Space("s0").Set([]byte("outside"), nil) // sorts right after "s/" keys
	db.Space("r/").Set([]byte("outside"), nil)
	for i := range 10 {
		s.Set([]byte(fmt.Sprintf("k%d", i)), []byte{byte(i)})
	}
	collect := func(lower, upper, seek []byte) []string {
		it, err := s.Iter(lower, upper)
		if err != nil {
			t.Fatal(err)
		}
		defer it.Close()
		var out []string
		ok := it.First()
		if seek != nil {
			ok = it.SeekGE(seek)
		}
		for ; ok; ok = it.Next() {
			out = append(out, string(it.Key()))
		}
		return out
	}
	if got := collect(nil, nil, nil); len(got) != 10 || got[0] != "k0" || got[9] != "k9" {
		t.Errorf("full iteration = %v", got)
	}
	if got := collect([]byte("k3"), []byte("k6"), nil); fmt.Sprint(got) != "[k3 k4 k5]" {
		t.Errorf("bounded = %v", got)
	}
	if got := collect(nil, nil, []byte("k7")); fmt.Sprint(got) != "[k7 k8 k9]" {
		t.Errorf("seek = %v", got)
	}
}

func TestPrefixEnd(t *testing.T) {
	for _, tc := range []struct{ in, want []byte }{
		{[]byte("a/"), []byte("a0")},
		{[]byte{'a', 0xff}, []byte("b")},
		{[]byte{0xff, 0xff}, nil},
	} {
		if got := PrefixEnd(tc.in); !bytes.Equal(got, tc.want) {
			t.Errorf("PrefixEnd(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// TestCloseAfterCommit: the pattern `defer b.Close(); ...; b.Commit()`
// under concurrency. Closing a committed Pebble batch again would hand a
// recycled batch to another writer (seen as "negative WaitGroup counter").
func TestCloseAfterCommit(t *testing.T) {
	db := openTest(t, t.TempDir())
	defer db.Close()
	s := db.Space("c/")
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				b := db.NewBatch()
				b.Set(s, []byte(fmt.Sprintf("%d-%d", w, i)), []byte("v"))
				if err := b.Commit(); err != nil {
					t.Error(err)
				}
				b.Close()
				b.Close()
			}
		}()
	}
	wg.Wait()
	it, _ := s.Iter(nil, nil)
	n := 0
	for ok := it.First(); ok; ok = it.Next() {
		n++
	}
	it.Close()
	if n != 8*200 {
		t.Errorf("%d keys, want %d", n, 8*200)
	}
}
