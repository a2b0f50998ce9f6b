package catalog

import (
	"context"
	"errors"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/smithy-go"

	"github.com/tarnhq/tarn/internal/kv"
	"github.com/tarnhq/tarn/internal/sigv4/sigv4test"
)

type harness struct {
	dir    string
	db     *kv.DB
	svc    *Service
	client *glue.Client
	lake   *dirLake
	clock  *clock
	srv    *httptest.Server
}

// newHarness runs a Service (no platform, no SigV4 check) on a fresh
// Pebble directory with a directory lake and a settable clock, the
// scheduler loop off (tests call tick), and returns a Glue SDK client.
func newHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{dir: t.TempDir(), lake: newDirLake(t),
		clock: &clock{t: time.Date(2026, 3, 1, 11, 0, 0, 0, time.UTC)}}
	h.open(t)
	return h
}

func (h *harness) open(t testing.TB) {
	t.Helper()
	db, err := kv.Open(h.dir+"/meta", kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := New(Options{DB: db, Meta: db.Space("glue/"), Lake: h.lake, Now: h.clock.now, SchedulerInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	h.db, h.svc = db, svc
	h.srv = httptest.NewServer(sigv4test.ScopeOnly(svc.Handler()))
	h.client = glue.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(h.srv.URL),
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
	h.open(t)
}

// waitCrawls waits until every started crawl has finished.
func (h *harness) waitCrawls() { h.svc.wg.Wait() }

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
