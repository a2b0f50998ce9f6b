package tarntest

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gltypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tarnhq/tarn/internal/config"
	"github.com/tarnhq/tarn/internal/platform"
)

// jobsCrash is one crash child and its clients; events carries the
// child's write log lines (see TestJobsCrashChild).
type jobsCrash struct {
	cmd    *exec.Cmd
	events chan string
	s3     *s3.Client
	gl     *glue.Client
	at     *athena.Client
}

const (
	crashDays, crashFilesPerDay, crashRowsPerFile = 40, 3, 20
	crashRowsPerRun                               = crashDays * crashFilesPerDay * crashRowsPerFile
	crashOut                                      = "s3://lake/athena-results/"
	crashTarget                                   = "silver/daily/"
	// The log messages of internal/sql's write path the test watches.
	msgCommitted = "sql: write committed"
	msgRolledFwd = "sql: write intent: committed files registered"
)

// TestJobsCrashChild is the crash child of the jobs crash test: run with
// TARN_JOBS_CRASH_DIR set it serves a platform on that directory (strict
// durability), prints its address and logs internal/sql's write messages
// ("sql: write ...") to stderr, synchronously, until it is killed.
// Without the variable it is skipped.
func TestJobsCrashChild(t *testing.T) {
	dir := os.Getenv("TARN_JOBS_CRASH_DIR")
	if dir == "" {
		t.Skip("the child of TestCrashDuringJobRunIsAllOrNothing")
	}
	cfg := config.Default()
	cfg.Addr, cfg.PGAddr, cfg.DataDir = "127.0.0.1:0", "127.0.0.1:0", dir
	log := slog.New(writeLog{slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug})})
	p, err := platform.New(cfg, platform.Options{Logger: log})
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

// writeLog passes on only the records of internal/sql's write path.
type writeLog struct{ slog.Handler }

func (h writeLog) Handle(ctx context.Context, r slog.Record) error {
	if !strings.HasPrefix(r.Message, "sql: write") {
		return nil
	}
	return h.Handler.Handle(ctx, r)
}

func (h writeLog) WithAttrs(as []slog.Attr) slog.Handler { return writeLog{h.Handler.WithAttrs(as)} }
func (h writeLog) WithGroup(g string) slog.Handler       { return writeLog{h.Handler.WithGroup(g)} }

func startJobsCrash(t *testing.T, dir string) *jobsCrash {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^TestJobsCrashChild$")
	cmd.Env = append(os.Environ(), "TARN_JOBS_CRASH_DIR="+dir)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	errs, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	events := make(chan string, 1000)
	go func() {
		sc := bufio.NewScanner(errs)
		for sc.Scan() {
			for _, m := range []string{msgCommitted, msgRolledFwd} {
				if strings.Contains(sc.Text(), m) {
					events <- m
				}
			}
		}
		close(events)
	}()
	line, err := bufio.NewReader(out).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "ADDR ")
	if err != nil || !ok {
		t.Fatalf("child did not start: %q %v", line, err)
	}
	env := &Env{Config: config.Default(), Endpoint: "http://" + addr}
	one := func(o *s3.Options) { o.RetryMaxAttempts = 1 } // the poller must not retry a dead server
	return &jobsCrash{cmd: cmd, events: events, s3: env.S3(one), gl: env.Glue(), at: env.Athena()}
}

// drain empties c.events and reports whether msg was among them.
func (c *jobsCrash) drain(msg string) bool {
	found := false
	for {
		select {
		case m, ok := <-c.events:
			if !ok {
				return found
			}
			found = found || m == msg
		default:
			return found
		}
	}
}

// kill SIGKILLs the child by PID and reaps it.
func (c *jobsCrash) kill(t *testing.T) {
	t.Helper()
	if err := syscall.Kill(c.cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	c.cmd.Wait()
}

// targetFiles lists the target table's objects by the query id that
// wrote them (result files are named <query id>_<n>.parquet).
func (c *jobsCrash) targetFiles(ctx context.Context) (map[string]int, error) {
	byQuery := map[string]int{}
	p := s3.NewListObjectsV2Paginator(c.s3, &s3.ListObjectsV2Input{Bucket: aws.String("lake"), Prefix: aws.String(crashTarget)})
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		for _, o := range page.Contents {
			name := aws.ToString(o.Key)
			name = name[strings.LastIndex(name, "/")+1:]
			qid, _, _ := strings.Cut(name, "_")
			byQuery[qid]++
		}
	}
	return byQuery, nil
}

