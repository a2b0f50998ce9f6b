package stream

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

func (h *harness) create(t *testing.T, name string, shards int32) {
	t.Helper()
	if _, err := h.client.CreateStream(t.Context(), &kinesis.CreateStreamInput{StreamName: aws.String(name), ShardCount: aws.Int32(shards)}); err != nil {
		t.Fatal(err)
	}
	waitExists(t, h.client, name)
}

func (h *harness) split(t *testing.T, name, shard, key string) {
	t.Helper()
	if _, err := h.client.SplitShard(t.Context(), &kinesis.SplitShardInput{StreamName: aws.String(name),
		ShardToSplit: aws.String(shard), NewStartingHashKey: aws.String(key)}); err != nil {
		t.Fatal(err)
	}
	waitExists(t, h.client, name) // the split is applied in the background
}

const mid = "170141183460469231731687303715884105728"

func shardIDs(shards []types.Shard) string {
	var ids []string
	for _, s := range shards {
		ids = append(ids, strings.TrimPrefix(*s.ShardId, "shardId-00000000000"))
	}
	return strings.Join(ids, ",")
}

// ListShards filters, on a clock the test moves: shard 0 from T0, split
// at T0+1h into 1 and 2, merged at T0+2h into 3.
func TestListShardsFilters(t *testing.T) {
	h := newHarness(t)
	c, ctx := h.client, t.Context()
	t0 := h.clock.now()
	h.create(t, "f", 1)
	h.clock.advance(time.Hour)
	h.split(t, "f", "shardId-000000000000", mid)
	h.clock.advance(time.Hour)
	if _, err := c.MergeShards(ctx, &kinesis.MergeShardsInput{StreamName: aws.String("f"),
		ShardToMerge: aws.String("shardId-000000000001"), AdjacentShardToMerge: aws.String("shardId-000000000002")}); err != nil {
		t.Fatal(err)
	}
	waitExists(t, c, "f")
	h.clock.advance(time.Hour)
	at := func(d time.Duration) *time.Time { v := t0.Add(d); return &v }
	for _, tc := range []struct {
		f    *types.ShardFilter
		want string
	}{
		{nil, "0,1,2,3"},
		{&types.ShardFilter{Type: types.ShardFilterTypeAtLatest}, "3"},
		{&types.ShardFilter{Type: types.ShardFilterTypeAtTrimHorizon}, "0"},
		{&types.ShardFilter{Type: types.ShardFilterTypeFromTrimHorizon}, "0,1,2,3"},
		{&types.ShardFilter{Type: types.ShardFilterTypeAtTimestamp, Timestamp: at(90 * time.Minute)}, "1,2"},
		{&types.ShardFilter{Type: types.ShardFilterTypeAtTimestamp, Timestamp: at(-time.Hour)}, "0"},
		{&types.ShardFilter{Type: types.ShardFilterTypeAtTimestamp, Timestamp: at(150 * time.Minute)}, "3"},
		{&types.ShardFilter{Type: types.ShardFilterTypeFromTimestamp, Timestamp: at(90 * time.Minute)}, "1,2,3"},
		{&types.ShardFilter{Type: types.ShardFilterTypeFromTimestamp, Timestamp: at(30 * time.Minute)}, "0,1,2,3"},
		{&types.ShardFilter{Type: types.ShardFilterTypeAfterShardId, ShardId: aws.String("shardId-000000000001")}, "2,3"},
	} {
		out, err := c.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String("f"), ShardFilter: tc.f})
		if err != nil || shardIDs(out.Shards) != tc.want {
			t.Errorf("ListShards %+v = %v %v, want %s", tc.f, shardIDs(out.Shards), err, tc.want)
		}
		// One shard a page: the NextToken keeps the filter.
		var paged []types.Shard
		in := &kinesis.ListShardsInput{StreamName: aws.String("f"), ShardFilter: tc.f, MaxResults: aws.Int32(1)}
		for {
			out, err := c.ListShards(ctx, in)
			if err != nil {
				t.Fatal(err)
			}
			paged = append(paged, out.Shards...)
			if out.NextToken == nil {
				break
			}
			in = &kinesis.ListShardsInput{NextToken: out.NextToken, MaxResults: aws.Int32(1)}
		}
		if shardIDs(paged) != tc.want {
			t.Errorf("ListShards %+v paged = %s, want %s", tc.f, shardIDs(paged), tc.want)
		}
	}
	// DescribeStream pages through closed shards too.
	d, err := c.DescribeStream(ctx, &kinesis.DescribeStreamInput{StreamName: aws.String("f"), Limit: aws.Int32(3)})
	if err != nil || shardIDs(d.StreamDescription.Shards) != "0,1,2" || !*d.StreamDescription.HasMoreShards {
		t.Fatalf("DescribeStream: %v %v", d, err)
	}
}

