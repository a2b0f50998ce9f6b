package stream

import (
	"encoding/binary"

	"github.com/tarnhq/tarn/internal/token"
)

// Opaque tokens (internal/token) of this service, by kind byte.
const (
	tokenIterator   byte = 'I'
	tokenListShards byte = 'S'
	tokenListStream byte = 'L'
)

// errBadToken means a token was not made by this tarn or was altered.
var errBadToken = token.ErrInvalid

// iterator is a shard iterator's content: where to read next.
type iterator struct {
	region, name string
	epoch        int64
	shard        int
	next         uint64 // next JetStream sequence to read (>= 1)
	atTime       int64  // AT_TIMESTAMP in Unix ns, resolved on first read; 0 if none
	issued       int64  // Unix ms when made
}

func (it iterator) encode(k *token.Key) string {
	var b []byte
	b = appendString(b, it.region)
	b = appendString(b, it.name)
	b = binary.AppendVarint(b, it.epoch)
	b = binary.AppendUvarint(b, uint64(it.shard))
	b = binary.AppendUvarint(b, it.next)
	b = binary.AppendVarint(b, it.atTime)
	b = binary.AppendVarint(b, it.issued)
	return k.Seal(tokenIterator, b)
}

func decodeIterator(k *token.Key, tok string) (iterator, error) {
	b, err := k.Open(tokenIterator, tok)
	if err != nil {
		return iterator{}, err
	}
	r := reader{b: b}
	it := iterator{region: r.string(), name: r.string(), epoch: r.varint(), shard: int(r.uvarint()),
		next: r.uvarint(), atTime: r.varint(), issued: r.varint()}
	if r.bad || len(r.b) != 0 {
		return iterator{}, errBadToken
	}
	return it, nil
}

// pageToken is a ListStreams / ListShards NextToken: where the next page
// starts (after key) and when it was issued.
type pageToken struct {
	region, stream string // stream: the stream of a ListShards token
	after          string // last stream name or shard id returned
	issued         int64  // Unix ms
	filter         string // ListShards: the ShardFilter type ("" none)
	at             int64  // ListShards: the filter's Timestamp, Unix ns
}

func (p pageToken) encode(k *token.Key, kind byte) string {
	var b []byte
	b = appendString(b, p.region)
	b = appendString(b, p.stream)
	b = appendString(b, p.after)
	b = binary.AppendVarint(b, p.issued)
	b = appendString(b, p.filter)
	b = binary.AppendVarint(b, p.at)
	return k.Seal(kind, b)
}

func decodePageToken(k *token.Key, kind byte, tok string) (pageToken, error) {
	b, err := k.Open(kind, tok)
	if err != nil {
		return pageToken{}, err
	}
	r := reader{b: b}
	p := pageToken{region: r.string(), stream: r.string(), after: r.string(), issued: r.varint(),
		filter: r.string(), at: r.varint()}
	if r.bad || len(r.b) != 0 {
		return pageToken{}, errBadToken
	}
	return p, nil
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// reader decodes the fields appended above; bad records any short read.
type reader struct {
	b   []byte
	bad bool
}

func (r *reader) uvarint() uint64 {
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) varint() int64 {
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *reader) string() string {
	n := r.uvarint()
	if r.bad || n > uint64(len(r.b)) {
		r.bad = true
		return ""
	}
	s := string(r.b[:n])
	r.b = r.b[n:]
	return s
}
