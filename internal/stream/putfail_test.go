package stream

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// When JetStream cannot store the records, PutRecords reports every
// record failed (FailedRecordCount, ErrorCode InternalFailure and an
// ErrorMessage per record), as AWS reports a partial failure, and
// PutRecord fails; nothing is acknowledged.
func TestPutFailureReportedPerRecord(t *testing.T) {
	h := newHarness(t)
	c, ctx := h.client, t.Context()
	h.create(t, "f", 2)
	st := h.svc.current("us-east-1/f")
	if err := h.nats.JetStream().DeleteStream(ctx, st.meta.jsName()); err != nil {
		t.Fatal(err)
	}
	out, err := c.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String("f"), Records: []types.PutRecordsRequestEntry{
		{PartitionKey: aws.String("a"), Data: []byte("1")}, {PartitionKey: aws.String("b"), Data: []byte("2")}}})
	if err != nil || *out.FailedRecordCount != 2 || len(out.Records) != 2 {
		t.Fatalf("PutRecords = %+v, %v", out, err)
	}
	for i, r := range out.Records {
		if aws.ToString(r.ErrorCode) != "InternalFailure" || aws.ToString(r.ErrorMessage) == "" || r.SequenceNumber != nil || r.ShardId != nil {
			t.Errorf("record %d = %+v", i, r)
		}
	}
	c1 := kinesis.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: c.Options().BaseEndpoint, Credentials: c.Options().Credentials,
		RetryMaxAttempts: 1})
	if _, err := c1.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("f"), PartitionKey: aws.String("a"), Data: []byte("x")}); code(err) != "InternalFailure" {
		t.Errorf("PutRecord: %v, want InternalFailure", err)
	}
}
