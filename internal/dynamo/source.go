package dynamo

import (
	"context"
	"strconv"
)

// StreamSource is the read side of DynamoDB Streams for in-process
// consumers, such as the Lambda event source mappings a later issue adds.
// *Service implements it. Positions are sequence numbers as strings (the
// SequenceNumber of a Record); "" means the oldest retained record.
type StreamSource interface {
	// TableStream returns the ARN of the table's enabled stream, or ""
	// when the table has none.
	TableStream(ctx context.Context, region, table string) (string, error)
	// ReadStream returns up to limit records (at most 1000) of the stream
	// that follow position after, in sequence order, each with
	// EventSourceARN set, and the position to pass next time (the last
	// record's sequence number, or after itself when there were none).
	// Records are returned at least once: a consumer that crashes before
	// saving its position reads them again.
	ReadStream(ctx context.Context, streamArn, after string, limit int) ([]Record, string, error)
	// StreamChanged returns a channel closed when records past those
	// visible at the call become readable, or the stream is disabled.
	StreamChanged(ctx context.Context, streamArn string) (<-chan struct{}, error)
}

var _ StreamSource = (*Service)(nil)

// TableStream implements StreamSource.
func (s *Service) TableStream(ctx context.Context, region, table string) (string, error) {
	t := s.lookup(region, table)
	if t == nil {
		return "", errTableNotFound(table)
	}
	st := s.liveStream(t.desc.Load())
	if st == nil {
		return "", nil
	}
	return st.desc.Load().arn(), nil
}

// ReadStream implements StreamSource.
func (s *Service) ReadStream(ctx context.Context, streamArn, after string, limit int) ([]Record, string, error) {
	st, err := s.streamByArn(ctx, streamArn)
	if err != nil {
		return nil, after, err
	}
	var from uint64
	if after != "" {
		seq, err := strconv.ParseUint(after, 10, 64)
		if err != nil {
			return nil, after, errValidation("Invalid SequenceNumber: %s", after)
		}
		from = seq + 1
	}
	if limit <= 0 || limit > 1000 {
		limit = 1000
	}
	recs, _, err := s.readRecords(st, from, limit)
	if err != nil {
		return nil, after, err
	}
	for i := range recs {
		recs[i].EventSourceARN = streamArn
	}
	if len(recs) > 0 {
		after = recs[len(recs)-1].Dynamodb.SequenceNumber
	}
	return recs, after, nil
}

// StreamChanged implements StreamSource.
func (s *Service) StreamChanged(ctx context.Context, streamArn string) (<-chan struct{}, error) {
	st, err := s.streamByArn(ctx, streamArn)
	if err != nil {
		return nil, err
	}
	_, ch := st.watermark()
	return ch, nil
}
