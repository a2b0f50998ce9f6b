package s3

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/tarnhq/tarn/internal/kv"
)

const (
	fnA = "arn:aws:lambda:us-east-1:000000000000:function:alpha"
	fnB = "arn:aws:lambda:us-east-1:000000000000:function:beta"
)

// delivery is one Deliver call that succeeded.
type delivery struct {
	fn    string
	event []byte
}

// fakeNotifier records deliveries; its first fail calls return an error.
// A function listed in gone answers ErrDestinationGone; one listed in
// down answers a plain error.
type fakeNotifier struct {
	mu    sync.Mutex
	fail  int
	calls int
	gone  map[string]bool
	down  map[string]bool
	ch    chan delivery
}

func newFakeNotifier(fail int) *fakeNotifier {
	return &fakeNotifier{fail: fail, ch: make(chan delivery, 100)}
}

func (f *fakeNotifier) Deliver(ctx context.Context, fn string, event []byte) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls++
	if f.gone[fn] {
		return fmt.Errorf("fake: %w", ErrDestinationGone)
	}
	if f.down[fn] {
		return errors.New("fake: function throttled")
	}
	if f.fail > 0 {
		f.fail--
		return errors.New("fake: function unavailable")
	}
	f.ch <- delivery{fn: fn, event: bytes.Clone(event)}
	return nil
}

func (f *fakeNotifier) callCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.calls
}

// next waits for the next successful delivery.
func (f *fakeNotifier) next(t *testing.T) delivery {
	t.Helper()
	select {
	case d := <-f.ch:
		return d
	case <-t.Context().Done():
		t.Fatal("no delivery")
		return delivery{}
	}
}

type fakeFunctions map[string]bool

func (f fakeFunctions) FunctionExists(ctx context.Context, arn string) bool { return f[arn] }

// newNotifyEnv is a test env on dir with n as Notifier and fnA, fnB as
// the existing functions. The service is stopped before its DB closes.
func newNotifyEnv(t *testing.T, dir string, n Notifier, mutate func(*Options)) *testEnv {
	t.Helper()
	svc, closeDB := openService(t, dir, func(o *Options) {
		o.Notifier = n
		o.Functions = fakeFunctions{fnA: true, fnB: true}
		if mutate != nil {
			mutate(o)
		}
	})
	t.Cleanup(closeDB)
	t.Cleanup(func() { svc.Stop(context.Background()) })
	srv := httptest.NewServer(testAuth(svc.Handler()))
	t.Cleanup(srv.Close)
	return &testEnv{svc: svc, srv: srv, client: sdkClient(srv.URL, true, nil), db: svc.db}
}

func lambdaCfg(id, fn string, events []string, prefix, suffix string) types.LambdaFunctionConfiguration {
	c := types.LambdaFunctionConfiguration{LambdaFunctionArn: aws.String(fn)}
	if id != "" {
		c.Id = aws.String(id)
	}
	for _, e := range events {
		c.Events = append(c.Events, types.Event(e))
	}
	var rules []types.FilterRule
	if prefix != "" {
		rules = append(rules, types.FilterRule{Name: "prefix", Value: aws.String(prefix)})
	}
	if suffix != "" {
		rules = append(rules, types.FilterRule{Name: "suffix", Value: aws.String(suffix)})
	}
	if rules != nil {
		c.Filter = &types.NotificationConfigurationFilter{Key: &types.S3KeyFilter{FilterRules: rules}}
	}
	return c
}

func (e *testEnv) putNotify(bucket string, cfg types.NotificationConfiguration) error {
	_, err := e.client.PutBucketNotificationConfiguration(context.Background(),
		&s3.PutBucketNotificationConfigurationInput{Bucket: aws.String(bucket), NotificationConfiguration: &cfg})
	return err
}

func (e *testEnv) mustNotify(t *testing.T, bucket string, ls ...types.LambdaFunctionConfiguration) {
	t.Helper()
	if err := e.putNotify(bucket, types.NotificationConfiguration{LambdaFunctionConfigurations: ls}); err != nil {
		t.Fatalf("PutBucketNotificationConfiguration: %v", err)
	}
}

// outboxLen counts undelivered events.
func outboxLen(t *testing.T, svc *Service) int {
	t.Helper()
	it, err := svc.meta.Iter([]byte(famOutbox), kv.PrefixEnd([]byte(famOutbox)))
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	n := 0
	for ok := it.First(); ok; ok = it.Next() {
		n++
	}
	return n
}

