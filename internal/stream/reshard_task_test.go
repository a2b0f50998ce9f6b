package stream

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// blockReshard makes the next reshard task of h wait, UPDATING, until the
// returned release is called; reached is closed once it waits.
func blockReshard(h *harness) (reached <-chan struct{}, release func()) {
	r, block := make(chan struct{}), make(chan struct{})
	first := true
	h.svc.reshardHook = func(string) {
		if first { // reshard tasks of one stream run one at a time
			first = false
			close(r)
			<-block
		}
	}
	return r, func() { close(block) }
}

func (h *harness) status(t *testing.T, name string) string {
	t.Helper()
	sum, err := h.client.DescribeStreamSummary(t.Context(), &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return string(sum.StreamDescriptionSummary.StreamStatus)
}

// readAll reads shard from TRIM_HORIZON to its end (a closed shard) or to
// the present (an open one) and returns the records' data.
func readAll(t *testing.T, c *kinesis.Client, name, shard string) []string {
	t.Helper()
	it, err := c.GetShardIterator(t.Context(), &kinesis.GetShardIteratorInput{StreamName: aws.String(name),
		ShardId: aws.String(shard), ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	next := it.ShardIterator
	for next != nil {
		out, err := c.GetRecords(t.Context(), &kinesis.GetRecordsInput{ShardIterator: next})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range out.Records {
			got = append(got, string(r.Data))
		}
		if len(out.Records) == 0 && *out.MillisBehindLatest == 0 {
			break
		}
		next = out.NextShardIterator
	}
	return got
}

// SplitShard answers with the stream UPDATING; until the split is
// applied, other reshards and changes get ResourceInUseException and
// records are taken (into the old shard), and the StreamExists waiter
// then sees ACTIVE with the new shards.
func TestReshardAnswersUpdating(t *testing.T) {
	h := newHarness(t)
	c, ctx := h.client, t.Context()
	h.create(t, "u", 1)
	reached, release := blockReshard(h)
	if _, err := c.SplitShard(ctx, &kinesis.SplitShardInput{StreamName: aws.String("u"),
		ShardToSplit: aws.String("shardId-000000000000"), NewStartingHashKey: aws.String(mid)}); err != nil {
		t.Fatal(err)
	}
	<-reached
	if got := h.status(t, "u"); got != "UPDATING" {
		t.Fatalf("status after SplitShard returned = %s, want UPDATING", got)
	}
	_, err := c.MergeShards(ctx, &kinesis.MergeShardsInput{StreamName: aws.String("u"),
		ShardToMerge: aws.String("shardId-000000000001"), AdjacentShardToMerge: aws.String("shardId-000000000002")})
	var msg string
	if err != nil {
		msg = err.Error()
	}
	if code(err) != "ResourceInUseException" || !strings.Contains(msg, "Stream u under account 000000000000 not ACTIVE, instead in state UPDATING") {
		t.Errorf("MergeShards while UPDATING: %v", err)
	}
	var during []string
	_, err = c.UpdateShardCount(ctx, &kinesis.UpdateShardCountInput{StreamName: aws.String("u"),
		TargetShardCount: aws.Int32(2), ScalingType: types.ScalingTypeUniformScaling})
	during = append(during, code(err))
	_, err = c.SplitShard(ctx, &kinesis.SplitShardInput{StreamName: aws.String("u"),
		ShardToSplit: aws.String("shardId-000000000000"), NewStartingHashKey: aws.String("12345")})
	during = append(during, code(err))
	_, err = c.IncreaseStreamRetentionPeriod(ctx, &kinesis.IncreaseStreamRetentionPeriodInput{StreamName: aws.String("u"), RetentionPeriodHours: aws.Int32(48)})
	during = append(during, code(err))
	_, err = c.DeleteStream(ctx, &kinesis.DeleteStreamInput{StreamName: aws.String("u")})
	during = append(during, code(err))
	if got, want := strings.Join(during, " "), strings.TrimSpace(strings.Repeat("ResourceInUseException ", 4)); got != want {
		t.Errorf("while UPDATING: %s, want %s", got, want)
	}
	ls, err := c.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String("u")})
	if err != nil || len(ls.Shards) != 1 {
		t.Errorf("ListShards while UPDATING: %v %v, want the old map", ls, err)
	}
	release()
	waitExists(t, c, "u")
	sum, err := c.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String("u")})
	if err != nil || sum.StreamDescriptionSummary.StreamStatus != types.StreamStatusActive || *sum.StreamDescriptionSummary.OpenShardCount != 2 {
		t.Fatalf("after: %+v %v", sum, err)
	}
}