func (c *jobsCrash) count(t *testing.T) int {
	t.Helper()
	n, err := strconv.Atoi(runQuery(t, c.at, "SELECT count(*) FROM daily", crashOut).rows[1][0])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// startRun starts a run of the job that writes the partitions
// (dt, run=label): every run adds partitions of its own to the catalog.
func (c *jobsCrash) startRun(t *testing.T, label string) string {
	t.Helper()
	st, err := c.gl.StartJobRun(t.Context(), &glue.StartJobRunInput{JobName: aws.String("daily"),
		Arguments: map[string]string{"--run": label}})
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(st.JobRunId)
}

// runState waits (with wait) for the run to end and returns its state.
func (c *jobsCrash) runState(t *testing.T, id string, wait bool) gltypes.JobRunState {
	t.Helper()
	for end := time.Now().Add(60 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		r, err := c.gl.GetJobRun(t.Context(), &glue.GetJobRunInput{JobName: aws.String("daily"), RunId: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		switch st := r.JobRun.JobRunState; st {
		case gltypes.JobRunStateSucceeded, gltypes.JobRunStateFailed, gltypes.JobRunStateError,
			gltypes.JobRunStateTimeout, gltypes.JobRunStateStopped:
			return st
		default:
			if !wait {
				return st
			}
		}
		if time.Now().After(end) {
			t.Fatalf("job run %s did not end", id)
		}
	}
}

func (c *jobsCrash) setup(t *testing.T) {
	t.Helper()
	ctx := t.Context()
	if _, err := c.s3.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("lake")}); err != nil {
		t.Fatal(err)
	}
	put := func(key, body string) {
		t.Helper()
		if _, err := c.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("lake"), Key: aws.String(key), Body: strings.NewReader(body)}); err != nil {
			t.Fatal(err)
		}
	}
	for d := range crashDays {
		day := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d).Format("2006-01-02")
		for f := range crashFilesPerDay {
			var b strings.Builder
			for r := range crashRowsPerFile {
				fmt.Fprintf(&b, "%d,%d.5,%s\n", (d*crashFilesPerDay+f)*crashRowsPerFile+r, r, day)
			}
			put(fmt.Sprintf("raw/events/%s-%d.csv", day, f), b.String())
		}
	}
	runQuery(t, c.at, "CREATE DATABASE IF NOT EXISTS shop", crashOut)
	runQuery(t, c.at, "CREATE EXTERNAL TABLE shop.raw_events (id bigint, amount double, dt string) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://lake/raw/events/'", crashOut)
	runQuery(t, c.at, "CREATE EXTERNAL TABLE shop.daily (id bigint, amount double) PARTITIONED BY (dt string, run string) STORED AS PARQUET LOCATION 's3://lake/"+crashTarget+"'", crashOut)
	put("scripts/daily.sql", "INSERT INTO daily SELECT id, amount, dt, '${run}' FROM raw_events;\n")
	if _, err := c.gl.CreateJob(ctx, &glue.CreateJobInput{Name: aws.String("daily"), Role: aws.String("arn:aws:iam::000000000000:role/glue"),
		Command:          &gltypes.JobCommand{Name: aws.String("glueetl"), ScriptLocation: aws.String("s3://lake/scripts/daily.sql")},
		DefaultArguments: map[string]string{"--database": "shop"}}); err != nil {
		t.Fatal(err)
	}
}

