package jobs

import (
	"context"
	"fmt"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"

	"github.com/tarnhq/tarn/internal/kv"
	"github.com/tarnhq/tarn/internal/sigv4/sigv4test"
)

type harness struct {
	dir      string
	db       *kv.DB
	svc      *Service
	client   *glue.Client
	srv      *httptest.Server
	lake     *memLake
	sql      *fakeSQL
	logs     *memLogs
	crawlers *fakeCrawlers
	clock    *clock
	runner   SQLRunner // overrides sql when set before open
	minute   time.Duration
}

func newHarness(t testing.TB) *harness {
	t.Helper()
	h := &harness{dir: t.TempDir(), lake: &memLake{objs: map[string][]byte{}}, logs: &memLogs{}, crawlers: &fakeCrawlers{st: map[string]CrawlerStatus{}},
		clock: &clock{t: testStart}, minute: time.Minute}
	h.sql = &fakeSQL{lake: h.lake}
	h.open(t)
	return h
}

// open starts a Service on the harness's directory (again after close:
// a restart).
func (h *harness) open(t testing.TB) {
	t.Helper()
	db, err := kv.Open(h.dir+"/meta", kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	var runner SQLRunner = h.sql
	if h.runner != nil {
		runner = h.runner
	}
	svc, err := New(Options{DB: db, Meta: db.Space("jobs/"), Now: h.clock.now, SQL: runner, Lake: h.lake, Logs: h.logs,
		Crawlers: h.crawlers, Endpoint: "http://127.0.0.1:1", AccessKey: "test", SecretKey: "test", SchedulerInterval: -1})
	if err != nil {
		t.Fatal(err)
	}
	svc.minute = h.minute
	if err := svc.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	h.db, h.svc = db, svc
	h.srv = httptest.NewServer(sigv4test.ScopeOnly(svc.Handler()))
	h.client = glue.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(h.srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	t.Cleanup(h.close)
}

func (h *harness) close() {
	if h.svc == nil {
		return
	}
	h.srv.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_ = h.svc.Stop(ctx)
	_ = h.db.Close()
	h.svc = nil
}

// restart stops the service and opens a new one on the same data.
func (h *harness) restart(t testing.TB) {
	t.Helper()
	h.close()
	h.open(t)
}

// createJob makes a job whose script is s3://scripts/<name><ext> holding script.
func (h *harness) createJob(t testing.TB, name, command, ext, script string, mod func(*glue.CreateJobInput)) {
	t.Helper()
	key := name + ext
	h.lake.put("scripts", key, script)
	in := &glue.CreateJobInput{Name: aws.String(name), Role: aws.String("arn:aws:iam::000000000000:role/glue"),
		Command: &types.JobCommand{Name: aws.String(command), ScriptLocation: aws.String("s3://scripts/" + key)}}
	if mod != nil {
		mod(in)
	}
	if _, err := h.client.CreateJob(t.Context(), in); err != nil {
		t.Fatal(err)
	}
}

func (h *harness) start(t testing.TB, job string, args map[string]string) string {
	t.Helper()
	out, err := h.client.StartJobRun(t.Context(), &glue.StartJobRunInput{JobName: aws.String(job), Arguments: args})
	if err != nil {
		t.Fatal(err)
	}
	return *out.JobRunId
}

// wait polls the run until it is final.
func (h *harness) wait(t testing.TB, job, id string) *types.JobRun {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		out, err := h.client.GetJobRun(t.Context(), &glue.GetJobRunInput{JobName: aws.String(job), RunId: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		if terminal(string(out.JobRun.JobRunState)) {
			return out.JobRun
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatalf("run %s of %s did not finish", id, job)
	return nil
}

// waitIdle waits until no run is active.
func (h *harness) waitIdle(t testing.TB) {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		h.svc.mu.Lock()
		n := len(h.svc.active)
		h.svc.mu.Unlock()
		if n == 0 {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
	t.Fatal("runs still active")
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type memLake struct {
	mu   sync.Mutex
	objs map[string][]byte // bucket/key
}

func (l *memLake) put(bucket, key, body string) {
	l.mu.Lock()
	l.objs[bucket+"/"+key] = []byte(body)
	l.mu.Unlock()
}

func (l *memLake) Get(_ context.Context, bucket, key string) ([]byte, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.objs[bucket+"/"+key]
	if !ok {
		return nil, fmt.Errorf("get %s/%s: %w", bucket, key, ErrNoSuchObject)
	}
	return b, nil
}

func (l *memLake) list(bucket, prefix string) []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var keys []string
	for k := range l.objs {
		if rest, ok := strings.CutPrefix(k, bucket+"/"); ok && strings.HasPrefix(rest, prefix) {
			keys = append(keys, rest)
		}
	}
	sort.Strings(keys)
	return keys
}

// fakeSQL records statements. "READ bucket/prefix" reads the lake's
// objects under prefix (asking Files) and returns their count as rows;
// a statement containing FAIL fails; "BLOCK" waits for ctx.
type fakeSQL struct {
	lake *memLake
	mu   sync.Mutex
	got  []SQLRequest
	read [][]string // per READ statement: the keys read
}

func (f *fakeSQL) Exec(ctx context.Context, req SQLRequest) (SQLResult, error) {
	f.mu.Lock()
	f.got = append(f.got, req)
	f.mu.Unlock()
	st := req.Statement
	switch {
	case strings.Contains(st, "FAIL"):
		return SQLResult{}, fmt.Errorf("line 1:1: mismatched input 'FAIL'")
	case strings.Contains(st, "BLOCK"):
		<-ctx.Done()
		return SQLResult{}, ctx.Err()
	case strings.HasPrefix(st, "READ "):
		bucket, prefix, _ := strings.Cut(strings.TrimPrefix(st, "READ "), "/")
		var read []string
		for _, k := range f.lake.list(bucket, prefix) {
			if req.Files == nil || req.Files(bucket, k) {
				read = append(read, k)
			}
		}
		f.mu.Lock()
		f.read = append(f.read, read)
		f.mu.Unlock()
		return SQLResult{QueryID: "q1", Rows: int64(len(read))}, nil
	}
	return SQLResult{QueryID: "q", Rows: 1}, nil
}

func (f *fakeSQL) statements() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []string
	for _, r := range f.got {
		out = append(out, r.Statement)
	}
	return out
}

func (f *fakeSQL) reads() [][]string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][]string(nil), f.read...)
}

type memLogs struct {
	mu    sync.Mutex
	lines map[string][]string // group + " " + stream
}

func (m *memLogs) Put(_ context.Context, region, group, stream string, lines []LogLine) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.lines == nil {
		m.lines = map[string][]string{}
	}
	for _, l := range lines {
		m.lines[group+" "+stream] = append(m.lines[group+" "+stream], l.Message)
	}
	return nil
}

func (m *memLogs) get(group, stream string) string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return strings.Join(m.lines[group+" "+stream], "\n")
}