// eventOf decodes the one record of a delivered event.
func eventOf(t *testing.T, d delivery) eventRecord {
	t.Helper()
	var ev s3Event
	if err := json.Unmarshal(d.event, &ev); err != nil || len(ev.Records) != 1 {
		t.Fatalf("event %s: %v", d.event, err)
	}
	return ev.Records[0]
}

func TestNotificationEvents(t *testing.T) {
	n := newFakeNotifier(0)
	e := newNotifyEnv(t, t.TempDir(), n, nil)
	e.mkBucket(t, "bkt")
	e.mustNotify(t, "bkt",
		lambdaCfg("created", fnA, []string{"s3:ObjectCreated:*"}, "in/", ".csv"),
		lambdaCfg("removed", fnB, []string{"s3:ObjectRemoved:*"}, "in/", ""))
	ctx := t.Context()
	e.put(t, "bkt", "in/a.txt", []byte("no match: suffix"))
	e.put(t, "bkt", "out/a.csv", []byte("no match: prefix"))
	e.put(t, "bkt", "in/a b.csv", []byte("hello"))
	if _, err := e.client.CopyObject(ctx, &s3.CopyObjectInput{Bucket: aws.String("bkt"), Key: aws.String("in/c.csv"),
		CopySource: aws.String("bkt/in/a.txt")}); err != nil {
		t.Fatal(err)
	}
	up, err := e.client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("bkt"), Key: aws.String("in/m.csv")})
	if err != nil {
		t.Fatal(err)
	}
	part, err := e.client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("bkt"), Key: aws.String("in/m.csv"),
		UploadId: up.UploadId, PartNumber: aws.Int32(1), Body: bytes.NewReader([]byte("part one"))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("bkt"),
		Key: aws.String("in/m.csv"), UploadId: up.UploadId, MultipartUpload: &types.CompletedMultipartUpload{
			Parts: []types.CompletedPart{{ETag: part.ETag, PartNumber: aws.Int32(1)}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("bkt"), Key: aws.String("in/a b.csv")}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("bkt"), Key: aws.String("in/never")}); err != nil {
		t.Fatal(err) // nothing removed: no event
	}
	if _, err := e.client.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("bkt"), Delete: &types.Delete{
		Objects: []types.ObjectIdentifier{{Key: aws.String("in/c.csv")}, {Key: aws.String("out/a.csv")}}}}); err != nil {
		t.Fatal(err)
	}
	e.put(t, "bkt", "in/last.csv", []byte("x"))
	want := []struct{ fn, name, key, config string }{
		{fnA, "ObjectCreated:Put", "in/a+b.csv", "created"},
		{fnA, "ObjectCreated:Copy", "in/c.csv", "created"},
		{fnA, "ObjectCreated:CompleteMultipartUpload", "in/m.csv", "created"},
		{fnB, "ObjectRemoved:Delete", "in/a+b.csv", "removed"},
		{fnB, "ObjectRemoved:Delete", "in/c.csv", "removed"},
		{fnA, "ObjectCreated:Put", "in/last.csv", "created"},
	}
	for i, w := range want {
		d := n.next(t)
		r := eventOf(t, d)
		if d.fn != w.fn || r.EventName != w.name || r.S3.Object.Key != w.key || r.S3.ConfigurationID != w.config {
			t.Errorf("event %d = %s %s %s %s, want %+v", i, d.fn, r.EventName, r.S3.Object.Key, r.S3.ConfigurationID, w)
		}
		created := strings.HasPrefix(r.EventName, "ObjectCreated:")
		if created != (r.S3.Object.Size != nil && r.S3.Object.ETag != "") {
			t.Errorf("event %d: size/eTag %v/%q", i, r.S3.Object.Size, r.S3.Object.ETag)
		}
	}
}

