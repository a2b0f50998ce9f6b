package ui

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/tarnhq/tarn/internal/sigv4"
)

// echoUpstream verifies each request's SigV4 signature as the platform
// does and answers what it saw as JSON (or the sigv4 error, 403).
func echoUpstream(t *testing.T) http.Handler {
	v := sigv4.New(sigv4.Options{Keys: map[string]string{"AKIDTEST": "s3cr3t"}})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth, err := v.Verify(r)
		if err != nil {
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, "sigv4: "+err.Error())
			return
		}
		body, err := io.ReadAll(r.Body)
		if err != nil {
			w.WriteHeader(http.StatusForbidden)
			io.WriteString(w, "body: "+err.Error())
			return
		}
		if r.URL.Path == "/binary" {
			w.Write([]byte{0xff, 0x00, 0xfe})
			return
		}
		svc, region, _ := sigv4.Scope(r)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Seen", "yes")
		w.WriteHeader(201)
		json.NewEncoder(w).Encode(map[string]any{"anonymous": auth.Anonymous, "access_key": auth.AccessKey, "service": svc,
			"region": region, "method": r.Method, "path": r.URL.Path, "query": r.URL.RawQuery, "body": string(body),
			"target": r.Header.Get("X-Amz-Target")})
	})
}

func proxy(t *testing.T, u *testUI, svc string, req map[string]any) (int, proxyResponse, string) {
	t.Helper()
	b, _ := json.Marshal(req)
	code, body, _ := u.do(t, "POST", "/_tarn/ui/api/aws/"+svc, string(b), true)
	var out proxyResponse
	json.Unmarshal([]byte(body), &out)
	return code, out, body
}

func TestProxySignsRequests(t *testing.T) {
	u := newTestUI(t, echoUpstream(t))
	u.signIn(t)
	cases := []struct {
		svc  string
		req  map[string]any
		want map[string]any
	}{
		{"dynamodb", map[string]any{"method": "POST", "path": "/", "headers": map[string]string{
			"X-Amz-Target": "DynamoDB_20120810.ListTables", "Content-Type": "application/x-amz-json-1.0"}, "body": `{}`},
			map[string]any{"service": "dynamodb", "target": "DynamoDB_20120810.ListTables", "body": "{}"}},
		{"s3", map[string]any{"method": "GET", "path": "/my-bucket", "query": map[string]string{"list-type": "2", "prefix": "a b/ü", "delimiter": "/"}},
			map[string]any{"service": "s3", "path": "/my-bucket", "query": "delimiter=%2F&list-type=2&prefix=a%20b%2F%C3%BC"}},
		{"s3", map[string]any{"method": "PUT", "path": "/my-bucket/dir/a key+x=1.json", "body": `{"a":1}`},
			map[string]any{"path": "/my-bucket/dir/a key+x=1.json", "body": `{"a":1}`, "method": "PUT"}},
		{"lambda", map[string]any{"method": "POST", "path": "/2015-03-31/functions/fn:live/invocations", "body": `{"x":1}`},
			map[string]any{"service": "lambda", "path": "/2015-03-31/functions/fn:live/invocations"}},
		{"redshift-data", map[string]any{"headers": map[string]string{"X-Amz-Target": "RedshiftData.ExecuteStatement"}, "body": `{"Sql":"select 1"}`},
			map[string]any{"service": "redshift-data", "method": "POST", "region": "us-east-1", "access_key": "AKIDTEST", "anonymous": false}},
	}
	for _, c := range cases {
		code, out, raw := proxy(t, u, c.svc, c.req)
		if code != 200 || out.Status != 201 {
			t.Errorf("%s %v: %d %s", c.svc, c.req, code, raw)
			continue
		}
		var seen map[string]any
		json.Unmarshal([]byte(out.Body), &seen)
		for k, v := range c.want {
			if seen[k] != v {
				t.Errorf("%s %v: upstream saw %s=%v, want %v", c.svc, c.req, k, seen[k], v)
			}
		}
		if out.Headers["X-Seen"] != "yes" {
			t.Errorf("response headers: %v", out.Headers)
		}
	}
	_, out, _ := proxy(t, u, "s3", map[string]any{"method": "GET", "path": "/binary"})
	if b, _ := base64.StdEncoding.DecodeString(out.BodyBase64); string(b) != "\xff\x00\xfe" || out.Body != "" {
		t.Errorf("binary body: %+v", out)
	}
}

func TestProxyRefuses(t *testing.T) {
	u := newTestUI(t, echoUpstream(t))
	u.signIn(t)
	for _, c := range []struct {
		svc string
		req map[string]any
	}{
		{"iam", map[string]any{"path": "/"}},
		{"kinesis", map[string]any{"path": "/", "headers": map[string]string{"X-Amz-Target": "Kinesis_20131202.SubscribeToShard"}}},
		{"sts", map[string]any{"path": "/"}},
		{"s3", map[string]any{"path": "/_tarn/health"}},
		{"s3", map[string]any{"path": "/x/../_tarn/ui/api/session"}},
		{"glue", map[string]any{"path": "//_tarn/health"}},
		{"s3", map[string]any{"path": "relative"}},
		{"s3", map[string]any{"method": "PATCH", "path": "/"}},
		{"s3", map[string]any{"path": "/", "headers": map[string]string{"Authorization": "x"}}},
		{"s3", map[string]any{"path": "/", "headers": map[string]string{"Host": "evil"}}},
		{"s3", map[string]any{"path": "/", "headers": map[string]string{"X-Amz-Date": "20200101T000000Z"}}},
	} {
		if code, _, raw := proxy(t, u, c.svc, c.req); code != http.StatusBadRequest {
			t.Errorf("%s %v: %d %s", c.svc, c.req, code, raw)
		}
	}
}

// A secret that no longer verifies (rotated key) makes the upstream refuse.
func TestProxyUsesCurrentSecret(t *testing.T) {
	u := newTestUI(t, echoUpstream(t))
	u.signIn(t)
	u.svc.secret = func(string) (string, bool) { return "rotated", true }
	_, out, raw := proxy(t, u, "s3", map[string]any{"path": "/"})
	if out.Status != http.StatusForbidden || !strings.Contains(out.Body, "SignatureDoesNotMatch") {
		t.Errorf("rotated secret: %s", raw)
	}
	u.svc.secret = func(string) (string, bool) { return "", false }
	if code, _, raw := proxy(t, u, "s3", map[string]any{"path": "/"}); code != http.StatusUnauthorized {
		t.Errorf("removed key: %d %s", code, raw)
	}
}

func TestDownload(t *testing.T) {
	u := newTestUI(t, echoUpstream(t))
	u.signIn(t)
	code, body, h := u.do(t, "GET", "/_tarn/ui/api/s3/object?bucket=b&key=dir/x.csv", "", false)
	if code != 201 || !strings.Contains(body, `"path":"/b/dir/x.csv"`) {
		t.Fatalf("download: %d %s", code, body)
	}
	if h.Get("Content-Security-Policy") != "sandbox" {
		t.Errorf("download headers: %v", h)
	}
}
