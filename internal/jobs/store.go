package jobs

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/tarnhq/tarn/internal/kv"
)

// Key layout in Options.Meta (parts end in 0x00; names never hold 0x00):
//
//	j\0<region>\0<job>                 jobRecord
//	r\0<region>\0<job>\0<runId>        runRecord (every attempt)
//	b\0<region>\0<job>                 bookmarkRecord
//	t\0<region>\0<trigger>             triggerRecord
//	w\0<region>\0<workflow>            workflowRecord
//	x\0<region>\0<workflow>\0<runId>   workflowRunRecord
//	k\0<region>\0<crawler>             crawlWatch: the last crawl triggers saw
//
// Values are JSON; every write is synced (kv.DB's default).

func keyJoin(kind byte, parts ...string) []byte {
	b := []byte{kind, 0}
	for i, p := range parts {
		b = append(b, p...)
		if i < len(parts)-1 {
			b = append(b, 0)
		}
	}
	return b
}

func prefixOf(kind byte, parts ...string) []byte { return append(keyJoin(kind, parts...), 0) }

func keyJob(region, name string) []byte           { return keyJoin('j', region, name) }
func keyRun(region, job, id string) []byte        { return keyJoin('r', region, job, id) }
func keyBookmark(region, job string) []byte       { return keyJoin('b', region, job) }
func keyTrigger(region, name string) []byte       { return keyJoin('t', region, name) }
func keyWorkflow(region, name string) []byte      { return keyJoin('w', region, name) }
func keyWorkflowRun(region, wf, id string) []byte { return keyJoin('x', region, wf, id) }
func keyCrawlWatch(region, crawler string) []byte { return keyJoin('k', region, crawler) }

func getJSON[T any](sp kv.Space, key []byte) (*T, error) {
	b, err := sp.Get(key)
	if err != nil {
		return nil, err
	}
	v := new(T)
	if err := json.Unmarshal(b, v); err != nil {
		return nil, fmt.Errorf("jobs: decode %q: %w", key, err)
	}
	return v, nil
}

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("jobs: encode: %v", err)) // this package's shapes always encode
	}
	return b
}

func putJSON(sp kv.Space, key []byte, v any) error { return sp.Set(key, mustJSON(v)) }

// scan calls fn for each key under prefix after the key after (exclusive;
// nil: from the start), in key order, until fn returns false.
func scan(sp kv.Space, prefix, after []byte, fn func(key, val []byte) (bool, error)) error {
	it, err := sp.Iter(prefix, kv.PrefixEnd(prefix))
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

// scanJSON decodes every value under prefix.
func scanJSON[T any](sp kv.Space, prefix []byte) ([]*T, error) {
	var out []*T
	err := scan(sp, prefix, nil, func(k, v []byte) (bool, error) {
		x := new(T)
		if err := json.Unmarshal(v, x); err != nil {
			return false, fmt.Errorf("jobs: decode %q: %w", k, err)
		}
		out = append(out, x)
		return true, nil
	})
	return out, err
}

// Page tokens are the last returned key, base64url; a token must fall
// under the listing's prefix, so a forged one is rejected cleanly.
func encodeToken(key []byte) string { return base64.RawURLEncoding.EncodeToString(key) }

func decodeToken(tok string, prefix []byte) ([]byte, error) {
	if tok == "" {
		return nil, nil
	}
	k, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil || !bytes.HasPrefix(k, prefix) {
		return nil, errBadToken()
	}
	return k, nil
}

// page lists up to limit values under prefix after token; keep decides
// (and collects) each. It returns the next token, "" at the end.
func page(sp kv.Space, prefix []byte, token string, limit int, keep func(key, val []byte) (bool, error)) (string, error) {
	after, err := decodeToken(token, prefix)
	if err != nil {
		return "", err
	}
	n, next := 0, ""
	var last []byte
	err = scan(sp, prefix, after, func(k, v []byte) (bool, error) {
		if n == limit {
			next = encodeToken(last)
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

func isNotFound(err error) bool { return errors.Is(err, kv.ErrNotFound) }

// pageLimit turns a MaxResults into a page size (default and cap).
func pageLimit(max *int32, def, hi int) int {
	if max == nil || *max <= 0 {
		return def
	}
	if int(*max) > hi {
		return hi
	}
	return int(*max)
}
