package metrics

import (
	"strings"
	"testing"
	"time"
)

func TestWriteText(t *testing.T) {
	r := New()
	r.ObserveRequest("s3", "PutObject", 200, 3*time.Millisecond)
	r.ObserveRequest("s3", "PutObject", 200, 30*time.Millisecond)
	r.ObserveRequest("s3", "GetObject", 404, time.Millisecond)
	r.Gauge("tarn_uptime_seconds", "Seconds since start.", func() float64 { return 12.5 })
	var b strings.Builder
	if err := r.WriteText(&b); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, want := range []string{
		`tarn_requests_total{service="s3",operation="PutObject",code="200"} 2`,
		`tarn_requests_total{service="s3",operation="GetObject",code="404"} 1`,
		`tarn_request_duration_seconds_bucket{service="s3",operation="PutObject",le="0.005"} 1`,
		`tarn_request_duration_seconds_bucket{service="s3",operation="PutObject",le="0.05"} 2`,
		`tarn_request_duration_seconds_bucket{service="s3",operation="PutObject",le="+Inf"} 2`,
		`tarn_request_duration_seconds_count{service="s3",operation="PutObject"} 2`,
		"# TYPE tarn_uptime_seconds gauge\ntarn_uptime_seconds 12.5",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
