package firehose

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tarnhq/tarn/internal/kv"
)

// fakeClock is a Clock the test advances; After registers a waiter and
// announces it on waiting, so the test knows the deliverer is idle.
type fakeClock struct {
	mu      sync.Mutex
	now     time.Time
	waiters []fakeWaiter
	waiting chan time.Duration
}

type fakeWaiter struct {
	at time.Time
	ch chan time.Time
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC), waiting: make(chan time.Duration, 100)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) After(d time.Duration) <-chan time.Time {
	c.mu.Lock()
	ch := make(chan time.Time, 1)
	c.waiters = append(c.waiters, fakeWaiter{c.now.Add(d), ch})
	c.mu.Unlock()
	c.waiting <- d
	return ch
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	kept := c.waiters[:0]
	for _, w := range c.waiters {
		if !w.at.After(c.now) {
			w.ch <- c.now
		} else {
			kept = append(kept, w)
		}
	}
	c.waiters = kept
}

// memLake records objects and announces each on put.
type memLake struct {
	mu   sync.Mutex
	objs map[string]string
	put  chan string
}

func (l *memLake) PutObject(ctx context.Context, bucket, key string, body io.Reader, size int64) error {
	b, err := io.ReadAll(body)
	if err != nil {
		return err
	}
	l.mu.Lock()
	l.objs[bucket+"/"+key] = string(b)
	l.mu.Unlock()
	l.put <- bucket + "/" + key
	return nil
}

func (l *memLake) get(k string) string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.objs[k]
}

// waitFor reads the deliverer's timer requests until one is d: a wake-up
// by an earlier notification may re-arm the same timer first.
func (c *fakeClock) waitFor(t *testing.T, d time.Duration) {
	t.Helper()
	fail := time.After(5 * time.Second)
	for {
		select {
		case got := <-c.waiting:
			if got == d {
				return
			}
		case <-fail:
			t.Fatalf("deliverer never waited %v", d)
		}
	}
}

