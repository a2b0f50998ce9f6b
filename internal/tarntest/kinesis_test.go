package tarntest

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

// createStream creates a stream and waits (SDK waiter) until it is
// ACTIVE: CreateStream answers while it is still CREATING.
func createStream(t testing.TB, c *kinesis.Client, name string, shards int32) {
	t.Helper()
	if _, err := c.CreateStream(t.Context(), &kinesis.CreateStreamInput{StreamName: aws.String(name), ShardCount: aws.Int32(shards)}); err != nil {
		t.Fatal(err)
	}
	waitStream(t, c, name)
}

// waitStream waits with the SDK's StreamExists waiter (polling every few
// milliseconds) until name is ACTIVE.
func waitStream(t testing.TB, c *kinesis.Client, name string) {
	t.Helper()
	w := kinesis.NewStreamExistsWaiter(c, func(o *kinesis.StreamExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, 10*time.Millisecond
	})
	if err := w.Wait(t.Context(), &kinesis.DescribeStreamInput{StreamName: aws.String(name)}, 10*time.Second); err != nil {
		t.Fatal(err)
	}
}

func iter(t *testing.T, c *kinesis.Client, in *kinesis.GetShardIteratorInput) *string {
	t.Helper()
	out, err := c.GetShardIterator(t.Context(), in)
	if err != nil {
		t.Fatalf("GetShardIterator %s: %v", in.ShardIteratorType, err)
	}
	return out.ShardIterator
}

// readAll reads a shard from it until a page comes back empty.
func readAll(t *testing.T, c *kinesis.Client, it *string, limit int32) []types.Record {
	t.Helper()
	var recs []types.Record
	for {
		out, err := c.GetRecords(t.Context(), &kinesis.GetRecordsInput{ShardIterator: it, Limit: aws.Int32(limit)})
		if err != nil {
			t.Fatal(err)
		}
		recs = append(recs, out.Records...)
		if len(out.Records) == 0 {
			return recs
		}
		it = out.NextShardIterator
	}
}

func TestKinesisStreamsLifecycle(t *testing.T) {
	env := Start(t)
	c := env.Kinesis()
	ctx := t.Context()
	for i := range 5 {
		createStream(t, c, fmt.Sprintf("s%d", i), int32(i+1))
	}
	_, err := c.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String("s0"), ShardCount: aws.Int32(1)})
	var inUse *types.ResourceInUseException
	if !errors.As(err, &inUse) {
		t.Fatalf("duplicate CreateStream: %v", err)
	}
	_, err = c.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String("big"), ShardCount: aws.Int32(600)})
	var limit *types.LimitExceededException
	if !errors.As(err, &limit) {
		t.Fatalf("CreateStream over the shard limit: %v", err)
	}
	if _, err := c.CreateStream(ctx, &kinesis.CreateStreamInput{StreamName: aws.String("bad name"), ShardCount: aws.Int32(1)}); apiCode(err) != "ValidationException" {
		t.Fatalf("bad name: %v", err)
	}

	d, err := c.DescribeStream(ctx, &kinesis.DescribeStreamInput{StreamName: aws.String("s2")})
	if err != nil {
		t.Fatal(err)
	}
	sd := d.StreamDescription
	if sd.StreamStatus != types.StreamStatusActive || len(sd.Shards) != 3 || *sd.RetentionPeriodHours != 24 ||
		*sd.StreamARN != "arn:aws:kinesis:us-east-1:000000000000:stream/s2" || *sd.Shards[2].ShardId != "shardId-000000000002" ||
		*sd.Shards[1].HashKeyRange.StartingHashKey != "113427455640312821154458202477256070485" {
		t.Fatalf("DescribeStream = %+v", sd)
	}
	sum, err := c.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamARN: sd.StreamARN})
	if err != nil || *sum.StreamDescriptionSummary.OpenShardCount != 3 {
		t.Fatalf("DescribeStreamSummary = %+v, %v", sum, err)
	}

	var names []string
	p := kinesis.NewListStreamsPaginator(c, &kinesis.ListStreamsInput{Limit: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, page.StreamNames...)
	}
	if fmt.Sprint(names) != "[s0 s1 s2 s3 s4]" {
		t.Fatalf("ListStreams pages = %v", names)
	}

	var shards []string
	lin := &kinesis.ListShardsInput{StreamName: aws.String("s4"), MaxResults: aws.Int32(2)}
	for {
		page, err := c.ListShards(ctx, lin)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range page.Shards {
			shards = append(shards, *s.ShardId)
		}
		if page.NextToken == nil {
			break
		}
		lin = &kinesis.ListShardsInput{NextToken: page.NextToken}
	}
	if len(shards) != 5 || shards[4] != "shardId-000000000004" {
		t.Fatalf("ListShards pages = %v", shards)
	}
	after, err := c.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String("s4"),
		ShardFilter: &types.ShardFilter{Type: types.ShardFilterTypeAfterShardId, ShardId: aws.String("shardId-000000000002")}})
	if err != nil || len(after.Shards) != 2 {
		t.Fatalf("ListShards AFTER_SHARD_ID = %+v, %v", after, err)
	}

	if _, err := c.DeleteStream(ctx, &kinesis.DeleteStreamInput{StreamName: aws.String("s1")}); err != nil {
		t.Fatal(err)
	}
	// DeleteStream answers DELETING; the stream goes in the background.
	if err := kinesis.NewStreamNotExistsWaiter(c, func(o *kinesis.StreamNotExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, 10*time.Millisecond
	}).Wait(ctx, &kinesis.DescribeStreamInput{StreamName: aws.String("s1")}, 30*time.Second); err != nil {
		t.Fatal(err)
	}
	_, err = c.DescribeStream(ctx, &kinesis.DescribeStreamInput{StreamName: aws.String("s1")})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("DescribeStream of a deleted stream: %v", err)
	}
	if _, err := c.DescribeLimits(ctx, &kinesis.DescribeLimitsInput{}); apiCode(err) != "UnknownOperationException" {
		t.Fatalf("DescribeLimits: %v", err)
	}
}

