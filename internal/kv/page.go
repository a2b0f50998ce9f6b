package kv

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
)

// ErrBadToken means a page token is not one Page made for this listing:
// not base64url, or its key is not under the listing's prefix. Services
// answer it with their own AWS error (InvalidInputException and the like).
var ErrBadToken = errors.New("kv: bad page token")

// Key is the key kind, 0x00, then parts joined by 0x00: the layout
// services give their records, one kind byte a record type. Parts must not
// hold 0x00, so the keys under one list of parts are never mixed up with
// those of another.
func Key(kind byte, parts ...string) []byte {
	b := []byte{kind, 0}
	for i, p := range parts {
		b = append(b, p...)
		if i < len(parts)-1 {
			b = append(b, 0)
		}
	}
	return b
}

// KeyPrefix is Key(kind, parts...) and a final 0x00: the prefix of every
// key with more parts after parts, for Scan and Page.
func KeyPrefix(kind byte, parts ...string) []byte { return append(Key(kind, parts...), 0) }

// Scan calls fn for each key of s under prefix that sorts after the key
// after (exclusive; nil: from the start), in key order, until fn returns
// false or an error, which Scan returns. Keys and values passed to fn are
// valid only during the call; copy them to keep them.
func (s Space) Scan(prefix, after []byte, fn func(key, val []byte) (bool, error)) error {
	it, err := s.Iter(prefix, PrefixEnd(prefix))
	if err != nil {
		return err
	}
	ok := it.First()
	if after != nil {
		ok = it.SeekGE(append(bytes.Clone(after), 0))
	}
	for ; ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			it.Close()
			return err
		}
		more, err := fn(it.Key(), v)
		if err != nil {
			it.Close()
			return err
		}
		if !more {
			break
		}
	}
	return it.Close()
}

// PageToken is the page token that resumes a listing after key: the key,
// base64url without padding.
func PageToken(key []byte) string { return base64.RawURLEncoding.EncodeToString(key) }

// ParseToken returns the key a PageToken names; "" gives nil (from the
// start). A token that is not base64url, or whose key is not under prefix,
// is ErrBadToken, so a forged one is rejected before any read.
func ParseToken(tok string, prefix []byte) ([]byte, error) {
	if tok == "" {
		return nil, nil
	}
	k, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || !bytes.HasPrefix(k, prefix) {
		return nil, ErrBadToken
	}
	return k, nil
}

// Page lists keys of s under prefix after token (see ParseToken): keep
// sees each key and value in order and says whether it counts (and
// collects it); Page stops once limit keys counted and another key
// follows, and returns the token of the last key kept or skipped, or ""
// when the listing is done. A bad token is ErrBadToken, before any read.
func (s Space) Page(prefix []byte, token string, limit int, keep func(key, val []byte) (bool, error)) (string, error) {
	after, err := ParseToken(token, prefix)
	if err != nil {
		return "", err
	}
	n, next := 0, ""
	var last []byte
	err = s.Scan(prefix, after, func(k, v []byte) (bool, error) {
		if n == limit {
			next = PageToken(last)
			return false, nil
		}
		ok, err := keep(k, v)
		if err != nil {
			return false, err
		}
		last = bytes.Clone(k)
		if ok {
			n++
		}
		return true, nil
	})
	return next, err
}

// GetJSON decodes the JSON value of key in s into a new T. A missing key
// is ErrNotFound.
func GetJSON[T any](s Space, key []byte) (*T, error) {
	b, err := s.Get(key)
	if err != nil {
		return nil, err
	}
	v := new(T)
	if err := json.Unmarshal(b, v); err != nil {
		return nil, fmt.Errorf("kv: decode %q: %w", key, err)
	}
	return v, nil
}

// ScanJSON decodes every JSON value of s under prefix, in key order.
func ScanJSON[T any](s Space, prefix []byte) ([]*T, error) {
	var out []*T
	err := s.Scan(prefix, nil, func(k, v []byte) (bool, error) {
		x := new(T)
		if err := json.Unmarshal(v, x); err != nil {
			return false, fmt.Errorf("kv: decode %q: %w", k, err)
		}
		out = append(out, x)
		return true, nil
	})
	return out, err
}
