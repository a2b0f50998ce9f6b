package stream

import (
	"context"
	"time"
)

// Shard-map primitives used by SplitShard, MergeShards and
// UpdateShardCount. They run inside reshardIntent.apply: lastSeq is the stream's
// last JetStream sequence, so a closed shard ends there and a new one
// starts after it, and sequence numbers of a child (a larger shard index,
// a larger JetStream sequence) are above every one of its parents'.

// keyRange is shard i's hash-key range; the strings were validated when
// they were stored.
func (m *streamMeta) keyRange(i int) (start, end u128) {
	start, _ = parseHashKey(m.Shards[i].Start)
	end, _ = parseHashKey(m.Shards[i].End)
	return start, end
}

func (m *streamMeta) closeShard(i int, lastSeq uint64, now time.Time) {
	m.Shards[i].Closed, m.Shards[i].CloseSeq = now, lastSeq
}

// openShard appends a shard over [start, end] and returns its index.
func (m *streamMeta) openShard(start, end u128, parent, adjacent string, lastSeq uint64, now time.Time) int {
	m.Shards = append(m.Shards, shardMeta{Start: start.String(), End: end.String(), Parent: parent,
		Adjacent: adjacent, OpenSeq: lastSeq + 1, Opened: now})
	return len(m.Shards) - 1
}

// split closes shard i and opens its two children, [start, at-1] and
// [at, end], in that order (as AWS numbers them). start < at <= end.
// (SplitShard asks more of its argument; UpdateShardCount's boundaries
// fall anywhere inside.)
func (m *streamMeta) split(i int, at u128, lastSeq uint64, now time.Time) (lo, hi int) {
	start, end := m.keyRange(i)
	m.closeShard(i, lastSeq, now)
	lo = m.openShard(start, sub1(at), shardID(i), "", lastSeq, now)
	hi = m.openShard(at, end, shardID(i), "", lastSeq, now)
	return lo, hi
}

// merge closes the adjacent shards i and j and opens their child over
// both ranges, with ParentShardId i and AdjacentParentShardId j.
func (m *streamMeta) merge(i, j int, lastSeq uint64, now time.Time) int {
	si, ei := m.keyRange(i)
	sj, ej := m.keyRange(j)
	start, end := si, ej
	if sj.cmp(si) < 0 {
		start, end = sj, ei
	}
	m.closeShard(i, lastSeq, now)
	m.closeShard(j, lastSeq, now)
	return m.openShard(start, end, shardID(i), shardID(j), lastSeq, now)
}

// openShardArg resolves a shard id argument of SplitShard / MergeShards
// to an open shard of st.
func openShardArg(st *streamState, field, id string, now time.Time) (int, error) {
	if err := validShardID(field, id); err != nil {
		return 0, err
	}
	m := &st.meta
	i, ok := parseShardID(id)
	if !ok || i >= len(m.Shards) || !m.visible(i, now) {
		return 0, errShardNotFound(id, m.Name)
	}
	if !m.Shards[i].isOpen() {
		return 0, errShardClosed(id, m.Name)
	}
	return i, nil
}

func (st *streamState) provisioned() error {
	if st.meta.Mode == "ON_DEMAND" {
		return errOnDemand(st.meta.Name)
	}
	return nil
}

// SplitShard closes ShardToSplit and opens two children: the hash keys
// below NewStartingHashKey and the rest. It answers with the stream
// UPDATING; the split is applied in the background (reshard_task.go).
func (s *Service) splitShard(ctx context.Context, in *splitShardInput) (*struct{}, error) {
	if err := validShardID("shardToSplit", in.ShardToSplit); err != nil {
		return nil, err
	}
	if !hashKeyPattern.MatchString(in.NewStartingHashKey) {
		return nil, errValidation("newStartingHashKey", in.NewStartingHashKey, "Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})")
	}
	region := s.regionOf(ctx)
	_, err := s.reshard(ctx, in.streamRef, func(st *streamState) (*reshardIntent, error) {
		if err := st.provisioned(); err != nil {
			return nil, err
		}
		i, err := openShardArg(st, "shardToSplit", in.ShardToSplit, s.now())
		if err != nil {
			return nil, err
		}
		start, end := st.meta.keyRange(i)
		at, ok := parseHashKey(in.NewStartingHashKey)
		// AWS: StartingHashKey+1 < NewStartingHashKey < EndingHashKey.
		if !ok || at.cmp(add1(start)) <= 0 || at.cmp(end) >= 0 {
			return nil, errSplitKey(in.NewStartingHashKey, in.ShardToSplit, st.meta.Name, start, end)
		}
		if used := s.openShardsIn(region); used+1 > s.shardLimit {
			return nil, errShardLimit(region, used, s.shardLimit, 1)
		}
		return &reshardIntent{Kind: reshardSplit, Shard: i, At: at.String()}, nil
	})
	return nil, err
}

// MergeShards closes two adjacent open shards and opens one over both,
// asynchronously like SplitShard.
func (s *Service) mergeShards(ctx context.Context, in *mergeShardsInput) (*struct{}, error) {
	if err := validShardID("shardToMerge", in.ShardToMerge); err != nil {
		return nil, err
	}
	if err := validShardID("adjacentShardToMerge", in.AdjacentShardToMerge); err != nil {
		return nil, err
	}
	_, err := s.reshard(ctx, in.streamRef, func(st *streamState) (*reshardIntent, error) {
		if err := st.provisioned(); err != nil {
			return nil, err
		}
		now := s.now()
		i, err := openShardArg(st, "shardToMerge", in.ShardToMerge, now)
		if err != nil {
			return nil, err
		}
		j, err := openShardArg(st, "adjacentShardToMerge", in.AdjacentShardToMerge, now)
		if err != nil {
			return nil, err
		}
		si, ei := st.meta.keyRange(i)
		sj, ej := st.meta.keyRange(j)
		adjacent := i != j && ((ei != maxHashKey && add1(ei) == sj) || (ej != maxHashKey && add1(ej) == si))
		if !adjacent {
			return nil, errNotAdjacent(in.ShardToMerge, in.AdjacentShardToMerge, st.meta.Name)
		}
		return &reshardIntent{Kind: reshardMerge, Shard: i, Other: j}, nil
	})
	return nil, err
}
