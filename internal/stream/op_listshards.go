package stream

import (
	"context"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
)

// ListShards lists a stream's shards in id order: the open ones and those
// closed less than the retention period ago, narrowed by ShardFilter
// (shardview.go). A NextToken carries the filter to the next page.
func (s *Service) listShards(ctx context.Context, in *listShardsInput) (*listShardsOutput, error) {
	limit := 1000
	if in.MaxResults != nil {
		if *in.MaxResults < 1 || *in.MaxResults > 10000 {
			return nil, errValidation("maxResults", *in.MaxResults, "Member must have value between 1 and 10000")
		}
		limit = *in.MaxResults
	}
	ref, from, filter := in.streamRef, 0, in.ShardFilter
	if in.NextToken != "" {
		if in.StreamName != "" || in.ExclusiveStartShardId != "" || in.ShardFilter != nil || in.StreamCreationTimestamp != nil {
			return nil, errInvalid("NextToken and StreamName/ExclusiveStartShardId/ShardFilter/StreamCreationTimestamp cannot be provided together.")
		}
		p, err := s.openPage(tokenListShards, in.NextToken)
		if err != nil {
			return nil, err
		}
		ref = streamRef{StreamARN: "arn:aws:kinesis:" + p.region + ":" + accountID + ":stream/" + p.stream}
		i, _ := parseShardID(p.after)
		from = i + 1
		if p.filter != "" {
			ts := awsjson.Timestamp(time.Unix(0, p.at))
			filter = &shardFilter{Type: p.filter, Timestamp: &ts}
		}
	}
	st, err := s.lookup(ctx, ref)
	if err != nil {
		return nil, err
	}
	m := &st.meta
	if m.Status == statusCreating || m.Status == statusDeleting { // no shards to list yet / any more
		return nil, errStreamNotActive(m.Name, m.Status)
	}
	if in.ExclusiveStartShardId != "" {
		i, ok := parseShardID(in.ExclusiveStartShardId)
		if !ok {
			return nil, errShardNotFound(in.ExclusiveStartShardId, m.Name)
		}
		from = i + 1
	}
	if f := filter; f != nil && in.NextToken == "" {
		switch f.Type {
		case "AFTER_SHARD_ID":
			i, ok := parseShardID(f.ShardId)
			if !ok {
				return nil, errInvalid("ShardFilter of type AFTER_SHARD_ID needs a valid ShardId.")
			}
			from = max(from, i+1)
		case "AT_TRIM_HORIZON", "FROM_TRIM_HORIZON", "AT_LATEST":
		case "AT_TIMESTAMP", "FROM_TIMESTAMP":
			if f.Timestamp == nil {
				return nil, errInvalid("ShardFilter of type %s needs a Timestamp.", f.Type)
			}
		default:
			return nil, errValidation("shardFilter.type", f.Type, "Member must satisfy enum value set: [AFTER_SHARD_ID, AT_TRIM_HORIZON, FROM_TRIM_HORIZON, AT_LATEST, AT_TIMESTAMP, FROM_TIMESTAMP]")
		}
	}
	now := s.now()
	ids := m.filterShards(filter, from, now)
	out := &listShardsOutput{Shards: []shardShape{}}
	for _, i := range ids {
		if len(out.Shards) == limit {
			break
		}
		out.Shards = append(out.Shards, s.shardShape(m, i))
	}
	if n := len(out.Shards); n > 0 && n < len(ids) {
		p := pageToken{region: m.Region, stream: m.Name, after: out.Shards[n-1].ShardId, issued: now.UnixMilli()}
		if filter != nil && filter.Type != "AFTER_SHARD_ID" {
			p.filter = filter.Type
			if filter.Timestamp != nil {
				p.at = filter.Timestamp.Time().UnixNano()
			}
		}
		out.NextToken = p.encode(s.tokens, tokenListShards)
	}
	return out, nil
}
