package sql

import (
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/tarnhq/tarn/internal/kv"
)

// batchDirLake is a dirLake with PutAll: every file is copied first and
// the keys appear together, under the lake's lock. fail, when set, is
// returned before anything is written.
type batchDirLake struct {
	*dirLake
	calls int
	fail  error
}

func (l *batchDirLake) PutAll(ctx context.Context, bucket string, files []LocalFile) error {
	if l.fail != nil {
		return l.fail
	}
	l.calls++
	staged := make([]File, len(files))
	for i, f := range files {
		src, err := os.Open(f.Path)
		if err != nil {
			return err
		}
		dst, err := os.CreateTemp(l.dir, "obj-*")
		if err == nil {
			_, err = io.Copy(dst, src)
			dst.Close()
		}
		src.Close()
		if err != nil {
			return err
		}
		staged[i] = File{Key: f.Key, Path: dst.Name(), Size: f.Size}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.keys[bucket] == nil {
		l.keys[bucket] = map[string]File{}
	}
	for _, f := range staged {
		l.keys[bucket][f.Key] = f
	}
	return nil
}

// flakyCatalog is a memCatalog whose AddPartitions and CreateTable answer
// fail while it is set.
type flakyCatalog struct {
	*memCatalog
	fail error
}

func (c *flakyCatalog) AddPartitions(ctx context.Context, region, db, table string, parts []PartitionDef) error {
	if c.fail != nil {
		return c.fail
	}
	return c.memCatalog.AddPartitions(ctx, region, db, table, parts)
}

func (c *flakyCatalog) CreateTable(ctx context.Context, region string, t TableDef) error {
	if c.fail != nil {
		return c.fail
	}
	return c.memCatalog.CreateTable(ctx, region, t)
}

// intentEnv is a Service on dir over cat and lake, restartable.
type intentEnv struct {
	dir  string
	cat  Catalog
	lake Lake
	svc  *Service
	db   *kv.DB
}

func newIntentEnv(t *testing.T, cat Catalog, lake Lake) *intentEnv {
	e := &intentEnv{dir: t.TempDir(), cat: cat, lake: lake}
	e.start(t)
	t.Cleanup(e.stop)
	return e
}

func (e *intentEnv) start(t *testing.T) {
	t.Helper()
	db, err := kv.Open(filepath.Join(e.dir, "meta"), kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := New(Options{Meta: db.Space("athena/"), Catalog: e.cat, Lake: e.lake, Threads: 2,
		ScratchDir: filepath.Join(e.dir, "scratch"), PrimaryOutputLocation: outLoc})
	if err == nil {
		err = svc.Start(t.Context())
	}
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	e.svc, e.db = svc, db
}

func (e *intentEnv) stop() {
	if e.svc != nil {
		e.svc.Stop(context.Background())
		e.db.Close()
		e.svc = nil
	}
}

func (e *intentEnv) restart(t *testing.T) { e.stop(); e.start(t) }

func (e *intentEnv) exec(t *testing.T, q string) (ExecOutput, error) {
	t.Helper()
	return e.svc.Exec(t.Context(), ExecInput{Database: "default", Query: q})
}

// rowsOf runs q and returns how many rows it produced.
func (e *intentEnv) rowsOf(t *testing.T, q string) int64 {
	t.Helper()
	out, err := e.exec(t, q)
	if err != nil {
		t.Fatalf("%s: %v", q, err)
	}
	return out.Rows
}

// intents lists the ids of the write intents in Meta.
func (e *intentEnv) intents(t *testing.T) []string {
	t.Helper()
	it, err := e.svc.meta.Iter(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer it.Close()
	var ids []string
	for ok := it.First(); ok; ok = it.Next() {
		if _, rest, _ := strings.Cut(string(it.Key()), "/"); strings.HasPrefix(rest, "wi/") {
			ids = append(ids, strings.TrimPrefix(rest, "wi/"))
		}
	}
	return ids
}

// partitionsOf lists default.name's partition values, sorted.
func partitionsOf(t *testing.T, c Catalog, name string) []string {
	t.Helper()
	def, err := c.Table(t.Context(), DefaultRegion, "default", name)
	if err != nil {
		t.Fatal(err)
	}
	var vals []string
	for _, p := range def.Partitions {
		vals = append(vals, strings.Join(p.Values, "/"))
	}
	sort.Strings(vals)
	return vals
}

// evTable is a partitioned CSV table at s3://lake/ev/.
func evTable() TableDef {
	return TableDef{Database: "default", Name: "ev", Location: "s3://lake/ev/", Format: FormatCSV, Delimiter: ",",
		Columns: []Column{{Name: "id", Type: "bigint"}}, PartitionKeys: []Column{{Name: "dt", Type: "string"}}}
}

func evPart(dt string) PartitionDef {
	return PartitionDef{Values: []string{dt}, Location: "s3://lake/ev/dt=" + dt + "/"}
}

// An INSERT whose files committed before the crash gets its partitions
// at Start, each once (one was registered before the crash).
func TestIntentRollForwardInsert(t *testing.T) {
	cat, lake := newMemCatalog(), newDirLake(t.TempDir())
	if err := cat.CreateTable(t.Context(), DefaultRegion, evTable()); err != nil {
		t.Fatal(err)
	}
	e := newIntentEnv(t, cat, lake)
	lake.putString(t, "lake", "ev/dt=d1/q1_0.csv", "1\n2\n")
	lake.putString(t, "lake", "ev/dt=d2/q1_0.csv", "3\n")
	in := &writeIntent{ID: "q1", Region: DefaultRegion, Database: "default", Table: "ev", Bucket: "lake",
		Keys: []string{"ev/dt=d1/q1_0.csv", "ev/dt=d2/q1_0.csv"}, Parts: []PartitionDef{evPart("d1"), evPart("d2")}}
	if err := e.svc.recordIntent(in); err != nil {
		t.Fatal(err)
	}
	if err := cat.AddPartitions(t.Context(), DefaultRegion, "default", "ev", []PartitionDef{evPart("d1")}); err != nil {
		t.Fatal(err)
	}
	e.restart(t)
	if got := strings.Join(partitionsOf(t, cat, "ev"), " "); got != "d1 d2" {
		t.Errorf("partitions after Start: %q, want \"d1 d2\"", got)
	}
	if ids := e.intents(t); len(ids) != 0 {
		t.Errorf("intents left: %v", ids)
	}
	if n := e.rowsOf(t, "SELECT * FROM ev"); n != 3 {
		t.Errorf("%d rows, want 3", n)
	}
	e.restart(t) // nothing left to do: still once each
	if got := strings.Join(partitionsOf(t, cat, "ev"), " "); got != "d1 d2" {
		t.Errorf("partitions after a second Start: %q", got)
	}
}

// A CTAS whose files committed before the crash gets its table at Start.
func TestIntentRollForwardCTAS(t *testing.T) {
	cat, lake := newMemCatalog(), newDirLake(t.TempDir())
	e := newIntentEnv(t, cat, lake)
	def := evTable()
	def.Name, def.Partitions = "made", []PartitionDef{evPart("d1")}
	lake.putString(t, "lake", "ev/dt=d1/q2_0.csv", "7\n8\n")
	in := &writeIntent{ID: "q2", Region: DefaultRegion, Database: "default", Table: "made", Bucket: "lake",
		Keys: []string{"ev/dt=d1/q2_0.csv"}, Create: &def}
	if err := e.svc.recordIntent(in); err != nil {
		t.Fatal(err)
	}
	e.restart(t)
	if got := strings.Join(partitionsOf(t, cat, "made"), " "); got != "d1" {
		t.Errorf("partitions of the created table: %q", got)
	}
	if n := e.rowsOf(t, "SELECT * FROM made"); n != 2 {
		t.Errorf("%d rows, want 2", n)
	}
	if ids := e.intents(t); len(ids) != 0 {
		t.Errorf("intents left: %v", ids)
	}
}

// An intent whose files never committed, or (a lake without PutAll) only
// partly, is dropped at Start and registers nothing.
func TestIntentDroppedWithoutCommittedFiles(t *testing.T) {
	cat, lake := newMemCatalog(), newDirLake(t.TempDir())
	if err := cat.CreateTable(t.Context(), DefaultRegion, evTable()); err != nil {
		t.Fatal(err)
	}
	e := newIntentEnv(t, cat, lake)
	none := &writeIntent{ID: "q3", Region: DefaultRegion, Database: "default", Table: "ev", Bucket: "lake",
		Keys: []string{"ev/dt=d1/q3_0.csv"}, Parts: []PartitionDef{evPart("d1")}}
	lake.putString(t, "lake", "ev/dt=d2/q4_0.csv", "1\n")
	partial := &writeIntent{ID: "q4", Region: DefaultRegion, Database: "default", Table: "ev", Bucket: "lake",
		Keys: []string{"ev/dt=d2/q4_0.csv", "ev/dt=d3/q4_0.csv"}, Parts: []PartitionDef{evPart("d2"), evPart("d3")}}
	gone := &writeIntent{ID: "q5", Region: DefaultRegion, Database: "default", Table: "ev", Bucket: "nobucket",
		Keys: []string{"x/q5_0.csv"}}
	for _, in := range []*writeIntent{none, partial, gone} {
		if err := e.svc.recordIntent(in); err != nil {
			t.Fatal(err)
		}
	}
	e.restart(t)
	if got := partitionsOf(t, cat, "ev"); len(got) != 0 {
		t.Errorf("partitions registered: %v", got)
	}
	if ids := e.intents(t); len(ids) != 0 {
		t.Errorf("intents left: %v", ids)
	}
}

// The live path with a BatchLake: one PutAll per INSERT, no intent left
// after success; an intent is kept when the catalog fails after the
// commit and completed at the next Start; a failed PutAll leaves neither
// intent nor partition.
func TestIntentBatchLakeInsert(t *testing.T) {
	cat := &flakyCatalog{memCatalog: newMemCatalog()}
	lake := &batchDirLake{dirLake: newDirLake(t.TempDir())}
	src := TableDef{Database: "default", Name: "src", Location: "s3://lake/src/", Format: FormatCSV, Delimiter: ",",
		Columns: []Column{{Name: "id", Type: "bigint"}, {Name: "dt", Type: "string"}}}
	for _, d := range []TableDef{evTable(), src} {
		if err := cat.CreateTable(t.Context(), DefaultRegion, d); err != nil {
			t.Fatal(err)
		}
	}
	lake.putString(t, "lake", "src/a.csv", "1,d1\n2,d1\n3,d2\n4,d3\n")
	e := newIntentEnv(t, cat, lake)

	if _, err := e.exec(t, "INSERT INTO ev SELECT id, dt FROM src WHERE dt <> 'd3'"); err != nil {
		t.Fatal(err)
	}
	if lake.calls != 1 {
		t.Errorf("%d PutAll calls, want 1", lake.calls)
	}
	if got := strings.Join(partitionsOf(t, cat, "ev"), " "); got != "d1 d2" {
		t.Errorf("partitions: %q", got)
	}
	if ids := e.intents(t); len(ids) != 0 {
		t.Errorf("intents left after success: %v", ids)
	}

	cat.fail = errors.New("catalog unavailable")
	if _, err := e.exec(t, "INSERT INTO ev SELECT id, dt FROM src WHERE dt = 'd3'"); err == nil {
		t.Fatal("INSERT succeeded with a failing catalog")
	}
	if ids := e.intents(t); len(ids) != 1 {
		t.Fatalf("intents after a failed registration: %v, want 1", ids)
	}
	cat.fail = nil
	e.restart(t)
	if got := strings.Join(partitionsOf(t, cat, "ev"), " "); got != "d1 d2 d3" {
		t.Errorf("partitions after Start: %q", got)
	}
	if n := e.rowsOf(t, "SELECT * FROM ev"); n != 4 {
		t.Errorf("%d rows, want 4", n)
	}

	lake.fail = errors.New("disk full")
	if _, err := e.exec(t, "INSERT INTO ev VALUES (5, 'd4')"); err == nil {
		t.Fatal("INSERT succeeded with a failing lake")
	}
	if ids := e.intents(t); len(ids) != 0 {
		t.Errorf("intents after a failed commit: %v", ids)
	}
	if got := strings.Join(partitionsOf(t, cat, "ev"), " "); got != "d1 d2 d3" {
		t.Errorf("partitions after a failed commit: %q", got)
	}
}

func TestCommonPrefix(t *testing.T) {
	for _, c := range []struct {
		keys []string
		want string
	}{
		{[]string{"a/b/c"}, "a/b/c"},
		{[]string{"t/dt=1/x", "t/dt=2/x"}, "t/dt="},
		{[]string{"abc", "xyz"}, ""},
	} {
		if got := commonPrefix(c.keys); got != c.want {
			t.Errorf("commonPrefix(%q) = %q, want %q", c.keys, got, c.want)
		}
	}
}
