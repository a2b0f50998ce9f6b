package tarntest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func TestHealth(t *testing.T) {
	env := Start(t)
	resp, err := http.Get(env.Endpoint + "/_tarn/health")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var h struct {
		Version  string            `json:"version"`
		Uptime   float64           `json:"uptime_seconds"`
		Services map[string]string `json:"services"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	if h.Version != "test" || h.Services["s3"] != "running" || h.Services["firehose"] != "running" || h.Uptime <= 0 {
		t.Errorf("health = %+v", h)
	}
}

func TestMetricsCountRequests(t *testing.T) {
	env := Start(t)
	env.S3().ListBuckets(t.Context(), &s3.ListBucketsInput{})
	resp, err := http.Get(env.Endpoint + "/_tarn/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`tarn_requests_total{service="s3",operation="ListBuckets",code="200"} 1`,
		`tarn_request_duration_seconds_count{service="s3",operation="ListBuckets"} 1`,
		"tarn_uptime_seconds",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %q:\n%s", want, body)
		}
	}
}

// TestOtherServicesNotImplemented: APIs that have not landed answer an
// AWS-style error naming the operation, never a fake success.
func TestOtherServicesNotImplemented(t *testing.T) {
	env := Start(t)
	for _, c := range []struct{ service, target, op string }{
		{"glue", "AWSGlue.CreateSession", "CreateSession"}, // Glue interactive sessions
		{"sqs", "AmazonSQS.SendMessage", "AmazonSQS.SendMessage"},
	} {
		req, _ := http.NewRequest(http.MethodPost, env.Endpoint+"/", strings.NewReader("{}"))
		req.Header.Set("X-Amz-Target", c.target)
		req.Header.Set("Content-Type", "application/x-amz-json-1.1")
		signJSON(t, req, c.service)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 400 || !strings.Contains(string(body), "UnknownOperationException") || !strings.Contains(string(body), c.op) {
			t.Errorf("%s: %d %s", c.service, resp.StatusCode, body)
		}
	}
}
