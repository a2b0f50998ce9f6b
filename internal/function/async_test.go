package function

import (
	"context"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"

	"github.com/tarnhq/tarn/internal/kv"
)

// waitFor polls cond until it holds; the test's own deadline bounds it.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-t.Context().Done():
			t.Fatalf("gave up waiting for %s", what)
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func files(t *testing.T, dir string) int {
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return len(ents)
}

func TestEventInvoke(t *testing.T) {
	h := newHarnessOpts(t, Options{RetryDelay: time.Millisecond})
	h.goFunction(t, "ev", 3)
	ok, fail := t.TempDir(), t.TempDir()
	out, err := h.client.Invoke(t.Context(), &lambda.InvokeInput{FunctionName: aws.String("ev"),
		InvocationType: types.InvocationTypeEvent, Payload: []byte(`{"mode":"record","dir":"` + ok + `"}`)})
	if err != nil || out.StatusCode != 202 {
		t.Fatalf("event: %v %+v", err, out)
	}
	if _, err := h.client.Invoke(t.Context(), &lambda.InvokeInput{FunctionName: aws.String("ev"),
		InvocationType: types.InvocationTypeEvent, Payload: []byte(`{"mode":"record","n":1,"dir":"` + fail + `"}`)}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the successful event", func() bool { return files(t, ok) == 1 })
	// A failing event is tried three times (two retries), then dropped.
	waitFor(t, "three attempts", func() bool { return files(t, fail) == 3 })
	waitFor(t, "an empty queue", func() bool { return len(h.svc.dueEntries(map[string]bool{})) == 0 })
	if n := files(t, ok); n != 1 {
		t.Fatalf("successful event ran %d times", n)
	}
	if n := files(t, fail); n != 3 {
		t.Fatalf("failing event ran %d times, want 3", n)
	}
	reports := 0
	for _, e := range h.svc.Logs("", "ev") {
		if strings.HasPrefix(e.Message, "REPORT ") {
			reports++
		}
	}
	if reports != 4 {
		t.Fatalf("%d REPORT lines, want 4", reports)
	}
}

// TestEventSurvivesRestart queues an event on a service whose worker never
// runs, then starts a second service on the same Meta and data directory:
// it must run the queued event.
func TestEventSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	db, err := kv.Open(dir+"/meta", kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	opts := Options{Meta: db.Space("lambda/"), DataDir: dir, RetryDelay: time.Millisecond}
	svc1, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc1.Handler()) // not Started: no queue worker
	h := &harness{svc: svc1, client: lambda.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})}
	h.goFunction(t, "later", 3)
	out := t.TempDir()
	if _, err := h.client.Invoke(t.Context(), &lambda.InvokeInput{FunctionName: aws.String("later"),
		InvocationType: types.InvocationTypeEvent, Payload: []byte(`{"mode":"record","dir":"` + out + `"}`)}); err != nil {
		t.Fatal(err)
	}
	srv.Close()
	svc1.Stop(t.Context())
	if n := files(t, out); n != 0 {
		t.Fatalf("ran before restart: %d", n)
	}
	svc2, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc2.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	defer svc2.Stop(context.Background())
	waitFor(t, "the queued event after restart", func() bool { return files(t, out) == 1 })
}

func TestEventInvokeConfig(t *testing.T) {
	h := newHarnessOpts(t, Options{RetryDelay: time.Millisecond})
	h.goFunction(t, "cfg", 3)
	c := h.client
	put, err := c.PutFunctionEventInvokeConfig(t.Context(), &lambda.PutFunctionEventInvokeConfigInput{FunctionName: aws.String("cfg"),
		MaximumRetryAttempts: aws.Int32(0)})
	if err != nil || *put.MaximumRetryAttempts != 0 || *put.FunctionArn != "arn:aws:lambda:us-east-1:000000000000:function:cfg:$LATEST" {
		t.Fatalf("put: %v %+v", err, put)
	}
	got, err := c.GetFunctionEventInvokeConfig(t.Context(), &lambda.GetFunctionEventInvokeConfigInput{FunctionName: aws.String("cfg")})
	if err != nil || *got.MaximumRetryAttempts != 0 || got.LastModified == nil {
		t.Fatalf("get: %v %+v", err, got)
	}
	fail := t.TempDir()
	if _, err := c.Invoke(t.Context(), &lambda.InvokeInput{FunctionName: aws.String("cfg"),
		InvocationType: types.InvocationTypeEvent, Payload: []byte(`{"mode":"record","n":1,"dir":"` + fail + `"}`)}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the attempt", func() bool { return files(t, fail) == 1 })
	waitFor(t, "an empty queue", func() bool { return len(h.svc.dueEntries(map[string]bool{})) == 0 })
	if n := files(t, fail); n != 1 {
		t.Fatalf("ran %d times with MaximumRetryAttempts 0", n)
	}
	if _, err := c.DeleteFunctionEventInvokeConfig(t.Context(), &lambda.DeleteFunctionEventInvokeConfigInput{FunctionName: aws.String("cfg")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetFunctionEventInvokeConfig(t.Context(), &lambda.GetFunctionEventInvokeConfigInput{FunctionName: aws.String("cfg")}); !isNotFound(err) {
		t.Fatalf("get deleted: %v", err)
	}
}
