package kv

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"testing"
)

// pageSpace holds keys p/0..p/9 (values {"N":i}) and q/x in space "s/",
// and a key of another space that must never show.
func pageSpace(t *testing.T) Space {
	t.Helper()
	db := openTest(t, t.TempDir())
	t.Cleanup(func() { db.Close() })
	s := db.Space("s/")
	for i := range 10 {
		if err := s.Set(fmt.Appendf(nil, "p/%d", i), fmt.Appendf(nil, `{"N":%d}`, i)); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Set([]byte("q/x"), []byte(`{"N":99}`)); err != nil {
		t.Fatal(err)
	}
	if err := db.Space("t/").Set([]byte("p/5x"), []byte(`{"N":-1}`)); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestScanAfterAndStop(t *testing.T) {
	s := pageSpace(t)
	var got []string
	err := s.Scan([]byte("p/"), []byte("p/3"), func(k, _ []byte) (bool, error) {
		got = append(got, string(k))
		return len(got) < 4, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"p/4", "p/5", "p/6", "p/7"}; !slices.Equal(got, want) {
		t.Errorf("Scan = %q, want %q", got, want)
	}
	boom := errors.New("boom")
	if err := s.Scan([]byte("p/"), nil, func(_, _ []byte) (bool, error) { return false, boom }); !errors.Is(err, boom) {
		t.Errorf("Scan error = %v, want %v", err, boom)
	}
}

// TestPageWalk pages through p/ three at a time, skipping odd values, and
// checks every value is seen once, in order, and the last page ends it.
func TestPageWalk(t *testing.T) {
	s := pageSpace(t)
	var got []int
	tok, pages := "", 0
	for {
		n := 0
		next, err := s.Page([]byte("p/"), tok, 2, func(_, v []byte) (bool, error) {
			var x struct{ N int }
			if err := json.Unmarshal(v, &x); err != nil {
				return false, err
			}
			if x.N%2 == 1 {
				return false, nil
			}
			got = append(got, x.N)
			n++
			return true, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if n > 2 {
			t.Fatalf("page of %d kept, limit 2", n)
		}
		pages++
		if next == "" {
			break
		}
		if pages > 10 {
			t.Fatal("Page does not end")
		}
		tok = next
	}
	if want := []int{0, 2, 4, 6, 8}; !slices.Equal(got, want) {
		t.Errorf("paged values = %v, want %v", got, want)
	}
	if pages != 3 {
		t.Errorf("pages = %d, want 3", pages)
	}
}

func TestPageBadToken(t *testing.T) {
	s := pageSpace(t)
	for _, tok := range []string{"!!not base64", PageToken([]byte("q/x")), PageToken([]byte("p"))} {
		called := false
		_, err := s.Page([]byte("p/"), tok, 5, func(_, _ []byte) (bool, error) { called = true; return true, nil })
		if !errors.Is(err, ErrBadToken) {
			t.Errorf("Page(%q) error = %v, want ErrBadToken", tok, err)
		}
		if called {
			t.Errorf("Page(%q) read before rejecting the token", tok)
		}
	}
	if k, err := ParseToken(PageToken([]byte("p/7")), []byte("p/")); err != nil || string(k) != "p/7" {
		t.Errorf("ParseToken round trip = %q, %v", k, err)
	}
	if k, err := ParseToken("", []byte("p/")); err != nil || k != nil {
		t.Errorf(`ParseToken("") = %q, %v; want nil, nil`, k, err)
	}
}

func TestJSONHelpers(t *testing.T) {
	s := pageSpace(t)
	type rec struct{ N int }
	all, err := ScanJSON[rec](s, []byte("p/"))
	if err != nil {
		t.Fatal(err)
	}
	var ns []int
	for _, r := range all {
		ns = append(ns, r.N)
	}
	if want := []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}; !slices.Equal(ns, want) {
		t.Errorf("ScanJSON = %v, want %v", ns, want)
	}
	r, err := GetJSON[rec](s, []byte("q/x"))
	if err != nil || r.N != 99 {
		t.Errorf("GetJSON = %+v, %v", r, err)
	}
	if _, err := GetJSON[rec](s, []byte("q/missing")); !errors.Is(err, ErrNotFound) {
		t.Errorf("GetJSON missing = %v, want ErrNotFound", err)
	}
	if err := s.Set([]byte("p/bad"), []byte("{")); err != nil {
		t.Fatal(err)
	}
	if _, err := ScanJSON[rec](s, []byte("p/")); err == nil {
		t.Error("ScanJSON of a bad value: no error")
	}
	if _, err := GetJSON[rec](s, []byte("p/bad")); err == nil {
		t.Error("GetJSON of a bad value: no error")
	}
}

func TestKeyLayout(t *testing.T) {
	if got, want := string(Key('j', "r", "a")), "j\x00r\x00a"; got != want {
		t.Errorf("Key = %q, want %q", got, want)
	}
	if got, want := string(Key('j')), "j\x00"; got != want {
		t.Errorf("Key without parts = %q, want %q", got, want)
	}
	if got, want := string(KeyPrefix('j', "r")), "j\x00r\x00"; got != want {
		t.Errorf("KeyPrefix = %q, want %q", got, want)
	}
	// A name that extends another is not under the other's prefix.
	if p := KeyPrefix('r', "r", "a"); string(Key('r', "r", "ab", "1")[:len(p)]) == string(p) {
		t.Error("Key(r, ab, 1) falls under KeyPrefix(r, a)")
	}
}
