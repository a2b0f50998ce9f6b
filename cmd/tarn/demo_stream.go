package main

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	kntypes "github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tarnhq/tarn/internal/config"
	"github.com/tarnhq/tarn/internal/sample"
)

// The streaming stage's names. The demo owns them: a rerun on a kept
// --data directory deletes and recreates them.
const (
	demoStream     = "shop-clickstream"
	demoDelivery   = "shop-clickstream-to-lake"
	demoShards     = 4
	streamPrefix   = "stream/"
	streamDataPfx  = streamPrefix + "clickstream/"
	streamErrorPfx = streamPrefix + "errors/"
	putBatch       = 500 // PutRecords' limit
	putWorkers     = 4
	putRetries     = 5
	deliverTimeout = 60 * time.Second
	lakePoll       = 50 * time.Millisecond
)

// streamClient drives the streaming stage through the Kinesis, Firehose
// and S3 APIs.
type streamClient struct {
	kinesis  *kinesis.Client
	firehose *firehose.Client
	s3       *s3.Client
}

func newStreamClient(endpoint string, cfg config.Config, s3c *s3.Client) *streamClient {
	creds := credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, "")
	return &streamClient{
		kinesis:  kinesis.New(kinesis.Options{Region: cfg.Region, BaseEndpoint: aws.String(endpoint), Credentials: creds}),
		firehose: firehose.New(firehose.Options{Region: cfg.Region, BaseEndpoint: aws.String(endpoint), Credentials: creds}),
		s3:       s3c,
	}
}

// streamSummary is what the streaming stage reports.
type streamSummary struct {
	records, calls int
	putTook        time.Duration
	files, parts   int
	bytes          int64
	endToEnd       time.Duration
}

// put sends the events to the Kinesis stream with PutRecords, 500 at a
// time from a few workers, partition key = session id. Records a call
// reports as failed are sent again, a bounded number of times.
func (c *streamClient) put(ctx context.Context, out io.Writer, events []sample.Event) (calls int, err error) {
	bar := newProgress(out, "stream-put", int64(len(events)), countUnit("records"))
	defer bar.Finish()
	work := make(chan []sample.Event)
	errs := make(chan error, putWorkers)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for range putWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for batch := range work {
				n, err := c.putBatch(ctx, batch, bar)
				mu.Lock()
				calls += n
				mu.Unlock()
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
feed:
	for i := 0; i < len(events); i += putBatch {
		select {
		case work <- events[i:min(i+putBatch, len(events))]:
		case err = <-errs:
			break feed
		}
	}
	close(work)
	wg.Wait()
	if err == nil && len(errs) > 0 {
		err = <-errs
	}
	return calls, err
}

func (c *streamClient) putBatch(ctx context.Context, batch []sample.Event, bar *progress) (calls int, err error) {
	entries := make([]kntypes.PutRecordsRequestEntry, len(batch))
	for i := range batch {
		entries[i] = kntypes.PutRecordsRequestEntry{Data: eventJSON(&batch[i]), PartitionKey: aws.String(batch[i].SessionID)}
	}
	for attempt := 0; len(entries) > 0; attempt++ {
		if attempt == putRetries {
			return calls, fmt.Errorf("PutRecords %s: %d records still failing after %d attempts", demoStream, len(entries), putRetries)
		}
		res, err := c.kinesis.PutRecords(ctx, &kinesis.PutRecordsInput{StreamName: aws.String(demoStream), Records: entries})
		calls++
		if err != nil {
			return calls, fmt.Errorf("PutRecords %s: %w", demoStream, err)
		}
		var failed []kntypes.PutRecordsRequestEntry
		for i, r := range res.Records {
			if r.ErrorCode != nil {
				failed = append(failed, entries[i])
			}
		}
		bar.Add(int64(len(entries) - len(failed)))
		entries = failed
	}
	return calls, nil
}

// eventJSON is one event as a Kinesis record: its JSON without the
// newline.
func eventJSON(e *sample.Event) []byte {
	b := sample.AppendJSONLine(nil, e)
	return b[:len(b)-1]
}

// runStream is the streaming stage: the clickstream through Kinesis and
// Firehose into s3://shop-raw/stream/clickstream/.
func runStream(ctx context.Context, out io.Writer, c *streamClient, events []sample.Event, stage func(string, func() error) error) (streamSummary, error) {
	var s streamSummary
	want := make(map[string]bool, len(events))
	for i := range events {
		want[events[i].EventID] = true
	}
	first := time.Now()
	if err := stage("stream-put", func() error {
		var err error
		s.calls, err = c.put(ctx, out, events)
		return err
	}); err != nil {
		return s, err
	}
	s.records, s.putTook = len(events), time.Since(first)
	var last time.Time
	if err := stage("delivery", func() error {
		got, done, err := c.awaitLake(ctx, out, want)
		got.records, got.calls, got.putTook = s.records, s.calls, s.putTook
		s, last = got, done
		return err
	}); err != nil {
		return s, err
	}
	s.endToEnd = last.Sub(first)
	return s, nil
}
