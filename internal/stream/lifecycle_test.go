package stream

import (
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// CreateStream answers while the stream is CREATING; until the background
// task has made it ACTIVE, reads, writes and changes are refused with
// ResourceInUseException, and the SDK's StreamExists waiter returns once
// it is ACTIVE.
func TestCreateStreamIsCreatingThenActive(t *testing.T) {
	h := newHarness(t)
	c, ctx := h.client, t.Context()
	proceed := make(chan struct{})
	h.svc.createHook = func(name string) {
		if name == "c" {
			<-proceed
		}
	}
	if _, err := c.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String("c"), ShardCount: aws.Int32(2)}); err != nil {
		close(proceed)
		t.Fatal(err)
	}
	var got []string
	sum, err := c.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String("c")})
	if err != nil {
		close(proceed)
		t.Fatal(err)
	}
	got = append(got, string(sum.StreamDescriptionSummary.StreamStatus))
	ls, err := c.ListStreams(ctx, &kinesis.ListStreamsInput{})
	if err != nil || len(ls.StreamSummaries) != 1 {
		close(proceed)
		t.Fatalf("ListStreams = %+v, %v", ls, err)
	}
	got = append(got, string(ls.StreamSummaries[0].StreamStatus))
	_, err = c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("c"), PartitionKey: aws.String("k"), Data: []byte("x")})
	got = append(got, code(err))
	_, err = c.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String("c"), Records: []types.PutRecordsRequestEntry{{PartitionKey: aws.String("k"), Data: []byte("x")}}})
	got = append(got, code(err))
	_, err = c.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String("c"), ShardId: aws.String("shardId-000000000000"), ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
	got = append(got, code(err))
	_, err = c.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String("c")})
	got = append(got, code(err))
	_, err = c.AddTagsToStream(ctx, &kinesis.AddTagsToStreamInput{StreamName: aws.String("c"), Tags: map[string]string{"a": "b"}})
	got = append(got, code(err))
	_, err = c.SplitShard(ctx, &kinesis.SplitShardInput{StreamName: aws.String("c"), ShardToSplit: aws.String("shardId-000000000000"), NewStartingHashKey: aws.String("1")})
	got = append(got, code(err))
	_, err = c.DeleteStream(ctx, &kinesis.DeleteStreamInput{StreamName: aws.String("c")})
	got = append(got, code(err))
	_, err = c.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String("c"), ShardCount: aws.Int32(1)})
	got = append(got, code(err))
	close(proceed)
	want := "CREATING CREATING" + strings.Repeat(" ResourceInUseException", 8)
	if s := strings.Join(got, " "); s != want {
		t.Errorf("while CREATING:\n got %s\nwant %s", s, want)
	}
	w := kinesis.NewStreamExistsWaiter(c, func(o *kinesis.StreamExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, 10*time.Millisecond
	})
	d, err := w.WaitForOutput(ctx, &kinesis.DescribeStreamInput{StreamName: aws.String("c")}, 10*time.Second)
	if err != nil || d.StreamDescription.StreamStatus != types.StreamStatusActive || len(d.StreamDescription.Shards) != 2 {
		t.Fatalf("StreamExists waiter: %+v, %v", d, err)
	}
	if _, err := c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("c"), PartitionKey: aws.String("k"), Data: []byte("x")}); err != nil {
		t.Fatalf("PutRecord once ACTIVE: %v", err)
	}
}

// DeleteStream answers while the stream is DELETING; the StreamNotExists
// waiter returns once it is gone, and a CreateStream of the same name
// meanwhile waits for the deletion instead of failing.
func TestDeleteStreamIsDeletingThenGone(t *testing.T) {
	h := newHarness(t)
	c, ctx := h.client, t.Context()
	h.create(t, "d", 1)
	if _, err := c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("d"), PartitionKey: aws.String("k"), Data: []byte("old")}); err != nil {
		t.Fatal(err)
	}
	proceed := make(chan struct{})
	h.svc.deleteHook = func(string) { <-proceed }
	if _, err := c.DeleteStream(ctx, &kinesis.DeleteStreamInput{StreamName: aws.String("d")}); err != nil {
		close(proceed)
		t.Fatal(err)
	}
	var got []string
	sum, err := c.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String("d")})
	if err == nil {
		got = append(got, string(sum.StreamDescriptionSummary.StreamStatus))
	} else {
		got = append(got, code(err))
	}
	_, err = c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("d"), PartitionKey: aws.String("k"), Data: []byte("x")})
	got = append(got, code(err))
	_, err = c.DeleteStream(ctx, &kinesis.DeleteStreamInput{StreamName: aws.String("d")})
	got = append(got, code(err))
	if s, want := strings.Join(got, " "), "DELETING ResourceInUseException ResourceInUseException"; s != want {
		t.Errorf("while DELETING:\n got %s\nwant %s", s, want)
	}
	recreated := make(chan error, 1)
	go func() {
		_, err := c.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String("d"), ShardCount: aws.Int32(1)})
		recreated <- err
	}()
	close(proceed)
	if err := <-recreated; err != nil {
		t.Fatalf("CreateStream after DeleteStream: %v", err)
	}
	waitExists(t, c, "d")
	// The new stream is empty: the old records went with the old one.
	it, err := c.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String("d"), ShardId: aws.String("shardId-000000000000"), ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
	if err != nil {
		t.Fatal(err)
	}
	recs, err := c.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it.ShardIterator})
	if err != nil || len(recs.Records) != 0 {
		t.Fatalf("GetRecords of the re-created stream = %+v, %v", recs, err)
	}
	h.svc.deleteHook = nil
	if _, err := c.DeleteStream(ctx, &kinesis.DeleteStreamInput{StreamName: aws.String("d")}); err != nil {
		t.Fatal(err)
	}
	nw := kinesis.NewStreamNotExistsWaiter(c, func(o *kinesis.StreamNotExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, 10*time.Millisecond
	})
	if err := nw.Wait(ctx, &kinesis.DescribeStreamInput{StreamName: aws.String("d")}, 10*time.Second); err != nil {
		t.Fatal(err)
	}
}

// A stream left CREATING by a stop (or a crash) is finished by Start.
func TestCreatingFinishedAtStart(t *testing.T) {
	h := newHarness(t)
	reached, block := make(chan struct{}), make(chan struct{})
	h.svc.createHook = func(string) { close(reached); <-block }
	if _, err := h.client.CreateStream(t.Context(), &kinesis.CreateStreamInput{StreamName: aws.String("r"), ShardCount: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	<-reached
	h.svc.bgCancel() // what Stop does first: the task gives up
	close(block)
	if err := h.svc.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	b, err := h.svc.meta.Get(metaKey("us-east-1", "r"))
	if err != nil || !strings.Contains(string(b), `"status":"CREATING"`) {
		t.Fatalf("stored meta after stop = %s, %v", b, err)
	}
	svc, err := New(Options{Meta: h.svc.meta, NATS: h.nats, Now: h.clock.now})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer svc.Stop(t.Context())
	st := svc.current("us-east-1/r")
	if st == nil || st.meta.Status != statusActive {
		t.Fatalf("after Start: %+v", st)
	}
	if _, err := svc.js.Stream(t.Context(), st.meta.jsName()); err != nil {
		t.Fatalf("JetStream stream after Start: %v", err)
	}
}
