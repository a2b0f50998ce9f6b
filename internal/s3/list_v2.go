package s3

import (
	"encoding/base64"
	"encoding/binary"
	"hash/crc32"
	"unicode/utf8"
)

// ListObjectsV2: GET /<bucket>?list-type=2.

func (s *Service) listObjectsV2(c *call) error {
	p, err := parseListParams(c.q, "max-keys")
	if err != nil {
		return err
	}
	if _, err := s.bucket(c.bucket); err != nil {
		return err
	}
	startAfter := c.q.Get("start-after")
	q := listQuery{bucket: c.bucket, prefix: p.prefix, delimiter: p.delimiter, after: startAfter, max: p.max}
	token, hasToken := c.q.Get("continuation-token"), has(c.q, "continuation-token")
	if hasToken {
		// The token, not start-after, says where this page starts.
		if q.after, err = decodeListToken(c.bucket, token); err != nil {
			return err
		}
	}
	page, err := s.scanObjects(q)
	if err != nil {
		return err
	}
	d := newXMLDoc("ListBucketResult")
	d.text("Name", c.bucket)
	d.text("Prefix", p.enc(p.prefix))
	d.opt("StartAfter", p.enc(startAfter))
	d.opt("ContinuationToken", token)
	if page.truncated {
		d.text("NextContinuationToken", encodeListToken(c.bucket, page.last()))
	}
	d.int("KeyCount", int64(len(page.items)))
	d.int("MaxKeys", int64(p.max))
	d.opt("Delimiter", p.enc(p.delimiter))
	d.opt("EncodingType", p.encodingType())
	d.bool("IsTruncated", page.truncated)
	d.items(p, page, c.q.Get("fetch-owner") == "true")
	return d.send(c.w, "ListBucketResult")
}

// Continuation tokens are opaque to clients: base64 of a version byte, the
// last key or CommonPrefix returned, and a CRC-32C of the bucket and that
// key, so a forged, truncated or other bucket's token is rejected with
// ErrInvalidContinuationToken instead of silently listing from elsewhere.
// They never expire: the position they name stays meaningful.
const listTokenVersion = 1

var listTokenTable = crc32.MakeTable(crc32.Castagnoli)

func listTokenSum(bucket, key string) uint32 {
	h := crc32.New(listTokenTable)
	h.Write([]byte(bucket))
	h.Write([]byte{0})
	h.Write([]byte(key))
	return h.Sum32()
}

// encodeListToken returns the token that resumes a listing of bucket after key.
func encodeListToken(bucket, key string) string {
	b := make([]byte, 0, 1+len(key)+4)
	b = append(b, listTokenVersion)
	b = append(b, key...)
	b = binary.BigEndian.AppendUint32(b, listTokenSum(bucket, key))
	return base64.StdEncoding.EncodeToString(b)
}

// decodeListToken returns the key a token of bucket resumes after, or
// ErrInvalidContinuationToken.
func decodeListToken(bucket, token string) (string, error) {
	b, err := base64.StdEncoding.Strict().DecodeString(token)
	if err != nil || len(b) < 1+1+4 || b[0] != listTokenVersion {
		return "", ErrInvalidContinuationToken
	}
	key := string(b[1 : len(b)-4])
	if binary.BigEndian.Uint32(b[len(b)-4:]) != listTokenSum(bucket, key) ||
		!utf8.ValidString(key) || len(key) > maxKeyLength {
		return "", ErrInvalidContinuationToken
	}
	return key, nil
}
