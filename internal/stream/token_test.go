package stream

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/aws/smithy-go"
)

func code(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func TestIteratorsExpireAndRejectForgeries(t *testing.T) {
	h := newHarness(t)
	c, ctx := h.client, t.Context()
	if _, err := c.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String("s"), ShardCount: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	waitExists(t, c, "s")
	if _, err := c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("s"), PartitionKey: aws.String("k"), Data: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	it, err := c.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String("s"), ShardId: aws.String("shardId-000000000000"),
		ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
	if err != nil {
		t.Fatal(err)
	}
	tok := *it.ShardIterator
	for _, forged := range []string{"x", tok[:len(tok)-1] + flip(tok[len(tok)-1]), flip(tok[0]) + tok[1:], tok[:10] + flip(tok[10]) + tok[11:]} {
		_, err := c.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: aws.String(forged)})
		var ia *types.InvalidArgumentException
		if !errors.As(err, &ia) {
			t.Errorf("forged iterator %q: %v", forged, err)
		}
	}
	h.clock.advance(iteratorTTL - time.Second)
	out, err := c.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: aws.String(tok)})
	if err != nil || len(out.Records) != 1 {
		t.Fatalf("fresh iterator: %+v %v", out, err)
	}
	h.clock.advance(2 * time.Second)
	_, err = c.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: aws.String(tok)})
	var ex *types.ExpiredIteratorException
	if !errors.As(err, &ex) {
		t.Fatalf("expired iterator: %v", err)
	}
	// The NextShardIterator is fresh.
	if _, err := c.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: out.NextShardIterator}); err != nil {
		t.Fatalf("next iterator: %v", err)
	}
}

func TestNextTokensExpire(t *testing.T) {
	h := newHarness(t)
	c, ctx := h.client, t.Context()
	for _, n := range []string{"a", "b"} {
		if _, err := c.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String(n), ShardCount: aws.Int32(2)}); err != nil {
			t.Fatal(err)
		}
		waitExists(t, c, n)
	}
	ls, err := c.ListStreams(ctx, &kinesis.ListStreamsInput{Limit: aws.Int32(1)})
	if err != nil || ls.NextToken == nil || !*ls.HasMoreStreams {
		t.Fatalf("ListStreams = %+v %v", ls, err)
	}
	sh, err := c.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String("a"), MaxResults: aws.Int32(1)})
	if err != nil || sh.NextToken == nil {
		t.Fatalf("ListShards = %+v %v", sh, err)
	}
	if _, err := c.ListShards(ctx, &kinesis.ListShardsInput{NextToken: aws.String(strings.ToUpper(*sh.NextToken))}); code(err) != "InvalidArgumentException" {
		t.Fatalf("forged NextToken: %v", err)
	}
	h.clock.advance(iteratorTTL + time.Second)
	if _, err := c.ListShards(ctx, &kinesis.ListShardsInput{NextToken: sh.NextToken}); code(err) != "ExpiredNextTokenException" {
		t.Fatalf("expired ListShards token: %v", err)
	}
	if _, err := c.ListStreams(ctx, &kinesis.ListStreamsInput{NextToken: ls.NextToken}); code(err) != "ExpiredNextTokenException" {
		t.Fatalf("expired ListStreams token: %v", err)
	}
}

func TestUnknownOperationAndMalformedJSON(t *testing.T) {
	h := newHarness(t)
	if _, err := h.client.DescribeLimits(t.Context(), &kinesis.DescribeLimitsInput{}); code(err) != "UnknownOperationException" {
		t.Fatalf("DescribeLimits: %v", err)
	}
}

func flip(b byte) string {
	if b == 'A' {
		return "B"
	}
	return "A"
}
