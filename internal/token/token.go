// Package token seals and opens the opaque tokens AWS APIs hand out
// (shard iterators, pagination tokens): a kind byte, a payload and a
// 16-byte HMAC-SHA256 tag under a key kept in the service's metadata
// space, base64url-encoded. Tokens therefore survive restarts, and any
// change to one, or a token of another kind, is detected. A Key is safe
// for concurrent use.
package token

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/tarnhq/tarn/internal/kv"
)

const (
	tagLen  = 16
	keyLen  = 32
	keyName = "tokenkey"
)

// ErrInvalid means a token was not made by this key, is of another kind,
// or was altered.
var ErrInvalid = errors.New("token: invalid")

// Key is a service's token-signing key.
type Key struct{ key []byte }

// Load reads the signing key of meta, creating it on first start.
func Load(meta kv.Space) (*Key, error) {
	k, err := meta.Get([]byte(keyName))
	if errors.Is(err, kv.ErrNotFound) {
		k = make([]byte, keyLen)
		if _, err := rand.Read(k); err != nil {
			return nil, err
		}
		if err := meta.Set([]byte(keyName), k); err != nil {
			return nil, fmt.Errorf("token: store key: %w", err)
		}
		return &Key{key: k}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("token: load key: %w", err)
	}
	return &Key{key: k}, nil
}

func (k *Key) tag(kind byte, payload []byte) []byte {
	m := hmac.New(sha256.New, k.key)
	m.Write([]byte{kind})
	m.Write(payload)
	return m.Sum(nil)[:tagLen]
}

// Seal returns the token of kind carrying payload.
func (k *Key) Seal(kind byte, payload []byte) string {
	b := append([]byte{kind}, payload...)
	return base64.RawURLEncoding.EncodeToString(append(b, k.tag(kind, payload)...))
}

// Open verifies a token of kind and returns its payload, or ErrInvalid.
func (k *Key) Open(kind byte, tok string) ([]byte, error) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(tok) // Strict: no two tokens decode alike
	if err != nil || len(b) < 1+tagLen || b[0] != kind {
		return nil, ErrInvalid
	}
	payload, tag := b[1:len(b)-tagLen], b[len(b)-tagLen:]
	if !hmac.Equal(tag, k.tag(kind, payload)) {
		return nil, ErrInvalid
	}
	return payload, nil
}
