package sigv4

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

// queryParam is one decoded name=value pair of a query string.
type queryParam struct{ Name, Value string }

// queryParams are the pairs of a query string in the order sent.
type queryParams []queryParam

// parseQuery splits a raw query string on '&' and decodes each name and
// value the way the AWS SDKs do (url.QueryUnescape: "+" is a space). A pair
// without '=' has an empty value; empty pairs are skipped; a component that
// is not valid percent-encoding is kept as sent.
func parseQuery(raw string) queryParams {
	if raw == "" {
		return nil
	}
	q := make(queryParams, 0, strings.Count(raw, "&")+1)
	for pair := range strings.SplitSeq(raw, "&") {
		if pair == "" {
			continue
		}
		name, value, _ := strings.Cut(pair, "=")
		q = append(q, queryParam{Name: unescapeQuery(name), Value: unescapeQuery(value)})
	}
	return q
}

func unescapeQuery(s string) string {
	if !strings.ContainsAny(s, "%+") {
		return s
	}
	if u, err := url.QueryUnescape(s); err == nil {
		return u
	}
	return s
}

// get returns the first value of name.
func (q queryParams) get(name string) (string, bool) {
	for _, p := range q {
		if p.Name == name {
			return p.Value, true
		}
	}
	return "", false
}

func (q queryParams) has(name string) bool {
	_, ok := q.get(name)
	return ok
}

// canonicalQuery is the canonical query string: every name and value
// URI-encoded (RFC 3986 unreserved characters kept, everything else %XX),
// sorted by encoded name then encoded value, joined with '&'. X-Amz-Signature
// is left out when presigned.
func canonicalQuery(q queryParams, presigned bool) string {
	if len(q) == 0 {
		return ""
	}
	enc := make([]queryParam, 0, len(q))
	for _, p := range q {
		if presigned && p.Name == "X-Amz-Signature" {
			continue
		}
		enc = append(enc, queryParam{Name: uriEncode(p.Name, true), Value: uriEncode(p.Value, true)})
	}
	slices.SortFunc(enc, func(a, b queryParam) int {
		if c := strings.Compare(a.Name, b.Name); c != 0 {
			return c
		}
		return strings.Compare(a.Value, b.Value)
	})
	var b strings.Builder
	for i, p := range enc {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(p.Name)
		b.WriteByte('=')
		b.WriteString(p.Value)
	}
	return b.String()
}

// unreserved marks the RFC 3986 unreserved characters, which SigV4 never
// percent-encodes.
var unreserved = func() (t [256]bool) {
	for c := range 256 {
		t[c] = 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~'
	}
	return t
}()

// uriEncode percent-encodes (uppercase hex) every byte of s that is not
// unreserved; '/' too when encodeSlash.
func uriEncode(s string, encodeSlash bool) string {
	n := 0
	for i := 0; i < len(s); i++ {
		if c := s[i]; !unreserved[c] && (c != '/' || encodeSlash) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	const hexUpper = "0123456789ABCDEF"
	b := make([]byte, 0, len(s)+2*n)
	for i := 0; i < len(s); i++ {
		c := s[i]
		if unreserved[c] || (c == '/' && !encodeSlash) {
			b = append(b, c)
			continue
		}
		b = append(b, '%', hexUpper[c>>4], hexUpper[c&15])
	}
	return string(b)
}

// requestTarget returns the path and query of r exactly as the client sent
// them: from r.RequestURI for a server request (so that routing code that
// rewrites r.URL does not change what is verified), else from r.URL.
func requestTarget(r *http.Request) (path, query string) {
	uri := r.RequestURI
	if uri == "" {
		return urlPath(r.URL), r.URL.RawQuery
	}
	if !strings.HasPrefix(uri, "/") {
		// absolute-form "http://host/path?q", or "*".
		if i := strings.Index(uri, "://"); i >= 0 {
			uri = uri[i+3:]
			if j := strings.IndexAny(uri, "/?"); j >= 0 {
				uri = uri[j:]
			} else {
				uri = ""
			}
		}
	}
	path, query, _ = strings.Cut(uri, "?")
	return path, query
}

// urlPath is the escaped path of a client-side URL, honouring Opaque
// ("//host/path") the way the SDK signer does.
func urlPath(u *url.URL) string {
	if u.Opaque == "" {
		return u.EscapedPath()
	}
	o, _, _ := strings.Cut(u.Opaque, "?")
	o = strings.TrimPrefix(o, "//")
	if i := strings.IndexByte(o, '/'); i >= 0 {
		return o[i:]
	}
	return ""
}

func rawQuery(r *http.Request) string {
	_, q := requestTarget(r)
	return q
}

// headerValue is the canonical value of header name (lowercase) in r:
// every value trimmed with inner runs of spaces collapsed, joined by ','.
// Headers Go moves out of r.Header are read from where Go puts them.
func headerValue(r *http.Request, name string) string {
	if name == "host" {
		h := r.Host
		if h == "" {
			h = r.URL.Host
		}
		return stripExcessSpaces(h)
	}
	vals := r.Header.Values(name)
	if len(vals) == 0 {
		switch name {
		case "content-length":
			if r.ContentLength > 0 {
				return strconv.FormatInt(r.ContentLength, 10)
			}
		case "transfer-encoding":
			return strings.Join(r.TransferEncoding, ",")
		}
		return ""
	}
	if len(vals) == 1 {
		return strings.TrimSpace(stripExcessSpaces(vals[0]))
	}
	var b strings.Builder
	for i, v := range vals {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(strings.TrimSpace(stripExcessSpaces(v)))
	}
	return b.String()
}

// stripExcessSpaces trims leading and trailing spaces and collapses every
// run of spaces to one (spaces only, as the SDK signers do).
func stripExcessSpaces(s string) string {
	s = strings.Trim(s, " ")
	if !strings.Contains(s, "  ") {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == ' ' && i > 0 && s[i-1] == ' ' {
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

// canonicalRequest builds the SigV4 canonical request.
func canonicalRequest(r *http.Request, uri, query string, signed []string, payloadHash string) string {
	var b strings.Builder
	b.Grow(256 + len(uri) + len(query))
	b.WriteString(r.Method)
	b.WriteByte('\n')
	b.WriteString(uri)
	b.WriteByte('\n')
	b.WriteString(query)
	b.WriteByte('\n')
	for _, name := range signed {
		b.WriteString(name)
		b.WriteByte(':')
		b.WriteString(headerValue(r, name))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	for i, name := range signed {
		if i > 0 {
			b.WriteByte(';')
		}
		b.WriteString(name)
	}
	b.WriteByte('\n')
	b.WriteString(payloadHash)
	return b.String()
}

// stringToSign builds the string to sign for a canonical request.
func stringToSign(amzDate, scope, canonical string) string {
	sum := sha256.Sum256([]byte(canonical))
	return algorithm + "\n" + amzDate + "\n" + scope + "\n" + hex.EncodeToString(sum[:])
}

// hmacSHA256 returns HMAC-SHA256(key, data).
func hmacSHA256(key []byte, data string) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(data))
	return h.Sum(nil)
}

// deriveKey derives the SigV4 signing key: four chained HMACs over the
// scope's date, region, service and "aws4_request".
func deriveKey(secret, date, region, service string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), date)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, scopeTerminal)
}