// Retention on the injected clock: records older than the period are no
// longer returned, closed shards disappear once the period has passed
// their end, and the JetStream stream's MaxAge follows the period.
func TestRetentionEnforced(t *testing.T) {
	h := newHarness(t)
	c, ctx := h.client, t.Context()
	h.create(t, "r", 1)
	for i := range 3 {
		if _, err := c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("r"), PartitionKey: aws.String(fmt.Sprint(i)), Data: []byte("x")}); err != nil {
			t.Fatal(err)
		}
	}
	h.split(t, "r", "shardId-000000000000", mid)
	maxAge := func() time.Duration {
		st := h.svc.current("us-east-1/r")
		js, err := h.svc.js.Stream(ctx, st.meta.jsName())
		if err != nil {
			t.Fatal(err)
		}
		return js.CachedInfo().Config.MaxAge
	}
	if got := maxAge(); got != 24*time.Hour {
		t.Fatalf("MaxAge %v", got)
	}
	if _, err := c.IncreaseStreamRetentionPeriod(ctx, &kinesis.IncreaseStreamRetentionPeriodInput{StreamName: aws.String("r"), RetentionPeriodHours: aws.Int32(48)}); err != nil {
		t.Fatal(err)
	}
	if got := maxAge(); got != 48*time.Hour {
		t.Fatalf("MaxAge after increase %v", got)
	}
	read := func() (int, error) {
		it, err := c.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String("r"), ShardId: aws.String("shardId-000000000000"),
			ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
		if err != nil {
			return 0, err
		}
		out, err := c.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it.ShardIterator})
		if err != nil {
			return 0, err
		}
		if out.NextShardIterator != nil || len(out.ChildShards) != 2 {
			t.Errorf("closed shard read: next %v children %v", out.NextShardIterator, out.ChildShards)
		}
		return len(out.Records), nil
	}
	listed := func() string {
		out, err := c.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String("r")})
		if err != nil {
			t.Fatal(err)
		}
		return shardIDs(out.Shards)
	}
	h.clock.advance(30 * time.Hour) // within 48 h
	if n, err := read(); n != 3 || err != nil || listed() != "0,1,2" {
		t.Fatalf("at +30h: %d records, %v, shards %s", n, err, listed())
	}
	// Back to 24 h: everything is now older than the retention.
	if _, err := c.DecreaseStreamRetentionPeriod(ctx, &kinesis.DecreaseStreamRetentionPeriodInput{StreamName: aws.String("r"), RetentionPeriodHours: aws.Int32(24)}); err != nil {
		t.Fatal(err)
	}
	if got := maxAge(); got != 24*time.Hour {
		t.Fatalf("MaxAge after decrease %v", got)
	}
	if got := listed(); got != "1,2" {
		t.Errorf("shards after the parent expired: %s", got)
	}
	if _, err := read(); code(err) != "ResourceNotFoundException" {
		t.Errorf("reading an expired closed shard: %v", err)
	}
	// The open child's TRIM_HORIZON skips nothing it should keep: it is empty.
	it, err := c.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String("r"), ShardId: aws.String("shardId-000000000001"),
		ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it.ShardIterator})
	if err != nil || len(out.Records) != 0 || out.NextShardIterator == nil {
		t.Fatalf("open child: %+v %v", out, err)
	}
}

// Old records on an open shard are skipped once the retention passes.
func TestRetentionSkipsExpiredRecords(t *testing.T) {
	h := newHarness(t)
	c, ctx := h.client, t.Context()
	h.create(t, "o", 1)
	for i := range 5 {
		if _, err := c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("o"), PartitionKey: aws.String(fmt.Sprint(i)), Data: []byte("x")}); err != nil {
			t.Fatal(err)
		}
	}
	it, err := c.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String("o"), ShardId: aws.String("shardId-000000000000"),
		ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it.ShardIterator, Limit: aws.Int32(2)})
	if err != nil || len(out.Records) != 2 {
		t.Fatalf("fresh: %+v %v", out, err)
	}
	h.clock.advance(24*time.Hour + time.Minute)
	it, err = c.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String("o"), ShardId: aws.String("shardId-000000000000"),
		ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
	if err != nil {
		t.Fatal(err)
	}
	out, err = c.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it.ShardIterator})
	if err != nil || len(out.Records) != 0 || out.NextShardIterator == nil {
		t.Fatalf("after the retention: %+v %v", out, err)
	}
}
