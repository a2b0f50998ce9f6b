package tarntest

import (
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// TestKinesisRestartKeepsRecords: streams, records and sequence numbers
// survive a restart on the same data directory, and new records get
// larger sequence numbers than the old ones.
func TestKinesisRestartKeepsRecords(t *testing.T) {
	dir := t.TempDir()
	env := Start(t, WithDataDir(dir))
	c := env.Kinesis()
	createStream(t, c, "keep", 3)
	var entries []types.PutRecordsRequestEntry
	for i := range 90 {
		entries = append(entries, types.PutRecordsRequestEntry{PartitionKey: aws.String(fmt.Sprint(i)), Data: []byte(fmt.Sprint("v", i))})
	}
	out, err := c.PutRecords(t.Context(), &kinesis.PutRecordsInput{StreamName: aws.String("keep"), Records: entries})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{} // sequence number → data
	last := map[string]string{} // shard → last sequence number
	for i, r := range out.Records {
		want[*r.SequenceNumber] = string(entries[i].Data)
		last[*r.ShardId] = max(last[*r.ShardId], *r.SequenceNumber)
	}
	env.Stop(t)

	env = Start(t, WithDataDir(dir))
	c = env.Kinesis()
	d, err := c.DescribeStream(t.Context(), &kinesis.DescribeStreamInput{StreamName: aws.String("keep")})
	if err != nil || len(d.StreamDescription.Shards) != 3 || d.StreamDescription.StreamStatus != types.StreamStatusActive {
		t.Fatalf("after restart DescribeStream = %+v, %v", d, err)
	}
	got := 0
	for _, sh := range d.StreamDescription.Shards {
		for _, r := range readAll(t, c, iter(t, c, &kinesis.GetShardIteratorInput{StreamName: aws.String("keep"), ShardId: sh.ShardId,
			ShardIteratorType: types.ShardIteratorTypeTrimHorizon}), 1000) {
			if want[*r.SequenceNumber] != string(r.Data) {
				t.Fatalf("after restart %s = %q, want %q", *r.SequenceNumber, r.Data, want[*r.SequenceNumber])
			}
			got++
		}
	}
	if got != len(want) {
		t.Fatalf("after restart read %d records, want %d", got, len(want))
	}
	for shard, seq := range last {
		p, err := c.PutRecord(t.Context(), &kinesis.PutRecordInput{StreamName: aws.String("keep"), PartitionKey: aws.String("x"),
			ExplicitHashKey: startKey(t, d.StreamDescription.Shards, shard), Data: []byte("new")})
		if err != nil {
			t.Fatal(err)
		}
		if *p.ShardId != shard || *p.SequenceNumber <= seq {
			t.Fatalf("new record on %s got %s (shard %s), last before restart %s", shard, *p.SequenceNumber, *p.ShardId, seq)
		}
	}
}

func startKey(t *testing.T, shards []types.Shard, id string) *string {
	for _, s := range shards {
		if *s.ShardId == id {
			return s.HashKeyRange.StartingHashKey
		}
	}
	t.Fatalf("no shard %s", id)
	return nil
}
