package dynamo

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/tarnhq/tarn/internal/kv"
)

// Opaque tokens (shard iterators) are a kind byte, a payload and a 16-byte
// HMAC-SHA256 tag under a key kept in the meta space, base64url-encoded:
// they survive restarts and any alteration is detected.
const (
	tokenIterator byte = 'I'
	tagLen             = 16
	tokenKeyName       = "tokenkey"
)

var errBadToken = errors.New("dynamo: invalid token")

type tokenKey struct{ key []byte }

func loadTokenKey(meta kv.Space) (*tokenKey, error) {
	k, err := meta.Get([]byte(tokenKeyName))
	if errors.Is(err, kv.ErrNotFound) {
		k = make([]byte, 32)
		if _, err := rand.Read(k); err != nil {
			return nil, err
		}
		if err := meta.Set([]byte(tokenKeyName), k); err != nil {
			return nil, fmt.Errorf("dynamo: token key: %w", err)
		}
		return &tokenKey{key: k}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("dynamo: token key: %w", err)
	}
	return &tokenKey{key: k}, nil
}

func (k *tokenKey) tag(kind byte, payload []byte) []byte {
	m := hmac.New(sha256.New, k.key)
	m.Write([]byte{kind})
	m.Write(payload)
	return m.Sum(nil)[:tagLen]
}

func (k *tokenKey) seal(kind byte, payload []byte) string {
	b := append([]byte{kind}, payload...)
	return base64.RawURLEncoding.EncodeToString(append(b, k.tag(kind, payload)...))
}

func (k *tokenKey) open(kind byte, tok string) ([]byte, error) {
	b, err := base64.RawURLEncoding.Strict().DecodeString(tok)
	if err != nil || len(b) < 1+tagLen || b[0] != kind {
		return nil, errBadToken
	}
	payload, tag := b[1:len(b)-tagLen], b[len(b)-tagLen:]
	if !hmac.Equal(tag, k.tag(kind, payload)) {
		return nil, errBadToken
	}
	return payload, nil
}