// The event document is S3's, field for field (testdata golden file; the
// request id and sequencer vary and are masked). -rewrite regenerates it.
func TestNotificationEventJSON(t *testing.T) {
	n := newFakeNotifier(0)
	at := time.Date(2026, 3, 4, 5, 6, 7, 891_000_000, time.UTC)
	e := newNotifyEnv(t, t.TempDir(), n, func(o *Options) { o.Now = func() time.Time { return at } })
	e.mkBucket(t, "bkt")
	e.mustNotify(t, "bkt", lambdaCfg("lake", fnA, []string{"s3:ObjectCreated:Put", "s3:ObjectRemoved:*"}, "dt=", ""))
	e.put(t, "bkt", "dt=2026-03-04/red flower.csv", []byte("hello"))
	if _, err := e.client.DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String("bkt"),
		Key: aws.String("dt=2026-03-04/red flower.csv")}); err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	var seqs []string
	for range 2 {
		d := n.next(t)
		seqs = append(seqs, eventOf(t, d).S3.Object.Sequencer)
		if err := json.Indent(&got, d.event, "", "  "); err != nil {
			t.Fatal(err)
		}
		got.WriteString("\n")
	}
	if !regexp.MustCompile(`^[0-9A-F]{16}$`).MatchString(seqs[0]) || seqs[1] <= seqs[0] {
		t.Errorf("sequencers %q: want increasing hex", seqs)
	}
	masked := regexp.MustCompile(`("x-amz-request-id"|"x-amz-id-2"|"sequencer"): "[^"]*"`).
		ReplaceAll(got.Bytes(), []byte(`$1: "..."`))
	path := filepath.Join("testdata", "notification_event.json")
	if rewriteFlag() {
		if err := os.WriteFile(path, masked, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(masked, want) {
		t.Errorf("event JSON:\n%s\nwant:\n%s", masked, want)
	}
}

// A failed delivery is retried until it succeeds (at least once).
func TestNotificationRedelivery(t *testing.T) {
	n := newFakeNotifier(2)
	e := newNotifyEnv(t, t.TempDir(), n, nil)
	e.mkBucket(t, "bkt")
	e.mustNotify(t, "bkt", lambdaCfg("a", fnA, []string{"s3:ObjectCreated:*"}, "", ""))
	e.put(t, "bkt", "k", []byte("v"))
	if r := eventOf(t, n.next(t)); r.S3.Object.Key != "k" {
		t.Fatalf("got %+v", r)
	}
	if c := n.callCount(); c != 3 {
		t.Errorf("Deliver called %d times, want 3 (two failures, one success)", c)
	}
	e.svc.Stop(t.Context()) // the relay has deleted the delivered entry
	if l := outboxLen(t, e.svc); l != 0 {
		t.Errorf("outbox holds %d entries after delivery", l)
	}
}

// Undelivered events survive a restart and are delivered after it.
func TestNotificationOutboxRestart(t *testing.T) {
	dir := t.TempDir()
	down := newFakeNotifier(1 << 30) // the function never accepts
	svc, closeDB := openService(t, dir, func(o *Options) { o.Notifier = down })
	srv := httptest.NewServer(testAuth(svc.Handler()))
	e := &testEnv{svc: svc, srv: srv, client: sdkClient(srv.URL, true, nil), db: svc.db}
	e.mkBucket(t, "bkt")
	e.mustNotify(t, "bkt", lambdaCfg("a", fnA, []string{"s3:ObjectCreated:*"}, "", ""))
	e.put(t, "bkt", "one", []byte("1"))
	e.put(t, "bkt", "two", []byte("2"))
	srv.Close()
	if err := svc.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	if l := outboxLen(t, svc); l != 2 {
		t.Fatalf("outbox holds %d entries, want 2", l)
	}
	closeDB()

	up := newFakeNotifier(0)
	newNotifyEnv(t, dir, up, nil)
	for _, want := range []string{"one", "two"} {
		if r := eventOf(t, up.next(t)); r.S3.Object.Key != want {
			t.Errorf("after restart got %q, want %q", r.S3.Object.Key, want)
		}
	}
}

// An object write whose batch fails (or whose condition fails) leaves no
// event in the outbox.
func TestNotificationFailedWriteNoEvent(t *testing.T) {
	n := newFakeNotifier(1 << 30) // keep everything in the outbox
	e := newNotifyEnv(t, t.TempDir(), n, nil)
	e.mkBucket(t, "bkt")
	e.mustNotify(t, "bkt", lambdaCfg("a", fnA, []string{"s3:ObjectCreated:*"}, "", ""))
	m, err := e.svc.storeBody(t.Context(), nil, strings.NewReader("v"), 1, &bodyCheck{Algo: defaultChecksum})
	if err != nil {
		t.Fatal(err)
	}
	boom := errors.New("batch refused")
	err = e.svc.commitObject(t.Context(), objectWrite{bucket: "bkt", key: "k", meta: m,
		also: func(*kv.Batch) error { return boom }})
	if !errors.Is(err, boom) {
		t.Fatalf("commit: %v", err)
	}
	e.svc.deleteBlobs(t.Context(), m.Segments)
	if _, err := e.svc.object("bkt", "k"); !errors.Is(err, ErrNoSuchKey) {
		t.Fatalf("object written: %v", err)
	}
	e.put(t, "bkt", "k", []byte("v"))
	_, err = e.client.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("bkt"), Key: aws.String("k"),
		Body: strings.NewReader("w"), IfNoneMatch: aws.String("*")})
	wantErr(t, err, "PreconditionFailed", 412)
	e.svc.Stop(t.Context())
	if l := outboxLen(t, e.svc); l != 1 {
		t.Errorf("outbox holds %d entries, want 1 (the one successful put)", l)
	}
}

