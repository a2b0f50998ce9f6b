package dynamo

import (
	"context"
	"encoding/binary"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
)

type listStreamsInput struct {
	TableName               string `json:"TableName"`
	Limit                   *int   `json:"Limit"`
	ExclusiveStartStreamArn string `json:"ExclusiveStartStreamArn"`
}

type streamSummary struct {
	StreamArn   string `json:"StreamArn"`
	StreamLabel string `json:"StreamLabel"`
	TableName   string `json:"TableName"`
}

type listStreamsOut struct {
	Streams                []streamSummary `json:"Streams"`
	LastEvaluatedStreamArn string          `json:"LastEvaluatedStreamArn,omitempty"`
}

type describeStreamInput struct {
	StreamArn             string `json:"StreamArn"`
	Limit                 *int   `json:"Limit"`
	ExclusiveStartShardId string `json:"ExclusiveStartShardId"`
}

type sequenceNumberRange struct {
	StartingSequenceNumber string `json:"StartingSequenceNumber,omitempty"`
	EndingSequenceNumber   string `json:"EndingSequenceNumber,omitempty"`
}

type shardOut struct {
	ShardId             string              `json:"ShardId"`
	SequenceNumberRange sequenceNumberRange `json:"SequenceNumberRange"`
	ParentShardId       string              `json:"ParentShardId,omitempty"`
}

type streamDescription struct {
	StreamArn               string             `json:"StreamArn"`
	StreamLabel             string             `json:"StreamLabel"`
	StreamStatus            string             `json:"StreamStatus"`
	StreamViewType          string             `json:"StreamViewType"`
	CreationRequestDateTime awsjson.Timestamp  `json:"CreationRequestDateTime"`
	TableName               string             `json:"TableName"`
	KeySchema               []KeySchemaElement `json:"KeySchema"`
	Shards                  []shardOut         `json:"Shards"`
	LastEvaluatedShardId    string             `json:"LastEvaluatedShardId,omitempty"`
}

type describeStreamOut struct {
	StreamDescription streamDescription `json:"StreamDescription"`
}

type getShardIteratorInput struct {
	StreamArn         string `json:"StreamArn"`
	ShardId           string `json:"ShardId"`
	ShardIteratorType string `json:"ShardIteratorType"`
	SequenceNumber    string `json:"SequenceNumber"`
}

type getShardIteratorOut struct {
	ShardIterator string `json:"ShardIterator"`
}

type getRecordsInput struct {
	ShardIterator string `json:"ShardIterator"`
	Limit         *int   `json:"Limit"`
}

type getRecordsOut struct {
	Records           []Record `json:"Records"`
	NextShardIterator *string  `json:"NextShardIterator"`
}

// visibleStreams lists the streams of region that are enabled or whose
// records are still retained, sorted by ARN.
func (s *Service) visibleStreams(region string) []*streamState {
	cutoff := s.now().Add(-StreamRetention)
	s.mu.RLock()
	var out []*streamState
	for _, st := range s.streams {
		d := st.desc.Load()
		if d.Region == region && (d.Disabled == nil || d.Disabled.After(cutoff)) {
			out = append(out, st)
		}
	}
	s.mu.RUnlock()
	slices.SortFunc(out, func(a, b *streamState) int { return strings.Compare(a.desc.Load().arn(), b.desc.Load().arn()) })
	return out
}

func (s *Service) listStreams(ctx context.Context, in *listStreamsInput) (*listStreamsOut, error) {
	limit := 100
	if in.Limit != nil {
		if *in.Limit < 1 || *in.Limit > 100 {
			return nil, errConstraint(*in.Limit, "limit", "Member must have value less than or equal to 100, Member must have value greater than or equal to 1")
		}
		limit = *in.Limit
	}
	out := &listStreamsOut{Streams: []streamSummary{}}
	for _, st := range s.visibleStreams(s.regionOf(ctx)) {
		d := st.desc.Load()
		if in.TableName != "" && d.Table != in.TableName {
			continue
		}
		if in.ExclusiveStartStreamArn != "" && d.arn() <= in.ExclusiveStartStreamArn {
			continue
		}
		if len(out.Streams) == limit {
			out.LastEvaluatedStreamArn = out.Streams[limit-1].StreamArn
			break
		}
		out.Streams = append(out.Streams, streamSummary{StreamArn: d.arn(), StreamLabel: d.Label, TableName: d.Table})
	}
	return out, nil
}

