package tarntest

import (
	"fmt"
	"math/big"
	"sort"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

const (
	midHashKey = "170141183460469231731687303715884105728" // 2^127
	maxHashKey = "340282366920938463463374607431768211455" // 2^128-1
)

// putRound writes one record per key, "key/round", half of them with
// PutRecords and half with PutRecord.
func putRound(t *testing.T, c *kinesis.Client, stream string, keys []string, round int) {
	t.Helper()
	var batch []types.PutRecordsRequestEntry
	for i, k := range keys {
		data := []byte(fmt.Sprintf("%s/%d", k, round))
		if i%2 == 0 {
			batch = append(batch, types.PutRecordsRequestEntry{PartitionKey: aws.String(k), Data: data})
			continue
		}
		if _, err := c.PutRecord(t.Context(), &kinesis.PutRecordInput{StreamName: aws.String(stream), PartitionKey: aws.String(k), Data: data}); err != nil {
			t.Fatal(err)
		}
	}
	out, err := c.PutRecords(t.Context(), &kinesis.PutRecordsInput{StreamName: aws.String(stream), Records: batch})
	if err != nil || *out.FailedRecordCount != 0 {
		t.Fatalf("PutRecords: %v %+v", err, out)
	}
}

// readShardToEnd reads a shard from TRIM_HORIZON until GetRecords returns
// a null NextShardIterator (the shard is closed and fully read), and
// returns its records and ChildShards. It fails if the shard never ends.
func readShardToEnd(t *testing.T, c *kinesis.Client, stream, shard string) ([]types.Record, []types.ChildShard) {
	t.Helper()
	it := iter(t, c, &kinesis.GetShardIteratorInput{StreamName: aws.String(stream), ShardId: aws.String(shard),
		ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
	var recs []types.Record
	for range 1000 {
		out, err := c.GetRecords(t.Context(), &kinesis.GetRecordsInput{ShardIterator: it, Limit: aws.Int32(7)})
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, out.Records...)
		if out.NextShardIterator == nil {
			return recs, out.ChildShards
		}
		if len(out.Records) == 0 {
			return recs, nil // open shard, read to its tip
		}
		it = out.NextShardIterator
	}
	t.Fatalf("shard %s: no end", shard)
	return nil, nil
}

// consume reads the stream as the KCL does: a shard only after all its
// parents are read to their end, starting from the shards with no parent.
// It returns each partition key's records in the order consumed.
func consume(t *testing.T, c *kinesis.Client, stream string) map[string][]types.Record {
	t.Helper()
	ls, err := c.ListShards(t.Context(), &kinesis.ListShardsInput{StreamName: aws.String(stream)})
	if err != nil {
		t.Fatal(err)
	}
	done := map[string]bool{}
	byKey := map[string][]types.Record{}
	for progress := true; progress; {
		progress = false
		for _, sh := range ls.Shards {
			id := *sh.ShardId
			ready := !done[id] && (sh.ParentShardId == nil || done[*sh.ParentShardId]) &&
				(sh.AdjacentParentShardId == nil || done[*sh.AdjacentParentShardId])
			if !ready {
				continue
			}
			recs, children := readShardToEnd(t, c, stream, id)
			closed := sh.SequenceNumberRange.EndingSequenceNumber != nil
			if closed != (len(children) > 0) {
				t.Errorf("shard %s: closed %v but ChildShards %v", id, closed, children)
			}
			for _, ch := range children {
				if !contains(ch.ParentShards, id) {
					t.Errorf("shard %s: child %s has parents %v", id, *ch.ShardId, ch.ParentShards)
				}
			}
			for i, r := range recs {
				if i > 0 && !seqLess(*recs[i-1].SequenceNumber, *r.SequenceNumber) {
					t.Errorf("shard %s: sequence numbers not increasing at %d", id, i)
				}
				byKey[*r.PartitionKey] = append(byKey[*r.PartitionKey], r)
			}
			done[id], progress = true, true
		}
	}
	if len(done) != len(ls.Shards) {
		t.Fatalf("consumed %d of %d shards", len(done), len(ls.Shards))
	}
	return byKey
}

func contains(xs []string, x string) bool {
	for _, v := range xs {
		if v == x {
			return true
		}
	}
	return false
}

func seqLess(a, b string) bool {
	x, _ := new(big.Int).SetString(a, 10)
	y, _ := new(big.Int).SetString(b, 10)
	return x.Cmp(y) < 0
}

func shardsByID(t *testing.T, c *kinesis.Client, stream string) map[string]types.Shard {
	t.Helper()
	d, err := c.DescribeStream(t.Context(), &kinesis.DescribeStreamInput{StreamName: aws.String(stream)})
	if err != nil {
		t.Fatal(err)
	}
	if d.StreamDescription.StreamStatus != types.StreamStatusActive {
		t.Fatalf("status after reshard %s", d.StreamDescription.StreamStatus)
	}
	m := map[string]types.Shard{}
	for _, s := range d.StreamDescription.Shards {
		m[*s.ShardId] = s
	}
	return m
}

func wantShard(t *testing.T, shards map[string]types.Shard, id, parent, adjacent, start, end string, closed bool) {
	t.Helper()
	s, ok := shards[id]
	if !ok {
		t.Fatalf("no shard %s", id)
	}
	got := fmt.Sprintf("%s %s [%s %s] closed=%v", aws.ToString(s.ParentShardId), aws.ToString(s.AdjacentParentShardId),
		*s.HashKeyRange.StartingHashKey, *s.HashKeyRange.EndingHashKey, s.SequenceNumberRange.EndingSequenceNumber != nil)
	want := fmt.Sprintf("%s %s [%s %s] closed=%v", parent, adjacent, start, end, closed)
	if got != want {
		t.Errorf("shard %s = %s, want %s", id, got, want)
	}
}

func TestKinesisReshardKeepsOrderPerKey(t *testing.T) {
	env := Start(t)
	c := env.Kinesis()
	ctx := t.Context()
	const name = "reshard"
	createStream(t, c, name, 1)
	var keys []string
	for i := range 24 {
		keys = append(keys, fmt.Sprintf("key-%02d", i))
	}
	round := 0
	put := func() { putRound(t, c, name, keys, round); round++ }
	put()

	// Split at 2^127: children 1 [0, 2^127-1] and 2 [2^127, max].
	if _, err := c.SplitShard(ctx, &kinesis.SplitShardInput{StreamName: aws.String(name),
		ShardToSplit: aws.String("shardId-000000000000"), NewStartingHashKey: aws.String(midHashKey)}); err != nil {
		t.Fatal(err)
	}
	waitStream(t, c, name) // SplitShard answers UPDATING; the split is applied in the background
	lowEnd := new(big.Int).Sub(mustBig(midHashKey), big.NewInt(1)).String()
	sh := shardsByID(t, c, name)
	wantShard(t, sh, "shardId-000000000000", "", "", "0", maxHashKey, true)
	wantShard(t, sh, "shardId-000000000001", "shardId-000000000000", "", "0", lowEnd, false)
	wantShard(t, sh, "shardId-000000000002", "shardId-000000000000", "", midHashKey, maxHashKey, false)
	if !seqLess(*sh["shardId-000000000000"].SequenceNumberRange.EndingSequenceNumber, *sh["shardId-000000000001"].SequenceNumberRange.StartingSequenceNumber) {
		t.Errorf("child starts before the parent ends: %+v", sh)
	}
	for hk, want := range map[string]string{"0": "shardId-000000000001", lowEnd: "shardId-000000000001", midHashKey: "shardId-000000000002"} {
		out, err := c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String(name), PartitionKey: aws.String("explicit"),
			ExplicitHashKey: aws.String(hk), Data: []byte("x")})
		if err != nil || *out.ShardId != want {
			t.Errorf("PutRecord hash key %s: %v %v, want %s", hk, out, err, want)
		}
	}
	put()

	// Merge them back: shard 3 with parent 1 and adjacent parent 2.
	if _, err := c.MergeShards(ctx, &kinesis.MergeShardsInput{StreamName: aws.String(name),
		ShardToMerge: aws.String("shardId-000000000001"), AdjacentShardToMerge: aws.String("shardId-000000000002")}); err != nil {
		t.Fatal(err)
	}
	waitStream(t, c, name)
	sh = shardsByID(t, c, name)
	wantShard(t, sh, "shardId-000000000003", "shardId-000000000001", "shardId-000000000002", "0", maxHashKey, false)
	put()

	// UpdateShardCount 1 -> 2 -> 3 -> 2, each the uniform split.
	for _, n := range []int32{2, 3, 2} {
		out, err := c.UpdateShardCount(ctx, &kinesis.UpdateShardCountInput{StreamName: aws.String(name),
			TargetShardCount: aws.Int32(n), ScalingType: types.ScalingTypeUniformScaling})
		if err != nil {
			t.Fatalf("UpdateShardCount %d: %v", n, err)
		}
		if *out.TargetShardCount != n || *out.StreamName != name {
			t.Errorf("UpdateShardCount output %+v", out)
		}
		waitStream(t, c, name)
		ls, err := c.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String(name),
			ShardFilter: &types.ShardFilter{Type: types.ShardFilterTypeAtLatest}})
		if err != nil {
			t.Fatal(err)
		}
		if len(ls.Shards) != int(n) {
			t.Fatalf("open shards after UpdateShardCount %d: %d", n, len(ls.Shards))
		}
		want := uniformRanges(int(n))
		sort.Slice(ls.Shards, func(i, j int) bool {
			return seqLess(*ls.Shards[i].HashKeyRange.StartingHashKey, *ls.Shards[j].HashKeyRange.StartingHashKey)
		})
		for i, s := range ls.Shards {
			if got := *s.HashKeyRange.StartingHashKey + "-" + *s.HashKeyRange.EndingHashKey; got != want[i] {
				t.Errorf("UpdateShardCount %d: open shard %s range %s, want %s", n, *s.ShardId, got, want[i])
			}
			if s.ParentShardId == nil {
				t.Errorf("open shard %s has no parent", *s.ShardId)
			}
		}
		put()
	}
	// 1 -> 2 split shard 3 into 4 and 5; 2 -> 3 split 4 into 6,7 and 5
	// into 8,9 and merged 7 and 8 into 10; 3 -> 2 ...
	sh = shardsByID(t, c, name)
	wantShard(t, sh, "shardId-000000000004", "shardId-000000000003", "", "0", lowEnd, true)
	wantShard(t, sh, "shardId-000000000010", "shardId-000000000007", "shardId-000000000008",
		strings.Split(uniformRanges(3)[1], "-")[0], strings.Split(uniformRanges(3)[1], "-")[1], true)

	byKey := consume(t, c, name)
	for _, k := range keys {
		recs := byKey[k]
		if len(recs) != round {
			t.Fatalf("key %s: %d records, want %d", k, len(recs), round)
		}
		for i, r := range recs {
			if string(r.Data) != fmt.Sprintf("%s/%d", k, i) {
				t.Fatalf("key %s: record %d is %q", k, i, r.Data)
			}
			if i > 0 && !seqLess(*recs[i-1].SequenceNumber, *r.SequenceNumber) {
				t.Fatalf("key %s: sequence numbers not increasing across shards at %d", k, i)
			}
		}
	}

	// A closed shard read from LATEST ends at once, pointing at its children.
	it := iter(t, c, &kinesis.GetShardIteratorInput{StreamName: aws.String(name), ShardId: aws.String("shardId-000000000000"),
		ShardIteratorType: types.ShardIteratorTypeLatest})
	out, err := c.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: it})
	if err != nil || out.NextShardIterator != nil || len(out.Records) != 0 || len(out.ChildShards) != 2 ||
		*out.ChildShards[0].ShardId != "shardId-000000000001" || *out.ChildShards[1].HashKeyRange.StartingHashKey != midHashKey {
		t.Fatalf("GetRecords at the end of a closed shard: %+v %v", out, err)
	}
	sum, err := c.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
	if err != nil || *sum.StreamDescriptionSummary.OpenShardCount != 2 {
		t.Fatalf("summary: %+v %v", sum, err)
	}
}

