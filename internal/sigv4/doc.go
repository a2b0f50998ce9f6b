// Package sigv4 verifies AWS Signature Version 4 on the server side, the
// way AWS does, for every tarn service.
//
// A Verifier (New) holds the access keys. Verify(r) accepts a signature in
// the Authorization header or in the query string of a presigned URL, and
// answers an *Error carrying the AWS code and HTTP status AWS would answer
// (AuthorizationHeaderMalformed, InvalidAccessKeyId, SignatureDoesNotMatch,
// RequestTimeTooSkewed, AccessDenied "Request has expired", ...). The codes
// are S3's; a JSON protocol maps them to its own (for example
// SignatureDoesNotMatch to InvalidSignatureException) when it writes them.
// A request with no signature at all comes back Anonymous; the caller
// decides whether to serve it.
//
// # Canonical request
//
// Verify rebuilds the canonical request from what the client sent: the
// request target as sent (r.RequestURI, so routing that rewrites r.URL does
// not matter), host from r.Host, content-length and transfer-encoding from
// where net/http moves them. For service "s3" the path is decoded and
// encoded again with SigV4's strict rules, as S3 does (the path exactly as
// sent is accepted too); for other services the SDK signers escape the path
// as sent once more, and so does Verify (the path with dot segments removed,
// as botocore signs it, is accepted too). The signing key (four HMACs) is
// cached per secret, day, region and service. For S3, every x-amz-* header
// sent must be signed, as on AWS.
//
// # Payload
//
// The x-amz-content-sha256 header selects how the body is covered:
//
//   - a hex sha256: r.Body is replaced by a reader that hashes the body and
//     returns ErrContentSHA256Mismatch instead of io.EOF on a mismatch;
//   - UNSIGNED-PAYLOAD (the default for presigned S3 URLs): body untouched;
//   - STREAMING-AWS4-HMAC-SHA256-PAYLOAD[-TRAILER] and
//     STREAMING-UNSIGNED-PAYLOAD-TRAILER: r.Body decodes aws-chunked,
//     verifying every chunk signature (and the trailer signature) before it
//     returns the chunk's bytes, checks x-amz-decoded-content-length and
//     that the trailer holds exactly the fields x-amz-trailer names, and
//     fills Auth.Trailer at io.EOF. r.ContentLength becomes the decoded
//     length and aws-chunked leaves Content-Encoding. Trailer checksums
//     (x-amz-checksum-*) are the caller's to check.
//   - absent, for a service other than S3 (the SDKs sign the body hash
//     without sending it): Verify reads the body, bounded by
//     Options.MaxBufferedBody, hashes it, and leaves the bytes in r.Body.
//
// In every case a consumer that reads r.Body to io.EOF never accepts bytes
// that failed verification: the failure comes as an *Error from Read.
//
// Memory is bounded: a signed chunk (at most 16 MiB) is buffered until its
// signature checks, unsigned chunks stream through, lines and trailers have
// small limits.
//
// A Verifier is safe for concurrent use; the replaced r.Body is not (like
// any request body). SigV2 and SigV4a (ECDSA) are not supported and answer
// InvalidRequest; session tokens (X-Amz-Security-Token) are accepted and
// ignored.
package sigv4
