package stream

import (
	"context"
	"time"
)

// UpdateShardCount limits (AWS's defaults).
const (
	maxShardsPerStream = 10000
	maxScalingsPerDay  = 10
)

// UpdateShardCount reshapes the open shards into the uniform split of the
// hash-key space into TargetShardCount shards, as AWS does: by splits and
// merges of individual shards, so every new shard has one parent (a
// split) or two (a merge) and short-lived intermediate shards appear,
// closed, in the shard list. Consumers that read parents before children
// therefore keep each partition key's order. It answers at once with
// CurrentShardCount and TargetShardCount and the stream UPDATING; the
// reshape is applied in the background (reshard_task.go).
func (s *Service) updateShardCount(ctx context.Context, in *updateShardCountInput) (*updateShardCountOutput, error) {
	if in.TargetShardCount == nil {
		return nil, errValidation("targetShardCount", "null", "Member must not be null")
	}
	target := *in.TargetShardCount
	if target < 1 || target > 100000 {
		return nil, errValidation("targetShardCount", target, "Member must have value between 1 and 100000")
	}
	if in.ScalingType != "UNIFORM_SCALING" {
		return nil, errValidation("scalingType", in.ScalingType, "Member must satisfy enum value set: [UNIFORM_SCALING]")
	}
	region := s.regionOf(ctx)
	var current int
	st, err := s.reshard(ctx, in.streamRef, func(st *streamState) (*reshardIntent, error) {
		if err := st.provisioned(); err != nil {
			return nil, err
		}
		current = len(st.open)
		switch {
		case target > 2*current:
			return nil, errScaleUp(current, target)
		case 2*target < current:
			return nil, errScaleDown(current, target)
		case target > maxShardsPerStream:
			return nil, errStreamShardMax(st.meta.Name, target)
		}
		now := s.now().UTC()
		if recentScalings(st.meta.Scalings, now) >= maxScalingsPerDay {
			return nil, errScalingRate(st.meta.Name)
		}
		if used := s.openShardsIn(region); target > current && used+target-current > s.shardLimit {
			return nil, errShardLimit(region, used, s.shardLimit, target-current)
		}
		if uniform(st, target) {
			return nil, nil // already the uniform split: nothing to do
		}
		return &reshardIntent{Kind: reshardCount, Target: target}, nil
	})
	if err != nil {
		return nil, err
	}
	return &updateShardCountOutput{CurrentShardCount: current, TargetShardCount: target,
		StreamName: st.meta.Name, StreamARN: st.meta.arn()}, nil
}

// uniform reports whether st's open shards already are the uniform split
// into n shards.
func uniform(st *streamState, n int) bool {
	if len(st.open) != n {
		return false
	}
	for k, r := range splitRanges(n) {
		start, end := st.meta.keyRange(st.open[k])
		if start != r[0] || end != r[1] {
			return false
		}
	}
	return true
}

func recentScalings(ts []time.Time, now time.Time) int { return len(keepRecent(ts, now)) }

func keepRecent(ts []time.Time, now time.Time) []time.Time {
	var out []time.Time
	for _, t := range ts {
		if now.Sub(t) < 24*time.Hour {
			out = append(out, t)
		}
	}
	return out
}

// reshape turns the open shards (indexes in hash-key order) into the
// uniform split into n: first every open shard is split at each target
// boundary strictly inside it, then the pieces inside one target range
// are merged from left to right.
func (m *streamMeta) reshape(open []int, n int, lastSeq uint64, now time.Time) {
	targets := splitRanges(n)
	var pieces []int
	for _, i := range open {
		cur := i
		for _, r := range targets[1:] {
			start, end := m.keyRange(cur)
			if r[0].cmp(start) > 0 && r[0].cmp(end) <= 0 {
				var lo int
				lo, cur = m.split(cur, r[0], lastSeq, now)
				pieces = append(pieces, lo)
			}
		}
		pieces = append(pieces, cur)
	}
	k := 0 // the target range the current group lies in
	group := -1
	for _, p := range pieces {
		start, _ := m.keyRange(p)
		for k+1 < n && start.cmp(targets[k+1][0]) >= 0 {
			k, group = k+1, -1
		}
		if group < 0 {
			group = p
			continue
		}
		group = m.merge(group, p, lastSeq, now)
	}
}
