package firehose

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tarnhq/tarn/internal/kv"
)

// stateReader is a KinesisReader whose Shards fails with err.
type stateReader struct{ err error }

func (r stateReader) Shards(ctx context.Context, arn string) ([]string, error) { return nil, r.err }
func (r stateReader) Read(ctx context.Context, arn, shard string, from ReadFrom, limit int) ([]SourceRecord, error) {
	return nil, nil
}

// A Kinesis source that is missing or not ACTIVE is refused with AWS's
// InvalidArgumentException, not an internal failure.
func TestKinesisSourceStates(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{fmt.Errorf("kinesis ListShards: %w", ErrSourceNotFound), "InvalidArgumentException: Kinesis stream arn:aws:kinesis:us-east-1:000000000000:stream/src does not exist."},
		{fmt.Errorf("kinesis ListShards: %w", ErrSourceNotActive), "InvalidArgumentException: Kinesis stream arn:aws:kinesis:us-east-1:000000000000:stream/src is not ACTIVE."},
	} {
		db, err := kv.Open(t.TempDir(), kv.Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		s, err := New(Options{DB: db, Meta: db.Space("firehose/"), Lake: &memLake{objs: map[string]string{}}, Kinesis: stateReader{tc.err}, Clock: newFakeClock()})
		if err != nil {
			t.Fatal(err)
		}
		_, err = s.createDeliveryStream(t.Context(), &createInput{DeliveryStreamName: "k", DeliveryStreamType: typeKinesisSource,
			KinesisStreamSourceConfiguration:   &kinesisSourceConfig{KinesisStreamARN: "arn:aws:kinesis:us-east-1:000000000000:stream/src", RoleARN: "arn:aws:iam::000000000000:role/r"},
			ExtendedS3DestinationConfiguration: &s3Config{RoleARN: "arn:aws:iam::000000000000:role/r", BucketARN: "arn:aws:s3:::lake"}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: got %v, want %s", tc.err, err, tc.want)
		}
		db.Close()
	}
}

// notifyingReader is a one-shard KinesisReader with a KinesisNotifier:
// add queues a record and notifies.
type notifyingReader struct {
	mu      sync.Mutex
	pending []SourceRecord
	seq     int
	ch      chan struct{}
}

func (r *notifyingReader) Shards(ctx context.Context, arn string) ([]string, error) {
	return []string{"shardId-000000000000"}, nil
}

func (r *notifyingReader) Read(ctx context.Context, arn, shard string, from ReadFrom, limit int) ([]SourceRecord, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.pending
	r.pending = nil
	return out, nil
}

func (r *notifyingReader) Notify(ctx context.Context, arn string) (<-chan struct{}, func(), error) {
	return r.ch, func() {}, nil
}

func (r *notifyingReader) add(data string, at time.Time) {
	r.mu.Lock()
	r.seq++
	r.pending = append(r.pending, SourceRecord{SequenceNumber: fmt.Sprint(r.seq), Arrival: at, Data: []byte(data)})
	r.mu.Unlock()
	select {
	case r.ch <- struct{}{}:
	default:
	}
}

// With a KinesisNotifier the source is read as soon as records arrive:
// the clock (and so the poll interval) never advances here.
func TestKinesisSourceNotified(t *testing.T) {
	clock := newFakeClock()
	db, err := kv.Open(t.TempDir(), kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lake := &memLake{objs: map[string]string{}, put: make(chan string, 10)}
	src := &notifyingReader{ch: make(chan struct{}, 1)}
	s, err := New(Options{DB: db, Meta: db.Space("firehose/"), Lake: lake, Kinesis: src, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer s.Stop(context.Background())
	size, interval := 1, 0
	if _, err := s.createDeliveryStream(t.Context(), &createInput{DeliveryStreamName: "k", DeliveryStreamType: typeKinesisSource,
		KinesisStreamSourceConfiguration: &kinesisSourceConfig{KinesisStreamARN: "arn:aws:kinesis:us-east-1:000000000000:stream/src", RoleARN: "arn:aws:iam::000000000000:role/r"},
		ExtendedS3DestinationConfiguration: &s3Config{RoleARN: "arn:aws:iam::000000000000:role/r", BucketARN: "arn:aws:s3:::lake",
			BufferingHints: &bufferingHints{SizeInMBs: &size, IntervalInSeconds: &interval}}}); err != nil {
		t.Fatal(err)
	}
	<-clock.waiting // the poller found nothing and waits
	src.add("hello", clock.Now())
	select {
	case key := <-lake.put:
		if got := lake.get(key); got != "hello" {
			t.Fatalf("object %s = %q", key, got)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no delivery without the clock advancing: the notification was not used")
	}
}