// An event for a function that no longer exists is dropped; later events
// still flow.
func TestNotificationDestinationGone(t *testing.T) {
	n := newFakeNotifier(0)
	n.gone = map[string]bool{fnB: true}
	e := newNotifyEnv(t, t.TempDir(), n, nil)
	e.mkBucket(t, "bkt")
	e.mustNotify(t, "bkt", lambdaCfg("a", fnA, []string{"s3:ObjectCreated:*"}, "a/", ""),
		lambdaCfg("b", fnB, []string{"s3:ObjectCreated:*"}, "b/", ""))
	e.put(t, "bkt", "b/1", []byte("x"))
	e.put(t, "bkt", "a/2", []byte("y"))
	if d := n.next(t); d.fn != fnA || eventOf(t, d).S3.Object.Key != "a/2" {
		t.Fatalf("got %s %s", d.fn, d.event)
	}
	e.svc.Stop(t.Context())
	if l := outboxLen(t, e.svc); l != 0 {
		t.Errorf("outbox holds %d entries", l)
	}
}

// A failing function keeps its events (for retry) without holding up
// another function's.
func TestNotificationFailingFunctionIsolated(t *testing.T) {
	n := newFakeNotifier(0)
	n.down = map[string]bool{fnB: true}
	e := newNotifyEnv(t, t.TempDir(), n, nil)
	e.mkBucket(t, "bkt")
	e.mustNotify(t, "bkt", lambdaCfg("a", fnA, []string{"s3:ObjectCreated:*"}, "a/", ""),
		lambdaCfg("b", fnB, []string{"s3:ObjectCreated:*"}, "b/", ""))
	e.put(t, "bkt", "b/1", []byte("x"))
	e.put(t, "bkt", "a/2", []byte("y"))
	e.put(t, "bkt", "a/3", []byte("z"))
	for _, want := range []string{"a/2", "a/3"} {
		if d := n.next(t); d.fn != fnA || eventOf(t, d).S3.Object.Key != want {
			t.Fatalf("got %s %s, want %s", d.fn, d.event, want)
		}
	}
	e.svc.Stop(t.Context())
	if l := outboxLen(t, e.svc); l != 1 {
		t.Errorf("outbox holds %d entries, want 1 (b/1, kept for retry)", l)
	}
}

// A write by another service of the process (PutObjectInternal, e.g.
// Firehose) fires ObjectCreated:Put like a PutObject.
func TestNotificationInternalPut(t *testing.T) {
	n := newFakeNotifier(0)
	e := newNotifyEnv(t, t.TempDir(), n, nil)
	e.mkBucket(t, "bkt")
	e.mustNotify(t, "bkt", lambdaCfg("a", fnA, []string{"s3:ObjectCreated:Put"}, "", ""))
	if err := e.svc.PutObjectInternal(context.Background(), "bkt", "fh/1.json", strings.NewReader("{}"), 2, ""); err != nil {
		t.Fatal(err)
	}
	r := eventOf(t, n.next(t))
	if r.EventName != "ObjectCreated:Put" || r.S3.Object.Key != "fh/1.json" || r.ResponseElements.RequestID == "" ||
		r.RequestParameters.SourceIP != "127.0.0.1" || r.UserIdentity.PrincipalID != accountID {
		t.Errorf("got %+v", r)
	}
}