// UpdateShardCount answers at once with the current and target counts.
func TestUpdateShardCountAnswersUpdating(t *testing.T) {
	h := newHarness(t)
	c, ctx := h.client, t.Context()
	h.create(t, "n", 2)
	reached, release := blockReshard(h)
	out, err := c.UpdateShardCount(ctx, &kinesis.UpdateShardCountInput{StreamName: aws.String("n"),
		TargetShardCount: aws.Int32(3), ScalingType: types.ScalingTypeUniformScaling})
	if err != nil || *out.CurrentShardCount != 2 || *out.TargetShardCount != 3 || *out.StreamName != "n" {
		t.Fatalf("UpdateShardCount: %+v %v", out, err)
	}
	<-reached
	if got := h.status(t, "n"); got != "UPDATING" {
		t.Fatalf("status = %s, want UPDATING", got)
	}
	release()
	waitExists(t, c, "n")
	sum, err := c.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String("n")})
	if err != nil || *sum.StreamDescriptionSummary.OpenShardCount != 3 {
		t.Fatalf("after: %+v %v", sum, err)
	}
}

// Records put while UPDATING are acknowledged, land in the parent before
// its end, and read in put order followed by the child's.
func TestPutsDuringUpdatingReadableInOrder(t *testing.T) {
	h := newHarness(t)
	c, ctx := h.client, t.Context()
	h.create(t, "p", 1)
	put := func(data string) string {
		out, err := c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("p"), PartitionKey: aws.String("k"), Data: []byte(data)})
		if err != nil {
			t.Fatalf("PutRecord %s: %v", data, err)
		}
		return *out.ShardId
	}
	put("before")
	reached, release := blockReshard(h)
	if _, err := c.SplitShard(ctx, &kinesis.SplitShardInput{StreamName: aws.String("p"),
		ShardToSplit: aws.String("shardId-000000000000"), NewStartingHashKey: aws.String(mid)}); err != nil {
		t.Fatal(err)
	}
	<-reached
	for i := range 5 {
		if sh := put(fmt.Sprint("during-", i)); sh != "shardId-000000000000" {
			t.Errorf("put while UPDATING went to %s", sh)
		}
	}
	recs, err := c.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String("p"), Records: []types.PutRecordsRequestEntry{
		{PartitionKey: aws.String("k"), Data: []byte("during-batch")}}})
	if err != nil || *recs.FailedRecordCount != 0 {
		t.Fatalf("PutRecords while UPDATING: %+v %v", recs, err)
	}
	release()
	waitExists(t, c, "p")
	child := put("after")
	got := strings.Join(append(readAll(t, c, "p", "shardId-000000000000"), readAll(t, c, "p", child)...), " ")
	want := "before during-0 during-1 during-2 during-3 during-4 during-batch after"
	if got != want {
		t.Fatalf("records = %s, want %s", got, want)
	}
}

// A stream left UPDATING by a stop (or a crash) gets its reshard applied
// by Start: ACTIVE, the new shard map, the records put meanwhile in the
// closed parent.
func TestUpdatingFinishedAtStart(t *testing.T) {
	h := newHarness(t)
	c, ctx := h.client, t.Context()
	h.create(t, "r", 1)
	reached, release := blockReshard(h)
	if _, err := c.SplitShard(ctx, &kinesis.SplitShardInput{StreamName: aws.String("r"),
		ShardToSplit: aws.String("shardId-000000000000"), NewStartingHashKey: aws.String(mid)}); err != nil {
		t.Fatal(err)
	}
	<-reached
	for i := range 3 {
		if _, err := c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("r"), PartitionKey: aws.String("k"), Data: []byte(fmt.Sprint(i))}); err != nil {
			t.Fatal(err)
		}
	}
	h.svc.bgCancel() // what Stop does first: the task gives up
	release()
	if err := h.svc.Stop(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := h.svc.meta.Get(metaKey("us-east-1", "r"))
	if err != nil || !strings.Contains(string(b), `"status":"UPDATING"`) || !strings.Contains(string(b), `"pending":{"kind":"split"`) {
		t.Fatalf("stored meta after stop = %s, %v", b, err)
	}
	svc, err := New(Options{Meta: h.svc.meta, NATS: h.nats, Now: h.clock.now})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(ctx); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc.Handler())
	defer func() { srv.Close(); svc.Stop(ctx) }()
	c = kinesis.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	waitExists(t, c, "r")
	st := svc.current("us-east-1/r")
	if st.meta.Pending != nil || len(st.meta.Shards) != 3 || st.meta.Shards[0].isOpen() || len(st.open) != 2 {
		t.Fatalf("after Start: %+v", st.meta)
	}
	ls, err := c.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String("r")})
	if err != nil || shardIDs(ls.Shards) != "0,1,2" {
		t.Fatalf("ListShards after Start: %v %v", ls, err)
	}
	for _, sh := range ls.Shards[1:] {
		if *sh.ParentShardId != "shardId-000000000000" {
			t.Errorf("shard %s parent %s", *sh.ShardId, *sh.ParentShardId)
		}
	}
	if got := strings.Join(readAll(t, c, "r", "shardId-000000000000"), " "); got != "0 1 2" {
		t.Errorf("parent after Start = %s, want 0 1 2", got)
	}
	out, err := c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("r"), PartitionKey: aws.String("k"), Data: []byte("3")})
	if err != nil || *out.ShardId == "shardId-000000000000" {
		t.Fatalf("PutRecord after Start: %v %v", out, err)
	}
}
