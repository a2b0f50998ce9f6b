package tarntest

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tarnhq/tarn/internal/config"
)

// Object sizes of the PUT/GET benchmarks; each has a raw-disk baseline of
// the same name (write+fsync, read) so `make bench` can print ratios.
var benchSizes = []struct {
	name string
	size int
}{{"4KiB", 4 << 10}, {"1MiB", 1 << 20}, {"64MiB", 64 << 20}}

func benchBody(n int) []byte { return bytes.Repeat([]byte("tarn-lake"), n/9+1)[:n] }

func benchEnv(b *testing.B) (*s3.Client, string) {
	env := Start(b, WithDurability(benchDurability()))
	c := env.S3()
	bucket := "bench"
	if _, err := c.CreateBucket(b.Context(), &s3.CreateBucketInput{Bucket: aws.String(bucket)}); err != nil {
		b.Fatal(err)
	}
	return c, bucket
}

// BenchmarkS3Put: PutObject through the SDK, full stack, fsync on ack.
func BenchmarkS3Put(b *testing.B) {
	for _, sz := range benchSizes {
		b.Run(sz.name, func(b *testing.B) {
			c, bucket := benchEnv(b)
			body := benchBody(sz.size)
			b.SetBytes(int64(sz.size))
			for i := 0; b.Loop(); i++ {
				_, err := c.PutObject(b.Context(), &s3.PutObjectInput{Bucket: aws.String(bucket),
					Key: aws.String(fmt.Sprintf("k%d", i%64)), Body: bytes.NewReader(body)})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDiskWrite: the same bytes written to a new file and fsynced.
func BenchmarkDiskWrite(b *testing.B) {
	for _, sz := range benchSizes {
		b.Run(sz.name, func(b *testing.B) {
			dir := b.TempDir()
			body := benchBody(sz.size)
			b.SetBytes(int64(sz.size))
			for i := 0; b.Loop(); i++ {
				f, err := os.Create(filepath.Join(dir, fmt.Sprintf("k%d", i%64)))
				if err != nil {
					b.Fatal(err)
				}
				if _, err := f.Write(body); err != nil {
					b.Fatal(err)
				}
				if err := f.Sync(); err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
		})
	}
}

// BenchmarkS3Get: GetObject of one object through the SDK, body read fully.
func BenchmarkS3Get(b *testing.B) {
	for _, sz := range benchSizes {
		b.Run(sz.name, func(b *testing.B) {
			c, bucket := benchEnv(b)
			if _, err := c.PutObject(b.Context(), &s3.PutObjectInput{Bucket: aws.String(bucket),
				Key: aws.String("k"), Body: bytes.NewReader(benchBody(sz.size))}); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(sz.size))
			for b.Loop() {
				out, err := c.GetObject(b.Context(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: aws.String("k")})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, out.Body); err != nil {
					b.Fatal(err)
				}
				out.Body.Close()
			}
		})
	}
}

// BenchmarkDiskRead: the same bytes read from a file (page cache warm).
func BenchmarkDiskRead(b *testing.B) {
	for _, sz := range benchSizes {
		b.Run(sz.name, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "k")
			if err := os.WriteFile(path, benchBody(sz.size), 0o644); err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(sz.size))
			for b.Loop() {
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := io.Copy(io.Discard, f); err != nil {
					b.Fatal(err)
				}
				f.Close()
			}
		})
	}
}

// benchDurability is strict unless TARN_BENCH_DURABILITY names another
// mode (to see what fsync costs).
func benchDurability() string {
	if d := os.Getenv("TARN_BENCH_DURABILITY"); d != "" {
		return d
	}
	return config.DurabilityStrict
}
