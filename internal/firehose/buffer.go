package firehose

import "time"

// record is one buffered record: its bytes, its arrival time (which names
// the object) and what acknowledges it once delivered: its key in the
// durable buffer (DirectPut) or its shard and sequence number (Kinesis).
type record struct {
	arrival  time.Time
	buffered time.Time // when it entered the buffer; the interval counts from the oldest
	data     []byte
	bufKey   []byte
	shard    string
	seq      string
}

// buffer is a delivery stream's records waiting for a flush, oldest
// first. Not safe for concurrent use; deliveryStream.mu guards it.
type buffer struct {
	recs  []record
	bytes int
}

func (b *buffer) add(rs ...record) {
	for _, r := range rs {
		b.recs = append(b.recs, r)
		b.bytes += len(r.data)
	}
}

// due reports whether the buffer must be flushed at now under c's
// buffering hints, and otherwise how long until it must (0: not until
// more records arrive). Flushes happen when the buffered bytes reach
// SizeInMBs, when the oldest record has waited IntervalInSeconds, or at
// once for an interval of 0.
func (b *buffer) due(now time.Time, c *destConfig) (bool, time.Duration) {
	if len(b.recs) == 0 {
		return false, 0
	}
	if b.bytes >= c.sizeBytes || c.interval == 0 {
		return true, 0
	}
	left := b.recs[0].buffered.Add(c.interval).Sub(now)
	if left <= 0 {
		return true, 0
	}
	return false, left
}

// take removes and returns the records of one flush: the oldest records
// up to SizeInMBs (always at least one).
func (b *buffer) take(c *destConfig) []record {
	n, size := 0, 0
	for n < len(b.recs) && (n == 0 || size+len(b.recs[n].data) <= c.sizeBytes) {
		size += len(b.recs[n].data)
		n++
	}
	out := b.recs[:n:n]
	b.recs = b.recs[n:]
	b.bytes -= size
	if len(b.recs) == 0 {
		b.recs = nil
	}
	return out
}
