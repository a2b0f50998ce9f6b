package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tarnhq/tarn/internal/config"
)

func runCLI(t *testing.T, env map[string]string, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	err := run(context.Background(), args, func(k string) string { return env[k] }, &out, &errOut)
	return out.String(), errOut.String(), err
}

func TestHelpAndVersion(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, args := range [][]string{{"help"}, {"-h"}, {"--help"}} {
		out, _, err := runCLI(t, nil, args...)
		if err != nil || !strings.Contains(out, "Commands:") || !strings.Contains(out, "Examples:") {
			t.Errorf("%v: %v\n%s", args, err, out)
		}
	}
	for _, name := range []string{"serve", "demo", "bench", "env", "version"} {
		out, _, err := runCLI(t, nil, "help", name)
		if err != nil || !strings.Contains(out, "Usage: tarn "+name) || !strings.Contains(out, "Example") {
			t.Errorf("help %s: %v\n%s", name, err, out)
		}
		_, errOut, err := runCLI(t, nil, name, "-h")
		if err != nil || !strings.Contains(errOut, "Usage: tarn "+name) {
			t.Errorf("%s -h: %v\n%s", name, err, errOut)
		}
	}
	out, _, err := runCLI(t, nil, "version")
	if err != nil || !strings.HasPrefix(out, "tarn ") {
		t.Errorf("version: %v %q", err, out)
	}
	if _, _, err := runCLI(t, nil, "bogus"); err != errUsage {
		t.Errorf("unknown command: %v", err)
	}
	if _, _, err := runCLI(t, nil); err != errUsage {
		t.Errorf("no command: %v", err)
	}
}

func TestEnv(t *testing.T) {
	t.Chdir(t.TempDir())
	out, _, err := runCLI(t, map[string]string{"TARN_REGION": "eu-west-1"}, "env", "--addr", "0.0.0.0:4600")
	if err == nil {
		t.Fatalf("env on 0.0.0.0 with default keys should be refused, got:\n%s", out)
	}
	out, _, err = runCLI(t, map[string]string{"TARN_REGION": "eu-west-1"}, "env", "--addr", "127.0.0.1:4600")
	if err != nil {
		t.Fatal(err)
	}
	want := "export AWS_ENDPOINT_URL=http://127.0.0.1:4600\nexport AWS_ACCESS_KEY_ID=test\nexport AWS_SECRET_ACCESS_KEY=test\nexport AWS_DEFAULT_REGION=eu-west-1\nexport AWS_REGION=eu-west-1\n"
	if out != want {
		t.Errorf("got\n%s\nwant\n%s", out, want)
	}
	if got := shellQuote("a'b c"); got != `'a'\''b c'` {
		t.Errorf("shellQuote = %s", got)
	}
}

func TestServeRefusesPublicAddrWithDefaultKeys(t *testing.T) {
	t.Chdir(t.TempDir())
	_, _, err := runCLI(t, nil, "serve", "--addr", "0.0.0.0:0", "--data", t.TempDir())
	if err == nil || !strings.Contains(err.Error(), "refusing") {
		t.Errorf("got %v", err)
	}
}

// readyWriter collects serve's JSON log and reports the endpoint of its
// "tarn ready" line.
type readyWriter struct {
	mu       sync.Mutex
	buf      bytes.Buffer
	endpoint chan string
}

func (w *readyWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, line := range strings.Split(string(p), "\n") {
		var rec struct{ Msg, Endpoint string }
		if json.Unmarshal([]byte(line), &rec) == nil && rec.Msg == "tarn ready" {
			w.endpoint <- rec.Endpoint
		}
	}
	return w.buf.Write(p)
}

func (w *readyWriter) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.buf.String()
}

func TestServeStopsOnCancel(t *testing.T) {
	t.Chdir(t.TempDir())
	ctx, cancel := context.WithCancel(context.Background())
	logs := &readyWriter{endpoint: make(chan string, 1)}
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--addr", "127.0.0.1:0", "--pg-addr", "127.0.0.1:0", "--data", t.TempDir(), "--log-format", "json", "--log-level", "debug"},
			func(string) string { return "" }, io.Discard, logs)
	}()
	var endpoint string
	select {
	case endpoint = <-logs.endpoint:
	case err := <-done:
		t.Fatalf("serve exited: %v\n%s", err, logs.String())
	}
	// An upload in flight when the stop signal arrives must still finish.
	client := newLakeClient(endpoint, config.Default()).s3
	if _, err := client.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String("shutdown")}); err != nil {
		t.Fatal(err)
	}
	pre, err := s3.NewPresignClient(client).PresignPutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("shutdown"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	pr, pw := io.Pipe()
	req, _ := http.NewRequest(http.MethodPut, pre.URL, pr)
	req.ContentLength = 64 << 20
	put := make(chan error, 1)
	go func() {
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != 200 {
				err = fmt.Errorf("status %d: %s", resp.StatusCode, body)
			}
		}
		put <- err
	}()
	// More than the kernel's socket buffers hold: once these writes return,
	// the server is reading the body, so the request is in flight.
	half := make([]byte, 32<<20)
	pw.Write(half)
	cancel()
	pw.Write(half)
	pw.Close()
	if err := <-put; err != nil {
		t.Errorf("in-flight PUT failed during shutdown: %v\n%s", err, logs.String())
	}
	if err := <-done; err != nil {
		t.Fatalf("serve: %v", err)
	}
	if !strings.Contains(logs.String(), "tarn stopped") {
		t.Errorf("no clean stop in log:\n%s", logs.String())
	}
}

// TestMain lets the test binary serve the demo's Lambda functions: their
// bootstrap runs os.Executable() demo-handler NAME, which in a test is
// this binary.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == demoHandlerCommand {
		if err := runDemoHandler(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

func TestDemoSmall(t *testing.T) {
	t.Chdir(t.TempDir())
	out, _, err := runCLI(t, nil, "demo", "--rows", "3000", "--rows-per-file", "400")
	if err != nil {
		t.Fatalf("demo: %v\n%s", err, out)
	}
	for _, want := range []string{"s3://shop-raw", "clickstream", "orders", "3000", "Stages:",
		"Streaming: Kinesis shop-clickstream (4 shards) -> Firehose shop-clickstream-to-lake -> s3://shop-raw/stream/clickstream/",
		"records in   3000 clickstream events, 6 PutRecords calls", "records/s put", "7 dt= partitions, each event exactly once",
		"from the first put to the last record readable", "stream-put", "delivery",
		"Real time: Kinesis shop-clickstream -> Lambda shop-enrich", "applied      3000 records",
		"Functions (Lambda, provided.al2023 runtime", "0 errors", "applied the demo stack: 1 bucket, 1 stream, 4 tables",
		"Batch: Glue SQL jobs shop-clickstream-silver -> shop-daily-gold", "the bookmarked silver and gold runs read only its files",
		"shop.daily_funnel 7 days", "cohort_retention (users first seen on a day", "Dashboard \"Shop decisions\" (shop-decisions): 7 tiles", "views equal the sample's product_view counts",
		"most viewed", "(Parquet with the columns of the Glue table shop.clickstream_live)",
		"Analytics: Glue crawler shop-raw-crawler -> database shop (2 tables, 12 partitions",
		"conversion funnel", "revenue by category", "CTAS shop.daily_sales",
		"Warehouse: COPY s3://shop-raw/curated/daily_sales/ -> daily_sales", "share_pct"} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}
