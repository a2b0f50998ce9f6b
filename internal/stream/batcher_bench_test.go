package stream

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"
)

// BenchmarkBatcherSingles: 16 goroutines each storing one 100-byte record
// at a time through the batcher (what concurrent PutRecord calls do, less
// HTTP, SigV4 and JSON), with fsync (strict durability). Compare with
// BenchmarkRawSyncPublish, the same through JetStream's own client.
func BenchmarkBatcherSingles(b *testing.B) {
	ns := layoutServer(b, false)
	layoutStream(b, ns, "S", "s.*")
	bt := newBatcher(ns.Conn(), nil)
	defer bt.stop()
	data := make([]byte, 100)
	var n atomic.Int64
	b.SetParallelism((16 + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := bt.put(b.Context(), []pubMsg{{subject: fmt.Sprintf("s.%d", n.Add(1)%4), data: data}}); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkRawSyncPublish is BenchmarkBatcherSingles' baseline.
func BenchmarkRawSyncPublish(b *testing.B) {
	ns := layoutServer(b, false)
	layoutStream(b, ns, "S", "s.*")
	js := ns.JetStream()
	data := make([]byte, 100)
	var n atomic.Int64
	b.SetParallelism((16 + runtime.GOMAXPROCS(0) - 1) / runtime.GOMAXPROCS(0))
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := js.Publish(b.Context(), fmt.Sprintf("s.%d", n.Add(1)%4), data); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
