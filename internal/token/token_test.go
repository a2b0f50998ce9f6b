package token

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/tarnhq/tarn/internal/kv"
)

func TestSealOpenSurvivesRestartAndRejectsForgeries(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "meta")
	db, err := kv.Open(dir, kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	k, err := Load(db.Space("svc/"))
	if err != nil {
		t.Fatal(err)
	}
	tok := k.Seal('I', []byte("shard-7@42"))
	db.Close()
	db, err = kv.Open(dir, kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	k, err = Load(db.Space("svc/"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := k.Open('I', tok); err != nil || string(got) != "shard-7@42" {
		t.Fatalf("after restart: %q %v", got, err)
	}
	other, _ := Load(db.Space("other/"))
	flipped := []byte(tok)
	flipped[3] ^= 1
	for name, bad := range map[string]func() error{
		"other kind":  func() error { _, err := k.Open('S', tok); return err },
		"other key":   func() error { _, err := other.Open('I', tok); return err },
		"altered":     func() error { _, err := k.Open('I', string(flipped)); return err },
		"not base64":  func() error { _, err := k.Open('I', "%%%"); return err },
		"too short":   func() error { _, err := k.Open('I', "SQ"); return err },
		"padded form": func() error { _, err := k.Open('I', tok+"=="); return err },
	} {
		if err := bad(); !errors.Is(err, ErrInvalid) {
			t.Errorf("%s: %v, want ErrInvalid", name, err)
		}
	}
}
