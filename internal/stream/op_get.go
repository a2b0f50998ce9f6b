package stream

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
)

// GetShardIterator resolves the starting position to a JetStream sequence
// (AT_TIMESTAMP is resolved by the first GetRecords) and seals it.
func (s *Service) getShardIterator(ctx context.Context, in *getShardIteratorInput) (*getShardIteratorOutput, error) {
	st, err := s.lookup(ctx, in.streamRef)
	if err != nil {
		return nil, err
	}
	if err := st.active(); err != nil {
		return nil, err
	}
	m := &st.meta
	shard, ok := parseShardID(in.ShardId)
	if !ok || shard >= len(m.Shards) || !m.visible(shard, s.now()) {
		return nil, errShardNotFound(in.ShardId, m.Name)
	}
	it := iterator{region: m.Region, name: m.Name, epoch: m.Epoch, shard: shard, issued: s.now().UnixMilli()}
	seqArg := func() (seqNum, error) {
		if in.StartingSequenceNumber == "" {
			return seqNum{}, errInvalid("StartingSequenceNumber is required for %s.", in.ShardIteratorType)
		}
		if !seqPattern.MatchString(in.StartingSequenceNumber) {
			return seqNum{}, errValidation("startingSequenceNumber", in.StartingSequenceNumber, "Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})")
		}
		sn, ok := parseSeqNum(in.StartingSequenceNumber)
		if !ok {
			return seqNum{}, errSeqInvalid(in.StartingSequenceNumber, in.ShardId, m.Name)
		}
		if sn.epoch != m.Epoch || sn.shard != shard {
			return seqNum{}, errSeqOtherShard(in.StartingSequenceNumber, in.ShardId, m.Name)
		}
		return sn, nil
	}
	switch in.ShardIteratorType {
	case "TRIM_HORIZON": // records older than the retention are skipped by GetRecords
		it.next = max(m.Shards[shard].OpenSeq, 1)
	case "LATEST":
		js, err := s.js.Stream(ctx, m.jsName())
		if err != nil {
			return nil, fmt.Errorf("latest: %w", err)
		}
		it.next = js.CachedInfo().State.LastSeq + 1
	case "AT_SEQUENCE_NUMBER":
		sn, err := seqArg()
		if err != nil {
			return nil, err
		}
		it.next = max(sn.js, 1)
	case "AFTER_SEQUENCE_NUMBER":
		sn, err := seqArg()
		if err != nil {
			return nil, err
		}
		it.next = sn.js + 1
	case "AT_TIMESTAMP":
		if in.Timestamp == nil {
			return nil, errInvalid("Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP. Current request has no timestamp parameter.")
		}
		t := in.Timestamp.Time()
		if t.After(s.now()) {
			return nil, errInvalid("The timestampInMillis parameter cannot be greater than the currentTimestampInMillis. timestampInMillis: %d, currentTimestampInMillis: %d", t.UnixMilli(), s.now().UnixMilli())
		}
		it.next, it.atTime = max(m.Shards[shard].OpenSeq, 1), t.UnixNano()
	default:
		return nil, errValidation("shardIteratorType", in.ShardIteratorType, "Member must satisfy enum value set: [AT_SEQUENCE_NUMBER, AFTER_SEQUENCE_NUMBER, TRIM_HORIZON, LATEST, AT_TIMESTAMP]")
	}
	return &getShardIteratorOutput{ShardIterator: it.encode(s.tokens)}, nil
}

