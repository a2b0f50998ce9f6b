// Package s3 is tarn's S3 API: buckets and objects over the lake, with the
// same wire formats, error codes and limits as AWS S3 (path-style and
// virtual-hosted-style addressing, SigV4 verified by the platform).
//
// Storage: object bytes are immutable blobs in a blob.Store; the index
// (buckets, objects, multipart uploads, parts) is JSON in one kv.Space
// (see index.go for the key layout). A write streams its bytes into a new
// blob first and only then commits the index entry, under the key's lock,
// so a reader sees either the old object or the new one in full; the old
// object's blobs are deleted after the commit. A crash between the two
// steps leaves an unreferenced blob, which Start removes (gc.go).
//
// Lock order: Service.bucketsMu (read for object writes, write for bucket
// create/delete), then a key lock stripe. Readers take no lock; a reader
// whose blob was deleted by a concurrent overwrite re-reads the index.
//
// Files are named by operation: bucket*.go, object_*.go (put, get, delete,
// copy), list*.go, multipart*.go, with checksum.go and conditional.go as
// shared helpers.
//
// In-process entry points for the other services (internal_*.go):
// ListInternal, OpenInternal and LocalPath read; PutObjectInternal and
// PutObjectEncoded write one object; PutObjectsInternal writes many in one
// index batch (all visible or none, their notifications included);
// EnsureBucket creates a service's own bucket.
package s3
