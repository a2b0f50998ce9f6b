package stream

import (
	"context"
	"fmt"
	"regexp"
	"unicode/utf8"
)

var seqPattern = regexp.MustCompile(`^(0|[1-9]\d{0,128})$`)

// route validates one record and returns its shard and JetStream message.
// field is the record's path in validation messages ("" for PutRecord).
func (st *streamState) route(field, pk, explicit string, data []byte) (int, pubMsg, error) {
	if n := utf8.RuneCountInString(pk); n < 1 || n > 256 {
		return 0, pubMsg{}, errValidation(field+"partitionKey", pk, "Member must have length between 1 and 256")
	}
	if len(data) > maxRecordData {
		return 0, pubMsg{}, errValidation(field+"data", "java.nio.HeapByteBuffer[pos=0 lim="+fmt.Sprint(len(data))+"]",
			"Member must have length less than or equal to 1048576")
	}
	h := partitionHash(pk)
	if explicit != "" {
		if !hashKeyPattern.MatchString(explicit) {
			return 0, pubMsg{}, errValidation(field+"explicitHashKey", explicit, "Member must satisfy regular expression pattern: 0|([1-9]\\d{0,38})")
		}
		var ok bool
		if h, ok = parseHashKey(explicit); !ok {
			return 0, pubMsg{}, errInvalid("Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was %s", explicit)
		}
	}
	shard := st.open[shardFor(st.starts, h)]
	return shard, pubMsg{subject: st.meta.subject(shard), data: encodeRecord(pk, data)}, nil
}

// active reports whether the stream takes reads and writes: ACTIVE, or
// UPDATING during a reshard (as on AWS).
func (st *streamState) active() error {
	if st.meta.Status != statusActive && st.meta.Status != statusUpdating {
		return errStreamNotActive(st.meta.Name, st.meta.Status)
	}
	return nil
}

func (s *Service) putRecord(ctx context.Context, in *putRecordInput) (*putRecordOutput, error) {
	st, err := s.lookup(ctx, in.streamRef)
	if err != nil {
		return nil, err
	}
	if err := st.active(); err != nil {
		return nil, err
	}
	if in.SequenceNumberForOrdering != "" && !seqPattern.MatchString(in.SequenceNumberForOrdering) {
		return nil, errValidation("sequenceNumberForOrdering", in.SequenceNumberForOrdering, "Member must satisfy regular expression pattern: 0|([1-9]\\d{0,128})")
	}
	// SequenceNumberForOrdering needs no work: records of one shard are
	// stored in the order their puts were acknowledged, so a put made after
	// another's acknowledgement always gets a larger sequence number.
	st, release, err := s.acquireWrite(st)
	if err != nil {
		return nil, err
	}
	defer release()
	shard, msg, err := st.route("", in.PartitionKey, in.ExplicitHashKey, in.Data)
	if err != nil {
		return nil, err
	}
	seqs, err := st.batch.put(ctx, []pubMsg{msg})
	if err != nil {
		return nil, fmt.Errorf("put record: %w", err)
	}
	return &putRecordOutput{ShardId: shardID(shard), EncryptionType: "NONE",
		SequenceNumber: seqNum{epoch: st.meta.Epoch, shard: shard, js: seqs[0]}.String()}, nil
}

// PutRecords stores the records as one atomic batch: all of them or none.
// Shape violations (a record over 1 MiB, a bad key) fail the whole request
// as on AWS; a storage failure is reported per record as InternalFailure.
func (s *Service) putRecords(ctx context.Context, in *putRecordsInput) (*putRecordsOutput, error) {
	st, err := s.lookup(ctx, in.streamRef)
	if err != nil {
		return nil, err
	}
	switch n := len(in.Records); {
	case n < 1:
		return nil, errValidation("records", "[]", "Member must have length greater than or equal to 1")
	case n > maxPutRecords:
		return nil, errValidation("records", fmt.Sprintf("[%d records]", n), "Member must have length less than or equal to 500")
	}
	st, release, err := s.acquireWrite(st)
	if err != nil {
		return nil, err
	}
	defer release()
	shards := make([]int, len(in.Records))
	msgs := make([]pubMsg, len(in.Records))
	total := 0
	for i, r := range in.Records {
		shard, msg, err := st.route(fmt.Sprintf("records.%d.member.", i+1), r.PartitionKey, r.ExplicitHashKey, r.Data)
		if err != nil {
			return nil, err
		}
		shards[i], msgs[i] = shard, msg
		total += len(r.Data) + len(r.PartitionKey)
	}
	if total > maxPutRecordsBytes {
		return nil, errInvalid("Records size exceeds 5 MB limit")
	}
	out := &putRecordsOutput{Records: make([]putRecordsResult, len(in.Records)), EncryptionType: "NONE"}
	seqs, err := st.batch.put(ctx, msgs)
	if err != nil {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		s.log.Warn("PutRecords failed", "stream", st.meta.Name, "err", err)
		out.FailedRecordCount = len(in.Records)
		for i := range out.Records {
			out.Records[i] = putRecordsResult{ErrorCode: codeInternalFailure, ErrorMessage: "Internal service failure."}
		}
		return out, nil
	}
	for i := range out.Records {
		out.Records[i] = putRecordsResult{ShardId: shardID(shards[i]),
			SequenceNumber: seqNum{epoch: st.meta.Epoch, shard: shards[i], js: seqs[i]}.String()}
	}
	return out, nil
}
