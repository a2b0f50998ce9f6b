// Package blob is the object-store seam: immutable blobs named by an opaque
// ID. The lake keeps object bytes here and its index elsewhere (Pebble), so
// an object is visible only once both are written. Implementations: fsblob
// (files on disk, durable) and memblob (tests); blobtest is the conformance
// suite every implementation passes.
package blob
