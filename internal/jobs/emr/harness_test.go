package emr

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/aws-sdk-go-v2/service/emr/types"
	"github.com/aws/smithy-go"

	"github.com/tarnhq/tarn/internal/kv"
	"github.com/tarnhq/tarn/internal/sigv4/sigv4test"
)

// clock is a settable clock; each reading advances it by one second so
// timelines are ordered without sleeping.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(time.Second)
	return c.t
}

// memLake is an in-memory Lake.
type memLake struct {
	mu   sync.Mutex
	objs map[string][]byte
}

func (l *memLake) Get(_ context.Context, bucket, key string) ([]byte, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.objs[bucket+"/"+key]
	if !ok {
		return nil, fmt.Errorf("NoSuchKey: s3://%s/%s", bucket, key)
	}
	return b, nil
}

func (l *memLake) Put(_ context.Context, bucket, key string, body []byte) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.objs[bucket+"/"+key] = append([]byte(nil), body...)
	return nil
}

func (l *memLake) put(uri, body string) {
	b, k, _ := parseS3(uri)
	_ = l.Put(context.Background(), b, k, []byte(body))
}

// gunzip returns the text of a gzipped lake object.
func (l *memLake) gunzip(t *testing.T, uri string) string {
	t.Helper()
	b, k, _ := parseS3(uri)
	raw, err := l.Get(context.Background(), b, k)
	if err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// fakeSQL records statements. A statement containing FAIL fails with
// "boom"; one containing BLOCK waits for release (or its context).
type fakeSQL struct {
	mu      sync.Mutex
	got     []SQLRequest
	release chan struct{}
	entered chan string // receives BLOCK statements as they start
}

func newFakeSQL() *fakeSQL {
	return &fakeSQL{release: make(chan struct{}), entered: make(chan string, 16)}
}

func (f *fakeSQL) Exec(ctx context.Context, req SQLRequest) (SQLResult, error) {
	f.mu.Lock()
	f.got = append(f.got, req)
	n := len(f.got)
	f.mu.Unlock()
	if strings.Contains(req.Statement, "BLOCK") {
		f.entered <- req.Statement
		select {
		case <-f.release:
		case <-ctx.Done():
			return SQLResult{}, ctx.Err()
		}
	}
	if strings.Contains(req.Statement, "FAIL") {
		return SQLResult{}, errors.New("boom: table not found")
	}
	return SQLResult{QueryID: fmt.Sprintf("q-%d", n), Rows: int64(n)}, nil
}

func (f *fakeSQL) statements() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, len(f.got))
	for i, r := range f.got {
		out[i] = r.Statement
	}
	return out
}

type harness struct {
	dir    string
	db     *kv.DB
	svc    *Service
	client *awsemr.Client
	srv    *httptest.Server
	sql    SQLRunner
	fake   *fakeSQL
	lake   *memLake
	clock  *clock
	opts   Options
}

// newHarness runs a Service on a fresh Pebble directory with a fake SQL
// runner, an in-memory lake and a fake clock, and returns an EMR SDK
// client for it (no platform, no SigV4 check).
func newHarness(t testing.TB) *harness {
	t.Helper()
	f := newFakeSQL()
	h := &harness{dir: t.TempDir(), fake: f, sql: f, lake: &memLake{objs: map[string][]byte{}},
		clock: &clock{t: time.Date(2026, 3, 1, 11, 0, 0, 0, time.UTC)}}
	h.open(t)
	return h
}

