package dynamo

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	stypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
)

func withStream(view types.StreamViewType) func(*dynamodb.CreateTableInput) {
	return func(in *dynamodb.CreateTableInput) {
		in.StreamSpecification = &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: view}
	}
}

// readAll reads the stream's single shard from TRIM_HORIZON.
func (h *harness) readAll(t *testing.T, arn string) []stypes.Record {
	t.Helper()
	ctx := context.Background()
	ds, err := h.streams.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.StreamDescription.Shards) != 1 {
		t.Fatalf("shards = %v", ds.StreamDescription.Shards)
	}
	it, err := h.streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn),
		ShardId: ds.StreamDescription.Shards[0].ShardId, ShardIteratorType: stypes.ShardIteratorTypeTrimHorizon})
	if err != nil {
		t.Fatal(err)
	}
	var out []stypes.Record
	iter := it.ShardIterator
	for i := 0; iter != nil && i < 10; i++ {
		r, err := h.streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: iter, Limit: aws.Int32(2)})
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, r.Records...)
		if len(r.Records) == 0 {
			break
		}
		iter = r.NextShardIterator
	}
	return out
}

func TestStreamRecords(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.createTable(t, "events", "", "", withStream(types.StreamViewTypeNewAndOldImages))
	d, _ := h.ddb.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("events")})
	arn := *d.Table.LatestStreamArn
	key := map[string]types.AttributeValue{"pk": s("k")}
	item := map[string]types.AttributeValue{"pk": s("k"), "v": n("1")}
	mustPut := func(it map[string]types.AttributeValue) {
		if _, err := h.ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("events"), Item: it}); err != nil {
			t.Fatal(err)
		}
	}
	mustPut(item)
	mustPut(item) // identical: no record
	mustPut(map[string]types.AttributeValue{"pk": s("k"), "v": n("2")})
	if _, err := h.ddb.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("events"), Key: key}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.ddb.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("events"), Key: key}); err != nil { // absent: no record
		t.Fatal(err)
	}
	recs := h.readAll(t, arn)
	if len(recs) != 3 {
		t.Fatalf("records = %d", len(recs))
	}
	names := []stypes.OperationType{stypes.OperationTypeInsert, stypes.OperationTypeModify, stypes.OperationTypeRemove}
	for i, r := range recs {
		if r.EventName != names[i] || *r.EventSource != "aws:dynamodb" || *r.EventVersion != "1.1" || *r.AwsRegion != "us-east-1" ||
			len(*r.EventID) != 32 || r.Dynamodb.Keys["pk"] == nil || r.Dynamodb.StreamViewType != stypes.StreamViewTypeNewAndOldImages {
			t.Fatalf("record %d = %+v", i, r)
		}
		if i > 0 && *r.Dynamodb.SequenceNumber <= *recs[i-1].Dynamodb.SequenceNumber {
			t.Fatalf("sequence numbers not increasing")
		}
	}
	if recs[1].Dynamodb.OldImage["v"].(*stypes.AttributeValueMemberN).Value != "1" || recs[1].Dynamodb.NewImage["v"].(*stypes.AttributeValueMemberN).Value != "2" ||
		recs[2].Dynamodb.NewImage != nil {
		t.Fatalf("images = %+v %+v", recs[1].Dynamodb, recs[2].Dynamodb)
	}
	// The in-process source sees the same records and wakes on new ones.
	recs2, pos, err := h.svc.ReadStream(ctx, arn, "", 10)
	if err != nil || len(recs2) != 3 || recs2[0].EventSourceARN != arn {
		t.Fatalf("ReadStream = %d %v", len(recs2), err)
	}
	ch, err := h.svc.StreamChanged(ctx, arn)
	if err != nil {
		t.Fatal(err)
	}
	mustPut(item)
	select {
	case <-ch:
	case <-time.After(5 * time.Second):
		t.Fatal("StreamChanged did not fire")
	}
	more, _, _ := h.svc.ReadStream(ctx, arn, pos, 10)
	if len(more) != 1 || more[0].EventName != "INSERT" {
		t.Fatalf("more = %+v", more)
	}
	// Disabling closes the stream; enabling makes a new one.
	if _, err := h.ddb.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("events"), StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(false)}}); err != nil {
		t.Fatal(err)
	}
	ds, err := h.streams.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn)})
	if err != nil || ds.StreamDescription.StreamStatus != stypes.StreamStatusDisabled || ds.StreamDescription.Shards[0].SequenceNumberRange.EndingSequenceNumber == nil {
		t.Fatalf("disabled stream = %+v %v", ds, err)
	}
	ls, err := h.streams.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{TableName: aws.String("events")})
	if err != nil || len(ls.Streams) != 1 {
		t.Fatalf("list = %+v %v", ls, err)
	}
	// Expired iterators and retention.
	it, _ := h.streams.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn), ShardId: ds.StreamDescription.Shards[0].ShardId, ShardIteratorType: stypes.ShardIteratorTypeTrimHorizon})
	h.clock.advance(16 * time.Minute)
	_, err = h.streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: it.ShardIterator})
	wantAPIError(t, err, "ExpiredIteratorException", "")
	_, err = h.streams.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: aws.String("bogus")})
	wantAPIError(t, err, "ValidationException", "")
	h.clock.advance(25 * time.Hour)
	if err := h.svc.TrimStreams(ctx); err != nil {
		t.Fatal(err)
	}
	ls, _ = h.streams.ListStreams(ctx, &dynamodbstreams.ListStreamsInput{})
	if len(ls.Streams) != 0 {
		t.Fatalf("streams after retention = %+v", ls.Streams)
	}
}

