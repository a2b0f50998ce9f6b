package function

import (
	"context"
	"encoding/json"
	"time"
)

// esmFailureRecord is the invocation record Lambda sends a stream
// mapping's on-failure destination for discarded records; S3
// destinations also get the batch's event as payload.
type esmFailureRecord struct {
	RequestContext struct {
		RequestID              string `json:"requestId"`
		FunctionArn            string `json:"functionArn"`
		Condition              string `json:"condition"`
		ApproximateInvokeCount int    `json:"approximateInvokeCount"`
	} `json:"requestContext"`
	ResponseContext struct {
		StatusCode      int    `json:"statusCode"`
		ExecutedVersion string `json:"executedVersion"`
		FunctionError   string `json:"functionError"`
	} `json:"responseContext"`
	Version            string        `json:"version"`
	Timestamp          string        `json:"timestamp"`
	KinesisBatchInfo   *esmBatchInfo `json:"KinesisBatchInfo,omitempty"`
	DDBStreamBatchInfo *esmBatchInfo `json:"DDBStreamBatchInfo,omitempty"`
	Payload            *string       `json:"payload,omitempty"`
}

type esmBatchInfo struct {
	ShardID                         string `json:"shardId"`
	StartSequenceNumber             string `json:"startSequenceNumber"`
	EndSequenceNumber               string `json:"endSequenceNumber"`
	ApproximateArrivalOfFirstRecord string `json:"approximateArrivalOfFirstRecord"`
	ApproximateArrivalOfLastRecord  string `json:"approximateArrivalOfLastRecord"`
	BatchSize                       int    `json:"batchSize"`
	StreamArn                       string `json:"streamArn"`
}

const isoMillis = "2006-01-02T15:04:05.000Z"

// failureRecord builds the record for items discarded from shard, and
// the S3 object key AWS documents for it:
// aws/lambda/UUID/SHARD/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-RANDOMUUID.
func failureRecord(e *esmRecord, shard string, items []batchItem, f failure, now time.Time, withPayload bool) ([]byte, string, error) {
	var rec esmFailureRecord
	rec.RequestContext.RequestID = f.res.requestID
	if rec.RequestContext.RequestID == "" {
		rec.RequestContext.RequestID = newID()
	}
	rec.RequestContext.FunctionArn = e.FunctionArn
	rec.RequestContext.Condition = f.condition
	rec.RequestContext.ApproximateInvokeCount = f.invokes
	if f.invokes > 0 {
		rec.ResponseContext.StatusCode = f.res.status
		rec.ResponseContext.FunctionError = f.res.functionError
		rec.ResponseContext.ExecutedVersion = "$LATEST"
		if _, q, err := parseName(e.FunctionArn); err == nil && q != "" {
			rec.ResponseContext.ExecutedVersion = q
		}
	}
	now = now.UTC()
	rec.Version, rec.Timestamp = "1.0", now.Format(isoMillis)
	if shard == dynamoShard {
		shard = dynamoShardID
	}
	info := &esmBatchInfo{ShardID: shard, StartSequenceNumber: items[0].seq, EndSequenceNumber: items[len(items)-1].seq,
		ApproximateArrivalOfFirstRecord: items[0].arrival.UTC().Format(isoMillis),
		ApproximateArrivalOfLastRecord:  items[len(items)-1].arrival.UTC().Format(isoMillis),
		BatchSize:                       len(items), StreamArn: e.EventSourceArn}
	if e.kinesis() {
		rec.KinesisBatchInfo = info
	} else {
		rec.DDBStreamBatchInfo = info
	}
	if withPayload {
		p := string(batchPayload(items))
		rec.Payload = &p
	}
	b, err := json.Marshal(rec)
	key := "aws/lambda/" + e.UUID + "/" + shard + "/" + now.Format("2006/01/02/2006-01-02T15.04.05") + "-" + newID()
	return b, key, err
}

// discard drops items after f: with an on-failure destination it sends
// the invocation record there (a delivery failure is logged; the records
// are dropped either way, as Lambda drops them).
func (m *Mappings) discard(ctx context.Context, r *run, shard string, items []batchItem, f failure) {
	e := r.e
	m.log.Warn("event source mapping discarded records", "uuid", e.UUID, "shard", shard, "condition", f.condition,
		"first", items[0].seq, "last", items[len(items)-1].seq)
	if e.OnFailure == "" {
		return
	}
	kind, _, _, _, _, _ := parseDestination(e.OnFailure)
	rec, key, err := failureRecord(e, shard, items, f, m.fn.now(), kind == destS3)
	if err == nil {
		err = m.fn.sendToDestination(ctx, e.Region, e.OnFailure, key, rec)
	}
	if err != nil {
		m.log.Warn("event source mapping on-failure destination", "uuid", e.UUID, "destination", e.OnFailure, "err", err)
	}
}
