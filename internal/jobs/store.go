package jobs

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/tarnhq/tarn/internal/kv"
)

// Key layout in Options.Meta, built with kv.Key (parts end in 0x00; names
// never hold 0x00; listings scan kv.KeyPrefix):
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

func keyJob(region, name string) []byte           { return kv.Key('j', region, name) }
func keyRun(region, job, id string) []byte        { return kv.Key('r', region, job, id) }
func keyBookmark(region, job string) []byte       { return kv.Key('b', region, job) }
func keyTrigger(region, name string) []byte       { return kv.Key('t', region, name) }
func keyWorkflow(region, name string) []byte      { return kv.Key('w', region, name) }
func keyWorkflowRun(region, wf, id string) []byte { return kv.Key('x', region, wf, id) }
func keyCrawlWatch(region, crawler string) []byte { return kv.Key('k', region, crawler) }

func mustJSON(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("jobs: encode: %v", err)) // this package's shapes always encode
	}
	return b
}

func putJSON(sp kv.Space, key []byte, v any) error { return sp.Set(key, mustJSON(v)) }

// page is Space.Page with a forged token answered as InvalidInputException.
func page(sp kv.Space, prefix []byte, token string, limit int, keep func(key, val []byte) (bool, error)) (string, error) {
	next, err := sp.Page(prefix, token, limit, keep)
	if errors.Is(err, kv.ErrBadToken) {
		return "", errBadToken()
	}
	return next, err
}

// deletePrefix adds to b the delete of every key of sp under prefix.
func deletePrefix(b *kv.Batch, sp kv.Space, prefix []byte) {
	b.DeleteRange(sp, prefix, kv.PrefixEnd(prefix))
}

func isNotFound(err error) bool { return errors.Is(err, kv.ErrNotFound) }

// offsetPage is the page of items (a whole listing, in its order) that
// token names: token is the base64url decimal offset of the page's first
// item ("" is 0), and next that of the item after the page ("" when none
// is left). A token that is not such an offset, or is past the end, is
// errBadToken. GetJobRuns and GetWorkflowRuns page this way.
func offsetPage[T any](items []T, token string, limit int) (page []T, next string, err error) {
	off := 0
	if token != "" {
		b, err := base64.RawURLEncoding.DecodeString(token)
		n, err2 := strconv.Atoi(string(b))
		if err != nil || err2 != nil || n < 0 || n > len(items) {
			return nil, "", errBadToken()
		}
		off = n
	}
	end := min(off+limit, len(items))
	if end < len(items) {
		next = base64.RawURLEncoding.EncodeToString([]byte(strconv.Itoa(end)))
	}
	return items[off:end], next, nil
}

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
