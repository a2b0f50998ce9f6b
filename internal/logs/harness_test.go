package logs

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cwl "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"
	"github.com/aws/smithy-go"

	"github.com/tarnhq/tarn/internal/kv"
	"github.com/tarnhq/tarn/internal/sigv4/sigv4test"
)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func (c *clock) ms() int64 { return c.now().UnixMilli() }

type harness struct {
	dir    string
	db     *kv.DB
	svc    *Service
	client *cwl.Client
	clock  *clock
	srv    *httptest.Server
}

// newHarness runs a Service (no platform, no SigV4 check) on a fresh
// Pebble directory with a settable clock and the sweep loop off (tests
// call sweep), and returns a CloudWatch Logs SDK client.
func newHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{dir: t.TempDir(), clock: &clock{t: time.Date(2026, 3, 1, 11, 0, 0, 0, time.UTC)}}
	h.open(t, kv.Options{NoSync: true})
	return h
}

func (h *harness) open(t testing.TB, o kv.Options) {
	t.Helper()
	db, err := kv.Open(h.dir+"/db", o)
	if err != nil {
		t.Fatal(err)
	}
	svc, err := New(Options{DB: db, Meta: db.Space("logs/"), Now: h.clock.now})
	if err != nil {
		t.Fatal(err)
	}
	svc.interval = -1
	if err := svc.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	h.db, h.svc = db, svc
	h.srv = httptest.NewServer(sigv4test.ScopeOnly(svc.Handler()))
	h.client = cwl.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(h.srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	t.Cleanup(h.close)
}

// close stops everything; safe to call twice.
func (h *harness) close() {
	if h.svc == nil {
		return
	}
	h.srv.Close()
	h.svc.Stop(context.Background())
	h.db.Close()
	h.svc = nil
}

// reopen closes and reopens the service on the same Pebble directory.
func (h *harness) reopen(t testing.TB) {
	t.Helper()
	h.close()
	h.open(t, kv.Options{NoSync: true})
}

// wantCode fails unless err is an API error with the code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("err code = %s (%s), want %s", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
}

// wantMessage fails unless err is an API error whose message contains sub.
func wantMessage(t testing.TB, err error, code, sub string) {
	t.Helper()
	wantCode(t, err, code)
	var ae smithy.APIError
	errors.As(err, &ae)
	if !strings.Contains(ae.ErrorMessage(), sub) {
		t.Fatalf("message = %q, want it to contain %q", ae.ErrorMessage(), sub)
	}
}

func (h *harness) mkGroup(t testing.TB, name string) {
	t.Helper()
	if _, err := h.client.CreateLogGroup(t.Context(), &cwl.CreateLogGroupInput{LogGroupName: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
}

func (h *harness) mkStream(t testing.TB, group, name string) {
	t.Helper()
	if _, err := h.client.CreateLogStream(t.Context(), &cwl.CreateLogStreamInput{LogGroupName: aws.String(group), LogStreamName: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
}

// put sends PutLogEvents of messages at the given timestamps.
func (h *harness) put(t testing.TB, group, stream string, ts []int64, msgs []string) *cwl.PutLogEventsOutput {
	t.Helper()
	var evs []types.InputLogEvent
	for i := range ts {
		evs = append(evs, types.InputLogEvent{Timestamp: aws.Int64(ts[i]), Message: aws.String(msgs[i])})
	}
	out, err := h.client.PutLogEvents(t.Context(), &cwl.PutLogEventsInput{LogGroupName: aws.String(group), LogStreamName: aws.String(stream), LogEvents: evs})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func messages[E any](evs []E, msg func(E) *string) []string {
	out := []string{}
	for _, e := range evs {
		out = append(out, aws.ToString(msg(e)))
	}
	return out
}

func outMsgs(evs []types.OutputLogEvent) []string {
	return messages(evs, func(e types.OutputLogEvent) *string { return e.Message })
}

func filteredMsgs(evs []types.FilteredLogEvent) []string {
	return messages(evs, func(e types.FilteredLogEvent) *string { return e.Message })
}
