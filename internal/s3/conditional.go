package s3

import (
	"net/http"
	"strings"
	"time"
)

// etagMatches reports whether an If-Match / If-None-Match value (a list
// of quoted or bare entity tags, or "*") names etag (unquoted).
func etagMatches(list, etag string) bool {
	for _, t := range strings.Split(list, ",") {
		t = strings.TrimSpace(t)
		t = strings.TrimPrefix(t, "W/")
		if t == "*" || strings.Trim(t, `"`) == etag {
			return true
		}
	}
	return false
}

// headerTime parses an HTTP date header; ok is false when the header is
// absent or not a date (S3 then ignores the condition).
func headerTime(h http.Header, name string) (time.Time, bool) {
	v := h.Get(name)
	if v == "" {
		return time.Time{}, false
	}
	t, err := http.ParseTime(v)
	return t, err == nil
}

// conditions are the four HTTP preconditions under the header names a
// request uses for them (GetObject's own, or CopyObject's
// x-amz-copy-source-if-*).
type conditions struct {
	match, noneMatch, modifiedSince, unmodifiedSince string
}

var (
	readConditions = conditions{"If-Match", "If-None-Match", "If-Modified-Since", "If-Unmodified-Since"}
	copyConditions = conditions{"x-amz-copy-source-if-match", "x-amz-copy-source-if-none-match",
		"x-amz-copy-source-if-modified-since", "x-amz-copy-source-if-unmodified-since"}
)

// evaluate applies S3's precedence (RFC 7232 section 6): If-Match, else
// If-Unmodified-Since, may fail with 412; then If-None-Match, else
// If-Modified-Since, may answer 304. So If-Match true beats a false
// If-Unmodified-Since, and a false If-None-Match beats a true
// If-Modified-Since. notModified is the error for the 304 case
// (CopyObject answers 412 there too).
func (c conditions) evaluate(h http.Header, m *objectMeta, notModified *Error) error {
	mtime := m.LastModified.Truncate(time.Second)
	if v := h.Get(c.match); v != "" {
		if !etagMatches(v, m.ETag) {
			return ErrPreconditionFailed.WithExtra("Condition", c.match)
		}
	} else if t, ok := headerTime(h, c.unmodifiedSince); ok && mtime.After(t) {
		return ErrPreconditionFailed.WithExtra("Condition", c.unmodifiedSince)
	}
	if v := h.Get(c.noneMatch); v != "" {
		if etagMatches(v, m.ETag) {
			return notModified.WithExtra("Condition", c.noneMatch)
		}
	} else if t, ok := headerTime(h, c.modifiedSince); ok && !mtime.After(t) {
		return notModified.WithExtra("Condition", c.modifiedSince)
	}
	return nil
}

// writeCond is a conditional write (PutObject, CopyObject's destination):
// If-None-Match: * (only if the key is absent) or If-Match: <etag> (only
// if the current object has that ETag).
type writeCond struct {
	ifNoneMatch bool
	ifMatch     string
}

func parseWriteCond(h http.Header) (writeCond, error) {
	var wc writeCond
	if v := strings.TrimSpace(h.Get("If-None-Match")); v != "" {
		if v != "*" {
			return wc, ErrNotImplemented.WithExtra("Header", "If-None-Match")
		}
		wc.ifNoneMatch = true
	}
	wc.ifMatch = strings.TrimSpace(h.Get("If-Match"))
	return wc, nil
}

// check decides the write against the current object (nil if none).
func (wc writeCond) check(key string, cur *objectMeta) error {
	if wc.ifNoneMatch && cur != nil {
		return ErrPreconditionFailed.WithExtra("Condition", "If-None-Match")
	}
	if wc.ifMatch != "" {
		if cur == nil {
			return ErrNoSuchKey.WithExtra("Key", key)
		}
		if !etagMatches(wc.ifMatch, cur.ETag) {
			return ErrPreconditionFailed.WithExtra("Condition", "If-Match")
		}
	}
	return nil
}
