package s3

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/tarnhq/tarn/internal/kv"
)

// Listing (ListObjects v1 and v2) shares one scan over the object index.
// Keys come in UTF-8 binary order, which is the byte order of
// o/<bucket>\x00<key>. A key holding the delimiter after the prefix rolls up
// into a CommonPrefix, and the scan then seeks past every key sharing it, so
// a page costs about one index entry per item it returns, whatever the
// bucket holds elsewhere.

// maxListKeys is S3's cap on max-keys, max-uploads and max-parts.
const maxListKeys = 1000

var errMaxKeysNegative = ErrInvalidArgument.With("Argument maxKeys must be an integer between 0 and 2147483647")

// listQuery is one listing request after parsing.
type listQuery struct {
	bucket    string
	prefix    string
	delimiter string
	// after is the resume point: only keys sorting after it are listed,
	// and a CommonPrefix equal to it is skipped (it was the last item of
	// the previous page). A CommonPrefix that merely contains it is listed
	// again, as S3 does for a start-after inside a "folder".
	after string
	max   int // 0..maxListKeys
}

// listItem is one entry of a page: an object (meta != nil) or a CommonPrefix.
type listItem struct {
	key  string
	meta *listedMeta
}

// listedMeta is the part of objectMeta a listing shows; decoding only it
// skips the segment lists (up to 10,000 for a multipart object) and the
// headers of every listed object.
type listedMeta struct {
	Size         int64     `json:"size"`
	ETag         string    `json:"etag"`
	LastModified time.Time `json:"mtime"`
	ChecksumAlgo string    `json:"ckalgo,omitempty"`
	ChecksumType string    `json:"cktype,omitempty"`
	StorageClass string    `json:"class,omitempty"`
}

// listPage is the result of a scan.
type listPage struct {
	items     []listItem
	truncated bool // more items follow the last one
}

// last is the key or CommonPrefix of the page's last item ("" if none).
func (p *listPage) last() string {
	if len(p.items) == 0 {
		return ""
	}
	return p.items[len(p.items)-1].key
}

// joinKey returns a fresh slice a+b+extra (never aliasing a).
func joinKey(a []byte, b string, extra ...byte) []byte {
	out := make([]byte, 0, len(a)+len(b)+len(extra))
	return append(append(append(out, a...), b...), extra...)
}

// rollUp returns the CommonPrefix key belongs to under prefix and delim,
// or "" when the key is listed itself.
func rollUp(key, prefix, delim string) string {
	if delim == "" || !strings.HasPrefix(key, prefix) {
		return ""
	}
	if i := strings.Index(key[len(prefix):], delim); i >= 0 {
		return key[:len(prefix)+i+len(delim)]
	}
	return ""
}

// scanObjects lists one page of q. It reads at most q.max+1 items' index
// entries plus one seek per CommonPrefix.
func (s *Service) scanObjects(q listQuery) (listPage, error) {
	var page listPage
	if q.max <= 0 {
		return page, nil // S3 answers max-keys=0 with an empty, untruncated page
	}
	base := objectPrefix(q.bucket)
	lower := joinKey(base, q.prefix)
	it, err := s.meta.Iter(lower, kv.PrefixEnd(lower))
	if err != nil {
		return page, err
	}
	start := lower
	if q.after != "" {
		if a := joinKey(base, q.after, 0); bytes.Compare(a, start) > 0 {
			start = a
		}
	}
	for ok := it.SeekGE(start); ok; {
		key := string(it.Key()[len(base):])
		if cp := rollUp(key, q.prefix, q.delimiter); cp != "" {
			if cp != q.after {
				if len(page.items) == q.max {
					page.truncated = true
					break
				}
				page.items = append(page.items, listItem{key: cp})
			}
			ok = it.SeekGE(kv.PrefixEnd(joinKey(base, cp)))
			continue
		}
		if len(page.items) == q.max {
			page.truncated = true
			break
		}
		raw, err := it.Value()
		if err != nil {
			it.Close()
			return page, err
		}
		m := new(listedMeta)
		if err := json.Unmarshal(raw, m); err != nil {
			it.Close()
			return page, fmt.Errorf("decode object %q: %w", key, err)
		}
		page.items = append(page.items, listItem{key: key, meta: m})
		ok = it.Next()
	}
	return page, it.Close()
}

// listParams are the request parameters v1 and v2 share.
type listParams struct {
	prefix, delimiter string
	encode            bool // encoding-type=url
	max               int
}

// parseListParams reads prefix, delimiter, encoding-type and the page size
// (named maxName: max-keys or max-uploads).
func parseListParams(q url.Values, maxName string) (listParams, error) {
	p := listParams{prefix: q.Get("prefix"), delimiter: q.Get("delimiter"), max: maxListKeys}
	switch et := q.Get("encoding-type"); et {
	case "":
	case "url":
		p.encode = true
	default:
		return p, ErrInvalidEncodingType
	}
	if has(q, maxName) {
		n, err := parseMax(q.Get(maxName), maxName)
		if err != nil {
			return p, err
		}
		p.max = n
	}
	return p, nil
}

// parseMax parses a page-size parameter, capping it at maxListKeys.
func parseMax(v, name string) (int, error) {
	n, err := strconv.ParseInt(v, 10, 32)
	if err != nil {
		if name == "max-keys" {
			return 0, ErrMaxKeysInvalid
		}
		return 0, ErrInvalidArgument.With("Provided " + name + " not an integer or within integer range")
	}
	if n < 0 {
		if name == "max-keys" {
			return 0, errMaxKeysNegative
		}
		return 0, ErrInvalidArgument.With("Argument " + name + " must be an integer between 0 and 2147483647")
	}
	return int(min(n, maxListKeys)), nil
}

// storageClassOf is the listed storage class: STANDARD unless recorded.
func storageClassOf(c string) string {
	if c == "" {
		return "STANDARD"
	}
	return c
}