func mustBig(s string) *big.Int { v, _ := new(big.Int).SetString(s, 10); return v }

// uniformRanges is the uniform split as AWS computes it, "start-end".
func uniformRanges(n int) []string {
	two128 := new(big.Int).Lsh(big.NewInt(1), 128)
	step := new(big.Int).Div(two128, big.NewInt(int64(n)))
	var out []string
	for i := range n {
		start := new(big.Int).Mul(step, big.NewInt(int64(i)))
		end := new(big.Int).Sub(new(big.Int).Mul(step, big.NewInt(int64(i+1))), big.NewInt(1))
		if i == n-1 {
			end = new(big.Int).Sub(two128, big.NewInt(1))
		}
		out = append(out, start.String()+"-"+end.String())
	}
	return out
}

// The shard map, lineage and closed shards' records survive a restart.
func TestKinesisReshardSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	env := Start(t, WithDataDir(dir))
	c := env.Kinesis()
	createStream(t, c, "rs", 1)
	putRound(t, c, "rs", []string{"a", "b", "c", "d"}, 0)
	if _, err := c.SplitShard(t.Context(), &kinesis.SplitShardInput{StreamName: aws.String("rs"),
		ShardToSplit: aws.String("shardId-000000000000"), NewStartingHashKey: aws.String(midHashKey)}); err != nil {
		t.Fatal(err)
	}
	waitStream(t, c, "rs")
	env.Stop(t)
	env = Start(t, WithDataDir(dir))
	c = env.Kinesis()
	putRound(t, c, "rs", []string{"a", "b", "c", "d"}, 1)
	sh := shardsByID(t, c, "rs")
	wantShard(t, sh, "shardId-000000000002", "shardId-000000000000", "", midHashKey, maxHashKey, false)
	byKey := consume(t, c, "rs")
	for _, k := range []string{"a", "b", "c", "d"} {
		if len(byKey[k]) != 2 || string(byKey[k][1].Data) != k+"/1" {
			t.Errorf("key %s after restart: %v", k, byKey[k])
		}
	}
}

