package platform

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/tarnhq/tarn/internal/dynamo"
	"github.com/tarnhq/tarn/internal/firehose"
	"github.com/tarnhq/tarn/internal/function"
)

// esmKinesis lets Lambda event source mappings read Kinesis shards, through
// the same in-process calls as Firehose's kinesisReader.
type esmKinesis struct{ k kinesisReader }

// esmDynamo lets Lambda event source mappings read DynamoDB streams.
type esmDynamo struct{ src dynamo.StreamSource }

var (
	_ function.KinesisSource      = esmKinesis{}
	_ function.KinesisShardLister = esmKinesis{}
	_ function.DynamoSource       = esmDynamo{}
)

// esmOptions are the event source mappings' options over the platform's
// Kinesis and DynamoDB services (both must be built).
func (p *Platform) esmOptions() function.MappingOptions {
	return function.MappingOptions{Kinesis: esmKinesis{kinesisReader{p.kinesis}}, Dynamo: esmDynamo{p.dynamo},
		Logger: p.log.With("service", "lambda-esm")}
}

func esmNotFound(err error) error {
	if errors.Is(err, firehose.ErrSourceNotFound) {
		return fmt.Errorf("%w: %w", function.ErrSourceNotFound, err)
	}
	return err
}

func (e esmKinesis) Shards(ctx context.Context, arn string) ([]string, error) {
	ids, err := e.k.Shards(ctx, arn)
	return ids, esmNotFound(err)
}

// ListShards lists a stream's shards with their parents and whether they
// are closed (a reshard's parents are), so children wait for them.
func (e esmKinesis) ListShards(ctx context.Context, arn string) ([]function.KinesisShard, error) {
	var shards []function.KinesisShard
	in := map[string]any{"StreamARN": arn}
	for {
		var out struct {
			Shards []struct {
				ShardId, ParentShardId, AdjacentParentShardId string
				SequenceNumberRange                           struct{ EndingSequenceNumber string }
			} `json:"Shards"`
			NextToken string `json:"NextToken"`
		}
		if err := e.k.call(ctx, "ListShards", in, &out); err != nil {
			return nil, esmNotFound(err)
		}
		for _, sh := range out.Shards {
			ks := function.KinesisShard{ID: sh.ShardId, Closed: sh.SequenceNumberRange.EndingSequenceNumber != ""}
			for _, p := range []string{sh.ParentShardId, sh.AdjacentParentShardId} {
				if p != "" {
					ks.Parents = append(ks.Parents, p)
				}
			}
			shards = append(shards, ks)
		}
		if out.NextToken == "" {
			return shards, nil
		}
		in = map[string]any{"NextToken": out.NextToken}
	}
}

func (e esmKinesis) Changed(ctx context.Context, arn string) (<-chan struct{}, func(), error) {
	return e.k.Notify(ctx, arn)
}

func (e esmKinesis) Read(ctx context.Context, arn, shard string, from function.KinesisPosition, limit int) ([]function.KinesisRecord, error) {
	it := map[string]any{"StreamARN": arn, "ShardId": shard}
	switch {
	case from.After != "":
		it["ShardIteratorType"], it["StartingSequenceNumber"] = "AFTER_SEQUENCE_NUMBER", from.After
	case from.At.IsZero():
		it["ShardIteratorType"] = "TRIM_HORIZON"
	default:
		it["ShardIteratorType"], it["Timestamp"] = "AT_TIMESTAMP", float64(from.At.UnixMicro())/1e6
	}
	var iter struct {
		ShardIterator string `json:"ShardIterator"`
	}
	if err := e.k.call(ctx, "GetShardIterator", it, &iter); err != nil {
		return nil, esmNotFound(err)
	}
	var out struct {
		Records []struct {
			SequenceNumber string  `json:"SequenceNumber"`
			PartitionKey   string  `json:"PartitionKey"`
			Arrival        float64 `json:"ApproximateArrivalTimestamp"`
			Data           []byte  `json:"Data"`
		} `json:"Records"`
	}
	if err := e.k.call(ctx, "GetRecords", map[string]any{"ShardIterator": iter.ShardIterator, "Limit": limit, "StreamARN": arn}, &out); err != nil {
		return nil, esmNotFound(err)
	}
	recs := make([]function.KinesisRecord, len(out.Records))
	for i, r := range out.Records {
		recs[i] = function.KinesisRecord{SequenceNumber: r.SequenceNumber, PartitionKey: r.PartitionKey, Data: r.Data,
			ArrivalTime: time.UnixMilli(int64(math.Round(r.Arrival * 1000))).UTC()}
	}
	return recs, nil
}

// lambdaDynamoRecord is a DynamoDB stream record as a Lambda event carries
// it: the Streams record with userIdentity's members in lowercase.
type lambdaDynamoRecord struct {
	EventID        string              `json:"eventID"`
	EventName      string              `json:"eventName"`
	EventVersion   string              `json:"eventVersion"`
	EventSource    string              `json:"eventSource"`
	AwsRegion      string              `json:"awsRegion"`
	Dynamodb       dynamo.StreamRecord `json:"dynamodb"`
	EventSourceARN string              `json:"eventSourceARN"`
	UserIdentity   *struct {
		PrincipalID string `json:"principalId"`
		Type        string `json:"type"`
	} `json:"userIdentity,omitempty"`
}

func (e esmDynamo) Read(ctx context.Context, arn, after string, limit int) ([]function.DynamoRecord, error) {
	recs, _, err := e.src.ReadStream(ctx, arn, after, limit)
	if err != nil {
		return nil, err
	}
	out := make([]function.DynamoRecord, len(recs))
	for i, r := range recs {
		l := lambdaDynamoRecord{EventID: r.EventID, EventName: r.EventName, EventVersion: r.EventVersion,
			EventSource: r.EventSource, AwsRegion: r.AwsRegion, Dynamodb: r.Dynamodb, EventSourceARN: r.EventSourceARN}
		if u := r.UserIdentity; u != nil {
			l.UserIdentity = &struct {
				PrincipalID string `json:"principalId"`
				Type        string `json:"type"`
			}{u.PrincipalID, u.Type}
		}
		b, err := json.Marshal(l)
		if err != nil {
			return nil, err
		}
		out[i] = function.DynamoRecord{SequenceNumber: r.Dynamodb.SequenceNumber, Event: b}
	}
	return out, nil
}

func (e esmDynamo) Changed(ctx context.Context, arn string) (<-chan struct{}, error) {
	return e.src.StreamChanged(ctx, arn)
}