func testService(t *testing.T, clock Clock) (*Service, *memLake) {
	t.Helper()
	db, err := kv.Open(t.TempDir(), kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	lake := &memLake{objs: map[string]string{}, put: make(chan string, 100)}
	s, err := New(Options{DB: db, Meta: db.Space("firehose/"), Lake: lake, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop(context.Background()) })
	return s, lake
}

func create(t *testing.T, s *Service, name string, size, interval int) {
	t.Helper()
	_, err := s.createDeliveryStream(t.Context(), &createInput{DeliveryStreamName: name, ExtendedS3DestinationConfiguration: &s3Config{
		RoleARN: "arn:aws:iam::000000000000:role/r", BucketARN: "arn:aws:s3:::lake",
		BufferingHints: &bufferingHints{SizeInMBs: &size, IntervalInSeconds: &interval}}})
	if err != nil {
		t.Fatal(err)
	}
}

func put(t *testing.T, s *Service, name string, data ...string) {
	t.Helper()
	in := &putBatchInput{DeliveryStreamName: name}
	for _, d := range data {
		in.Records = append(in.Records, recordShape{Data: []byte(d)})
	}
	out, err := s.putRecordBatch(t.Context(), in)
	if err != nil || out.FailedPutCount != 0 {
		t.Fatalf("put = %+v, %v", out, err)
	}
}

func expectNoObject(t *testing.T, lake *memLake) {
	t.Helper()
	select {
	case k := <-lake.put:
		t.Fatalf("unexpected object %s", k)
	default:
	}
}

// TestBufferingInterval: nothing is delivered before IntervalInSeconds
// has passed since the oldest record; then one object holds them all.
func TestBufferingInterval(t *testing.T) {
	clock := newFakeClock()
	s, lake := testService(t, clock)
	create(t, s, "t", 5, 60)
	put(t, s, "t", "a", "b")
	clock.waitFor(t, 60*time.Second)
	clock.Advance(30 * time.Second)
	put(t, s, "t", "c")
	clock.waitFor(t, 30*time.Second) // the interval counts from the oldest record
	clock.Advance(29 * time.Second)
	expectNoObject(t, lake)
	clock.Advance(time.Second)
	key := <-lake.put
	if want := "lake/2024/05/06/07/t-1-2024-05-06-07-08-09-"; !strings.HasPrefix(key, want) || lake.get(key) != "abc" {
		t.Fatalf("object %s = %q, want %s* = abc", key, lake.get(key), want)
	}
}

// TestBufferingSize: reaching SizeInMBs flushes at once, without waiting
// for the interval, in objects of at most SizeInMBs.
func TestBufferingSize(t *testing.T) {
	clock := newFakeClock()
	s, lake := testService(t, clock)
	create(t, s, "t", 1, 900)
	chunk := strings.Repeat("x", 600<<10)
	put(t, s, "t", chunk)
	clock.waitFor(t, 900*time.Second) // idle: 600 KiB < 1 MiB
	expectNoObject(t, lake)
	put(t, s, "t", chunk, chunk)
	for range 2 {
		k := <-lake.put
		if len(lake.get(k)) > 1<<20 {
			t.Fatalf("object of %d bytes exceeds SizeInMBs", len(lake.get(k)))
		}
	}
	// The third chunk waits for the interval.
	expectNoObject(t, lake)
	clock.Advance(900 * time.Second)
	if k := <-lake.put; len(lake.get(k)) != 600<<10 {
		t.Fatalf("last object %d bytes", len(lake.get(k)))
	}
}

// TestBufferRestart: records acknowledged but not delivered are recovered
// from the durable buffer by a new Service on the same database.
func TestBufferRestart(t *testing.T) {
	clock := newFakeClock()
	db, err := kv.Open(t.TempDir(), kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	lake := &memLake{objs: map[string]string{}, put: make(chan string, 100)}
	s, _ := New(Options{DB: db, Meta: db.Space("firehose/"), Lake: lake, Clock: clock})
	if err := s.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	create(t, s, "t", 5, 60)
	put(t, s, "t", "kept-", "across-")
	put(t, s, "t", "restart")
	s.Stop(t.Context())
	expectNoObject(t, lake)

	s2, _ := New(Options{DB: db, Meta: db.Space("firehose/"), Lake: lake, Clock: clock})
	if err := s2.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer s2.Stop(context.Background())
	clock.waitFor(t, 60*time.Second)
	clock.Advance(60 * time.Second)
	if k := <-lake.put; lake.get(k) != "kept-across-restart" {
		t.Fatalf("after restart %s = %q", k, lake.get(k))
	}
	// Delivered records are acknowledged: a third start delivers nothing.
	s2.Stop(t.Context())
	s3, _ := New(Options{DB: db, Meta: db.Space("firehose/"), Lake: lake, Clock: clock})
	if err := s3.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer s3.Stop(context.Background())
	clock.Advance(time.Hour)
	if d := s3.streams["us-east-1/t"]; d == nil || len(d.buf.recs) != 0 {
		t.Fatalf("buffer after delivery: %+v", d)
	}
}

func TestPartitionQuery(t *testing.T) {
	p, err := parseQuery(`{customer: .customer.id, dt: .ts[0:10], first: .items[0].sku, "q k": .["a b"], n: .n, last: .items[-1:][0].sku}`)
	if err != nil {
		t.Fatal(err)
	}
	got, err := p.eval([]byte(`{"customer":{"id":"c1"},"ts":"2024-01-02T03:04:05Z","items":[{"sku":"s1"},{"sku":"s2"}],"a b":true,"n":12.5}`))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"customer": "c1", "dt": "2024-01-02", "first": "s1", "q k": "true", "n": "12.5", "last": "s2"}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %q, want %q", k, got[k], v)
		}
	}
	for _, bad := range []string{`{"customer":{}}`, `{"customer":{"id":null}}`, `[1]`, `nope`} {
		if _, err := p.eval([]byte(bad)); err == nil {
			t.Errorf("eval(%s) succeeded", bad)
		}
	}
	for _, q := range []string{``, `{}`, `{a .b}`, `{a: b}`, `{a: .b | tostring}`, `{a: .b, a: .c}`, `{a: .[}`} {
		if _, err := parseQuery(q); err == nil {
			t.Errorf("parseQuery(%q) succeeded", q)
		}
	}
}
