package ui

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	pathpkg "path"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
)

// ProxyServices are the SigV4 signing names the proxy may call.
var ProxyServices = []string{"s3", "kinesis", "firehose", "dynamodb", "glue", "athena", "redshift-data", "lambda", "logs", "elasticmapreduce"}

// streamingTargets answer event streams that never end on their own; the
// proxy, which buffers whole responses, refuses them.
var streamingTargets = map[string]bool{"Kinesis_20131202.SubscribeToShard": true}

// proxyRequest is the body of POST api/aws/{service}.
type proxyRequest struct {
	Method     string            `json:"method"`
	Path       string            `json:"path"`
	Query      map[string]string `json:"query"`
	Headers    map[string]string `json:"headers"`
	Body       string            `json:"body"`
	BodyBase64 string            `json:"body_base64"`
}

// proxyResponse is its answer: Body holds a UTF-8 body, BodyBase64 any other.
type proxyResponse struct {
	Status     int               `json:"status"`
	Headers    map[string]string `json:"headers"`
	Body       string            `json:"body,omitempty"`
	BodyBase64 string            `json:"body_base64,omitempty"`
}

// allowedHeader reports whether the console may set header h on a
// proxied request. Authorization, Host, dates and tokens are the proxy's.
func allowedHeader(h string) bool {
	h = strings.ToLower(h)
	switch h {
	case "content-type", "x-amz-target", "accept", "range", "if-match", "if-none-match", "content-md5",
		"x-amz-copy-source", "x-amz-invocation-type", "x-amz-log-type", "x-amz-client-context",
		"x-amz-tagging", "x-amz-storage-class", "cache-control", "content-disposition", "content-encoding":
		return true
	}
	return strings.HasPrefix(h, "x-amz-meta-")
}

func isProxyService(svc string) bool {
	for _, s := range ProxyServices {
		if s == svc {
			return true
		}
	}
	return false
}

func (s *Service) serveProxy(w http.ResponseWriter, r *http.Request, sess *session) {
	svc := r.PathValue("service")
	if !isProxyService(svc) {
		writeErr(w, fmt.Errorf("%w: service %q is not reachable from the console", errBadRequest, svc))
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 2*MaxProxyBody)
	var in proxyRequest
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeErr(w, fmt.Errorf("%w: proxy body: %v", errBadRequest, err))
		return
	}
	body := []byte(in.Body)
	if in.BodyBase64 != "" {
		b, err := base64.StdEncoding.DecodeString(in.BodyBase64)
		if err != nil {
			writeErr(w, fmt.Errorf("%w: body_base64: %v", errBadRequest, err))
			return
		}
		body = b
	}
	up, err := s.buildRequest(r, svc, sess, &in, body)
	if err != nil {
		writeErr(w, err)
		return
	}
	rec := s.serveUpstream(up)
	out := proxyResponse{Status: rec.status, Headers: map[string]string{}}
	for k, v := range rec.header {
		out.Headers[k] = strings.Join(v, ", ")
	}
	if rec.truncated {
		writeJSON(w, http.StatusBadGateway, map[string]string{"error": fmt.Sprintf("ui: response larger than %d bytes", MaxProxyBody)})
		return
	}
	if b := rec.body.Bytes(); utf8.Valid(b) {
		out.Body = string(b)
	} else {
		out.BodyBase64 = base64.StdEncoding.EncodeToString(b)
	}
	writeJSON(w, http.StatusOK, out)
}

// buildRequest makes the signed upstream request for svc. Its Host is the
// console's own host, as a client of this tarn would send it.
func (s *Service) buildRequest(r *http.Request, svc string, sess *session, in *proxyRequest, body []byte) (*http.Request, error) {
	method := strings.ToUpper(in.Method)
	if method == "" {
		method = http.MethodPost
	}
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPost, http.MethodDelete:
	default:
		return nil, fmt.Errorf("%w: method %q", errBadRequest, in.Method)
	}
	path := in.Path
	if path == "" {
		path = "/"
	}
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(pathpkg.Clean(path), "/_tarn") || strings.HasPrefix(path, "//") ||
		strings.ContainsAny(path, "?#") {
		return nil, fmt.Errorf("%w: path %q", errBadRequest, in.Path)
	}
	if len(body) > MaxProxyBody {
		return nil, fmt.Errorf("%w: body larger than %d bytes", errBadRequest, MaxProxyBody)
	}
	u := &url.URL{Scheme: "http", Host: r.Host, Path: path, RawQuery: encodeQuery(in.Query)}
	if r.TLS != nil {
		u.Scheme = "https"
	}
	if svc == "s3" {
		u.RawPath = s3EscapePath(path)
	}
	up, err := http.NewRequestWithContext(r.Context(), method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errBadRequest, err)
	}
	up.RequestURI = up.URL.RequestURI()
	up.RemoteAddr = r.RemoteAddr
	for k, v := range in.Headers {
		if !allowedHeader(k) {
			return nil, fmt.Errorf("%w: header %q may not be set", errBadRequest, k)
		}
		up.Header.Set(k, v)
	}
	if t := up.Header.Get("X-Amz-Target"); streamingTargets[t] {
		return nil, fmt.Errorf("%w: %s is an event stream; the console proxy answers whole responses only", errBadRequest, t)
	}
	secret, ok := s.secret(sess.AccessKey)
	if !ok {
		return nil, errUnauthorized
	}
	sum := sha256.Sum256(body)
	hash := hex.EncodeToString(sum[:])
	signer := v4.NewSigner()
	if svc == "s3" {
		up.Header.Set("X-Amz-Content-Sha256", hash)
		signer = v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true })
	}
	creds := aws.Credentials{AccessKeyID: sess.AccessKey, SecretAccessKey: secret}
	if err := signer.SignHTTP(r.Context(), creds, up, hash, svc, s.region, s.now()); err != nil {
		return nil, fmt.Errorf("sign: %w", err)
	}
	return up, nil
}

