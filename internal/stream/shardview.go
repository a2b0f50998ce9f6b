package stream

import (
	"time"
)

func (m *streamMeta) retention() time.Duration { return time.Duration(m.RetentionHours) * time.Hour }

// visible reports whether shard i is still listed at now: open, or closed
// less than the retention period ago (its records may still be read).
func (m *streamMeta) visible(i int, now time.Time) bool {
	sh := &m.Shards[i]
	return sh.isOpen() || sh.Closed.Add(m.retention()).After(now)
}

// opened is when shard i opened.
func (m *streamMeta) opened(i int) time.Time {
	if t := m.Shards[i].Opened; !t.IsZero() {
		return t
	}
	return m.Created
}

// How shards are shown: DescribeStream and ListShards list every shard
// that is open or closed less than the retention period ago (a closed
// shard's records stay readable that long), in shard-id order.

func (s *Service) shardShape(m *streamMeta, i int) shardShape {
	sh := &m.Shards[i]
	out := shardShape{
		ShardId:               shardID(i),
		ParentShardId:         sh.Parent,
		AdjacentParentShardId: sh.Adjacent,
		HashKeyRange:          hashKeyRange{StartingHashKey: sh.Start, EndingHashKey: sh.End},
		SequenceNumberRange:   sequenceNumberRange{StartingSequenceNumber: seqNum{epoch: m.Epoch, shard: i, js: sh.OpenSeq}.String()},
	}
	if !sh.isOpen() {
		out.SequenceNumberRange.EndingSequenceNumber = seqNum{epoch: m.Epoch, shard: i, js: max(sh.CloseSeq, sh.OpenSeq)}.String()
	}
	return out
}

// children are the shards opened from shard i by a split or a merge.
func (m *streamMeta) children(i int) []childShard {
	id := shardID(i)
	var out []childShard
	for j := i + 1; j < len(m.Shards); j++ {
		sh := &m.Shards[j]
		if sh.Parent != id && sh.Adjacent != id {
			continue
		}
		parents := []string{sh.Parent}
		if sh.Adjacent != "" {
			parents = append(parents, sh.Adjacent)
		}
		out = append(out, childShard{ShardId: shardID(j), ParentShards: parents,
			HashKeyRange: hashKeyRange{StartingHashKey: sh.Start, EndingHashKey: sh.End}})
	}
	return out
}

// trimHorizon is the oldest time whose records are kept, never before the
// stream was created.
func (m *streamMeta) trimHorizon(now time.Time) time.Time {
	t := now.Add(-m.retention())
	if t.Before(m.Created) {
		return m.Created
	}
	return t
}

// openAt reports whether shard i was open at t.
func (m *streamMeta) openAt(i int, t time.Time) bool {
	sh := &m.Shards[i]
	return !m.opened(i).After(t) && (sh.isOpen() || !sh.Closed.Before(t))
}

// filterShards returns the listed shards with an index >= from that f
// selects (nil: all), as AWS defines each ShardFilter type:
//
//	AFTER_SHARD_ID     shards after ShardId
//	AT_TRIM_HORIZON    shards open at the trim horizon
//	FROM_TRIM_HORIZON  every shard within the retention period
//	AT_LATEST          the open shards
//	AT_TIMESTAMP       shards open at Timestamp (the trim horizon, if earlier)
//	FROM_TIMESTAMP     the open shards and those closed at or after Timestamp
func (m *streamMeta) filterShards(f *shardFilter, from int, now time.Time) []int {
	var out []int
	for i := from; i < len(m.Shards); i++ {
		if !m.visible(i, now) {
			continue
		}
		if f != nil {
			sh := &m.Shards[i]
			switch f.Type {
			case "AT_LATEST":
				if !sh.isOpen() {
					continue
				}
			case "AT_TRIM_HORIZON":
				if !m.openAt(i, m.trimHorizon(now)) {
					continue
				}
			case "AT_TIMESTAMP":
				t := f.Timestamp.Time()
				if th := m.trimHorizon(now); t.Before(th) {
					t = th
				}
				if !m.openAt(i, t) {
					continue
				}
			case "FROM_TIMESTAMP":
				if !sh.isOpen() && sh.Closed.Before(f.Timestamp.Time()) {
					continue
				}
			}
		}
		out = append(out, i)
	}
	return out
}
