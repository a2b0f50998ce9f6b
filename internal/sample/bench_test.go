package sample

import (
	"fmt"
	"testing"
)

func BenchmarkGenerate(b *testing.B) {
	for _, rows := range []int{DefaultRows, 1_000_000} {
		b.Run(fmt.Sprint("rows=", rows), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Generate(Options{Rows: rows})
			}
			b.ReportMetric(float64(rows*b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}

func BenchmarkJSONLines(b *testing.B) {
	events, _ := Generate(Options{Rows: 100_000})
	b.ReportAllocs()
	b.SetBytes(int64(len(JSONLines(events))))
	for b.Loop() {
		JSONLines(events)
	}
}

func BenchmarkPartitionByDay(b *testing.B) {
	events, _ := Generate(Options{Rows: 100_000})
	b.ReportAllocs()
	for b.Loop() {
		PartitionByDay(events, 10_000)
	}
}