// GetRecords reads from the iterator's position with one batched direct
// get of the shard's subject; readers share nothing, so any number can
// read a shard at once.
func (s *Service) getRecords(ctx context.Context, in *getRecordsInput) (*getRecordsOutput, error) {
	limit := maxGetRecordsLimit
	if in.Limit != nil {
		if *in.Limit < 1 || *in.Limit > maxGetRecordsLimit {
			return nil, errValidation("limit", *in.Limit, "Member must have value between 1 and 10000")
		}
		limit = *in.Limit
	}
	if in.ShardIterator == "" || len(in.ShardIterator) > 512 {
		return nil, errValidation("shardIterator", in.ShardIterator, "Member must have length between 1 and 512")
	}
	it, err := decodeIterator(s.tokens, in.ShardIterator)
	if err != nil {
		return nil, errInvalidIterator()
	}
	now := s.now()
	if now.UnixMilli()-it.issued > iteratorTTL.Milliseconds() {
		return nil, errIteratorExpired(it.issued, now.UnixMilli())
	}
	st, err := s.lookup(ctx, streamRef{StreamARN: "arn:aws:kinesis:" + it.region + ":" + accountID + ":stream/" + it.name})
	if err != nil {
		return nil, err
	}
	m := &st.meta
	if m.Status == statusDeleting {
		return nil, errStreamNotActive(m.Name, m.Status)
	}
	if m.Epoch != it.epoch || it.shard >= len(m.Shards) || !m.visible(it.shard, now) {
		// the stream was deleted and re-created, or the closed shard expired
		return nil, errShardNotFound(shardID(it.shard), it.name)
	}
	var at time.Time
	if it.atTime != 0 {
		at = time.Unix(0, it.atTime)
	}
	recs, pending, err := s.read(ctx, m, it, at, limit, now)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		return nil, fmt.Errorf("get records: %w", err)
	}
	out := &getRecordsOutput{Records: make([]recordShape, len(recs))}
	for i, r := range recs {
		out.Records[i] = recordShape{
			SequenceNumber:              seqNum{epoch: it.epoch, shard: it.shard, js: r.seq}.String(),
			ApproximateArrivalTimestamp: awsjson.Timestamp(r.ts),
			Data:                        r.data, PartitionKey: r.pk, EncryptionType: "NONE",
		}
	}
	next := it
	next.issued, next.atTime = now.UnixMilli(), 0
	if n := len(recs); n > 0 {
		next.next = recs[n-1].seq + 1
		if pending > 0 {
			out.MillisBehindLatest = max(0, now.Sub(recs[n-1].ts).Milliseconds())
		}
	} else if it.atTime != 0 {
		next.atTime = it.atTime // nothing at or after the time yet: keep looking from it
	}
	// A closed shard gets no more records (the reshard drained its writes
	// before closing it): once nothing is left, the iterator ends and the
	// consumer is pointed at the children.
	if !m.Shards[it.shard].isOpen() && (len(recs) == 0 || pending == 0) {
		out.ChildShards, out.MillisBehindLatest = m.children(it.shard), 0
		return out, nil
	}
	tok := next.encode(s.tokens)
	out.NextShardIterator = &tok
	return out, nil
}

// read fetches the iterator's next records, skipping those older than the
// retention period: JetStream's MaxAge removes them, but on its own timer
// and by its own clock, so reads apply the cutoff themselves. Record
// times only grow with the sequence, so one refetch from the cutoff does.
func (s *Service) read(ctx context.Context, m *streamMeta, it iterator, at time.Time, limit int, now time.Time) ([]stored, uint64, error) {
	// JetStream stops after the record that crosses max_bytes; leave room
	// for one 1 MiB record so a response stays within 10 MiB.
	const maxBytes = maxGetRecordsBytes - maxRecordData
	recs, pending, err := fetch(ctx, s.nc, m.jsName(), m.subject(it.shard), it.next, at, limit, maxBytes)
	cutoff := now.Add(-m.retention())
	if err != nil || len(recs) == 0 || !recs[0].ts.Before(cutoff) {
		return recs, pending, err
	}
	recs, pending, err = fetch(ctx, s.nc, m.jsName(), m.subject(it.shard), it.next, cutoff, limit, maxBytes)
	kept := recs[:0]
	for _, r := range recs {
		if r.seq >= it.next && !r.ts.Before(cutoff) {
			kept = append(kept, r)
		}
	}
	return kept, pending, err
}