func TestTTLSweep(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.createTable(t, "sessions", "", "", withStream(types.StreamViewTypeOldImage))
	// An item written before TTL is enabled is found by the TTL backfill.
	if _, err := h.ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("sessions"), Item: map[string]types.AttributeValue{
		"pk": s("early"), "exp": n(itoa(int(h.clock.now().Unix() - 100)))}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.ddb.UpdateTimeToLive(ctx, &dynamodb.UpdateTimeToLiveInput{TableName: aws.String("sessions"),
		TimeToLiveSpecification: &types.TimeToLiveSpecification{AttributeName: aws.String("exp"), Enabled: aws.Bool(true)}}); err != nil {
		t.Fatal(err)
	}
	ttl, _ := h.ddb.DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String("sessions")})
	if ttl.TimeToLiveDescription.TimeToLiveStatus != types.TimeToLiveStatusEnabled {
		t.Fatalf("ttl = %+v", ttl.TimeToLiveDescription)
	}
	now := h.clock.now().Unix()
	for i, exp := range []int64{now - 10, now + 3600} {
		if _, err := h.ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("sessions"), Item: map[string]types.AttributeValue{
			"pk": s(string(rune('a' + i))), "exp": n(itoa(int(exp)))}}); err != nil {
			t.Fatal(err)
		}
	}
	h.svc.bg.Wait() // the TTL backfill
	if n, err := h.svc.SweepTTL(ctx); err != nil || n != 2 {
		t.Fatalf("sweep = %d %v", n, err)
	}
	// An item whose TTL moved to the future is not swept.
	h.ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("sessions"), Item: map[string]types.AttributeValue{"pk": s("moved"), "exp": n(itoa(int(now - 5)))}})
	h.ddb.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("sessions"), Key: map[string]types.AttributeValue{"pk": s("moved")},
		UpdateExpression: aws.String("SET exp = :e"), ExpressionAttributeValues: map[string]types.AttributeValue{":e": n(itoa(int(now + 99)))}})
	if n, err := h.svc.SweepTTL(ctx); err != nil || n != 0 {
		t.Fatalf("second sweep = %d %v", n, err)
	}
	sc, _ := h.ddb.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("sessions")})
	if sc.Count != 2 {
		t.Fatalf("left %d", sc.Count)
	}
	d, err := h.ddb.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("sessions")})
	if err != nil {
		t.Fatal(err)
	}
	recs := h.readAll(t, *d.Table.LatestStreamArn)
	var last stypes.Record
	for _, r := range recs {
		if r.EventName == stypes.OperationTypeRemove {
			last = r
		}
	}
	if last.EventName != stypes.OperationTypeRemove || last.UserIdentity == nil || *last.UserIdentity.PrincipalId != "dynamodb.amazonaws.com" ||
		*last.UserIdentity.Type != "Service" || last.Dynamodb.OldImage == nil {
		t.Fatalf("ttl record = %+v", last)
	}
}
