package tarntest

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tarnhq/tarn/internal/config"
	"github.com/tarnhq/tarn/internal/platform"
)

// The crash child: the test binary re-executed with TARN_CRASH_DIR set
// runs a platform on that directory (strict durability, the default) and
// prints its address, until it is killed.
func TestMain(m *testing.M) {
	if dir := os.Getenv("TARN_CRASH_DIR"); dir != "" {
		crashChild(dir)
		return
	}
	os.Exit(m.Run())
}

func crashChild(dir string) {
	cfg := config.Default()
	cfg.Addr, cfg.PGAddr, cfg.DataDir = "127.0.0.1:0", "127.0.0.1:0", dir
	p, err := platform.New(cfg, platform.Options{})
	if err == nil {
		err = p.Start(context.Background())
	}
	if err != nil {
		fmt.Println("ERROR", err)
		os.Exit(1)
	}
	fmt.Println("ADDR", p.Addr())
	select {} // until SIGKILL
}

// startChild runs a crash child on dir and returns its process and endpoint.
func startChild(t *testing.T, dir string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), "TARN_CRASH_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "ADDR ")
	if err != nil || !ok {
		t.Fatalf("child did not start: %q %v", line, err)
	}
	return cmd, "http://" + addr
}

// TestCrashKeepsAcknowledgedPuts PUTs from several writers, SIGKILLs the
// server by PID mid-load, restarts it on the same data and checks that
// every acknowledged PUT reads back byte-identical (for an overwritten key:
// the last acknowledged body, or the one in flight at the kill).
func TestCrashKeepsAcknowledgedPuts(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test starts child processes")
	}
	dir := t.TempDir()
	child, endpoint := startChild(t, dir)
	env := &Env{Config: config.Default(), Endpoint: endpoint}
	client := env.S3()
	ctx := t.Context()
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("crash")}); err != nil {
		t.Fatal(err)
	}

	const writers, keysPerWriter, killAfter = 4, 64, 600
	type version struct{ acked, inflight [32]byte }
	var (
		mu     sync.Mutex
		state  = map[string]*version{}
		acked  int
		killed = make(chan struct{})
		once   sync.Once
	)
	var wg sync.WaitGroup
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				key := fmt.Sprintf("w%d/k%d", w, i%keysPerWriter)
				body := bytes.Repeat([]byte(fmt.Sprintf("%s#%d|", key, i)), 100+i%700)
				sum := sha256.Sum256(body)
				mu.Lock()
				v := state[key]
				if v == nil {
					v = &version{}
					state[key] = v
				}
				v.inflight = sum
				mu.Unlock()
				_, err := client.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("crash"), Key: aws.String(key), Body: bytes.NewReader(body)})
				if err != nil {
					return // the server is gone
				}
				mu.Lock()
				v.acked, v.inflight = sum, [32]byte{}
				acked++
				if acked == killAfter {
					once.Do(func() { close(killed) })
				}
				mu.Unlock()
			}
		}()
	}
	<-killed
	if err := syscall.Kill(child.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	child.Wait()

	_, endpoint = startChild(t, dir)
	client = (&Env{Config: config.Default(), Endpoint: endpoint}).S3()
	checked := 0
	for key, v := range state {
		if v.acked == ([32]byte{}) {
			continue // never acknowledged
		}
		got, err := client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("crash"), Key: aws.String(key)})
		if err != nil {
			t.Errorf("acknowledged %s lost: %v", key, err)
			continue
		}
		body, err := io.ReadAll(got.Body)
		got.Body.Close()
		if err != nil {
			t.Fatal(err)
		}
		if sum := sha256.Sum256(body); sum != v.acked && sum != v.inflight {
			t.Errorf("%s reads back neither its acknowledged nor its in-flight body (%d bytes)", key, len(body))
		}
		checked++
	}
	t.Logf("%d acknowledged PUTs before SIGKILL, %d keys checked after restart", acked, checked)
	if checked == 0 {
		t.Fatal("nothing was checked")
	}
}