// fakeCrawlers: StartCrawler marks the crawler RUNNING; finish ends its crawl.
type fakeCrawlers struct {
	mu      sync.Mutex
	st      map[string]CrawlerStatus
	started []string
	now     func() time.Time
}

func (f *fakeCrawlers) add(name string) {
	f.mu.Lock()
	f.st[name] = CrawlerStatus{State: "READY"}
	f.mu.Unlock()
}

func (f *fakeCrawlers) StartCrawler(_ context.Context, region, name string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	st, ok := f.st[name]
	if !ok {
		return fmt.Errorf("crawler %s not found", name)
	}
	if st.State != "READY" {
		return fmt.Errorf("crawler %s is running", name)
	}
	st.State = "RUNNING"
	if f.now != nil {
		st.LastCrawlStarted = f.now()
	}
	f.st[name] = st
	f.started = append(f.started, name)
	return nil
}

func (f *fakeCrawlers) finish(name, result string, started time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st := f.st[name]
	st.State, st.LastCrawl = "READY", result
	if !started.IsZero() {
		st.LastCrawlStarted = started
	}
	f.st[name] = st
}

func (f *fakeCrawlers) CrawlerStatus(_ context.Context, region, name string) (CrawlerStatus, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	st, ok := f.st[name]
	if !ok {
		return CrawlerStatus{}, fmt.Errorf("crawler %s not found", name)
	}
	return st, nil
}

func (f *fakeCrawlers) startedList() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.started...)
}

var testStart = time.Date(2026, 3, 1, 11, 0, 0, 0, time.UTC)
