package tarntest

import (
	"fmt"
	"sync"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/tarnhq/tarn/internal/config"
)

// TestCrashKeepsAcknowledgedRecords writes to a 4-shard stream from
// several writers (PutRecords batches of 50, and single PutRecord calls),
// SIGKILLs the server by PID mid-load, restarts it on the same data and
// reads every shard from TRIM_HORIZON: every acknowledged record is there
// exactly once, in its acknowledged shard with its acknowledged sequence
// number and data; each shard reads in sequence-number order; a batch in
// flight at the kill is there entirely or not at all; nothing else is.
func TestCrashKeepsAcknowledgedRecords(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test starts child processes")
	}
	dir := t.TempDir()
	child, endpoint := startChild(t, dir)
	// No SDK retries: a retried PutRecords would legitimately duplicate.
	noRetry := func(o *kinesis.Options) { o.RetryMaxAttempts = 1 }
	client := (&Env{Config: config.Default(), Endpoint: endpoint}).Kinesis(noRetry)
	ctx := t.Context()
	createStream(t, client, "crash", 4)

	type ack struct{ shard, seq string }
	const batchWriters, singleWriters, batchSize, killAfter = 3, 2, 50, 3000
	var (
		mu       sync.Mutex
		acked    = map[string]ack{}   // data -> where it was acknowledged
		inflight = map[string]int{}   // data -> in-flight batch id (or single: -1 - writer)
		batches  = map[int][]string{} // in-flight batch id -> its records
		nacked   int
		killed   = make(chan struct{})
		once     sync.Once
	)
	count := func(n int) {
		nacked += n
		if nacked >= killAfter {
			once.Do(func() { close(killed) })
		}
	}
	var wg sync.WaitGroup
	for w := range batchWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				id := w*1_000_000 + i
				entries := make([]types.PutRecordsRequestEntry, batchSize)
				datas := make([]string, batchSize)
				mu.Lock()
				for j := range entries {
					d := fmt.Sprintf("b%d-%d-%d", w, i, j)
					datas[j] = d
					entries[j] = types.PutRecordsRequestEntry{Data: []byte(d), PartitionKey: aws.String(fmt.Sprintf("pk-%d-%d", w, j))}
					inflight[d] = id
				}
				batches[id] = datas
				mu.Unlock()
				out, err := client.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String("crash"), Records: entries})
				if err != nil {
					return // the server is gone
				}
				if *out.FailedRecordCount != 0 || len(out.Records) != batchSize {
					t.Errorf("PutRecords: %d of %d failed", *out.FailedRecordCount, len(out.Records))
					return
				}
				mu.Lock()
				for j, r := range out.Records {
					acked[datas[j]] = ack{*r.ShardId, *r.SequenceNumber}
					delete(inflight, datas[j])
				}
				delete(batches, id)
				count(batchSize)
				mu.Unlock()
			}
		}()
	}
	for w := range singleWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				d := fmt.Sprintf("s%d-%d", w, i)
				mu.Lock()
				inflight[d] = -1 - w
				mu.Unlock()
				out, err := client.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("crash"), Data: []byte(d),
					PartitionKey: aws.String(fmt.Sprintf("single-%d-%d", w, i%16))})
				if err != nil {
					return
				}
				mu.Lock()
				acked[d] = ack{*out.ShardId, *out.SequenceNumber}
				delete(inflight, d)
				count(1)
				mu.Unlock()
			}
		}()
	}
	<-killed
	if err := syscall.Kill(child.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	child.Wait()

	_, endpoint = startChild(t, dir)
	client = (&Env{Config: config.Default(), Endpoint: endpoint}).Kinesis(noRetry)
	shards, err := client.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String("crash")})
	if err != nil {
		t.Fatal(err)
	}
	if len(shards.Shards) != 4 {
		t.Fatalf("%d shards after restart, want 4", len(shards.Shards))
	}
	found := map[string]ack{}
	total := 0
	for _, sh := range shards.Shards {
		it := iter(t, client, &kinesis.GetShardIteratorInput{StreamName: aws.String("crash"), ShardId: sh.ShardId,
			ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
		recs := readAll(t, client, it, 1000)
		total += len(recs)
		for i, r := range recs {
			d := string(r.Data)
			if i > 0 && !seqLess(*recs[i-1].SequenceNumber, *r.SequenceNumber) {
				t.Errorf("%s: record %d (%s) does not follow %s", *sh.ShardId, i, *r.SequenceNumber, *recs[i-1].SequenceNumber)
			}
			if prev, dup := found[d]; dup {
				t.Errorf("%q read twice: %v and %s/%s", d, prev, *sh.ShardId, *r.SequenceNumber)
			}
			found[d] = ack{*sh.ShardId, *r.SequenceNumber}
		}
	}
	for d, a := range acked {
		got, ok := found[d]
		switch {
		case !ok:
			t.Errorf("acknowledged %q (%s/%s) lost", d, a.shard, a.seq)
		case got != a:
			t.Errorf("acknowledged %q at %s/%s, read back at %s/%s", d, a.shard, a.seq, got.shard, got.seq)
		}
	}
	for d := range found {
		if _, ok := acked[d]; ok {
			continue
		}
		if _, ok := inflight[d]; !ok {
			t.Errorf("%q read back but never written", d)
		}
	}
	partial := 0
	for id, datas := range batches {
		n := 0
		for _, d := range datas {
			if _, ok := found[d]; ok {
				n++
			}
		}
		if n != 0 && n != len(datas) {
			t.Errorf("in-flight batch %d half there: %d of %d records", id, n, len(datas))
		}
		if n == len(datas) {
			partial++
		}
	}
	t.Logf("%d records acknowledged before SIGKILL, %d read back after restart (%d in-flight batches, %d of them committed)",
		len(acked), total, len(batches), partial)
	if len(acked) < killAfter {
		t.Fatalf("only %d acknowledged records checked", len(acked))
	}
}
