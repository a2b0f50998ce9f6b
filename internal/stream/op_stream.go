package stream

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/tarnhq/tarn/internal/awsjson"
)

// CreateStream answers at once with the stream CREATING, as AWS does:
// the metadata is stored (CREATING) before the answer, and a background
// task (lifecycle.go) creates the JetStream stream and makes it ACTIVE,
// usually within milliseconds. Until then reads, writes and changes get
// ResourceInUseException; SDK waiters (StreamExists) poll until ACTIVE,
// and DescribeStream(Summary) waits a moment for the creation first
// (describeGrace).
// A name whose stream is still DELETING waits for the deletion to finish
// (tarn deletes in milliseconds) instead of failing.
func (s *Service) createStream(ctx context.Context, in *createStreamInput) (*struct{}, error) {
	if err := validStreamName("streamName", in.StreamName); err != nil {
		return nil, err
	}
	mode := "PROVISIONED"
	if in.StreamModeDetails != nil {
		mode = in.StreamModeDetails.StreamMode
	}
	var shards int
	switch mode {
	case "PROVISIONED":
		if in.ShardCount == nil {
			return nil, errInvalid("ShardCount is required for a PROVISIONED stream.")
		}
		shards = *in.ShardCount
	case "ON_DEMAND":
		shards = onDemandShards
		if in.ShardCount != nil {
			shards = *in.ShardCount
		}
	default:
		return nil, errValidation("streamModeDetails.streamMode", mode, "Member must satisfy enum value set: [PROVISIONED, ON_DEMAND]")
	}
	if shards < 1 {
		return nil, errValidation("shardCount", shards, "Member must have value greater than or equal to 1")
	}
	if err := validTags(in.StreamName, in.Tags, 0); err != nil {
		return nil, err
	}
	region := s.regionOf(ctx)
	key := region + "/" + in.StreamName
	if err := s.awaitDeleted(ctx, key); err != nil {
		return nil, err
	}
	now := s.now().UTC()

	s.mu.Lock()
	if _, ok := s.streams[key]; ok {
		s.mu.Unlock()
		return nil, errStreamExists(in.StreamName)
	}
	used := 0
	for k, st := range s.streams {
		if strings.HasPrefix(k, region+"/") {
			used += len(st.open)
		}
	}
	if used+shards > s.shardLimit {
		s.mu.Unlock()
		return nil, errShardLimit(region, used, s.shardLimit, shards)
	}
	epoch := max(now.UnixMicro(), s.lastEpoch+1)
	s.lastEpoch = epoch
	m := streamMeta{Name: in.StreamName, Region: region, Epoch: epoch, Status: statusCreating, Mode: mode,
		RetentionHours: defaultRetentionHours, Created: now, Tags: in.Tags}
	for _, r := range splitRanges(shards) {
		m.Shards = append(m.Shards, shardMeta{Start: r[0].String(), End: r[1].String()})
	}
	// Reserve the name: lookups see the CREATING stream at once.
	ctl := &control{batch: newBatcher(s.nc, s.log), gone: make(chan struct{}), created: make(chan struct{})}
	st, err := newState(m, ctl)
	if err != nil {
		s.mu.Unlock()
		return nil, err
	}
	s.streams[key] = st
	s.mu.Unlock()

	if err := s.saveMeta(&m); err != nil {
		s.mu.Lock()
		delete(s.streams, key)
		s.mu.Unlock()
		ctl.batch.stop()
		close(ctl.gone)
		return nil, fmt.Errorf("create stream %s: %w", in.StreamName, err)
	}
	s.background(func(bg context.Context) { s.finishCreate(bg, m, ctl) })
	return nil, nil
}

// DeleteStream answers with the stream DELETING, as AWS does: the
// metadata is stored DELETING before the answer, and a background task
// deletes the JetStream stream and then the metadata, after which the
// stream is gone (ResourceNotFoundException; the StreamNotExists waiter
// returns). A crash in between finishes the deletion at Start. With
// registered consumers it is refused unless EnforceConsumerDeletion is
// true, which deletes them (and ends their subscriptions) too.
func (s *Service) deleteStream(ctx context.Context, in *deleteStreamInput) (*struct{}, error) {
	st, release, err := s.lockAdmin(ctx, in.streamRef)
	if err != nil {
		return nil, err
	}
	defer release()
	if st.meta.Status != statusActive {
		return nil, errStreamNotActive(st.meta.Name, st.meta.Status)
	}
	if err := s.deleteConsumersFor(&st.meta, in.EnforceConsumerDeletion != nil && *in.EnforceConsumerDeletion); err != nil {
		return nil, err
	}
	m := st.meta.clone()
	m.Status = statusDeleting
	if err := s.saveMeta(&m); err != nil {
		return nil, err
	}
	// Writes are refused from here on (DELETING is not active); the
	// batcher finishes what it holds.
	if _, err := s.publish(m, st.control); err != nil {
		return nil, err
	}
	st.batch.stop()
	ctl := st.control
	s.background(func(bg context.Context) { s.finishDelete(bg, m, ctl) })
	return nil, nil
}

