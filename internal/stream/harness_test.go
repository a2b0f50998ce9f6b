package stream

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"

	"github.com/tarnhq/tarn/internal/kv"
	"github.com/tarnhq/tarn/internal/natsd"
)

// clock is a settable time source for Options.Now.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) advance(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type harness struct {
	svc    *Service
	nats   *natsd.Server
	client *kinesis.Client
	clock  *clock
}

// newHarness runs a Service (no platform, no SigV4 check) on a fresh data
// directory, NATS without fsync, and returns an SDK client for it.
func newHarness(t testing.TB) *harness {
	t.Helper()
	dir := t.TempDir()
	db, err := kv.Open(dir+"/meta", kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	ns, err := natsd.New(natsd.Options{StoreDir: dir + "/nats", NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := ns.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	clk := &clock{t: time.Now()}
	svc, err := New(Options{Meta: db.Space("kinesis/"), NATS: ns, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc.Handler())
	t.Cleanup(func() {
		srv.Close()
		svc.Stop(t.Context())
		ns.Stop(t.Context())
		db.Close()
	})
	client := kinesis.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	return &harness{svc: svc, nats: ns, client: client, clock: clk}
}

// waitExists waits with the SDK's StreamExists waiter until name is ACTIVE
// (CreateStream answers while the stream is still CREATING).
func waitExists(t testing.TB, c *kinesis.Client, name string) {
	t.Helper()
	w := kinesis.NewStreamExistsWaiter(c, func(o *kinesis.StreamExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = time.Millisecond, 10*time.Millisecond
	})
	if err := w.Wait(context.Background(), &kinesis.DescribeStreamInput{StreamName: aws.String(name)}, 10*time.Second); err != nil {
		t.Fatal(err)
	}
}
