package function

import (
	"bytes"
	"encoding/json"
	"math"
	"time"

	"github.com/tarnhq/tarn/internal/function/filter"
)

// The filtering input Lambda matches FilterCriteria against:
//
//   - Kinesis: the record's kinesis members (kinesisSchemaVersion,
//     partitionKey, sequenceNumber, approximateArrivalTimestamp) and the
//     event's (eventSource, eventID, eventName, awsRegion, ...) at the top
//     level, with data base64-decoded and parsed as JSON. A record whose
//     data is not valid JSON can match only the patterns that do not
//     filter on data.
//   - DynamoDB: the stream record as the event carries it (eventName,
//     dynamodb.Keys / NewImage / OldImage in DynamoDB JSON, ...).

// kinesisKeep reports whether set keeps the Kinesis record k.
func kinesisKeep(set *filter.Set, k *kinesisEvent) bool {
	if set.Len() == 0 {
		return true
	}
	in := map[string]any{
		"kinesisSchemaVersion":        k.Kinesis.KinesisSchemaVersion,
		"partitionKey":                k.Kinesis.PartitionKey,
		"sequenceNumber":              k.Kinesis.SequenceNumber,
		"approximateArrivalTimestamp": k.Kinesis.ApproximateArrivalTimestamp,
		"eventSource":                 k.EventSource,
		"eventVersion":                k.EventVersion,
		"eventID":                     k.EventID,
		"eventName":                   k.EventName,
		"invokeIdentityArn":           k.InvokeIdentityArn,
		"awsRegion":                   k.AwsRegion,
		"eventSourceARN":              k.EventSourceARN,
	}
	if data, ok := decodeJSON(k.Kinesis.Data); ok {
		in["data"] = data
		return set.Match(in)
	}
	return set.MatchExcept(in, "data")
}

// decodeJSON parses b as one JSON value (numbers as json.Number).
func decodeJSON(b []byte) (any, bool) {
	if !json.Valid(b) {
		return nil, false
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, false
	}
	return v, true
}

// dynamoItem is the batch item of a DynamoDB stream record: its lane key
// is the item's key, its arrival dynamodb.ApproximateCreationDateTime.
func dynamoItem(set *filter.Set, rec DynamoRecord) batchItem {
	it := batchItem{seq: rec.SequenceNumber, event: rec.Event, keep: true}
	var ev map[string]any
	v, ok := decodeJSON(rec.Event)
	if ev, ok = v.(map[string]any); !ok {
		it.keep = set.Len() == 0
		return it
	}
	if ddb, ok := ev["dynamodb"].(map[string]any); ok {
		if keys, ok := ddb["Keys"]; ok {
			b, _ := json.Marshal(keys) // map keys sorted: a canonical form
			it.key = string(b)
		}
		if n, ok := ddb["ApproximateCreationDateTime"].(json.Number); ok {
			if f, err := n.Float64(); err == nil && !math.IsInf(f, 0) {
				it.arrival = time.UnixMilli(int64(f * 1000)).UTC()
			}
		}
	}
	if set.Len() > 0 {
		it.keep = set.Match(ev)
	}
	return it
}
