package sql

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	"github.com/aws/aws-sdk-go-v2/service/athena/types"

	"github.com/tarnhq/tarn/internal/kv"
)

// memCatalog is a Catalog over a map (tests only).
type memCatalog struct {
	mu     sync.Mutex
	dbs    map[string]bool
	tables map[string]TableDef // db + "." + name
}

func newMemCatalog() *memCatalog {
	return &memCatalog{dbs: map[string]bool{"default": true}, tables: map[string]TableDef{}}
}

func (c *memCatalog) Databases(ctx context.Context, region string) ([]string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for d := range c.dbs {
		out = append(out, d)
	}
	sort.Strings(out)
	return out, nil
}

func (c *memCatalog) CreateDatabase(ctx context.Context, region, name string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.dbs[name] {
		return ErrExists
	}
	c.dbs[name] = true
	return nil
}

func (c *memCatalog) DropDatabase(ctx context.Context, region, name string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.dbs[name] {
		return ErrDatabaseNotFound
	}
	delete(c.dbs, name)
	return nil
}

func (c *memCatalog) Table(ctx context.Context, region, db, name string) (*TableDef, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.dbs[db] {
		return nil, fmt.Errorf("db %s: %w", db, ErrDatabaseNotFound)
	}
	t, ok := c.tables[db+"."+name]
	if !ok {
		return nil, fmt.Errorf("%s.%s: %w", db, name, ErrTableNotFound)
	}
	t.Partitions = append([]PartitionDef(nil), t.Partitions...)
	return &t, nil
}

func (c *memCatalog) Tables(ctx context.Context, region, db string) ([]TableDef, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.dbs[db] {
		return nil, ErrDatabaseNotFound
	}
	var out []TableDef
	for _, t := range c.tables {
		if t.Database == db {
			out = append(out, t)
		}
	}
	return out, nil
}

func (c *memCatalog) CreateTable(ctx context.Context, region string, t TableDef) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.dbs[t.Database] {
		return ErrDatabaseNotFound
	}
	if _, ok := c.tables[t.Database+"."+t.Name]; ok {
		return ErrExists
	}
	c.tables[t.Database+"."+t.Name] = t
	return nil
}

func (c *memCatalog) DropTable(ctx context.Context, region, db, name string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.tables[db+"."+name]; !ok {
		return ErrTableNotFound
	}
	delete(c.tables, db+"."+name)
	return nil
}

func (c *memCatalog) AddPartitions(ctx context.Context, region, db, table string, parts []PartitionDef) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	t, ok := c.tables[db+"."+table]
	if !ok {
		return ErrTableNotFound
	}
	t.Partitions = append(t.Partitions, parts...)
	c.tables[db+"."+table] = t
	return nil
}

// dirLake is a Lake over a directory: objects are files named by the hash
// of bucket/key (as tarn's lake names them by id, not by key).
type dirLake struct {
	dir  string
	mu   sync.Mutex
	keys map[string]map[string]File // bucket → key → file
}

func newDirLake(dir string) *dirLake {
	return &dirLake{dir: dir, keys: map[string]map[string]File{}}
}

func (l *dirLake) LocalDirs() []string { return []string{l.dir} }