func (h *harness) open(t testing.TB) {
	t.Helper()
	db, err := kv.Open(h.dir+"/meta", kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	o := h.opts
	o.DB, o.Meta, o.SQL, o.Lake, o.Now = db, db.Space("emr/"), h.sql, h.lake, h.clock.now
	svc, err := New(o)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	h.db, h.svc = db, svc
	h.srv = httptest.NewServer(sigv4test.ScopeOnly(svc.Handler()))
	h.client = awsemr.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(h.srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	t.Cleanup(h.close)
}

func (h *harness) close() {
	if h.svc == nil {
		return
	}
	h.srv.Close()
	_ = h.svc.Stop(context.Background())
	_ = h.db.Close()
	h.svc = nil
}

func (h *harness) reopen(t testing.TB) {
	t.Helper()
	h.close()
	h.open(t)
}

// waitFor waits until cond holds, re-checking after every committed
// change. The deadline only keeps a broken test from hanging.
func (h *harness) waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.NewTimer(30 * time.Second)
	defer deadline.Stop()
	for {
		h.svc.mu.Lock()
		ch := h.svc.changed
		h.svc.mu.Unlock()
		if cond() {
			return
		}
		select {
		case <-ch:
		case <-deadline.C:
			t.Fatalf("timed out waiting for %s", what)
		}
	}
}

func (h *harness) cluster(t testing.TB, id string) *types.Cluster {
	t.Helper()
	out, err := h.client.DescribeCluster(context.Background(), &awsemr.DescribeClusterInput{ClusterId: &id})
	if err != nil {
		t.Fatal(err)
	}
	return out.Cluster
}

// waitState waits for the cluster to reach state and returns it.
func (h *harness) waitState(t testing.TB, id string, state types.ClusterState) *types.Cluster {
	t.Helper()
	var c *types.Cluster
	h.waitFor(t, fmt.Sprintf("cluster %s %s", id, state), func() bool {
		c = h.cluster(t, id)
		return c.Status.State == state
	})
	return c
}

func (h *harness) step(t testing.TB, cluster, step string) *types.Step {
	t.Helper()
	out, err := h.client.DescribeStep(context.Background(), &awsemr.DescribeStepInput{ClusterId: &cluster, StepId: &step})
	if err != nil {
		t.Fatal(err)
	}
	return out.Step
}

func (h *harness) waitStep(t testing.TB, cluster, step string, state types.StepState) *types.Step {
	t.Helper()
	var s *types.Step
	h.waitFor(t, fmt.Sprintf("step %s %s", step, state), func() bool {
		s = h.step(t, cluster, step)
		return s.Status.State == state
	})
	return s
}

// stepIDs lists the cluster's step ids oldest first.
func (h *harness) stepIDs(t testing.TB, cluster string) []string {
	t.Helper()
	out, err := h.client.ListSteps(context.Background(), &awsemr.ListStepsInput{ClusterId: &cluster})
	if err != nil {
		t.Fatal(err)
	}
	ids := make([]string, len(out.Steps))
	for i, s := range out.Steps {
		ids[len(ids)-1-i] = *s.Id
	}
	return ids
}

// run starts a cluster with the steps; keep keeps it alive when idle.
func (h *harness) run(t testing.TB, name string, keep bool, steps ...types.StepConfig) string {
	t.Helper()
	out, err := h.client.RunJobFlow(context.Background(), &awsemr.RunJobFlowInput{Name: aws.String(name),
		ReleaseLabel: aws.String("emr-7.1.0"),
		Instances: &types.JobFlowInstancesConfig{MasterInstanceType: aws.String("m5.xlarge"),
			SlaveInstanceType: aws.String("m5.xlarge"), InstanceCount: aws.Int32(3), KeepJobFlowAliveWhenNoSteps: aws.Bool(keep)},
		Steps: steps, Applications: []types.Application{{Name: aws.String("Spark")}},
		ServiceRole: aws.String("EMR_DefaultRole"), JobFlowRole: aws.String("EMR_EC2_DefaultRole")})
	if err != nil {
		t.Fatal(err)
	}
	return *out.JobFlowId
}

// sqlStep is a command-runner.jar step with args.
func sqlStep(name string, aof types.ActionOnFailure, args ...string) types.StepConfig {
	return types.StepConfig{Name: aws.String(name), ActionOnFailure: aof,
		HadoopJarStep: &types.HadoopJarStepConfig{Jar: aws.String("command-runner.jar"), Args: args}}
}

func wantCode(t testing.TB, err error, code string) smithy.APIError {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if ae.ErrorCode() != code {
		t.Fatalf("err code = %s (%s), want %s", ae.ErrorCode(), ae.ErrorMessage(), code)
	}
	return ae
}

func errorsAs[T error](err error, target *T) bool { return errors.As(err, target) }