// streamByArn finds a stream by its ARN (enabled, or disabled within the
// retention).
func (s *Service) streamByArn(ctx context.Context, arn string) (*streamState, error) {
	if arn == "" {
		return nil, errNull("streamArn")
	}
	parts := strings.SplitN(arn, ":", 6)
	region := s.regionOf(ctx)
	if len(parts) == 6 {
		region = parts[3]
	}
	for _, st := range s.visibleStreams(region) {
		if st.desc.Load().arn() == arn {
			return st, nil
		}
	}
	return nil, errStreamNotFound(arn)
}

// firstSeq is the sequence number of the stream's oldest retained record
// (0 when it has none).
func (s *Service) firstSeq(d *streamDesc) (uint64, error) {
	it, err := s.recSp.Iter(tablePrefix(d.ID), tablePrefix(d.ID+1))
	if err != nil {
		return 0, err
	}
	defer it.Close()
	if it.First() {
		return binary.BigEndian.Uint64(it.Key()[8:]), nil
	}
	return 0, nil
}

func (s *Service) describeStream(ctx context.Context, in *describeStreamInput) (*describeStreamOut, error) {
	st, err := s.streamByArn(ctx, in.StreamArn)
	if err != nil {
		return nil, err
	}
	d := st.desc.Load()
	status := "ENABLED"
	rng := sequenceNumberRange{StartingSequenceNumber: formatSeq(d.StartSeq + 1)}
	if first, err := s.firstSeq(d); err != nil {
		return nil, err
	} else if first != 0 {
		rng.StartingSequenceNumber = formatSeq(first)
	}
	if d.Disabled != nil {
		status = "DISABLED"
		vis, _ := st.watermark()
		rng.EndingSequenceNumber = formatSeq(max(vis, d.StartSeq+1))
	}
	sd := streamDescription{StreamArn: d.arn(), StreamLabel: d.Label, StreamStatus: status, StreamViewType: d.ViewType,
		CreationRequestDateTime: awsjson.Timestamp(d.Created), TableName: d.Table, KeySchema: d.Keys,
		Shards: []shardOut{{ShardId: d.shardID(), SequenceNumberRange: rng}}}
	if in.ExclusiveStartShardId != "" && in.ExclusiveStartShardId >= d.shardID() {
		sd.Shards = []shardOut{}
	}
	return &describeStreamOut{StreamDescription: sd}, nil
}

// A shard iterator holds the stream id, the next sequence to read and its
// creation time, HMAC-sealed.
type shardIterator struct {
	stream  uint64
	next    uint64
	created int64 // Unix ms
}

func (s *Service) sealIterator(it shardIterator) string {
	b := binary.BigEndian.AppendUint64(nil, it.stream)
	b = binary.BigEndian.AppendUint64(b, it.next)
	b = binary.BigEndian.AppendUint64(b, uint64(it.created))
	return s.tokens.Seal(tokenIterator, b)
}

func (s *Service) openIterator(tok string) (shardIterator, error) {
	b, err := s.tokens.Open(tokenIterator, tok)
	if err != nil || len(b) != 24 {
		return shardIterator{}, errBadIterator()
	}
	it := shardIterator{stream: binary.BigEndian.Uint64(b), next: binary.BigEndian.Uint64(b[8:]), created: int64(binary.BigEndian.Uint64(b[16:]))}
	if s.now().Sub(time.UnixMilli(it.created)) > iteratorTTL {
		return shardIterator{}, errExpiredIterator()
	}
	return it, nil
}