func TestKinesisPutGetOrderingAndIterators(t *testing.T) {
	env := Start(t)
	c := env.Kinesis()
	ctx := t.Context()
	createStream(t, c, "clicks", 4)
	before := time.Now().Add(-time.Second)

	// 300 records over several PutRecords and PutRecord calls.
	var bySeq = map[string]string{}
	shardOf := map[string]string{}
	var entries []types.PutRecordsRequestEntry
	for i := range 200 {
		entries = append(entries, types.PutRecordsRequestEntry{PartitionKey: aws.String(fmt.Sprintf("user-%d", i%17)), Data: []byte(fmt.Sprintf("r%03d", i))})
	}
	for start := 0; start < len(entries); start += 100 {
		out, err := c.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String("clicks"), Records: entries[start : start+100]})
		if err != nil || *out.FailedRecordCount != 0 {
			t.Fatalf("PutRecords = %+v, %v", out, err)
		}
		for i, r := range out.Records {
			bySeq[*r.SequenceNumber] = string(entries[start+i].Data)
			shardOf[*r.SequenceNumber] = *r.ShardId
		}
	}
	for i := 200; i < 300; i++ {
		out, err := c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("clicks"),
			PartitionKey: aws.String(fmt.Sprintf("user-%d", i%17)), Data: []byte(fmt.Sprintf("r%03d", i))})
		if err != nil {
			t.Fatal(err)
		}
		bySeq[*out.SequenceNumber] = fmt.Sprintf("r%03d", i)
		shardOf[*out.SequenceNumber] = *out.ShardId
	}
	// ExplicitHashKey 0 lands on shard 0 whatever the partition key.
	eh, err := c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("clicks"), PartitionKey: aws.String("x"),
		ExplicitHashKey: aws.String("0"), Data: []byte("explicit")})
	if err != nil || *eh.ShardId != "shardId-000000000000" {
		t.Fatalf("ExplicitHashKey put = %+v, %v", eh, err)
	}
	bySeq[*eh.SequenceNumber], shardOf[*eh.SequenceNumber] = "explicit", *eh.ShardId

	total := 0
	for sh := range 4 {
		id := fmt.Sprintf("shardId-%012d", sh)
		recs := readAll(t, c, iter(t, c, &kinesis.GetShardIteratorInput{StreamName: aws.String("clicks"), ShardId: aws.String(id),
			ShardIteratorType: types.ShardIteratorTypeTrimHorizon}), 7)
		prevPerKey := map[string]string{}
		for i, r := range recs {
			if i > 0 && *r.SequenceNumber <= *recs[i-1].SequenceNumber {
				t.Fatalf("%s: sequence numbers not increasing at %d", id, i)
			}
			if bySeq[*r.SequenceNumber] != string(r.Data) || shardOf[*r.SequenceNumber] != id {
				t.Fatalf("%s: record %s = %q, put %q on %s", id, *r.SequenceNumber, r.Data, bySeq[*r.SequenceNumber], shardOf[*r.SequenceNumber])
			}
			if p := prevPerKey[*r.PartitionKey]; p != "" && string(r.Data) < p && string(r.Data) != "explicit" {
				t.Fatalf("%s: key %s out of order: %s after %s", id, *r.PartitionKey, r.Data, p)
			}
			prevPerKey[*r.PartitionKey] = string(r.Data)
			if r.ApproximateArrivalTimestamp.Before(before) {
				t.Fatalf("arrival %v before the test began", r.ApproximateArrivalTimestamp)
			}
		}
		total += len(recs)
		if len(recs) == 0 {
			continue
		}
		mid := recs[len(recs)/2]
		at := readAll(t, c, iter(t, c, &kinesis.GetShardIteratorInput{StreamName: aws.String("clicks"), ShardId: aws.String(id),
			ShardIteratorType: types.ShardIteratorTypeAtSequenceNumber, StartingSequenceNumber: mid.SequenceNumber}), 1000)
		if len(at) != len(recs)-len(recs)/2 || *at[0].SequenceNumber != *mid.SequenceNumber {
			t.Fatalf("%s AT_SEQUENCE_NUMBER read %d records", id, len(at))
		}
		afterRecs := readAll(t, c, iter(t, c, &kinesis.GetShardIteratorInput{StreamName: aws.String("clicks"), ShardId: aws.String(id),
			ShardIteratorType: types.ShardIteratorTypeAfterSequenceNumber, StartingSequenceNumber: mid.SequenceNumber}), 1000)
		if len(afterRecs) != len(at)-1 {
			t.Fatalf("%s AFTER_SEQUENCE_NUMBER read %d records, want %d", id, len(afterRecs), len(at)-1)
		}
		ts := readAll(t, c, iter(t, c, &kinesis.GetShardIteratorInput{StreamName: aws.String("clicks"), ShardId: aws.String(id),
			ShardIteratorType: types.ShardIteratorTypeAtTimestamp, Timestamp: aws.Time(before)}), 1000)
		if len(ts) != len(recs) {
			t.Fatalf("%s AT_TIMESTAMP read %d records, want %d", id, len(ts), len(recs))
		}
		if id != "shardId-000000000000" {
			_, err := c.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String("clicks"), ShardId: aws.String("shardId-000000000000"),
				ShardIteratorType: types.ShardIteratorTypeAtSequenceNumber, StartingSequenceNumber: mid.SequenceNumber})
			if apiCode(err) != "InvalidArgumentException" {
				t.Fatalf("sequence number of another shard: %v", err)
			}
		}
	}
	if total != 301 {
		t.Fatalf("read %d records, put 301", total)
	}

	// LATEST sees only what is put afterwards.
	latest := iter(t, c, &kinesis.GetShardIteratorInput{StreamName: aws.String("clicks"), ShardId: aws.String("shardId-000000000000"),
		ShardIteratorType: types.ShardIteratorTypeLatest})
	if _, err := c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("clicks"), PartitionKey: aws.String("x"),
		ExplicitHashKey: aws.String("1"), Data: []byte("new")}); err != nil {
		t.Fatal(err)
	}
	got, err := c.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: latest})
	if err != nil || len(got.Records) != 1 || string(got.Records[0].Data) != "new" || *got.MillisBehindLatest != 0 {
		t.Fatalf("LATEST read = %+v, %v", got, err)
	}
}

