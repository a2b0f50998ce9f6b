package s3

import (
	"net"
	"net/http"
	"net/url"
	"strings"

	"github.com/tarnhq/tarn/internal/request"
	"github.com/tarnhq/tarn/internal/sigv4"
)

// call is one S3 request after routing: the addressed bucket and key
// (either may be empty) and the query.
type call struct {
	w      http.ResponseWriter
	r      *http.Request
	bucket string
	key    string
	q      url.Values
}

type handlerFunc func(s *Service, c *call) error

// unsupportedSub maps each subresource tarn does not serve to the name of
// the operation it selects: a request naming one answers NotImplemented
// with that name, never a fake success. {verb} becomes Get, Put or Delete
// by method; {kind} becomes Object when a key is addressed, else Bucket.
// Tagging is listed for buckets only: a key's ?tagging is routed to the
// object tagging handlers (routeObjectTagging).
var unsupportedSub = map[string]string{
	"acl": "{verb}{kind}Acl", "tagging": "{verb}BucketTagging", "policy": "{verb}BucketPolicy",
	"cors": "{verb}BucketCors", "lifecycle": "{verb}BucketLifecycleConfiguration",
	"website": "{verb}BucketWebsite", "logging": "{verb}BucketLogging",
	"notification": "{verb}BucketNotificationConfiguration", "replication": "{verb}BucketReplication",
	"encryption": "{verb}BucketEncryption", "object-lock": "{verb}ObjectLockConfiguration",
	"retention": "{verb}ObjectRetention", "legal-hold": "{verb}ObjectLegalHold",
	"accelerate": "{verb}BucketAccelerateConfiguration", "requestPayment": "{verb}BucketRequestPayment",
	"analytics": "{verb}BucketAnalyticsConfiguration", "inventory": "{verb}BucketInventoryConfiguration",
	"metrics": "{verb}BucketMetricsConfiguration", "intelligent-tiering": "{verb}BucketIntelligentTieringConfiguration",
	"ownershipControls": "{verb}BucketOwnershipControls", "publicAccessBlock": "{verb}PublicAccessBlock",
	"policyStatus": "GetBucketPolicyStatus", "metadataTable": "{verb}BucketMetadataTableConfiguration",
	"torrent": "GetObjectTorrent", "restore": "RestoreObject", "select": "SelectObjectContent",
	"attributes": "GetObjectAttributes", "versions": "ListObjectVersions", "session": "CreateSession",
}

// unsupportedOp names the operation of an unsupported subresource.
func unsupportedOp(tmpl, method string, hasKey bool) string {
	kind := "Bucket"
	if hasKey {
		kind = "Object"
	}
	return strings.NewReplacer("{verb}", verb(method), "{kind}", kind).Replace(tmpl)
}

func (s *Service) serve(w http.ResponseWriter, r *http.Request) {
	r = withSourceIP(r) // for notification events
	c := &call{w: w, r: r, q: r.URL.Query()}
	c.bucket, c.key = s.address(r)
	op, h := route(c)
	request.SetOperation(r.Context(), op)
	if a := sigv4.AuthFrom(r.Context()); a == nil || a.Anonymous {
		WriteError(w, r, ErrAccessDenied, s.log)
		return
	}
	if h == nil {
		WriteError(w, r, notImplemented(op), s.log)
		return
	}
	if err := h(s, c); err != nil {
		WriteError(w, r, err, s.log)
	}
}

// address finds the bucket and key of r: virtual-hosted style when the
// Host is "<bucket>.<domain>" for a configured domain, else path style.
func (s *Service) address(r *http.Request) (bucket, key string) {
	host := r.Host
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.ToLower(host)
	path := r.URL.Path            // decoded; S3 keys are the decoded path
	for _, d := range s.domains { // longest first: "s3.localhost" before "localhost"
		if host == d {
			break // the service endpoint itself: path style
		}
		if b, ok := strings.CutSuffix(host, "."+d); ok && b != "" {
			return b, strings.TrimPrefix(path, "/")
		}
	}
	path = strings.TrimPrefix(path, "/")
	bucket, key, _ = strings.Cut(path, "/")
	return bucket, key
}