func (l *dirLake) Files(ctx context.Context, bucket, prefix string) ([]File, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []File
	for k, f := range l.keys[bucket] {
		if strings.HasPrefix(k, prefix) {
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out, nil
}

func (l *dirLake) Put(ctx context.Context, bucket, key string, r io.Reader, size int64, ct string) error {
	h := sha256.Sum256([]byte(bucket + "/" + key + time.Now().String()))
	p := filepath.Join(l.dir, hex.EncodeToString(h[:16]))
	f, err := os.Create(p)
	if err != nil {
		return err
	}
	n, err := io.Copy(f, r)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	if n != size {
		return fmt.Errorf("put %s: %d bytes, want %d", key, n, size)
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.keys[bucket] == nil {
		l.keys[bucket] = map[string]File{}
	}
	l.keys[bucket][key] = File{Key: key, Path: p, Size: n}
	return nil
}

func (l *dirLake) Get(ctx context.Context, bucket, key string) (io.ReadCloser, error) {
	l.mu.Lock()
	f, ok := l.keys[bucket][key]
	l.mu.Unlock()
	if !ok {
		return nil, fmt.Errorf("no such key %s", key)
	}
	return os.Open(f.Path)
}

func (l *dirLake) putString(t testing.TB, bucket, key, body string) {
	t.Helper()
	if err := l.Put(context.Background(), bucket, key, strings.NewReader(body), int64(len(body)), "text/plain"); err != nil {
		t.Fatal(err)
	}
}

type harness struct {
	svc     *Service
	client  *athena.Client
	catalog *memCatalog
	lake    *dirLake
	db      *kv.DB
	dir     string
	srv     *httptest.Server
}

const outLoc = "s3://results/athena/"

// newHarness runs a Service on httptest with an in-memory catalog and a
// directory lake, and returns an SDK client for it.
func newHarness(t testing.TB, opts Options) *harness {
	t.Helper()
	dir := t.TempDir()
	h := &harness{catalog: newMemCatalog(), lake: newDirLake(filepath.Join(dir, "lake")), dir: dir}
	if err := os.MkdirAll(h.lake.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	h.start(t, opts)
	return h
}

func (h *harness) start(t testing.TB, opts Options) {
	t.Helper()
	db, err := kv.Open(filepath.Join(h.dir, "meta"), kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	opts.Meta, opts.Catalog, opts.Lake = db.Space("athena/"), h.catalog, h.lake
	opts.ScratchDir = filepath.Join(h.dir, "scratch")
	if opts.PrimaryOutputLocation == "" {
		opts.PrimaryOutputLocation = outLoc
	}
	if opts.Threads == 0 {
		opts.Threads = 2
	}
	svc, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := svc.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc.Handler())
	h.svc, h.db, h.srv = svc, db, srv
	h.client = athena.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
	t.Cleanup(h.stop)
}

func (h *harness) stop() {
	if h.srv == nil {
		return
	}
	h.srv.Close()
	h.svc.Stop(context.Background())
	h.db.Close()
	h.srv = nil
}

// restart stops the service and starts a new one on the same data.
func (h *harness) restart(t testing.TB, opts Options) {
	h.stop()
	h.start(t, opts)
}

// start submits q in database db and returns its id.
func (h *harness) submit(t testing.TB, db, q string, params ...string) string {
	t.Helper()
	in := &athena.StartQueryExecutionInput{QueryString: aws.String(q),
		QueryExecutionContext: &types.QueryExecutionContext{Database: aws.String(db)}}
	if len(params) > 0 {
		in.ExecutionParameters = params
	}
	out, err := h.client.StartQueryExecution(context.Background(), in)
	if err != nil {
		t.Fatalf("start %q: %v", q, err)
	}
	return *out.QueryExecutionId
}

// wait polls GetQueryExecution until the query ends.
func (h *harness) wait(t testing.TB, id string) *types.QueryExecution {
	t.Helper()
	for {
		out, err := h.client.GetQueryExecution(context.Background(), &athena.GetQueryExecutionInput{QueryExecutionId: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		switch out.QueryExecution.Status.State {
		case types.QueryExecutionStateSucceeded, types.QueryExecutionStateFailed, types.QueryExecutionStateCancelled:
			return out.QueryExecution
		}
		time.Sleep(5 * time.Millisecond) // polling, as Athena clients do
	}
}

// run submits q, waits, and fails the test unless it succeeded.
func (h *harness) run(t testing.TB, db, q string, params ...string) *types.QueryExecution {
	t.Helper()
	qe := h.wait(t, h.submit(t, db, q, params...))
	if qe.Status.State != types.QueryExecutionStateSucceeded {
		t.Fatalf("%s: %s: %s", q, qe.Status.State, aws.ToString(qe.Status.StateChangeReason))
	}
	return qe
}

// fail submits q and returns the StateChangeReason of its failure.
func (h *harness) fail(t testing.TB, db, q string) *types.QueryExecution {
	t.Helper()
	qe := h.wait(t, h.submit(t, db, q))
	if qe.Status.State != types.QueryExecutionStateFailed {
		t.Fatalf("%s: %s, want FAILED", q, qe.Status.State)
	}
	return qe
}

// rows returns every row of a query's results (all pages) as strings,
// "NULL" for a missing VarCharValue.
func (h *harness) rows(t testing.TB, id string, page int32) [][]string {
	t.Helper()
	var out [][]string
	p := athena.NewGetQueryResultsPaginator(h.client, &athena.GetQueryResultsInput{QueryExecutionId: aws.String(id), MaxResults: aws.Int32(page)})
	for p.HasMorePages() {
		res, err := p.NextPage(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range res.ResultSet.Rows {
			var row []string
			for _, d := range r.Data {
				if d.VarCharValue == nil {
					row = append(row, "NULL")
				} else {
					row = append(row, *d.VarCharValue)
				}
			}
			out = append(out, row)
		}
	}
	return out
}

func (h *harness) query(t testing.TB, db, q string) [][]string {
	t.Helper()
	return h.rows(t, *h.run(t, db, q).QueryExecutionId, 1000)
}
