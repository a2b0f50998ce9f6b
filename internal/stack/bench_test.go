package stack

import (
	"os"
	"testing"
)

func BenchmarkParseSample(b *testing.B) {
	raw, err := os.ReadFile("testdata/sample.yaml")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := Parse("tarn.yaml", raw, testSettings...); err != nil {
			b.Fatal(err)
		}
	}
}
