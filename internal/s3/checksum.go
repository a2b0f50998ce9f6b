package s3

import (
	"bytes"
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"hash"
	"hash/crc32"
	"hash/crc64"
	"net/http"
	"strings"

	"github.com/tarnhq/tarn/internal/sigv4"
)

// The additional checksum algorithms of S3, in S3's spelling. An object
// stored without one gets defaultChecksum, as S3 has done since 2025.
var checksumAlgos = []string{"CRC32", "CRC32C", "CRC64NVME", "SHA1", "SHA256"}

const defaultChecksum = "CRC64NVME"

// Checksum types (x-amz-checksum-type).
const (
	checksumFullObject = "FULL_OBJECT"
	checksumComposite  = "COMPOSITE"
)

// crc64NVME is the NVMe polynomial, bit-reversed as hash/crc64 wants it
// (the same constant as the AWS SDK's checksum package).
const crc64NVME = 0x9a6c9329ac4bc9b5

var (
	crc32cTable    = crc32.MakeTable(crc32.Castagnoli)
	crc64NVMETable = crc64.MakeTable(crc64NVME)
)

// newChecksum returns a fresh hash for algo (one of checksumAlgos), or nil
// for an unknown algorithm.
func newChecksum(algo string) hash.Hash {
	switch algo {
	case "CRC32":
		return crc32.NewIEEE()
	case "CRC32C":
		return crc32.New(crc32cTable)
	case "CRC64NVME":
		return crc64.New(crc64NVMETable)
	case "SHA1":
		return sha1.New()
	case "SHA256":
		return sha256.New()
	}
	return nil
}

// checksumHeader is the header carrying algo's value: x-amz-checksum-crc32.
func checksumHeader(algo string) string { return "x-amz-checksum-" + strings.ToLower(algo) }

// normAlgo returns algo in S3's spelling if it names a known algorithm.
func normAlgo(algo string) (string, bool) {
	u := strings.ToUpper(strings.TrimSpace(algo))
	for _, a := range checksumAlgos {
		if a == u {
			return a, true
		}
	}
	return "", false
}

// validChecksumValue reports whether v is base64 of algo's digest size.
func validChecksumValue(algo, v string) bool {
	raw, err := base64.StdEncoding.DecodeString(v)
	return err == nil && len(raw) == newChecksum(algo).Size()
}

var errUnsupportedAlgo = ErrInvalidRequest.With("Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]")

// bodyCheck is what a request asks to verify about its body: its
// Content-MD5 and at most one additional checksum, given in a header or
// in the trailer of an aws-chunked body. Algo is always set: the
// requested algorithm, or defaultChecksum when the client named none.
type bodyCheck struct {
	MD5      []byte // decoded Content-MD5, nil if absent
	Algo     string
	Explicit bool   // the client named Algo
	Value    string // expected base64 value from a header
	Trailer  string // trailer header that will carry the value, if any
}

// parseBodyCheck reads the checksum headers of a request that uploads
// data. algoHeader names the header that may select an algorithm without
// a value (x-amz-sdk-checksum-algorithm for uploads).
func parseBodyCheck(h http.Header, algoHeader string) (*bodyCheck, error) {
	bc := &bodyCheck{Algo: defaultChecksum}
	if v, ok := h["Content-Md5"]; ok {
		raw, err := base64.StdEncoding.DecodeString(strings.Join(v, ""))
		if err != nil || len(raw) != md5.Size {
			return nil, ErrInvalidDigest
		}
		bc.MD5 = raw
	}
	for _, a := range checksumAlgos {
		v, ok := h[http.CanonicalHeaderKey(checksumHeader(a))]
		if !ok {
			continue
		}
		if bc.Explicit {
			return nil, ErrInvalidRequest.With("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
		}
		bc.Algo, bc.Explicit, bc.Value = a, true, strings.Join(v, "")
		if !validChecksumValue(a, bc.Value) {
			return nil, ErrInvalidRequest.With("Value for " + checksumHeader(a) + " header is invalid.")
		}
	}
	if t := strings.TrimSpace(h.Get("x-amz-trailer")); t != "" {
		name, ok := strings.CutPrefix(strings.ToLower(t), "x-amz-checksum-")
		algo, known := normAlgo(name)
		if !ok || !known {
			return nil, ErrInvalidRequest.With("The value specified in the x-amz-trailer header is not supported")
		}
		if bc.Explicit {
			return nil, ErrInvalidRequest.With("Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed.")
		}
		bc.Algo, bc.Explicit, bc.Trailer = algo, true, checksumHeader(algo)
	}
	if sel := h.Get(algoHeader); algoHeader != "" && sel != "" {
		algo, ok := normAlgo(sel)
		switch {
		case !ok:
			return nil, errUnsupportedAlgo
		case !bc.Explicit:
			return nil, ErrInvalidRequest.With(algoHeader + " specified, but no corresponding x-amz-checksum-* or x-amz-trailer headers were found.")
		case algo != bc.Algo:
			return nil, ErrBadDigest.With("The " + algo + " you specified did not match the calculated checksum.")
		}
	}
	return bc, nil
}

// hashes are the running digests of one body.
type hashes struct {
	md5 hash.Hash
	ck  hash.Hash
}

func (bc *bodyCheck) newHashes() *hashes {
	return &hashes{md5: md5.New(), ck: newChecksum(bc.Algo)}
}

// newBodyHashes is newHashes for a body of size bytes: from asyncMinSize
// on, MD5 runs on its own goroutine. The caller must call close.
func (bc *bodyCheck) newBodyHashes(size int64) *hashes {
	h := bc.newHashes()
	if size >= asyncMinSize {
		h.md5 = newAsyncHash(h.md5)
	}
	return h
}

// close releases an async digest's goroutine (a no-op otherwise).
func (h *hashes) close() {
	if a, ok := h.md5.(*asyncHash); ok {
		a.Close()
	}
}

func (h *hashes) Write(p []byte) (int, error) {
	h.md5.Write(p)
	h.ck.Write(p)
	return len(p), nil
}

// verify checks the computed digests against what the request claimed,
// once the body has been read to EOF (so a trailer has arrived). It
// returns the object's checksum value (base64).
func (bc *bodyCheck) verify(r *http.Request, h *hashes) (string, error) {
	if bc.MD5 != nil && !bytes.Equal(bc.MD5, h.md5.Sum(nil)) {
		return "", ErrBadDigest
	}
	got := base64.StdEncoding.EncodeToString(h.ck.Sum(nil))
	want := bc.Value
	if bc.Trailer != "" {
		if a := sigv4.AuthFrom(r.Context()); a != nil && a.Trailer != nil {
			want = strings.TrimSpace(a.Trailer.Get(bc.Trailer))
		}
		if want == "" {
			return "", ErrMalformedTrailer
		}
		if !validChecksumValue(bc.Algo, want) {
			return "", ErrInvalidRequest.With("Value for " + bc.Trailer + " trailing header is invalid.")
		}
	}
	if want != "" && want != got {
		return "", ErrBadDigest.With("The " + bc.Algo + " you specified did not match the calculated checksum.")
	}
	return got, nil
}

// setChecksumHeaders adds the object's checksum and its type to h.
func setChecksumHeaders(h http.Header, m *objectMeta) {
	if m.ChecksumAlgo == "" || m.Checksum == "" {
		return
	}
	h.Set(checksumHeader(m.ChecksumAlgo), m.Checksum)
	if m.ChecksumType != "" {
		h.Set("x-amz-checksum-type", m.ChecksumType)
	}
}