// TestKinesisManyConsumers: readers of one shard do not disturb each other.
func TestKinesisManyConsumers(t *testing.T) {
	env := Start(t)
	c := env.Kinesis()
	createStream(t, c, "fan", 2)
	var entries []types.PutRecordsRequestEntry
	for i := range 500 {
		entries = append(entries, types.PutRecordsRequestEntry{PartitionKey: aws.String("k"), ExplicitHashKey: aws.String("5"), Data: []byte(fmt.Sprint(i))})
	}
	if _, err := c.PutRecords(t.Context(), &kinesis.PutRecordsInput{StreamName: aws.String("fan"), Records: entries}); err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for r := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out, err := c.GetShardIterator(t.Context(), &kinesis.GetShardIteratorInput{StreamName: aws.String("fan"),
				ShardId: aws.String("shardId-000000000000"), ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
			if err != nil {
				errs <- err
				return
			}
			it, n := out.ShardIterator, 0
			for n < 500 {
				page, err := c.GetRecords(t.Context(), &kinesis.GetRecordsInput{ShardIterator: it, Limit: aws.Int32(int32(13 + r))})
				if err != nil {
					errs <- err
					return
				}
				for _, rec := range page.Records {
					if string(rec.Data) != fmt.Sprint(n) {
						errs <- fmt.Errorf("reader %d: record %d = %s", r, n, rec.Data)
						return
					}
					n++
				}
				it = page.NextShardIterator
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func TestKinesisPutRecordsLimits(t *testing.T) {
	env := Start(t)
	c := env.Kinesis()
	ctx := t.Context()
	createStream(t, c, "lim", 1)
	put := func(recs ...types.PutRecordsRequestEntry) error {
		_, err := c.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String("lim"), Records: recs})
		return err
	}
	ok := types.PutRecordsRequestEntry{PartitionKey: aws.String("k"), Data: []byte("ok")}
	big := types.PutRecordsRequestEntry{PartitionKey: aws.String("k"), Data: make([]byte, 1<<20+1)}
	if err := put(ok, big); apiCode(err) != "ValidationException" {
		t.Fatalf("record over 1 MiB: %v", err)
	}
	var five []types.PutRecordsRequestEntry
	for range 6 {
		five = append(five, types.PutRecordsRequestEntry{PartitionKey: aws.String("k"), Data: make([]byte, 1<<20)})
	}
	if err := put(five...); apiCode(err) != "InvalidArgumentException" {
		t.Fatalf("request over 5 MiB: %v", err)
	}
	many := make([]types.PutRecordsRequestEntry, 501)
	for i := range many {
		many[i] = ok
	}
	if err := put(many...); apiCode(err) != "ValidationException" {
		t.Fatalf("501 records: %v", err)
	}
	if err := put(types.PutRecordsRequestEntry{PartitionKey: aws.String("k"), ExplicitHashKey: aws.String("340282366920938463463374607431768211456"), Data: []byte("x")}); apiCode(err) != "InvalidArgumentException" {
		t.Fatalf("ExplicitHashKey 2^128: %v", err)
	}
	// Nothing of the refused requests was stored: all or nothing.
	recs := readAll(t, c, iter(t, c, &kinesis.GetShardIteratorInput{StreamName: aws.String("lim"), ShardId: aws.String("shardId-000000000000"),
		ShardIteratorType: types.ShardIteratorTypeTrimHorizon}), 100)
	if len(recs) != 0 {
		t.Fatalf("refused requests stored %d records", len(recs))
	}
	one := types.PutRecordsRequestEntry{PartitionKey: aws.String("k"), Data: bytes.Repeat([]byte("m"), 1<<20)}
	if err := put(one); err != nil {
		t.Fatalf("1 MiB record: %v", err)
	}
	if _, err := c.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("nope"), PartitionKey: aws.String("k"), Data: []byte("x")}); apiCode(err) != "ResourceNotFoundException" {
		t.Fatalf("put to a missing stream: %v", err)
	}
}
