package tarntest

import (
	"crypto/sha256"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// patternBlock has a prime length, so the stream never repeats at a
// power-of-two offset (a misplaced part or chunk changes the hash).
var patternBlock = func() []byte {
	b := make([]byte, 1_000_003)
	for i := range b {
		b[i] = byte(i * 7 >> 3)
	}
	return b
}()

// patternReader yields n deterministic bytes without holding them.
type patternReader struct{ n, off int64 }

func (p *patternReader) Read(b []byte) (int, error) {
	if p.off >= p.n {
		return 0, io.EOF
	}
	b = b[:min(int64(len(b)), p.n-p.off)]
	k := copy(b, patternBlock[p.off%int64(len(patternBlock)):])
	p.off += int64(k)
	return k, nil
}

// peakHeap samples the heap until stop is called and returns the peak.
func peakHeap() (stop func() uint64) {
	var peak atomic.Uint64
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapAlloc > peak.Load() {
				peak.Store(ms.HeapAlloc)
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	return func() uint64 { close(done); wg.Wait(); return peak.Load() }
}

// TestLargeObjectStreams PUTs and GETs an object far larger than the heap
// may grow, through the whole stack: both directions must stream.
func TestLargeObjectStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("writes 768 MiB")
	}
	const size = 768 << 20
	const heapLimit = 128 << 20
	env := Start(t)
	c := env.S3()
	ctx := t.Context()
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("big")}); err != nil {
		t.Fatal(err)
	}
	want := sha256.New()
	io.Copy(want, &patternReader{n: size})

	runtime.GC()
	stop := peakHeap()
	_, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("big"), Key: aws.String("blob"),
		Body: onlyReader{&patternReader{n: size}}, ContentLength: aws.Int64(size)},
		s3.WithAPIOptions(v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware))
	putPeak := stop()
	if err != nil {
		t.Fatal(err)
	}
	runtime.GC()
	stop = peakHeap()
	out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("big"), Key: aws.String("blob")})
	if err != nil {
		t.Fatal(err)
	}
	got := sha256.New()
	n, err := io.Copy(got, out.Body)
	out.Body.Close()
	getPeak := stop()
	if err != nil || n != size {
		t.Fatalf("GET read %d bytes: %v", n, err)
	}
	if string(got.Sum(nil)) != string(want.Sum(nil)) {
		t.Error("large object reads back differently")
	}
	t.Logf("peak heap: PUT %d MiB, GET %d MiB for a %d MiB object", putPeak>>20, getPeak>>20, size>>20)
	if putPeak > heapLimit || getPeak > heapLimit {
		t.Errorf("heap peaked at PUT %d MiB / GET %d MiB: the object was buffered", putPeak>>20, getPeak>>20)
	}
}
