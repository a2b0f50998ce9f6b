package s3

import (
	"net/http"
	"net/url"
	"sort"
	"strings"
)

// S3 limits on a single object write.
const (
	maxKeyLength    = 1024    // bytes of UTF-8
	maxPutSize      = 5 << 30 // PutObject and CopyObject
	maxUserMetaSize = 2048    // sum of x-amz-meta-* names and values
	userMetaPrefix  = "x-amz-meta-"
	defaultCType    = "binary/octet-stream"
)

// storedHeaders are the representation headers kept with an object and
// returned by GetObject/HeadObject as they were sent.
var storedHeaders = []string{"Cache-Control", "Content-Disposition", "Content-Encoding",
	"Content-Language", "Expires", "X-Amz-Website-Redirect-Location"}

// storageClasses S3 accepts for general purpose buckets; STANDARD is
// stored as "".
var storageClasses = map[string]bool{"STANDARD": true, "REDUCED_REDUNDANCY": true, "STANDARD_IA": true,
	"ONEZONE_IA": true, "INTELLIGENT_TIERING": true, "GLACIER": true, "DEEP_ARCHIVE": true, "GLACIER_IR": true}

// checkKey enforces S3's key length limit.
func checkKey(key string) error {
	if len(key) > maxKeyLength {
		return ErrKeyTooLong.WithExtra("Size", itoa(int64(len(key)))).WithExtra("MaxSizeAllowed", "1024")
	}
	return nil
}

// objectAttrs are the parts of objectMeta a request sets by header.
type objectAttrs struct {
	contentType  string
	headers      map[string]string
	userMeta     map[string]string
	storageClass string
}

// attrsFromHeaders reads and validates the metadata headers of an object
// write, and refuses headers asking for features tarn lacks (KMS,
// customer keys, object lock) or that S3 refuses (ACLs other than the
// default, since buckets enforce bucket-owner ownership).
func attrsFromHeaders(h http.Header) (*objectAttrs, error) {
	if err := refuseUnsupported(h); err != nil {
		return nil, err
	}
	a := &objectAttrs{contentType: h.Get("Content-Type"), headers: map[string]string{}, userMeta: map[string]string{}}
	if a.contentType == "" {
		a.contentType = defaultCType
	}
	for _, name := range storedHeaders {
		if v := h.Get(name); v != "" {
			a.headers[name] = v
		}
	}
	if ce, ok := a.headers["Content-Encoding"]; ok {
		if ce = stripAWSChunked(ce); ce == "" {
			delete(a.headers, "Content-Encoding")
		} else {
			a.headers["Content-Encoding"] = ce
		}
	}
	size := 0
	for k, vs := range h {
		name, ok := strings.CutPrefix(strings.ToLower(k), userMetaPrefix)
		if !ok {
			continue
		}
		v := strings.Join(vs, ",")
		a.userMeta[name] = v
		size += len(name) + len(v)
	}
	if size > maxUserMetaSize {
		return nil, ErrMetadataTooLarge.WithExtra("MetadataSize", itoa(int64(size))).WithExtra("MaxMetadataSize", "2048")
	}
	if sc := h.Get("x-amz-storage-class"); sc != "" {
		if !storageClasses[sc] {
			return nil, ErrInvalidStorageClass.WithExtra("StorageClassRequested", sc)
		}
		if sc != "STANDARD" {
			a.storageClass = sc
		}
	}
	return a, nil
}

func refuseUnsupported(h http.Header) error {
	if acl := h.Get("x-amz-acl"); acl != "" && acl != "private" && acl != "bucket-owner-full-control" || hasGrantHeader(h) {
		return ErrACLNotSupported
	}
	if sse := h.Get("x-amz-server-side-encryption"); sse != "" && sse != "AES256" {
		return notImplemented("server-side encryption " + sse + " (only AES256, the default, is served)")
	}
	if h.Get("x-amz-server-side-encryption-customer-algorithm") != "" {
		return notImplemented("SSE-C (customer-provided encryption keys)")
	}
	for _, k := range []string{"x-amz-object-lock-mode", "x-amz-object-lock-retain-until-date", "x-amz-object-lock-legal-hold"} {
		if h.Get(k) != "" {
			return ErrInvalidRequest.With("Bucket is missing Object Lock Configuration")
		}
	}
	return nil
}

// stripAWSChunked drops the aws-chunked coding from a Content-Encoding
// list: it describes the transfer, not the stored object.
func stripAWSChunked(ce string) string {
	var keep []string
	for _, c := range strings.Split(ce, ",") {
		if c = strings.TrimSpace(c); c != "" && !strings.EqualFold(c, "aws-chunked") {
			keep = append(keep, c)
		}
	}
	return strings.Join(keep, ",")
}

func (m *objectMeta) setAttrs(a *objectAttrs) {
	m.ContentType, m.Headers, m.UserMeta, m.StorageClass = a.contentType, a.headers, a.userMeta, a.storageClass
}

// responseOverrides maps GetObject's response-* query parameters to the
// headers they replace.
var responseOverrides = [][2]string{
	{"response-content-type", "Content-Type"}, {"response-content-language", "Content-Language"},
	{"response-expires", "Expires"}, {"response-cache-control", "Cache-Control"},
	{"response-content-disposition", "Content-Disposition"}, {"response-content-encoding", "Content-Encoding"},
}

// setObjectHeaders writes the headers GetObject/HeadObject return for m.
// q carries response-* overrides (nil for none).
func setObjectHeaders(h http.Header, m *objectMeta, q url.Values) {
	ct := m.ContentType
	if ct == "" {
		ct = defaultCType
	}
	h.Set("Content-Type", ct)
	for k, v := range m.Headers {
		h.Set(k, v)
	}
	names := make([]string, 0, len(m.UserMeta))
	for k := range m.UserMeta {
		names = append(names, k)
	}
	sort.Strings(names)
	for _, k := range names {
		h[userMetaPrefix+k] = []string{m.UserMeta[k]} // lowercase on the wire, as S3 sends them
	}
	h.Set("ETag", `"`+m.ETag+`"`)
	h.Set("Last-Modified", httpTime(m.LastModified))
	h.Set("Accept-Ranges", "bytes")
	h.Set("x-amz-server-side-encryption", "AES256")
	if m.StorageClass != "" {
		h.Set("x-amz-storage-class", m.StorageClass)
	}
	if len(m.Tags) > 0 {
		h.Set("x-amz-tagging-count", itoa(int64(len(m.Tags))))
	}
	for _, o := range responseOverrides {
		if v := q.Get(o[0]); v != "" {
			h.Set(o[1], v)
		}
	}
}
