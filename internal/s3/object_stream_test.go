package s3

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// patternReader is a seekable stream of size deterministic bytes, so big
// bodies are neither held in memory by the test nor constant.
type patternReader struct {
	size, off int64
	seed      byte
}

func patternByte(seed byte, i int64) byte { return byte(i) ^ byte(i>>9) ^ seed }

func (p *patternReader) Read(b []byte) (int, error) {
	if p.off >= p.size {
		return 0, io.EOF
	}
	n := int64(len(b))
	if rest := p.size - p.off; n > rest {
		n = rest
	}
	for i := int64(0); i < n; i++ {
		b[i] = patternByte(p.seed, p.off+i)
	}
	p.off += n
	return int(n), nil
}

func (p *patternReader) Seek(off int64, whence int) (int64, error) {
	switch whence {
	case io.SeekStart:
	case io.SeekCurrent:
		off += p.off
	case io.SeekEnd:
		off += p.size
	}
	if off < 0 {
		return 0, errors.New("negative seek")
	}
	p.off = off
	return off, nil
}

func TestLargeObjectStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("64 MiB round trip")
	}
	env := newTestEnv(t)
	env.mkBucket(t, "big")
	const size = 64 << 20
	want := md5.New()
	io.Copy(want, &patternReader{size: size, seed: 7})
	wantSum := hex.EncodeToString(want.Sum(nil))

	out, err := env.client.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("big"), Key: aws.String("64m"),
		Body: &patternReader{size: size, seed: 7}, ContentLength: aws.Int64(size)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.ETag) != `"`+wantSum+`"` {
		t.Errorf("ETag %s, want %s", aws.ToString(out.ETag), wantSum)
	}
	g, err := env.client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("big"), Key: aws.String("64m")})
	if err != nil {
		t.Fatal(err)
	}
	defer g.Body.Close()
	got := md5.New()
	n, err := io.Copy(got, g.Body) // the SDK also validates the CRC64NVME on the way
	if err != nil || n != size {
		t.Fatalf("GET: %d bytes, %v", n, err)
	}
	if hex.EncodeToString(got.Sum(nil)) != wantSum {
		t.Error("GET body differs from what was PUT")
	}
	// A range deep inside, across what would be buffer boundaries.
	r, err := env.client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("big"), Key: aws.String("64m"),
		Range: aws.String(fmt.Sprintf("bytes=%d-%d", size-100000, size-1))})
	if err != nil {
		t.Fatal(err)
	}
	tail, _ := io.ReadAll(r.Body)
	r.Body.Close()
	for i, b := range tail {
		if b != patternByte(7, size-100000+int64(i)) {
			t.Fatalf("range byte %d wrong", i)
		}
	}
}

// TestOverwriteNeverTorn: writers keep replacing one key with distinct
// full bodies while readers GET it; every body read must be exactly one
// of the written bodies (never a mix, never short), and every GET must
// succeed even though each overwrite deletes the previous blob.
func TestOverwriteNeverTorn(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "race")
	const writers, readers, rounds, size = 4, 4, 25, 256 << 10
	bodies := map[string]bool{}
	var all [][]byte
	for w := 0; w < writers; w++ {
		for r := 0; r < rounds; r++ {
			b := bytes.Repeat([]byte{byte(w*rounds + r)}, size)
			copy(b, fmt.Sprintf("writer %d round %d|", w, r))
			all = append(all, b)
			sum := md5.Sum(b)
			bodies[hex.EncodeToString(sum[:])] = true
		}
	}
	env.put(t, "race", "hot", all[0])

	var done atomic.Bool
	var wg sync.WaitGroup
	var reads atomic.Int64
	errs := make(chan error, writers+readers)
	for w := 0; w < writers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for r := 0; r < rounds; r++ {
				if _, err := env.client.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("race"), Key: aws.String("hot"),
					Body: bytes.NewReader(all[w*rounds+r])}); err != nil {
					errs <- err
					return
				}
			}
		}(w)
	}
	var rwg sync.WaitGroup
	for r := 0; r < readers; r++ {
		rwg.Add(1)
		go func() {
			defer rwg.Done()
			for !done.Load() || reads.Load() < readers {
				g, err := env.client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("race"), Key: aws.String("hot")})
				if err != nil {
					errs <- fmt.Errorf("GET: %w", err)
					return
				}
				b, err := io.ReadAll(g.Body)
				g.Body.Close()
				if err != nil {
					errs <- fmt.Errorf("GET body: %w", err)
					return
				}
				sum := md5.Sum(b)
				if len(b) != size || !bodies[hex.EncodeToString(sum[:])] {
					errs <- fmt.Errorf("torn read: %d bytes, starts %q", len(b), b[:min(len(b), 24)])
					return
				}
				reads.Add(1)
			}
		}()
	}
	wg.Wait()
	done.Store(true)
	rwg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := blobCount(t, env); n != 1 {
		t.Errorf("%d blobs left after the overwrites, want 1", n)
	}
	t.Logf("%d consistent reads during %d overwrites", reads.Load(), writers*rounds)
}
