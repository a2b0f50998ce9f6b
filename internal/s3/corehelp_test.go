package s3

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awshttp "github.com/aws/aws-sdk-go-v2/aws/transport/http"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go"

	"github.com/tarnhq/tarn/internal/blob/fsblob"
	"github.com/tarnhq/tarn/internal/kv"
)

// Helpers for the bucket and object tests (the core half of the package).

// newEnvTB is newTestEnv for benchmarks too; durable turns fsync on in
// both Pebble and the blob store, as tarn runs by default.
func newEnvTB(tb testing.TB, durable bool) *testEnv {
	tb.Helper()
	dir := tb.TempDir()
	db, err := kv.Open(filepath.Join(dir, "meta"), kv.Options{NoSync: !durable})
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { db.Close() })
	blobs, err := fsblob.New(fsblob.Options{Dir: filepath.Join(dir, "lake"), NoSync: !durable})
	if err != nil {
		tb.Fatal(err)
	}
	svc, err := New(Options{DB: db, Meta: db.Space("s3/"), Blobs: blobs})
	if err != nil {
		tb.Fatal(err)
	}
	if err := svc.Start(context.Background()); err != nil {
		tb.Fatal(err)
	}
	srv := httptest.NewServer(testAuth(svc.Handler()))
	tb.Cleanup(srv.Close)
	return &testEnv{svc: svc, srv: srv, client: sdkClient(srv.URL, true, nil), db: db}
}

func sdkClient(endpoint string, pathStyle bool, hc *http.Client) *s3.Client {
	o := s3.Options{
		Region:                     "us-east-1",
		BaseEndpoint:               aws.String(endpoint),
		UsePathStyle:               pathStyle,
		Credentials:                credentials.NewStaticCredentialsProvider("test", "test", ""),
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
	}
	if hc != nil {
		o.HTTPClient = hc
	}
	return s3.New(o)
}

// vhostClient addresses buckets as "<bucket>.localhost:PORT" and dials
// the test server whatever the host name.
func (e *testEnv) vhostClient() *s3.Client {
	addr := e.srv.Listener.Addr().String()
	_, port, _ := net.SplitHostPort(addr)
	tr := &http.Transport{DialContext: func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}}
	return sdkClient("http://localhost:"+port, false, &http.Client{Transport: tr})
}

func (e *testEnv) mkBucket(t testing.TB, name string) {
	t.Helper()
	if _, err := e.client.CreateBucket(context.Background(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatalf("CreateBucket %s: %v", name, err)
	}
}

func (e *testEnv) put(t testing.TB, bucket, key string, body []byte, opts ...func(*s3.PutObjectInput)) *s3.PutObjectOutput {
	t.Helper()
	in := &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key), Body: bytes.NewReader(body)}
	for _, o := range opts {
		o(in)
	}
	out, err := e.client.PutObject(context.Background(), in)
	if err != nil {
		t.Fatalf("PutObject %s/%s: %v", bucket, key, err)
	}
	return out
}

// get returns the whole body of bucket/key.
func (e *testEnv) get(t testing.TB, bucket, key string) []byte {
	t.Helper()
	out, err := e.client.GetObject(context.Background(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("GetObject %s/%s: %v", bucket, key, err)
	}
	defer out.Body.Close()
	b, err := io.ReadAll(out.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// apiErr returns the S3 error code and HTTP status of an SDK error
// ("" and 0 for nil).
func apiErr(err error) (string, int) {
	if err == nil {
		return "", 0
	}
	code, status := "", 0
	var ae smithy.APIError
	if errors.As(err, &ae) {
		code = ae.ErrorCode()
	}
	var re *awshttp.ResponseError
	if errors.As(err, &re) {
		status = re.HTTPStatusCode()
	}
	return code, status
}

// sdkCode is the S3 error code of an SDK error ("" for nil).
func sdkCode(err error) string {
	code, _ := apiErr(err)
	return code
}

func wantErr(t testing.TB, err error, code string, status int) {
	t.Helper()
	gotCode, gotStatus := apiErr(err)
	if gotCode != code || gotStatus != status {
		t.Fatalf("err = %v: got %q/%d, want %q/%d", err, gotCode, gotStatus, code, status)
	}
}

// send sends a request the SDK would not (or whose headers it hides). The
// Authorization header makes the test harness treat it as signed.
func (e *testEnv) send(t testing.TB, method, path string, body []byte, hdr map[string]string) (*http.Response, []byte) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, e.srv.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20250101/us-east-1/s3/aws4_request")
	for k, v := range hdr {
		if strings.EqualFold(k, "Content-Length") {
			continue
		}
		req.Header.Set(k, v)
	}
	resp, err := e.srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

// errCode extracts <Code> from an S3 XML error body.
func errCode(body []byte) string {
	s := string(body)
	i := strings.Index(s, "<Code>")
	j := strings.Index(s, "</Code>")
	if i < 0 || j < i {
		return ""
	}
	return s[i+len("<Code>") : j]
}
