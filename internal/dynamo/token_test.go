package dynamo

import (
	"testing"
	"time"
)

// FuzzShardIterator: any string that is not a sealed iterator is refused
// cleanly, and a sealed one opens to what was sealed.
func FuzzShardIterator(f *testing.F) {
	h := newHarness(f)
	good := h.svc.sealIterator(shardIterator{stream: 7, next: 42, created: h.clock.now().UnixMilli()})
	f.Add(good)
	f.Add("")
	f.Add("SQ")
	f.Add(good[:len(good)-1] + "A")
	f.Fuzz(func(t *testing.T, tok string) {
		it, err := h.svc.openIterator(tok)
		if err != nil {
			return
		}
		if tok != good && (it.stream != 7 || it.next != 42) {
			t.Fatalf("forged iterator %q opened to %+v", tok, it)
		}
	})
}

func TestIteratorExpiry(t *testing.T) {
	h := newHarness(t)
	tok := h.svc.sealIterator(shardIterator{stream: 1, next: 2, created: h.clock.now().UnixMilli()})
	if _, err := h.svc.openIterator(tok); err != nil {
		t.Fatal(err)
	}
	h.clock.advance(15*time.Minute + time.Second)
	if _, err := h.svc.openIterator(tok); err == nil {
		t.Fatal("expired iterator accepted")
	}
}
