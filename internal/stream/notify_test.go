package stream

import (
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
)

// Notify signals once records are stored, and refuses unknown streams.
func TestNotify(t *testing.T) {
	h := newHarness(t)
	h.create(t, "n", 2)
	arn := "arn:aws:kinesis:us-east-1:000000000000:stream/n"
	ch, stop, err := h.svc.Notify(t.Context(), arn)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if _, err := h.client.PutRecord(t.Context(), &kinesis.PutRecordInput{StreamName: aws.String("n"), PartitionKey: aws.String("k"), Data: []byte("x")}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ch:
	case <-t.Context().Done():
		t.Fatal("no notification")
	}
	if _, _, err := h.svc.Notify(t.Context(), "arn:aws:kinesis:us-east-1:000000000000:stream/none"); err == nil {
		t.Fatalf("unknown stream: %v", err)
	}
}
