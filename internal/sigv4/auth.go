package sigv4

import (
	"context"
	"net/http"
)

// Auth is what a verified request proved about itself.
type Auth struct {
	// AccessKey is the key the request was signed with; empty when Anonymous.
	AccessKey string
	// Region and Service come from the credential scope
	// (AKID/date/REGION/SERVICE/aws4_request).
	Region  string
	Service string
	// Anonymous is true for a request that carries no signature at all.
	Anonymous bool
	// Presigned is true when the signature came in the query string.
	Presigned bool
	// DecodedLength is the payload length after aws-chunked decoding
	// (x-amz-decoded-content-length), or -1 when the body is not chunked.
	DecodedLength int64
	// Trailer holds the trailing headers of an aws-chunked body with a
	// trailer (for example x-amz-checksum-crc32). It is filled in only once
	// the request body has been read to io.EOF; before that it is empty.
	// For a signed trailer (STREAMING-AWS4-HMAC-SHA256-PAYLOAD-TRAILER) the
	// trailer signature has been verified when EOF is returned.
	Trailer http.Header
}

type ctxKey struct{}

// WithAuth returns a copy of ctx carrying a.
func WithAuth(ctx context.Context, a *Auth) context.Context {
	return context.WithValue(ctx, ctxKey{}, a)
}

// AuthFrom returns the Auth stored by WithAuth, or nil.
func AuthFrom(ctx context.Context) *Auth {
	a, _ := ctx.Value(ctxKey{}).(*Auth)
	return a
}

// RegionOr is the region of the request's credential scope, or def when
// the context has none (an in-process call).
func RegionOr(ctx context.Context, def string) string {
	if a := AuthFrom(ctx); a != nil && a.Region != "" {
		return a.Region
	}
	return def
}
