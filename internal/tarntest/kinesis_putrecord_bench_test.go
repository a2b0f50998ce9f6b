package tarntest

import (
	"fmt"
	"runtime"
	"slices"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
)

// Single-record PutRecord benchmarks: the latency of one call alone, and
// the throughput of 16 concurrent callers (which tarn coalesces into
// shared fsynced batches) beside 16 callers each publishing synchronously
// to a raw JetStream file stream of the same server.
const (
	benchWriters    = 16
	benchSingleCase = "16x100B" // pairs PutRecordCoalesced with JetStreamSyncPublish
)

// BenchmarkPutRecordLatency: one PutRecord of 100 bytes at a time through
// the SDK; reports the median and 99th percentile latency.
func BenchmarkPutRecordLatency(b *testing.B) {
	_, c := kinesisBenchEnv(b)
	data := make([]byte, benchRecordSize)
	var lat []time.Duration
	i := 0
	for b.Loop() {
		start := time.Now()
		if _, err := c.PutRecord(b.Context(), &kinesis.PutRecordInput{StreamName: aws.String("bench"), Data: data,
			PartitionKey: aws.String(fmt.Sprint(i))}); err != nil {
			b.Fatal(err)
		}
		lat = append(lat, time.Since(start))
		i++
	}
	slices.Sort(lat)
	pct := func(p float64) float64 {
		return float64(lat[min(len(lat)-1, int(p*float64(len(lat))))]) / float64(time.Millisecond)
	}
	b.ReportMetric(pct(0.50), "p50-ms")
	b.ReportMetric(pct(0.99), "p99-ms")
}

// cpuTime is the process's user+system CPU time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// reportCPU reports the process CPU time per op since start (client and
// server: both run in this process), a measure of tarn's overhead that
// other load on the machine does not skew as much as records/s.
func reportCPU(b *testing.B, start time.Duration) {
	b.ReportMetric(float64((cpuTime()-start).Microseconds())/float64(b.N), "cpu-us/op")
}

// parallelism sets b's RunParallel goroutine count to benchWriters
// (rounded up to a multiple of GOMAXPROCS).
func parallelism(b *testing.B) {
	procs := runtime.GOMAXPROCS(0)
	b.SetParallelism((benchWriters + procs - 1) / procs)
}

// BenchmarkPutRecordCoalesced: 16 goroutines each calling PutRecord (100
// bytes) in a loop; one op is one acknowledged record.
func BenchmarkPutRecordCoalesced(b *testing.B) { b.Run(benchSingleCase, benchPutRecordCoalesced) }

func benchPutRecordCoalesced(b *testing.B) {
	_, c := kinesisBenchEnv(b)
	data := make([]byte, benchRecordSize)
	var n atomic.Int64
	parallelism(b)
	b.SetBytes(benchRecordSize)
	b.ResetTimer()
	cpu := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := c.PutRecord(b.Context(), &kinesis.PutRecordInput{StreamName: aws.String("bench"), Data: data,
				PartitionKey: aws.String(fmt.Sprint(n.Add(1)))}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
	reportCPU(b, cpu)
}

// BenchmarkJetStreamSyncPublish: the baseline of PutRecordCoalesced, 16
// goroutines each publishing 100 bytes and waiting for the ack.
func BenchmarkJetStreamSyncPublish(b *testing.B) { b.Run(benchSingleCase, benchJetStreamSyncPublish) }

func benchJetStreamSyncPublish(b *testing.B) {
	env, _ := kinesisBenchEnv(b)
	js := rawStream(b, env)
	data := make([]byte, benchRecordSize)
	var n atomic.Int64
	parallelism(b)
	b.SetBytes(benchRecordSize)
	b.ResetTimer()
	cpu := cpuTime()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := js.Publish(b.Context(), fmt.Sprintf("raw.%d", n.Add(1)%benchShards), data); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
	reportCPU(b, cpu)
}