// route names the operation of c and returns its handler (nil when tarn
// does not implement it).
func route(c *call) (string, handlerFunc) {
	m := c.r.Method
	for sub, tmpl := range unsupportedSub {
		if sub == "tagging" && c.key != "" || sub == "notification" && c.key == "" && (m == http.MethodGet || m == http.MethodPut) {
			continue // object tagging and bucket notification are served
		}
		if _, ok := c.q[sub]; ok {
			return unsupportedOp(tmpl, m, c.key != ""), nil
		}
	}
	switch {
	case c.bucket == "":
		if m == http.MethodGet {
			return "ListBuckets", (*Service).listBuckets
		}
	case c.key == "":
		return routeBucket(c)
	default:
		return routeObject(c)
	}
	return "Unknown", methodNotAllowed
}

func routeBucket(c *call) (string, handlerFunc) {
	_, hasUploads := c.q["uploads"]
	switch c.r.Method {
	case http.MethodPut:
		if _, ok := c.q["versioning"]; ok {
			return "PutBucketVersioning", nil
		}
		if has(c.q, "notification") {
			return "PutBucketNotificationConfiguration", (*Service).putBucketNotification
		}
		return "CreateBucket", (*Service).createBucket
	case http.MethodHead:
		return "HeadBucket", (*Service).headBucket
	case http.MethodDelete:
		return "DeleteBucket", (*Service).deleteBucket
	case http.MethodGet:
		switch {
		case has(c.q, "location"):
			return "GetBucketLocation", (*Service).getBucketLocation
		case has(c.q, "versioning"):
			return "GetBucketVersioning", (*Service).getBucketVersioning
		case has(c.q, "notification"):
			return "GetBucketNotificationConfiguration", (*Service).getBucketNotification
		case hasUploads:
			return "ListMultipartUploads", (*Service).listMultipartUploads
		case c.q.Get("list-type") == "2":
			return "ListObjectsV2", (*Service).listObjectsV2
		default:
			return "ListObjects", (*Service).listObjectsV1
		}
	case http.MethodPost:
		if has(c.q, "delete") {
			return "DeleteObjects", (*Service).deleteObjects
		}
		return "PostObject", nil
	}
	return "Unknown", methodNotAllowed
}

func routeObject(c *call) (string, handlerFunc) {
	if has(c.q, "tagging") {
		return routeObjectTagging(c)
	}
	uploadID := has(c.q, "uploadId")
	switch c.r.Method {
	case http.MethodPut:
		copySrc := c.r.Header.Get("x-amz-copy-source") != ""
		switch {
		case uploadID && copySrc:
			return "UploadPartCopy", (*Service).uploadPartCopy
		case uploadID:
			return "UploadPart", (*Service).uploadPart
		case copySrc:
			return "CopyObject", (*Service).copyObject
		default:
			return "PutObject", (*Service).putObject
		}
	case http.MethodGet:
		if uploadID {
			return "ListParts", (*Service).listParts
		}
		return "GetObject", (*Service).getObject
	case http.MethodHead:
		return "HeadObject", (*Service).headObject
	case http.MethodDelete:
		if uploadID {
			return "AbortMultipartUpload", (*Service).abortMultipartUpload
		}
		return "DeleteObject", (*Service).deleteObject
	case http.MethodPost:
		switch {
		case has(c.q, "uploads"):
			return "CreateMultipartUpload", (*Service).createMultipartUpload
		case uploadID:
			return "CompleteMultipartUpload", (*Service).completeMultipartUpload
		}
		return "PostObject", nil
	}
	return "Unknown", methodNotAllowed
}

func has(q url.Values, k string) bool { _, ok := q[k]; return ok }

func verb(method string) string {
	switch method {
	case http.MethodPut:
		return "Put"
	case http.MethodDelete:
		return "Delete"
	case http.MethodPost:
		return "Post"
	default:
		return "Get"
	}
}

func methodNotAllowed(s *Service, c *call) error { return ErrMethodNotAllowed }
