package s3

import (
	"bufio"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// rawHTTP writes req verbatim on a fresh connection, half-closes it, and
// returns the response: for bodies and headers no HTTP client would send.
func rawHTTP(t *testing.T, env *testEnv, req string) (*http.Response, string) {
	t.Helper()
	conn, err := net.Dial("tcp", env.srv.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	if _, err := io.WriteString(conn, req); err != nil {
		t.Fatal(err)
	}
	conn.(*net.TCPConn).CloseWrite()
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func TestPutBodyFraming(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "wire")
	const auth = "Authorization: AWS4-HMAC-SHA256 x\r\n"
	tests := []struct {
		name, req string
		status    int
		code      string
	}{
		{"no length", "PUT /wire/k HTTP/1.1\r\nHost: x\r\n" + auth + "\r\n", 411, "MissingContentLength"},
		{"chunked transfer", "PUT /wire/k HTTP/1.1\r\nHost: x\r\n" + auth + "Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n", 501, "NotImplemented"},
		{"short body", "PUT /wire/k HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 10\r\n\r\nabc", 400, "IncompleteBody"},
		{"too large", "PUT /wire/k HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 5368709121\r\n\r\n", 400, "EntityTooLarge"},
		{"too large decoded", "PUT /wire/k HTTP/1.1\r\nHost: x\r\n" + auth + "x-amz-decoded-content-length: 5368709121\r\nContent-Length: 0\r\n\r\n", 400, "EntityTooLarge"},
		{"5 GiB is the limit", "PUT /wire/k HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 5368709120\r\n\r\nabc", 400, "IncompleteBody"},
		{"exact", "PUT /wire/k HTTP/1.1\r\nHost: x\r\n" + auth + "Content-Length: 3\r\n\r\nabc", 200, ""},
	}
	for _, tt := range tests {
		before := blobCount(t, env)
		resp, body := rawHTTP(t, env, tt.req)
		if resp.StatusCode != tt.status || errCode([]byte(body)) != tt.code {
			t.Errorf("%s: %d %s", tt.name, resp.StatusCode, body)
		}
		if tt.status != 200 && blobCount(t, env) != before {
			t.Errorf("%s: a refused PUT left a blob", tt.name)
		}
	}
	if got := env.get(t, "wire", "k"); string(got) != "abc" {
		t.Errorf("object = %q", got)
	}
}

func TestResponseHeaders(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "hdrs")
	resp, _ := env.send(t, "PUT", "/hdrs/k", []byte("abc"), map[string]string{
		"x-amz-meta-Camel": "v1", "x-amz-checksum-sha1": localChecksum("SHA1", []byte("abc")),
		"x-amz-website-redirect-location": "/elsewhere"})
	if resp.StatusCode != 200 || resp.Header.Get("ETag") != `"900150983cd24fb0d6963f7d28e17f72"` ||
		resp.Header.Get("x-amz-checksum-sha1") == "" || resp.Header.Get("x-amz-checksum-type") != "FULL_OBJECT" {
		t.Fatalf("PUT response: %d %v", resp.StatusCode, resp.Header)
	}
	resp, _ = env.send(t, "GET", "/hdrs/k", nil, map[string]string{"x-amz-checksum-mode": "ENABLED"})
	h := resp.Header
	checks := map[string]string{
		"Content-Length":                  "3",
		"Accept-Ranges":                   "bytes",
		"x-amz-meta-camel":                "v1",
		"x-amz-checksum-sha1":             localChecksum("SHA1", []byte("abc")),
		"x-amz-checksum-type":             "FULL_OBJECT",
		"x-amz-server-side-encryption":    "AES256",
		"x-amz-website-redirect-location": "/elsewhere",
	}
	for k, want := range checks {
		if got := h.Get(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if _, err := http.ParseTime(h.Get("Last-Modified")); err != nil {
		t.Errorf("Last-Modified %q: %v", h.Get("Last-Modified"), err)
	}
	if h.Get("x-amz-mp-parts-count") != "" || h.Get("x-amz-request-id") == "" {
		t.Errorf("parts count %q, request id %q", h.Get("x-amz-mp-parts-count"), h.Get("x-amz-request-id"))
	}
	// A range answers without the whole-object checksum.
	resp, _ = env.send(t, "GET", "/hdrs/k", nil, map[string]string{"x-amz-checksum-mode": "ENABLED", "Range": "bytes=0-0"})
	if resp.Header.Get("x-amz-checksum-sha1") != "" {
		t.Error("ranged GET carries the full-object checksum")
	}
}

func TestVirtualHostedStyle(t *testing.T) {
	env := newTestEnv(t)
	vc := env.vhostClient()
	ctx := t.Context()
	if _, err := vc.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("vhost")}); err != nil {
		t.Fatal(err)
	}
	if _, err := vc.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("vhost"), Key: aws.String("dir/file.txt"),
		Body: strings.NewReader("via host")}); err != nil {
		t.Fatal(err)
	}
	// Either addressing style reaches the same object.
	for name, c := range map[string]*s3.Client{"virtual": vc, "path": env.client} {
		g, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("vhost"), Key: aws.String("dir/file.txt")})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		b, _ := io.ReadAll(g.Body)
		g.Body.Close()
		if string(b) != "via host" {
			t.Errorf("%s: %q", name, b)
		}
	}
	if _, err := vc.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("vhost")}); err != nil {
		t.Fatal(err)
	}
	out, err := vc.ListBuckets(ctx, &s3.ListBucketsInput{})
	if err != nil || len(out.Buckets) != 1 {
		t.Fatalf("ListBuckets: %v %v", out, err)
	}
	if _, err := vc.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String("vhost"), Key: aws.String("dir/file.txt")}); err != nil {
		t.Fatal(err)
	}
	if _, err := vc.DeleteBucket(ctx, &s3.DeleteBucketInput{Bucket: aws.String("vhost")}); err != nil {
		t.Fatal(err)
	}
}