// A reshard answers UPDATING and is applied in the background: records
// put right after the call are acknowledged and read in order across the
// parent and its children, and a restart right after the call (the split
// applied before the stop or by Start) leaves the stream ACTIVE with the
// parent closed and both children open.
func TestKinesisReshardAsyncAcrossRestart(t *testing.T) {
	dir := t.TempDir()
	env := Start(t, WithDataDir(dir))
	c := env.Kinesis()
	keys := []string{"a", "b", "c", "d", "e", "f"}
	createStream(t, c, "ra", 1)
	putRound(t, c, "ra", keys, 0)
	if _, err := c.SplitShard(t.Context(), &kinesis.SplitShardInput{StreamName: aws.String("ra"),
		ShardToSplit: aws.String("shardId-000000000000"), NewStartingHashKey: aws.String(midHashKey)}); err != nil {
		t.Fatal(err)
	}
	putRound(t, c, "ra", keys, 1) // while UPDATING, or just after
	env.Stop(t)
	env = Start(t, WithDataDir(dir))
	c = env.Kinesis()
	waitStream(t, c, "ra")
	sh := shardsByID(t, c, "ra")
	if len(sh) != 3 {
		t.Fatalf("shards after restart: %v", sh)
	}
	lowEnd := new(big.Int).Sub(mustBig(midHashKey), big.NewInt(1)).String()
	wantShard(t, sh, "shardId-000000000000", "", "", "0", maxHashKey, true)
	wantShard(t, sh, "shardId-000000000001", "shardId-000000000000", "", "0", lowEnd, false)
	wantShard(t, sh, "shardId-000000000002", "shardId-000000000000", "", midHashKey, maxHashKey, false)
	out, err := c.UpdateShardCount(t.Context(), &kinesis.UpdateShardCountInput{StreamName: aws.String("ra"),
		TargetShardCount: aws.Int32(3), ScalingType: types.ScalingTypeUniformScaling})
	if err != nil || *out.CurrentShardCount != 2 || *out.TargetShardCount != 3 {
		t.Fatalf("UpdateShardCount: %+v %v", out, err)
	}
	putRound(t, c, "ra", keys, 2)
	waitStream(t, c, "ra")
	putRound(t, c, "ra", keys, 3)
	byKey := consume(t, c, "ra")
	for _, k := range keys {
		recs := byKey[k]
		if len(recs) != 4 {
			t.Fatalf("key %s: %d records, want 4", k, len(recs))
		}
		for i, r := range recs {
			if string(r.Data) != fmt.Sprintf("%s/%d", k, i) {
				t.Fatalf("key %s: record %d is %q", k, i, r.Data)
			}
		}
	}
}
