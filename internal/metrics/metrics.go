// Package metrics keeps tarn's request metrics and renders them in the
// Prometheus text exposition format (version 0.0.4). It is deliberately
// small: request counters and latency histograms per service and
// operation, plus gauges registered by name.
package metrics

import (
	"fmt"
	"io"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// latencyBuckets are the histogram upper bounds, in seconds.
var latencyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10}

type reqKey struct{ service, operation, code string }
type opKey struct{ service, operation string }

type histogram struct {
	counts []uint64 // per bucket, not cumulative
	sum    float64
	count  uint64
}

// Registry holds metrics. Safe for concurrent use; the zero value is not
// usable, call New.
type Registry struct {
	mu       sync.Mutex
	requests map[reqKey]uint64         // guarded by mu
	latency  map[opKey]*histogram      // guarded by mu
	gauges   map[string]func() float64 // guarded by mu; name -> read func
	help     map[string]string         // guarded by mu
}

// New returns an empty Registry.
func New() *Registry {
	return &Registry{requests: map[reqKey]uint64{}, latency: map[opKey]*histogram{},
		gauges: map[string]func() float64{}, help: map[string]string{}}
}

// ObserveRequest counts one request and its latency.
func (r *Registry) ObserveRequest(service, operation string, status int, d time.Duration) {
	if operation == "" {
		operation = "Unknown"
	}
	secs := d.Seconds()
	r.mu.Lock()
	defer r.mu.Unlock()
	r.requests[reqKey{service, operation, strconv.Itoa(status)}]++
	k := opKey{service, operation}
	h := r.latency[k]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets)+1)}
		r.latency[k] = h
	}
	i := sort.SearchFloat64s(latencyBuckets, secs)
	h.counts[i]++
	h.sum += secs
	h.count++
}

// Gauge registers a gauge whose value is read at scrape time. name must be
// a valid Prometheus metric name; read must be safe to call concurrently.
func (r *Registry) Gauge(name, help string, read func() float64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.gauges[name] = read
	r.help[name] = help
}

// WriteText writes every metric in the Prometheus text format.
func (r *Registry) WriteText(w io.Writer) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var b strings.Builder
	b.WriteString("# HELP tarn_requests_total Requests served, by service, operation and HTTP status.\n")
	b.WriteString("# TYPE tarn_requests_total counter\n")
	reqs := make([]reqKey, 0, len(r.requests))
	for k := range r.requests {
		reqs = append(reqs, k)
	}
	sort.Slice(reqs, func(i, j int) bool {
		a, c := reqs[i], reqs[j]
		return a.service+"\x00"+a.operation+"\x00"+a.code < c.service+"\x00"+c.operation+"\x00"+c.code
	})
	for _, k := range reqs {
		fmt.Fprintf(&b, "tarn_requests_total{service=%q,operation=%q,code=%q} %d\n", k.service, k.operation, k.code, r.requests[k])
	}
	b.WriteString("# HELP tarn_request_duration_seconds Request latency, by service and operation.\n")
	b.WriteString("# TYPE tarn_request_duration_seconds histogram\n")
	ops := make([]opKey, 0, len(r.latency))
	for k := range r.latency {
		ops = append(ops, k)
	}
	sort.Slice(ops, func(i, j int) bool {
		return ops[i].service+"\x00"+ops[i].operation < ops[j].service+"\x00"+ops[j].operation
	})
	for _, k := range ops {
		h := r.latency[k]
		labels := fmt.Sprintf("service=%q,operation=%q", k.service, k.operation)
		var cum uint64
		for i, le := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(&b, "tarn_request_duration_seconds_bucket{%s,le=%q} %d\n", labels, formatFloat(le), cum)
		}
		fmt.Fprintf(&b, "tarn_request_duration_seconds_bucket{%s,le=\"+Inf\"} %d\n", labels, h.count)
		fmt.Fprintf(&b, "tarn_request_duration_seconds_sum{%s} %s\n", labels, formatFloat(h.sum))
		fmt.Fprintf(&b, "tarn_request_duration_seconds_count{%s} %d\n", labels, h.count)
	}
	names := make([]string, 0, len(r.gauges))
	for n := range r.gauges {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(&b, "# HELP %s %s\n# TYPE %s gauge\n%s %s\n", n, r.help[n], n, n, formatFloat(r.gauges[n]()))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func formatFloat(f float64) string {
	if math.IsInf(f, 1) {
		return "+Inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}
