package function

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmw "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/tarnhq/tarn/internal/kv"
)

var asyncKeyRE = regexp.MustCompile(`^aws/lambda/async/([a-z]+)/(\d{4})/(\d{2})/(\d{2})/(\d{4})-(\d{2})-(\d{2})T\d{2}\.\d{2}\.\d{2}-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func eventInvoke(t *testing.T, h *harness, fn, payload string) string {
	t.Helper()
	out, err := h.client.Invoke(t.Context(), &lambda.InvokeInput{FunctionName: aws.String(fn),
		InvocationType: types.InvocationTypeEvent, Payload: []byte(payload)})
	if err != nil || out.StatusCode != 202 {
		t.Fatalf("event invoke: %v %+v", err, out)
	}
	id, _ := awsmw.GetRequestIDMetadata(out.ResultMetadata)
	return id
}

func emptyQueue(t *testing.T, s *Service) {
	waitFor(t, "an empty queue", func() bool {
		it, err := s.meta.Iter([]byte("q/"), kv.PrefixEnd([]byte("q/")))
		if err != nil {
			return false
		}
		defer it.Close()
		return !it.First()
	})
}

func TestDestinationS3OnFailure(t *testing.T) {
	objs := newFakeObjects("dlq")
	h := newHarnessOpts(t, Options{RetryDelay: time.Millisecond, Objects: objs})
	h.goFunction(t, "bad", 3)
	if _, err := h.client.PutFunctionEventInvokeConfig(t.Context(), &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("bad"),
		MaximumRetryAttempts: aws.Int32(1), DestinationConfig: &types.DestinationConfig{
			OnFailure: &types.OnFailure{Destination: aws.String("arn:aws:s3:::dlq")}}}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	event := `{"mode":"record","n":1,"dir":"` + dir + `"}`
	id := eventInvoke(t, h, "bad", event)
	waitFor(t, "the record in S3", func() bool { return len(objs.list()) == 1 })
	emptyQueue(t, h.svc)
	if n := files(t, dir); n != 2 {
		t.Fatalf("%d attempts, want 1+MaximumRetryAttempts = 2", n)
	}
	k := objs.list()[0]
	body, ct := objs.get(k)
	m := asyncKeyRE.FindStringSubmatch(k[len("dlq/"):])
	if m == nil || m[1] != "bad" || m[2] != m[5] || m[3] != m[6] || m[4] != m[7] {
		t.Fatalf("object key %q does not follow aws/lambda/async/FUNCTION/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-UUID", k)
	}
	if ct != "application/json" {
		t.Fatalf("content type %q", ct)
	}
	var rec struct {
		Version        string `json:"version"`
		Timestamp      string `json:"timestamp"`
		RequestContext struct {
			RequestID              string `json:"requestId"`
			FunctionArn            string `json:"functionArn"`
			Condition              string `json:"condition"`
			ApproximateInvokeCount int    `json:"approximateInvokeCount"`
		} `json:"requestContext"`
		RequestPayload  map[string]any `json:"requestPayload"`
		ResponseContext struct {
			StatusCode      int    `json:"statusCode"`
			ExecutedVersion string `json:"executedVersion"`
			FunctionError   string `json:"functionError"`
		} `json:"responseContext"`
		ResponsePayload map[string]any `json:"responsePayload"`
	}
	if err := json.Unmarshal(body, &rec); err != nil {
		t.Fatalf("record %s: %v", body, err)
	}
	rc, resp := rec.RequestContext, rec.ResponseContext
	if rec.Version != "1.0" || rc.RequestID != id || rc.FunctionArn != "arn:aws:lambda:us-east-1:000000000000:function:bad:$LATEST" ||
		rc.Condition != "RetriesExhausted" || rc.ApproximateInvokeCount != 2 {
		t.Fatalf("record (request id %s): %s", id, body)
	}
	if _, err := time.Parse("2006-01-02T15:04:05.000Z", rec.Timestamp); err != nil {
		t.Fatalf("timestamp: %v", err)
	}
	if rec.RequestPayload["dir"] != dir || rec.RequestPayload["mode"] != "record" {
		t.Fatalf("requestPayload: %s", body)
	}
	if resp.StatusCode != 200 || resp.ExecutedVersion != "$LATEST" || resp.FunctionError != "Unhandled" ||
		rec.ResponsePayload["errorMessage"] != "record: failing as asked" {
		t.Fatalf("response: %s", body)
	}
	if n := h.svc.DestinationDeliveryFailures("", "bad"); n != 0 {
		t.Fatalf("%d delivery failures", n)
	}
}

func TestDestinationS3MissingBucket(t *testing.T) {
	objs := newFakeObjects()
	h := newHarnessOpts(t, Options{RetryDelay: time.Millisecond, Objects: objs})
	h.goFunction(t, "bad", 3)
	if _, err := h.client.PutFunctionEventInvokeConfig(t.Context(), &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("bad"),
		MaximumRetryAttempts: aws.Int32(0), DestinationConfig: &types.DestinationConfig{
			OnFailure: &types.OnFailure{Destination: aws.String("arn:aws:s3:::gone")}}}); err != nil {
		t.Fatal(err)
	}
	eventInvoke(t, h, "bad", `{"mode":"error"}`)
	waitFor(t, "a counted delivery failure", func() bool { return h.svc.DestinationDeliveryFailures("", "bad") == 1 })
	emptyQueue(t, h.svc)
	if n := len(objs.list()); n != 0 {
		t.Fatalf("%d objects", n)
	}
}

// receiver makes a python function that writes each event it gets to a
// file in the returned directory.
func receiver(t *testing.T, h *harness, name string) string {
	if _, err := interpreter("python3.12"); err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	code := "import json, os, uuid\n\ndef handler(event, context):\n    p = os.path.join(os.environ['OUT'], str(uuid.uuid4()))\n" +
		"    with open(p + '.tmp', 'w') as f:\n        json.dump(event, f)\n    os.rename(p + '.tmp', p + '.json')\n    return {}\n"
	h.create(t, &lambda.CreateFunctionInput{FunctionName: aws.String(name), Runtime: types.RuntimePython312,
		Handler: aws.String("app.handler"), Environment: &types.Environment{Variables: map[string]string{"OUT": dir}},
		Code: &types.FunctionCode{ZipFile: zipFiles(t, map[string][]byte{"app.py": []byte(code)}, 0o644)}})
	return dir
}

// received returns the events receiver wrote, by condition.
func received(t *testing.T, dir string) map[string]map[string]any {
	out := map[string]map[string]any{}
	ents, _ := filepath.Glob(filepath.Join(dir, "*.json"))
	for _, p := range ents {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		m := decodeMap(t, b)
		rc, _ := m["requestContext"].(map[string]any)
		c, _ := rc["condition"].(string)
		out[c] = m
	}
	return out
}

func TestDestinationLambda(t *testing.T) {
	h := newHarnessOpts(t, Options{RetryDelay: time.Millisecond})
	h.goFunction(t, "src", 3)
	dir := receiver(t, h, "rcv")
	rcv := "arn:aws:lambda:us-east-1:000000000000:function:rcv"
	if _, err := h.client.PutFunctionEventInvokeConfig(t.Context(), &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("src"),
		MaximumRetryAttempts: aws.Int32(2), DestinationConfig: &types.DestinationConfig{
			OnFailure: &types.OnFailure{Destination: aws.String(rcv)}, OnSuccess: &types.OnSuccess{Destination: aws.String(rcv)}}}); err != nil {
		t.Fatal(err)
	}
	okID := eventInvoke(t, h, "src", `{"mode":"echo","n":7}`)
	failDir := t.TempDir()
	failID := eventInvoke(t, h, "src", `{"mode":"record","n":1,"dir":"`+failDir+`"}`)
	waitFor(t, "two records at the receiver", func() bool { return len(received(t, dir)) == 2 })
	emptyQueue(t, h.svc)
	got := received(t, dir)
	ok, fail := got["Success"], got["RetriesExhausted"]
	if ok == nil || fail == nil {
		t.Fatalf("records: %v", got)
	}
	rc := ok["requestContext"].(map[string]any)
	if rc["requestId"] != okID || rc["approximateInvokeCount"] != 1.0 || ok["requestPayload"].(map[string]any)["n"] != 7.0 ||
		ok["responsePayload"].(map[string]any)["n"] != 7.0 || ok["responseContext"].(map[string]any)["statusCode"] != 200.0 {
		t.Fatalf("success record: %v", ok)
	}
	if _, has := ok["responseContext"].(map[string]any)["functionError"]; has {
		t.Fatalf("success record has a functionError: %v", ok)
	}
	rc = fail["requestContext"].(map[string]any)
	if rc["requestId"] != failID || rc["approximateInvokeCount"] != 3.0 || fail["responseContext"].(map[string]any)["functionError"] != "Unhandled" {
		t.Fatalf("failure record: %v", fail)
	}
	if n := files(t, failDir); n != 3 {
		t.Fatalf("%d attempts, want 3", n)
	}
}

// TestDestinationEventAgeExceeded fails an event once, then moves the
// clock past MaximumEventAgeInSeconds before its retry is due: the retry
// does not run and the record says EventAgeExceeded.
func TestDestinationEventAgeExceeded(t *testing.T) {
	var mu sync.Mutex
	now := time.Date(2026, 3, 4, 5, 6, 7, 0, time.UTC)
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	objs := newFakeObjects("dlq")
	h := newHarnessOpts(t, Options{RetryDelay: time.Hour, Objects: objs, Now: clock})
	h.goFunction(t, "old", 3)
	if _, err := h.client.PutFunctionEventInvokeConfig(t.Context(), &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("old"),
		MaximumEventAgeInSeconds: aws.Int32(60), DestinationConfig: &types.DestinationConfig{
			OnFailure: &types.OnFailure{Destination: aws.String("arn:aws:s3:::dlq")}}}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	eventInvoke(t, h, "old", `{"mode":"record","n":1,"dir":"`+dir+`"}`)
	waitFor(t, "the first attempt to be rescheduled", func() bool {
		it, err := h.svc.meta.Iter([]byte("q/"), kv.PrefixEnd([]byte("q/")))
		if err != nil {
			return false
		}
		defer it.Close()
		if !it.First() {
			return false
		}
		v, _ := it.Value()
		var q queued
		return json.Unmarshal(v, &q) == nil && q.Attempt == 1
	})
	mu.Lock()
	now = now.Add(2 * time.Hour)
	mu.Unlock()
	waitFor(t, "the record in S3", func() bool { return len(objs.list()) == 1 })
	emptyQueue(t, h.svc)
	if n := files(t, dir); n != 1 {
		t.Fatalf("%d attempts, want 1", n)
	}
	k := objs.list()[0]
	if m := asyncKeyRE.FindStringSubmatch(k[len("dlq/"):]); m == nil || m[2]+m[3]+m[4] != "20260304" {
		t.Fatalf("key %q", k)
	}
	body, _ := objs.get(k)
	m := decodeMap(t, body)
	rc := m["requestContext"].(map[string]any)
	if rc["condition"] != "EventAgeExceeded" || rc["approximateInvokeCount"] != 1.0 || m["timestamp"] != "2026-03-04T07:06:07.000Z" {
		t.Fatalf("record: %s", body)
	}
}

// blockingObjects holds every PutObject until its context ends.
type blockingObjects struct{ called chan struct{} }

func (b *blockingObjects) PutObject(ctx context.Context, bucket, key string, body []byte, contentType string) error {
	select {
	case b.called <- struct{}{}:
	default:
	}
	<-ctx.Done()
	return ctx.Err()
}

// TestDestinationSurvivesRestart stops the service while the record of a
// failed event is being delivered: a second service on the same Meta
// delivers it.
func TestDestinationSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	db, err := kv.Open(dir+"/meta", kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	block := &blockingObjects{called: make(chan struct{}, 1)}
	opts := Options{Meta: db.Space("lambda/"), DataDir: dir, RetryDelay: time.Millisecond, Objects: block}
	svc1, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc1.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc1.Handler())
	h := &harness{svc: svc1, client: lambda.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})}
	h.goFunction(t, "crashy", 3)
	if _, err := h.client.PutFunctionEventInvokeConfig(t.Context(), &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("crashy"),
		MaximumRetryAttempts: aws.Int32(0), DestinationConfig: &types.DestinationConfig{
			OnFailure: &types.OnFailure{Destination: aws.String("arn:aws:s3:::dlq")}}}); err != nil {
		t.Fatal(err)
	}
	id := eventInvoke(t, h, "crashy", `{"mode":"error"}`)
	select {
	case <-block.called:
	case <-t.Context().Done():
		t.Fatal("no delivery attempt")
	}
	srv.Close()
	svc1.Stop(t.Context())
	objs := newFakeObjects("dlq")
	opts.Objects = objs
	svc2, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc2.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer svc2.Stop(context.Background())
	waitFor(t, "the record after restart", func() bool { return len(objs.list()) == 1 })
	body, _ := objs.get(objs.list()[0])
	m := decodeMap(t, body)
	if rc := m["requestContext"].(map[string]any); rc["requestId"] != id || rc["condition"] != "RetriesExhausted" {
		t.Fatalf("record: %s", body)
	}
	emptyQueue(t, svc2)
}

// TestDestinationReservedZero: with reserved concurrency 0 an event goes
// to the on-failure destination at once, never run.
func TestDestinationReservedZero(t *testing.T) {
	objs := newFakeObjects("dlq")
	h := newHarnessOpts(t, Options{RetryDelay: time.Hour, Objects: objs})
	h.goFunction(t, "off", 3)
	if _, err := h.client.PutFunctionEventInvokeConfig(t.Context(), &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("off"),
		DestinationConfig: &types.DestinationConfig{OnFailure: &types.OnFailure{Destination: aws.String("arn:aws:s3:::dlq")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.PutFunctionConcurrency(t.Context(), &lambda.PutFunctionConcurrencyInput{FunctionName: aws.String("off"),
		ReservedConcurrentExecutions: aws.Int32(0)}); err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	eventInvoke(t, h, "off", `{"mode":"record","dir":"`+dir+`"}`)
	waitFor(t, "the record in S3", func() bool { return len(objs.list()) == 1 })
	emptyQueue(t, h.svc)
	body, _ := objs.get(objs.list()[0])
	m := decodeMap(t, body)
	if rc := m["requestContext"].(map[string]any); rc["approximateInvokeCount"] != 0.0 || m["responseContext"] != nil {
		t.Fatalf("record: %s", body)
	}
	if n := files(t, dir); n != 0 {
		t.Fatalf("ran %d times", n)
	}
}
