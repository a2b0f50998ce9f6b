package s3

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"

	"github.com/tarnhq/tarn/internal/blob/memblob"
	"github.com/tarnhq/tarn/internal/kv"
)

// Listing benchmarks: one 1000-key page of a bucket holding 100,000 keys
// (100 "directories" of 1000), through the whole handler (routing, scan,
// JSON decoding of each entry, XML rendering), against the raw Pebble
// iteration of the same 1000 entries as the baseline.

const (
	benchDirs    = 100
	benchPerDir  = 1000
	benchListDir = "d050/"
)

func newBenchService(b *testing.B) *Service {
	b.Helper()
	db, err := kv.Open(filepath.Join(b.TempDir(), "meta"), kv.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	s, err := New(Options{DB: db, Meta: db.Space("s3/"), Blobs: memblob.New()})
	if err != nil {
		b.Fatal(err)
	}
	seedBucket(b, s, "bench")
	keys := make([]string, 0, benchDirs*benchPerDir)
	for d := range benchDirs {
		for k := range benchPerDir {
			keys = append(keys, fmt.Sprintf("d%03d/k%05d", d, k))
		}
	}
	seedIndexOnly(b, s, "bench", keys)
	return s
}

func BenchmarkS3List(b *testing.B) {
	s := newBenchService(b)
	h := testAuth(s.Handler())
	run := func(b *testing.B, query string, want int) {
		for b.Loop() {
			req := httptest.NewRequest(http.MethodGet, "/bench?"+query, nil)
			req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d: %s", rec.Code, rec.Body)
			}
		}
		b.ReportMetric(float64(want), "items/op")
	}
	b.Run("1000", func(b *testing.B) { run(b, "list-type=2&prefix="+benchListDir, benchPerDir) })
	// Every key of the bucket rolls up into one of 100 CommonPrefixes: one
	// seek per prefix, not 100,000 entries.
	b.Run("prefixes-100", func(b *testing.B) { run(b, "list-type=2&delimiter=/", benchDirs) })
}

func BenchmarkPebbleScan(b *testing.B) {
	s := newBenchService(b)
	b.Run("1000", func(b *testing.B) {
		lower := joinKey(objectPrefix("bench"), benchListDir)
		for b.Loop() {
			it, err := s.meta.Iter(lower, kv.PrefixEnd(lower))
			if err != nil {
				b.Fatal(err)
			}
			n := 0
			for ok := it.First(); ok; ok = it.Next() {
				if _, err := it.Value(); err != nil {
					b.Fatal(err)
				}
				n++
			}
			if err := it.Close(); err != nil || n != benchPerDir {
				b.Fatalf("scanned %d: %v", n, err)
			}
		}
	})
}