func (s *Service) getShardIterator(ctx context.Context, in *getShardIteratorInput) (*getShardIteratorOut, error) {
	if in.ShardId == "" {
		return nil, errNull("shardId")
	}
	st, err := s.streamByArn(ctx, in.StreamArn)
	if err != nil {
		return nil, err
	}
	d := st.desc.Load()
	if in.ShardId != d.shardID() {
		return nil, apiErr(codeResourceNotFound, "Requested resource not found: Shard does not exist")
	}
	it := shardIterator{stream: d.ID, created: s.now().UnixMilli()}
	needSeq := in.ShardIteratorType == "AT_SEQUENCE_NUMBER" || in.ShardIteratorType == "AFTER_SEQUENCE_NUMBER"
	if needSeq && in.SequenceNumber == "" {
		return nil, errValidation("Must specify a sequence number with a shard iterator type of %s", in.ShardIteratorType)
	}
	if !needSeq && in.SequenceNumber != "" {
		return nil, errValidation("Sequence number should not be specified for shard iterator type %s", in.ShardIteratorType)
	}
	var seq uint64
	if needSeq {
		seq, err = strconv.ParseUint(in.SequenceNumber, 10, 64)
		if err != nil {
			return nil, errValidation("Invalid SequenceNumber: %s", in.SequenceNumber)
		}
		first, err := s.firstSeq(d)
		if err != nil {
			return nil, err
		}
		if seq <= d.StartSeq || (first != 0 && seq < first) {
			return nil, errTrimmed()
		}
	}
	switch in.ShardIteratorType {
	case "TRIM_HORIZON":
		it.next = 0
	case "LATEST":
		vis, _ := st.watermark()
		it.next = vis + 1
	case "AT_SEQUENCE_NUMBER":
		it.next = seq
	case "AFTER_SEQUENCE_NUMBER":
		it.next = seq + 1
	default:
		return nil, errConstraint(in.ShardIteratorType, "shardIteratorType", "Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]")
	}
	return &getShardIteratorOut{ShardIterator: s.sealIterator(it)}, nil
}

func (s *Service) getRecords(ctx context.Context, in *getRecordsInput) (*getRecordsOut, error) {
	if in.ShardIterator == "" {
		return nil, errNull("shardIterator")
	}
	limit := 1000
	if in.Limit != nil {
		if *in.Limit < 1 || *in.Limit > 1000 {
			return nil, errConstraint(*in.Limit, "limit", "Member must have value less than or equal to 1000, Member must have value greater than or equal to 1")
		}
		limit = *in.Limit
	}
	it, err := s.openIterator(in.ShardIterator)
	if err != nil {
		return nil, err
	}
	s.mu.RLock()
	st := s.streams[it.stream]
	s.mu.RUnlock()
	if st == nil {
		return nil, errBadIterator()
	}
	recs, next, err := s.readRecords(st, it.next, limit)
	if err != nil {
		return nil, err
	}
	out := &getRecordsOut{Records: recs}
	d := st.desc.Load()
	vis, _ := st.watermark()
	if d.Disabled != nil && len(recs) == 0 && next > vis {
		return out, nil // closed shard, fully read: no next iterator
	}
	tok := s.sealIterator(shardIterator{stream: it.stream, next: next, created: s.now().UnixMilli()})
	out.NextShardIterator = &tok
	return out, nil
}

// readRecords returns up to limit visible records of st with sequence >=
// from, and the sequence to read next.
func (s *Service) readRecords(st *streamState, from uint64, limit int) ([]Record, uint64, error) {
	d := st.desc.Load()
	vis, _ := st.watermark()
	recs := []Record{}
	if from > vis {
		return recs, from, nil
	}
	it, err := s.recSp.Iter(recordKey(d.ID, from), recordKey(d.ID, vis+1))
	if err != nil {
		return nil, 0, err
	}
	defer it.Close()
	next := from
	cutoff := s.now().Add(-StreamRetention)
	for ok := it.First(); ok && len(recs) < limit; ok = it.Next() {
		seq := binary.BigEndian.Uint64(it.Key()[8:])
		v, err := it.Value()
		if err != nil {
			return nil, 0, err
		}
		next = seq + 1
		if recordTime(v).Before(cutoff) {
			continue
		}
		r, err := decodeRecord(d, seq, v)
		if err != nil {
			return nil, 0, err
		}
		recs = append(recs, r)
	}
	if len(recs) < limit && next <= vis {
		next = vis + 1 // everything visible was read
	}
	return recs, next, it.Close()
}
