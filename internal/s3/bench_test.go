package s3

import (
	"bytes"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// The S3 benchmarks run through the SDK against a durable service (Pebble
// and blob fsyncs on, as tarn runs by default), beside the raw disk doing
// the same bytes: write + fsync + close of a new file, and a full read of
// a file. Compare BenchmarkS3Put/X with BenchmarkDiskWrite/X and
// BenchmarkS3Get/X with BenchmarkDiskRead/X. The SDK sends
// UNSIGNED-PAYLOAD (as it does over TLS), so the client does not hash
// the body for its signature.

var benchSizes = []struct {
	name string
	size int
}{{"4KiB", 4 << 10}, {"1MiB", 1 << 20}, {"64MiB", 64 << 20}}

func benchData(size int) []byte {
	b := make([]byte, size)
	for i := range b {
		b[i] = patternByte(3, int64(i))
	}
	return b
}

func benchEnv(b *testing.B) *testEnv {
	env := newEnvTB(b, true)
	env.mkBucket(b, "bench")
	return env
}

var unsignedPayload = s3.WithAPIOptions(v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware)

// BenchmarkS3Put overwrites one key: each PUT writes a new blob, commits
// the index entry and deletes the previous blob.
func BenchmarkS3Put(b *testing.B) {
	for _, sz := range benchSizes {
		b.Run(sz.name, func(b *testing.B) {
			env := benchEnv(b)
			data := benchData(sz.size)
			b.SetBytes(int64(sz.size))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				_, err := env.client.PutObject(b.Context(), &s3.PutObjectInput{Bucket: aws.String("bench"), Key: aws.String("obj"),
					Body: bytes.NewReader(data)}, unsignedPayload)
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkS3Get(b *testing.B) {
	for _, sz := range benchSizes {
		b.Run(sz.name, func(b *testing.B) {
			env := benchEnv(b)
			env.put(b, "bench", "obj", benchData(sz.size))
			b.SetBytes(int64(sz.size))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				out, err := env.client.GetObject(b.Context(), &s3.GetObjectInput{Bucket: aws.String("bench"), Key: aws.String("obj")})
				if err != nil {
					b.Fatal(err)
				}
				n, err := io.Copy(io.Discard, out.Body)
				out.Body.Close()
				if err != nil || n != int64(sz.size) {
					b.Fatalf("read %d bytes: %v", n, err)
				}
			}
		})
	}
}

func BenchmarkDiskWrite(b *testing.B) {
	for _, sz := range benchSizes {
		b.Run(sz.name, func(b *testing.B) {
			dir := b.TempDir()
			data := benchData(sz.size)
			b.SetBytes(int64(sz.size))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				path := filepath.Join(dir, "f")
				f, err := os.Create(path)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := f.Write(data); err != nil {
					b.Fatal(err)
				}
				if err := f.Sync(); err != nil {
					b.Fatal(err)
				}
				if err := f.Close(); err != nil {
					b.Fatal(err)
				}
				os.Remove(path)
			}
		})
	}
}

func BenchmarkDiskRead(b *testing.B) {
	for _, sz := range benchSizes {
		b.Run(sz.name, func(b *testing.B) {
			path := filepath.Join(b.TempDir(), "f")
			if err := os.WriteFile(path, benchData(sz.size), 0o644); err != nil {
				b.Fatal(err)
			}
			buf := make([]byte, 32<<10) // io.Copy's buffer size, as the S3 path uses
			b.SetBytes(int64(sz.size))
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				f, err := os.Open(path)
				if err != nil {
					b.Fatal(err)
				}
				n, err := io.CopyBuffer(io.Discard, struct{ io.Reader }{f}, buf)
				f.Close()
				if err != nil || n != int64(sz.size) {
					b.Fatalf("read %d bytes: %v", n, err)
				}
			}
		})
	}
}
