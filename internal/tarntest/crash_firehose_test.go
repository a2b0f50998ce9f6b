package tarntest

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	fhtypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tarnhq/tarn/internal/config"
)

// TestCrashKeepsBufferedFirehoseRecords DirectPuts records (PutRecordBatch
// and PutRecord from several writers) to a delivery stream buffering for
// 900 s, so every acknowledged record is still in the buffer when the
// server is SIGKILLed by PID. After a restart on the same data,
// UpdateDestination to IntervalInSeconds 0 flushes the buffer, and every
// acknowledged record must reach the lake (at least once).
func TestCrashKeepsBufferedFirehoseRecords(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test starts child processes")
	}
	dir := t.TempDir()
	child, endpoint := startChild(t, dir)
	env := &Env{Config: config.Default(), Endpoint: endpoint}
	ctx := t.Context()
	if _, err := env.S3().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("lake")}); err != nil {
		t.Fatal(err)
	}
	client := env.Firehose()
	fhCreate(t, client, "crash", fhDest("lake", 900, 128))

	const batchWriters, singleWriters, batchSize, killAfter = 3, 2, 20, 1000
	var (
		mu     sync.Mutex
		acked  []string
		killed = make(chan struct{})
		once   sync.Once
	)
	ackAll := func(ds ...string) {
		mu.Lock()
		defer mu.Unlock()
		acked = append(acked, ds...)
		if len(acked) >= killAfter {
			once.Do(func() { close(killed) })
		}
	}
	var wg sync.WaitGroup
	for w := range batchWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				recs := make([]fhtypes.Record, batchSize)
				datas := make([]string, batchSize)
				for j := range recs {
					datas[j] = fmt.Sprintf("b%d-%d-%d", w, i, j)
					recs[j] = fhtypes.Record{Data: []byte(datas[j] + "\n")}
				}
				out, err := client.PutRecordBatch(ctx, &firehose.PutRecordBatchInput{DeliveryStreamName: aws.String("crash"), Records: recs})
				if err != nil {
					return // the server is gone
				}
				var ok []string
				for j, r := range out.RequestResponses {
					if r.ErrorCode == nil && r.RecordId != nil {
						ok = append(ok, datas[j])
					}
				}
				if len(ok) != batchSize {
					t.Errorf("PutRecordBatch: %d of %d records failed", batchSize-len(ok), batchSize)
				}
				ackAll(ok...)
			}
		}()
	}
	for w := range singleWriters {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				d := fmt.Sprintf("s%d-%d", w, i)
				out, err := client.PutRecord(ctx, &firehose.PutRecordInput{DeliveryStreamName: aws.String("crash"),
					Record: &fhtypes.Record{Data: []byte(d + "\n")}})
				if err != nil {
					return
				}
				if out.RecordId == nil {
					t.Errorf("PutRecord %s: no RecordId", d)
				}
				ackAll(d)
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
	env = &Env{Config: config.Default(), Endpoint: endpoint}
	client, s3c := env.Firehose(), env.S3()
	if out, err := s3c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("lake")}); err != nil || len(out.Contents) != 0 {
		t.Fatalf("before the flush: %v, %v (want no objects: the interval is 900 s)", out, err)
	}
	d, err := client.DescribeDeliveryStream(ctx, &firehose.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String("crash")})
	if err != nil {
		t.Fatal(err)
	}
	desc := d.DeliveryStreamDescription
	if _, err := client.UpdateDestination(ctx, &firehose.UpdateDestinationInput{DeliveryStreamName: aws.String("crash"),
		CurrentDeliveryStreamVersionId: desc.VersionId, DestinationId: desc.Destinations[0].DestinationId,
		ExtendedS3DestinationUpdate: &fhtypes.ExtendedS3DestinationUpdate{BufferingHints: &fhtypes.BufferingHints{IntervalInSeconds: aws.Int32(0)}}}); err != nil {
		t.Fatal(err)
	}

	// Poll the lake until every acknowledged record is there (or 10 s).
	want := map[string]bool{}
	for _, d := range acked {
		want[d] = true
	}
	seen, objects, lines := map[string]int{}, 0, 0
	read := map[string]bool{} // objects are immutable: read each once
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(10 * time.Second)
	missing := len(want)
	for missing > 0 {
		p := s3.NewListObjectsV2Paginator(s3c, &s3.ListObjectsV2Input{Bucket: aws.String("lake")})
		for p.HasMorePages() {
			page, err := p.NextPage(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, o := range page.Contents {
				if read[*o.Key] {
					continue
				}
				g, err := s3c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("lake"), Key: o.Key})
				if err != nil {
					t.Fatal(err)
				}
				body, err := io.ReadAll(g.Body)
				g.Body.Close()
				if err != nil {
					t.Fatal(err)
				}
				read[*o.Key] = true
				objects++
				for l := range bytes.SplitSeq(bytes.TrimSuffix(body, []byte("\n")), []byte("\n")) {
					lines++
					s := string(l)
					if seen[s] == 0 && want[s] {
						missing--
					}
					seen[s]++
				}
			}
		}
		if missing == 0 {
			break
		}
		select {
		case <-tick.C:
		case <-deadline:
			n := 0
			for d := range want {
				if seen[d] == 0 && n < 10 {
					t.Errorf("acknowledged record %q never delivered", d)
					n++
				}
			}
			t.Fatalf("%d of %d acknowledged records missing from the lake after 10 s (%d objects)", missing, len(want), objects)
		}
	}
	dups := 0
	for _, n := range seen {
		dups += n - 1
	}
	t.Logf("%d records acknowledged before SIGKILL; after restart %d objects, %d records delivered (%d duplicates, %d unacknowledged in-flight)",
		len(want), objects, lines, dups, len(seen)-len(want))
	if len(want) < killAfter {
		t.Fatalf("only %d acknowledged records checked", len(want))
	}
}
