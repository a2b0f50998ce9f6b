package firehose

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/tarnhq/tarn/internal/awsjson"
)

// putRecord is PutRecord: acknowledged once the record is in the durable
// buffer.
func (s *Service) putRecord(ctx context.Context, in *putRecordInput) (*putRecordOutput, error) {
	if in.Record == nil {
		return nil, errValidation("record", "null", "Member must not be null")
	}
	if len(in.Record.Data) > maxRecordData {
		return nil, errValidation("record.data", "", fmt.Sprintf("Member must have length less than or equal to %d", maxRecordData))
	}
	d, err := s.lookup(ctx, in.DeliveryStreamName)
	if err != nil {
		return nil, err
	}
	ids, err := d.put(ctx, [][]byte{in.Record.Data})
	if err != nil {
		return nil, err
	}
	return &putRecordOutput{RecordId: ids[0]}, nil
}

// putRecordBatch is PutRecordBatch: every record of the batch goes into
// the durable buffer in one atomic commit, so they all succeed or all
// fail (then each RequestResponses entry carries the error).
func (s *Service) putRecordBatch(ctx context.Context, in *putBatchInput) (*putBatchOutput, error) {
	if len(in.Records) < 1 || len(in.Records) > maxBatchRecords {
		return nil, errValidation("records", len(in.Records), fmt.Sprintf("Member must have length between 1 and %d", maxBatchRecords))
	}
	total := 0
	datas := make([][]byte, len(in.Records))
	for i, r := range in.Records {
		if len(r.Data) > maxRecordData {
			return nil, errValidation(fmt.Sprintf("records.%d.member.data", i+1), "", fmt.Sprintf("Member must have length less than or equal to %d", maxRecordData))
		}
		total += len(r.Data)
		datas[i] = r.Data
	}
	if total > maxBatchBytes {
		return nil, errInvalid("The total size of the records in a PutRecordBatch request (%d bytes) exceeds the limit of %d bytes.", total, maxBatchBytes)
	}
	d, err := s.lookup(ctx, in.DeliveryStreamName)
	if err != nil {
		return nil, err
	}
	out := &putBatchOutput{RequestResponses: make([]putBatchEntry, len(datas))}
	ids, err := d.put(ctx, datas)
	if err != nil {
		var ae *awsjson.Error
		if errors.As(err, &ae) {
			return nil, err // stream-level errors (wrong type, deleted) fail the request as AWS does
		}
		s.log.Warn("firehose: buffer records", "stream", in.DeliveryStreamName, "err", err)
		for i := range out.RequestResponses {
			out.RequestResponses[i] = putBatchEntry{ErrorCode: codeServiceUnavailable, ErrorMessage: "Slow down."}
		}
		out.FailedPutCount = len(datas)
		return out, nil
	}
	for i, id := range ids {
		out.RequestResponses[i].RecordId = id
	}
	return out, nil
}

// put stores records durably in the stream's buffer (one atomic Pebble
// batch, so concurrent puts share the WAL's group commit) and hands them
// to the deliverer. It returns their record ids.
func (d *deliveryStream) put(ctx context.Context, datas [][]byte) ([]string, error) {
	d.writers.RLock()
	defer d.writers.RUnlock()
	_, m := d.snapshot()
	if d.deleted {
		return nil, errStreamNotFound(m.Name)
	}
	if m.Type != typeDirectPut {
		return nil, errInvalid("This operation is not permitted on KinesisStreamAsSource delivery stream type.")
	}
	if m.Status != statusActive {
		return nil, errNotActive(m.Name, m.Status)
	}
	select {
	case <-d.quit:
		return nil, errStopped
	default:
	}
	now := d.svc.clock.Now().UTC()
	b := d.svc.db.NewBatch()
	defer b.Close()
	recs := make([]record, len(datas))
	ids := make([]string, len(datas))
	var salt [8]byte
	_, _ = rand.Read(salt[:])
	for i, data := range datas {
		seq := d.nextSeq.Add(1)
		k := bufKey(m.Epoch, seq)
		b.Set(d.svc.meta, k, encodeBuffered(now, data))
		recs[i] = record{arrival: now, buffered: now, data: data, bufKey: k}
		ids[i] = fmt.Sprintf("%016x%016x", uint64(m.Epoch), seq) + hex.EncodeToString(salt[:])
	}
	if err := b.Commit(); err != nil {
		return nil, fmt.Errorf("firehose: buffer: %w", err)
	}
	d.enqueue(recs)
	return ids, nil
}