// TestCrashDuringJobRunIsAllOrNothing runs a Glue SQL job whose INSERT
// INTO writes 40 partitions of a Parquet table, SIGKILLs the server by
// PID during runs (at random delays, and right when the run's files
// appear in the lake, between the file commit and the catalog update),
// restarts it and checks: the table holds exactly the rows of k complete
// runs, never a part of one; the lake never lists a part of a run's
// files (polled during the runs) and holds no file of a run the table
// does not show; the interrupted run is FAILED (or SUCCEEDED if the kill
// came after it); a clean run afterwards succeeds.
func TestCrashDuringJobRunIsAllOrNothing(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test starts child processes")
	}
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 0))
	t.Logf("seed %d", seed)
	dir := t.TempDir()
	c := startJobsCrash(t, dir)
	c.setup(t)

	// One clean run: its duration bounds the random kill delays.
	began := time.Now()
	if st := c.runState(t, c.startRun(t, "first"), true); st != gltypes.JobRunStateSucceeded {
		t.Fatalf("first run: %s", st)
	}
	runTime := time.Since(began)
	k := 1
	if n := c.count(t); n != crashRowsPerRun {
		t.Fatalf("after one run: %d rows, want %d", n, crashRowsPerRun)
	}
	files, err := c.targetFiles(t.Context())
	if err != nil || len(files) != 1 {
		t.Fatalf("target files after one run: %v %v", files, err)
	}

	perRun := 0
	for _, n := range files {
		perRun = n
	}
	// Kill points, in turn: a random moment of the run; while the run's
	// files are being stored as blobs (some of them written: before the
	// commit); when the last of them has bytes (around the commit); and
	// as soon as the run's files are listed; and as soon as the child logs
	// that the write committed, before its catalog update (the restart
	// must then register the committed files).
	modes := []string{"random moment", "blobs partly staged", "last blob staged", "files listed", "write committed"}
	outcomes := map[string]int{}
	hit := map[string]int{}
	rolledFwd := 0
	const minKills, maxKills, budget = 10, 15, 20 * time.Second
	start := time.Now()
	for i := 0; i < maxKills && (i < minKills || time.Since(start) < budget/2); i++ {
		mode := modes[i%len(modes)]
		baseline := stagedBlobs(t, dir)
		staged := 1 + rng.IntN(perRun-1) // for "blobs partly staged"
		c.drain("")
		id := c.startRun(t, fmt.Sprint("kill", i))
		// The poller lists the target while the run writes: every run's
		// files must appear all at once.
		firstSeen := map[string]int{}
		var sawNew bool
		deadline := time.Now().Add(time.Duration(rng.Int64N(int64(runTime))))
		if mode == "write committed" {
			select {
			case <-c.events: // the run's only write message
			case <-time.After(30 * time.Second):
				t.Fatal("the child logged no committed write")
			}
		}
		for kill := mode == "write committed"; !kill; {
			cur, err := c.targetFiles(t.Context())
			if err != nil {
				t.Fatal(err)
			}
			for q, n := range cur {
				if _, ok := firstSeen[q]; !ok {
					firstSeen[q] = n
				}
			}
			sawNew = len(cur) > k
			switch mode {
			case "random moment":
				kill = time.Now().After(deadline)
			case "blobs partly staged":
				kill = stagedBlobs(t, dir)-baseline >= staged
			case "last blob staged":
				kill = stagedBlobs(t, dir)-baseline >= perRun
			case "files listed":
				kill = sawNew
			}
			if st := c.runState(t, id, false); !kill && st != gltypes.JobRunStateRunning && st != gltypes.JobRunStateStarting && st != gltypes.JobRunStateWaiting {
				mode = "run ended first (" + mode + ")"
				break
			}
		}
		c.kill(t)
		hit[mode]++
		c = startJobsCrash(t, dir)

		st := c.runState(t, id, true)
		n := c.count(t)
		if n%crashRowsPerRun != 0 {
			t.Fatalf("kill %d (%s): %d rows: not a whole number of runs of %d (half-written)", i, mode, n, crashRowsPerRun)
		}
		m := n / crashRowsPerRun
		switch {
		case st == gltypes.JobRunStateSucceeded && m == k+1:
			outcomes["after the run ended"]++
		case st == gltypes.JobRunStateFailed && m == k:
			outcomes["run rolled back"]++
		case st == gltypes.JobRunStateFailed && m == k+1:
			outcomes["run FAILED, its committed write kept"]++
		default:
			t.Fatalf("kill %d (%s): run %s with %d complete runs' rows, had %d", i, mode, st, m, k)
		}
		if c.drain(msgRolledFwd) {
			rolledFwd++
			hit[mode+": intent committed at restart"]++
		}
		if mode == "write committed" && m != k+1 {
			t.Errorf("kill %d (%s): the write had committed but the table shows %d runs, want %d", i, mode, m, k+1)
		}
		if sawNew && m != k+1 {
			t.Errorf("kill %d (%s): the run's files were listed before the kill but the table shows %d runs, want %d", i, mode, m, k+1)
		}
		k = m
		final, err := c.targetFiles(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if len(final) != k {
			t.Errorf("kill %d (%s): the lake holds files of %d runs, the table shows %d: %v", i, mode, len(final), k, final)
		}
		for q, n := range firstSeen {
			if final[q] != n {
				t.Errorf("kill %d (%s): query %s's files were listed %d at first sight, %d at the end (half-visible)", i, mode, q, n, final[q])
			}
		}
	}

	if st := c.runState(t, c.startRun(t, "clean"), true); st != gltypes.JobRunStateSucceeded {
		t.Fatalf("clean run after the crashes: %s", st)
	}
	if n := c.count(t); n != (k+1)*crashRowsPerRun {
		t.Fatalf("after the clean run: %d rows, want %d", n, (k+1)*crashRowsPerRun)
	}
	t.Logf("one run %v (%d files); kills in %v: points %v; outcomes %v; %d intents found committed at restart; %d complete runs in the table",
		runTime.Round(time.Millisecond), perRun, time.Since(start).Round(time.Millisecond), hit, outcomes, rolledFwd, k+1)
}

// stagedBlobs counts the lake's blob files that hold bytes (the blob
// store keeps empty files ready for new blobs).
func stagedBlobs(t *testing.T, dir string) int {
	t.Helper()
	n := 0
	err := filepath.WalkDir(filepath.Join(dir, "lake"), func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil // removed while walking
		}
		if err != nil || d.IsDir() {
			return err
		}
		if info, err := d.Info(); err == nil && info.Size() > 0 {
			n++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}
