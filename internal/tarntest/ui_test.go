package tarntest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// The console on the platform's own listener: a Parquet object previews
// with its column types (on Athena's engine), a CSV one is refused as not
// previewable, and nothing answers without a session.
func TestConsolePreviewOnThePlatform(t *testing.T) {
	env := Start(t)
	ctx := t.Context()
	s3c, at := env.S3(), env.Athena()
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("lake")}); err != nil {
		t.Fatal(err)
	}
	out := "s3://lake/athena-results/"
	runQuery(t, at, "CREATE DATABASE IF NOT EXISTS shop", out)
	runQuery(t, at, "CREATE TABLE shop.pq WITH (format = 'PARQUET', external_location = 's3://lake/pq/') AS SELECT 1 AS id, 'a' AS name", out)
	objs, err := s3c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("lake"), Prefix: aws.String("pq/")})
	if err != nil || len(objs.Contents) != 1 {
		t.Fatalf("CTAS files: %v %v", objs, err)
	}
	preview := "/_tarn/ui/api/preview?bucket=lake&key="
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := c.Get(env.Endpoint + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get(preview + url.QueryEscape(*objs.Contents[0].Key)); code != http.StatusUnauthorized {
		t.Fatalf("preview without a session: %d", code)
	}
	resp, err := c.PostForm(env.Endpoint+"/_tarn/ui/api/signin", url.Values{"access_key": {"test"}, "secret_key": {"test"}})
	if err != nil || resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %v %v", resp, err)
	}
	resp.Body.Close()
	code, body := get(preview + url.QueryEscape(*objs.Contents[0].Key))
	var p struct {
		Columns, Types []string
		Rows           [][]any
	}
	if code != http.StatusOK || json.Unmarshal([]byte(body), &p) != nil || strings.Join(p.Columns, ",") != "id,name" ||
		len(p.Rows) != 1 || p.Types[1] != "varchar" {
		t.Fatalf("preview: %d %s", code, body)
	}
	if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("lake"), Key: aws.String("raw/a.csv"), Body: strings.NewReader("a,b\n")}); err != nil {
		t.Fatal(err)
	}
	if code, body := get(preview + "raw/a.csv"); code != http.StatusUnprocessableEntity {
		t.Fatalf("preview of a CSV object: %d %s", code, body)
	}
}

// The dashboards API for dashboards as code takes tarn's SigV4 signature
// and nothing else.
func TestDashboardsAPIIsSigned(t *testing.T) {
	env := Start(t)
	body := `{"name":"d","tiles":[{"id":"t","sql":"SELECT 1","chart":"kpi"}]}`
	put := func(signed bool) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPut, env.Endpoint+"/_tarn/api/dashboards/d", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if signed {
			signJSON(t, req, "tarn")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := put(false); code != http.StatusForbidden {
		t.Fatalf("unsigned PUT: %d", code)
	}
	if code := put(true); code != http.StatusOK {
		t.Fatalf("signed PUT: %d", code)
	}
	req, _ := http.NewRequest(http.MethodGet, env.Endpoint+"/_tarn/api/dashboards/d", strings.NewReader(""))
	signJSON(t, req, "tarn")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var d struct {
		Tiles []struct{ Engine string }
	}
	if json.NewDecoder(resp.Body).Decode(&d); resp.StatusCode != 200 || len(d.Tiles) != 1 || d.Tiles[0].Engine != "athena" {
		t.Fatalf("GET: %d %+v", resp.StatusCode, d)
	}
}