// encodeQuery encodes q with SigV4's escaping (%20, not +), keys sorted.
func encodeQuery(q map[string]string) string {
	keys := make([]string, 0, len(q))
	for k := range q {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var b strings.Builder
	for i, k := range keys {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(awsEscape(k))
		if v := q[k]; v != "" || !emptyFlag(k) {
			b.WriteByte('=')
			b.WriteString(awsEscape(v))
		}
	}
	return b.String()
}

// emptyFlag: S3 sub-resources sent bare (?uploads, ?tagging).
func emptyFlag(k string) bool {
	switch k {
	case "uploads", "tagging", "versioning", "notification", "cors", "policy", "acl", "versions", "location", "lifecycle", "delete":
		return true
	}
	return false
}

// awsEscape percent-encodes everything but RFC 3986 unreserved bytes.
func awsEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// s3EscapePath escapes each segment of an S3 key path strictly.
func s3EscapePath(p string) string {
	parts := strings.Split(p, "/")
	for i, seg := range parts {
		parts[i] = awsEscape(seg)
	}
	return strings.Join(parts, "/")
}

// recorder captures an in-process response, up to MaxProxyBody bytes.
type recorder struct {
	header    http.Header
	status    int
	wrote     bool
	body      bytes.Buffer
	truncated bool
}

func (c *recorder) Header() http.Header { return c.header }
func (c *recorder) WriteHeader(code int) {
	if !c.wrote {
		c.status, c.wrote = code, true
	}
}
func (c *recorder) Write(b []byte) (int, error) {
	c.WriteHeader(http.StatusOK)
	if c.body.Len()+len(b) > MaxProxyBody {
		c.truncated = true
		return 0, fmt.Errorf("ui: response too large")
	}
	return c.body.Write(b)
}

func (s *Service) serveUpstream(up *http.Request) *recorder {
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	if s.upstream == nil {
		rec.status = http.StatusServiceUnavailable
		rec.header.Set("Content-Type", "application/json")
		rec.body.WriteString(`{"__type":"ServiceUnavailable","message":"tarn UI has no upstream"}`)
		return rec
	}
	s.upstream.ServeHTTP(rec, up)
	return rec
}

// serveDownload streams an S3 object to the browser as an attachment,
// through the same signed path as every other call.
func (s *Service) serveDownload(w http.ResponseWriter, r *http.Request, sess *session) {
	bucket, key := r.URL.Query().Get("bucket"), r.URL.Query().Get("key")
	if bucket == "" || key == "" || strings.Contains(bucket, "/") {
		writeErr(w, fmt.Errorf("%w: bucket and key are required", errBadRequest))
		return
	}
	in := &proxyRequest{Method: http.MethodGet, Path: "/" + bucket + "/" + key}
	up, err := s.buildRequest(r, "s3", sess, in, nil)
	if err != nil {
		writeErr(w, err)
		return
	}
	if s.upstream == nil {
		writeJSON(w, http.StatusServiceUnavailable, map[string]string{"error": "ui: no upstream"})
		return
	}
	name := key[strings.LastIndexByte(key, '/')+1:]
	dw := &downloadWriter{ResponseWriter: w, name: name}
	s.upstream.ServeHTTP(dw, up)
}

// downloadWriter passes the upstream response through, marking a
// successful one as an attachment (so the browser never renders it).
type downloadWriter struct {
	http.ResponseWriter
	name  string
	wrote bool
}

func (d *downloadWriter) WriteHeader(code int) {
	if !d.wrote {
		d.wrote = true
		if code == http.StatusOK {
			d.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename*=UTF-8''%s", awsEscape(d.name)))
		}
		d.Header().Set("Content-Security-Policy", "sandbox")
	}
	d.ResponseWriter.WriteHeader(code)
}

func (d *downloadWriter) Write(b []byte) (int, error) {
	if !d.wrote {
		d.WriteHeader(http.StatusOK)
	}
	return d.ResponseWriter.Write(b)
}

var _ io.Writer = (*recorder)(nil)