func (s *Service) describeStream(ctx context.Context, in *describeStreamInput) (*describeStreamOutput, error) {
	st, err := s.lookup(ctx, in.streamRef)
	if err != nil {
		return nil, err
	}
	st = s.settled(ctx, st)
	limit := 100
	if in.Limit != nil {
		if *in.Limit < 1 || *in.Limit > 10000 {
			return nil, errValidation("limit", *in.Limit, "Member must have value between 1 and 10000")
		}
		limit = *in.Limit
	}
	m := &st.meta
	from := 0
	if in.ExclusiveStartShardId != "" {
		i, ok := parseShardID(in.ExclusiveStartShardId)
		if !ok {
			return nil, errValidation("exclusiveStartShardId", in.ExclusiveStartShardId, "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+")
		}
		from = i + 1
	}
	d := streamDescription{
		StreamName: m.Name, StreamARN: m.arn(), StreamStatus: m.Status,
		StreamModeDetails: streamModeDetails{StreamMode: m.Mode}, Shards: []shardShape{},
		RetentionPeriodHours: m.RetentionHours, StreamCreationTimestamp: awsjson.Timestamp(m.Created),
		EnhancedMonitoring: []enhancedMetrics{{ShardLevelMetrics: []string{}}}, EncryptionType: "NONE",
	}
	ids := m.filterShards(nil, from, s.now())
	for _, i := range ids {
		if len(d.Shards) == limit {
			break
		}
		d.Shards = append(d.Shards, s.shardShape(m, i))
	}
	d.HasMoreShards = len(d.Shards) < len(ids)
	return &describeStreamOutput{StreamDescription: d}, nil
}

func (s *Service) describeStreamSummary(ctx context.Context, in *streamRef) (*describeStreamSummaryOutput, error) {
	st, err := s.lookup(ctx, *in)
	if err != nil {
		return nil, err
	}
	st = s.settled(ctx, st)
	m := &st.meta
	return &describeStreamSummaryOutput{StreamDescriptionSummary: streamDescriptionSummary{
		StreamName: m.Name, StreamARN: m.arn(), StreamStatus: m.Status,
		StreamModeDetails: streamModeDetails{StreamMode: m.Mode}, RetentionPeriodHours: m.RetentionHours,
		StreamCreationTimestamp: awsjson.Timestamp(m.Created),
		EnhancedMonitoring:      []enhancedMetrics{{ShardLevelMetrics: []string{}}},
		EncryptionType:          "NONE", OpenShardCount: len(st.open),
	}}, nil
}

// ListStreams pages through the region's streams in name order.
func (s *Service) listStreams(ctx context.Context, in *listStreamsInput) (*listStreamsOutput, error) {
	region := s.regionOf(ctx)
	limit := 100
	if in.Limit != nil {
		if *in.Limit < 1 || *in.Limit > 10000 {
			return nil, errValidation("limit", *in.Limit, "Member must have value between 1 and 10000")
		}
		limit = *in.Limit
	}
	after := in.ExclusiveStartStreamName
	if in.NextToken != "" {
		p, err := s.openPage(tokenListStream, in.NextToken)
		if err != nil {
			return nil, err
		}
		if p.region != region {
			return nil, errInvalid("Invalid NextToken.")
		}
		after = p.after
	}
	s.mu.RLock()
	var names []string
	for _, st := range s.streams {
		if st.meta.Region == region && st.meta.Name > after {
			names = append(names, st.meta.Name)
		}
	}
	sort.Strings(names)
	out := &listStreamsOutput{StreamNames: []string{}, StreamSummaries: []streamSummary{}}
	for _, n := range names {
		if len(out.StreamNames) == limit {
			out.HasMoreStreams = true
			break
		}
		m := &s.streams[region+"/"+n].meta
		out.StreamNames = append(out.StreamNames, n)
		out.StreamSummaries = append(out.StreamSummaries, streamSummary{StreamName: n, StreamARN: m.arn(),
			StreamStatus: m.Status, StreamModeDetails: streamModeDetails{StreamMode: m.Mode},
			StreamCreationTimestamp: awsjson.Timestamp(m.Created)})
	}
	s.mu.RUnlock()
	if out.HasMoreStreams {
		out.NextToken = pageToken{region: region, after: out.StreamNames[len(out.StreamNames)-1],
			issued: s.now().UnixMilli()}.encode(s.tokens, tokenListStream)
	}
	return out, nil
}

// openPage verifies a NextToken; AWS's expire after 300 seconds.
func (s *Service) openPage(kind byte, tok string) (pageToken, error) {
	p, err := decodePageToken(s.tokens, kind, tok)
	if err != nil {
		return pageToken{}, errInvalid("Invalid NextToken.")
	}
	if s.now().UnixMilli()-p.issued > iteratorTTL.Milliseconds() {
		return pageToken{}, errNextTokenExpired()
	}
	return p, nil
}
