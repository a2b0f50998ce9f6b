package function

import (
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
)

// Run: go test -run '^$' -bench . -benchtime 200x ./internal/function/
// Invoke benchmarks go through the SDK client over loopback HTTP; the
// baselines measure the bare HTTP round trip and spawning the same bootstrap.

func reportLatency(b *testing.B, d []time.Duration) {
	if len(d) == 0 {
		return
	}
	sort.Slice(d, func(i, j int) bool { return d[i] < d[j] })
	b.ReportMetric(float64(d[len(d)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(d[len(d)*99/100].Microseconds()), "p99-µs")
}

func BenchmarkInvokeWarm(b *testing.B) {
	h := newHarness(b)
	h.goFunction(b, "warm", 3)
	in := &lambda.InvokeInput{FunctionName: aws.String("warm"), Payload: []byte(`{"mode":"echo"}`)}
	h.invoke(b, in)
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		h.invoke(b, in)
		lat = append(lat, time.Since(t0))
	}
	reportLatency(b, lat)
}

func BenchmarkInvokeCold(b *testing.B) {
	h := newHarness(b)
	h.goFunction(b, "cold", 3)
	in := &lambda.InvokeInput{FunctionName: aws.String("cold"), Payload: []byte(`{"mode":"echo"}`)}
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		h.svc.pools.dropFunction("us-east-1", "cold")
		t0 := time.Now()
		h.invoke(b, in)
		lat = append(lat, time.Since(t0))
	}
	reportLatency(b, lat)
}

// BenchmarkBaselineSpawn starts the bootstrap without a Runtime API: it
// exits at once, so this is the bare cost of spawning the binary.
func BenchmarkBaselineSpawn(b *testing.B) {
	zipBytes := goZip(b)
	h := newHarness(b)
	v, _, err := h.svc.unpack("us-east-1", "spawn", zipBytes)
	if err != nil {
		b.Fatal(err)
	}
	bin := filepath.Join(v.CodeDir, "bootstrap")
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		cmd := exec.Command(bin)
		cmd.Env = []string{"PATH=" + DefaultPath}
		_ = cmd.Run()
		lat = append(lat, time.Since(t0))
	}
	reportLatency(b, lat)
	os.RemoveAll(v.CodeDir)
}

func BenchmarkBaselineHTTP(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"mode":"echo"}`))
	}))
	defer srv.Close()
	lat := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for range b.N {
		t0 := time.Now()
		resp, err := http.Post(srv.URL, "application/json", nil)
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
		lat = append(lat, time.Since(t0))
	}
	reportLatency(b, lat)
}
