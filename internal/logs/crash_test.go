package logs

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"os/exec"
	"strconv"
	"testing"
	"time"

	"github.com/tarnhq/tarn/internal/kv"
)

const crashChildEnv = "TARN_LOGS_CRASH_CHILD_DIR"

// TestCrashKeepsAcknowledgedPuts runs a child process that Puts events
// (synced) and prints the number of each acknowledged one, kills it with
// SIGKILL after 50 acknowledgements, and checks that every acknowledged
// event survived.
func TestCrashKeepsAcknowledgedPuts(t *testing.T) {
	if dir := os.Getenv(crashChildEnv); dir != "" {
		crashChild(dir)
		return
	}
	if testing.Short() {
		t.Skip("crash test")
	}
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^TestCrashKeepsAcknowledgedPuts$")
	cmd.Env = append(os.Environ(), crashChildEnv+"="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := -1
	sc := bufio.NewScanner(out)
	for sc.Scan() && acked < 50 {
		if n, err := strconv.Atoi(sc.Text()); err == nil {
			acked = n
		}
	}
	_ = cmd.Process.Kill() // SIGKILL, by PID
	_ = cmd.Wait()
	if acked < 50 {
		t.Fatalf("child acknowledged %d events", acked)
	}
	db, err := kv.Open(dir, kv.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	svc, err := New(Options{DB: db, Meta: db.Space("logs/")})
	if err != nil {
		t.Fatal(err)
	}
	evs, _, _, err := svc.scanStream(eventsPrefix(DefaultRegion, "crash", "s"), pos{TS: math.MinInt64},
		pos{TS: math.MaxInt64, Seq: math.MaxUint64}, pos{TS: math.MinInt64}, true, maxEventsLimit)
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) <= acked {
		t.Fatalf("%d events survived, %d were acknowledged", len(evs), acked+1)
	}
	for i := 0; i <= acked; i++ {
		if want := fmt.Sprint("event ", i); evs[i].Message != want {
			t.Fatalf("event %d = %q, want %q", i, evs[i].Message, want)
		}
	}
}

// crashChild Puts events until killed; it prints each one's number once
// Put returned (durable).
func crashChild(dir string) {
	db, err := kv.Open(dir, kv.Options{})
	if err != nil {
		fmt.Println("open:", err)
		os.Exit(1)
	}
	svc, err := New(Options{DB: db, Meta: db.Space("logs/")})
	if err != nil {
		os.Exit(1)
	}
	base := time.Now()
	for i := 0; ; i++ {
		if err := svc.Put(context.Background(), "", "crash", "s", []Event{{Time: base, Message: fmt.Sprint("event ", i)}}); err != nil {
			fmt.Println("put:", err)
			os.Exit(1)
		}
		fmt.Println(i)
	}
}
