package jobs

import (
	"crypto/rand"
	"encoding/hex"
	"strings"
	"unicode/utf8"

	"github.com/tarnhq/tarn/internal/awsjson"
)

const maxNameLen = 255

// validName checks a Glue NameString: 1-255 characters of one line.
func validName(field, name string) error {
	if name == "" {
		return errRequired(field)
	}
	if utf8.RuneCountInString(name) > maxNameLen || strings.ContainsAny(name, "\r\n\x00") || !utf8.ValidString(name) {
		return awsjson.Validation(field, name, "Member must satisfy regular expression pattern: [\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*")
	}
	return nil
}

// randomHex returns n random bytes as hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b) // crypto/rand.Read never fails
	return hex.EncodeToString(b)
}

// newRunID is a Glue job run id: jr_ and 64 hex digits.
func newRunID() string { return "jr_" + randomHex(32) }

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func ptr[T any](v T) *T { return &v }

const (
	maxTags        = 50
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

func validTags(tags map[string]string) error {
	if len(tags) > maxTags {
		return errInvalid("A resource can have at most %d tags.", maxTags)
	}
	for k, v := range tags {
		if k == "" || len(k) > maxTagKeyLen || len(v) > maxTagValueLen || strings.HasPrefix(strings.ToLower(k), "aws:") {
			return errInvalid("Invalid tag: key %q, value %q.", k, v)
		}
	}
	return nil
}

// tagsMatch reports whether have holds every tag of want.
func tagsMatch(have, want map[string]string) bool {
	for k, v := range want {
		if hv, ok := have[k]; !ok || hv != v {
			return false
		}
	}
	return true
}
