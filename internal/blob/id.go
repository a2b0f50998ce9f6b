package blob

import (
	"crypto/rand"
	"encoding/hex"
)

// NewID returns a fresh random ID (32 hex digits). Stores may use it.
func NewID() ID {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails
	return ID(hex.EncodeToString(b[:]))
}

// Valid reports whether id has the shape NewID produces. Stores reject
// other IDs with ErrNotFound, so a forged ID can never name a path.
func (id ID) Valid() bool {
	if len(id) != 32 {
		return false
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
