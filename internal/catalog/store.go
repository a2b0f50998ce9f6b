package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/tarnhq/tarn/internal/kv"
)

// Key layout in Options.Meta (every part ends in 0x00, and names never
// contain 0x00, so one object's keys are never a prefix of another's):
//
//	d\0<region>\0<db>                                  Database
//	t\0<region>\0<db>\0<table>                         Table (current version)
//	v\0<region>\0<db>\0<table>\0<version, 10 digits>   TableVersion archive (current included)
//	p\0<region>\0<db>\0<table>\0<values>               Partition; values escaped, see partKey
//	c\0<region>\0<crawler>                             crawlerRecord
//
// Values are JSON. Writes that touch several keys go in one kv.Batch.

func keyJoin(kind byte, parts ...string) []byte { return kv.Key(kind, parts...) }

// prefixOf is the key prefix of every key under parts (trailing 0x00).
func prefixOf(kind byte, parts ...string) []byte { return kv.KeyPrefix(kind, parts...) }

func keyDatabase(region, db string) []byte { return keyJoin('d', region, db) }
func keyTable(region, db, t string) []byte { return keyJoin('t', region, db, t) }
func keyCrawler(region, name string) []byte {
	return keyJoin('c', region, name)
}
func keyVersion(region, db, t string, v int) []byte {
	return keyJoin('v', region, db, t, fmt.Sprintf("%010d", v))
}

// keyPartition escapes each value (0x00 → 0x00 0xff) and ends it with
// 0x00 0x01, so value lists order by their values and never collide.
func keyPartition(region, db, t string, values []string) []byte {
	k := prefixOf('p', region, db, t)
	for _, v := range values {
		for i := 0; i < len(v); i++ {
			k = append(k, v[i])
			if v[i] == 0 {
				k = append(k, 0xff)
			}
		}
		k = append(k, 0, 1)
	}
	return k
}

// partValues decodes the values of a partition key's suffix (after its
// table prefix); see keyPartition.
func partValues(suffix []byte) []string {
	var vals []string
	var cur []byte
	for i := 0; i < len(suffix); i++ {
		if suffix[i] == 0 && i+1 < len(suffix) {
			if suffix[i+1] == 1 {
				vals = append(vals, string(cur))
				cur = cur[:0]
				i++
				continue
			}
			if suffix[i+1] == 0xff {
				cur = append(cur, 0)
				i++
				continue
			}
		}
		cur = append(cur, suffix[i])
	}
	return vals
}

// getJSON is kv.GetJSON; a missing key is kv.ErrNotFound.
func getJSON[T any](sp kv.Space, key []byte) (*T, error) { return kv.GetJSON[T](sp, key) }

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("catalog: encode: %v", err)) // shapes of this package always encode
	}
	return b
}

// deletePrefix adds deletes of every key under prefix to b.
func deletePrefix(sp kv.Space, b *kv.Batch, prefix []byte) error {
	return sp.Scan(prefix, nil, func(k, _ []byte) (bool, error) {
		b.Delete(sp, bytes.Clone(k))
		return true, nil
	})
}

// page is Space.Page with a forged token answered as InvalidInputException.
func page(sp kv.Space, prefix []byte, token string, limit int, decode func(key, val []byte) (bool, error)) (string, error) {
	next, err := sp.Page(prefix, token, limit, decode)
	if errors.Is(err, kv.ErrBadToken) {
		return "", errBadToken()
	}
	return next, err
}

func isNotFound(err error) bool { return errors.Is(err, kv.ErrNotFound) }

func atoiOr(s string, def int) int {
	n, err := strconv.Atoi(s)
	if err != nil {
		return def
	}
	return n
}
