package ui_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tarnhq/tarn/internal/kv"
	"github.com/tarnhq/tarn/internal/tarntest"
	"github.com/tarnhq/tarn/internal/ui"
)

// SQL sent from the console is an Athena query like any other: it runs
// in Athena's sandbox, so a query that reads a host file fails, and the
// lake is reachable only through tables.
func TestConsoleSQLRunsInAthenasSandbox(t *testing.T) {
	env := tarntest.Start(t)
	if _, err := env.S3().CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String("results")}); err != nil {
		t.Fatal(err)
	}
	target, _ := url.Parse(env.Endpoint)
	db, err := kv.Open(t.TempDir(), kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc, err := ui.New(ui.Options{Upstream: httputil.NewSingleHostReverseProxy(target), Meta: db.Space("ui/"),
		Secret: func(ak string) (string, bool) { return env.Config.SecretKey, ak == env.Config.AccessKey }})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc.Handler())
	defer srv.Close()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.PostForm(srv.URL+"/_tarn/ui/api/signin", url.Values{"access_key": {env.Config.AccessKey}, "secret_key": {env.Config.SecretKey}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %v %v", resp, err)
	}
	resp.Body.Close()
	var sess struct{ CSRF string }
	if resp, err = c.Get(srv.URL + "/_tarn/ui/api/session"); err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp.Body).Decode(&sess)
	resp.Body.Close()
	athena := func(op string, in map[string]any) map[string]any {
		t.Helper()
		b, _ := json.Marshal(in)
		pr, _ := json.Marshal(map[string]any{"method": "POST", "path": "/", "body": string(b),
			"headers": map[string]string{"X-Amz-Target": "AmazonAthena." + op, "Content-Type": "application/x-amz-json-1.1"}})
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/_tarn/ui/api/aws/athena", bytes.NewReader(pr))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set(ui.CSRFHeader, sess.CSRF)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var out struct {
			Status int    `json:"status"`
			Body   string `json:"body"`
		}
		json.NewDecoder(resp.Body).Decode(&out)
		if resp.StatusCode != 200 || out.Status != 200 {
			t.Fatalf("%s: %d %d %s", op, resp.StatusCode, out.Status, out.Body)
		}
		var m map[string]any
		json.Unmarshal([]byte(out.Body), &m)
		return m
	}
	for _, q := range []string{"SELECT * FROM read_csv('/etc/passwd')", "SELECT * FROM read_text('/etc/hostname')"} {
		id := athena("StartQueryExecution", map[string]any{"QueryString": q,
			"ResultConfiguration": map[string]string{"OutputLocation": "s3://results/"}})["QueryExecutionId"]
		var st map[string]any
		for end := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			st = athena("GetQueryExecution", map[string]any{"QueryExecutionId": id})["QueryExecution"].(map[string]any)["Status"].(map[string]any)
			if st["State"] != "QUEUED" && st["State"] != "RUNNING" {
				break
			}
			if time.Now().After(end) {
				t.Fatalf("%s: still %v", q, st["State"])
			}
		}
		t.Logf("%s: %v %v", q, st["State"], st["StateChangeReason"])
		if st["State"] != "FAILED" || strings.Contains(st["StateChangeReason"].(string), "root:") {
			t.Fatalf("%s from the console: %v", q, st)
		}
	}
}
