package function

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

// shardKinesis is a stream with several shards and their lineage, in
// memory; it implements KinesisShardLister.
type shardKinesis struct {
	mu     sync.Mutex
	arn    string
	shards []*fakeShard
	seq    int
	ch     chan struct{}
}

type fakeShard struct {
	KinesisShard
	recs []KinesisRecord
}

var _ KinesisShardLister = (*shardKinesis)(nil)

func newShardKinesis(ids ...string) *shardKinesis {
	k := &shardKinesis{arn: "arn:aws:kinesis:us-east-1:000000000000:stream/multi", ch: make(chan struct{})}
	for _, id := range ids {
		k.shards = append(k.shards, &fakeShard{KinesisShard: KinesisShard{ID: id}})
	}
	return k
}

func (k *shardKinesis) shard(id string) *fakeShard {
	for _, s := range k.shards {
		if s.ID == id {
			return s
		}
	}
	return nil
}

// put appends records (data) with partition key pk to shard, arrived at
// arrival (zero: now); it returns their sequence numbers.
func (k *shardKinesis) put(shard, pk string, arrival time.Time, data ...string) []string {
	k.mu.Lock()
	var seqs []string
	s := k.shard(shard)
	if arrival.IsZero() {
		arrival = time.Now()
	}
	for _, d := range data {
		k.seq++
		seq := fmt.Sprintf("%05d", k.seq)
		s.recs = append(s.recs, KinesisRecord{SequenceNumber: seq, PartitionKey: pk, Data: []byte(d), ArrivalTime: arrival})
		seqs = append(seqs, seq)
	}
	k.notifyLocked()
	k.mu.Unlock()
	return seqs
}

func (k *shardKinesis) notifyLocked() {
	close(k.ch)
	k.ch = make(chan struct{})
}

// split closes parent and adds children with parent as their parent.
func (k *shardKinesis) split(parent string, children ...string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.shard(parent).Closed = true
	for _, c := range children {
		k.shards = append(k.shards, &fakeShard{KinesisShard: KinesisShard{ID: c, Parents: []string{parent}}})
	}
	k.notifyLocked()
}

func (k *shardKinesis) ListShards(ctx context.Context, arn string) ([]KinesisShard, error) {
	if arn != k.arn {
		return nil, ErrSourceNotFound
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	var out []KinesisShard
	for _, s := range k.shards {
		out = append(out, s.KinesisShard)
	}
	return out, nil
}

func (k *shardKinesis) Shards(ctx context.Context, arn string) ([]string, error) {
	shards, err := k.ListShards(ctx, arn)
	var ids []string
	for _, s := range shards {
		ids = append(ids, s.ID)
	}
	return ids, err
}

func (k *shardKinesis) Read(ctx context.Context, arn, shard string, from KinesisPosition, limit int) ([]KinesisRecord, error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	s := k.shard(shard)
	if s == nil {
		return nil, ErrSourceNotFound
	}
	var out []KinesisRecord
	for _, r := range s.recs {
		if (from.After != "" && r.SequenceNumber <= from.After) || (from.After == "" && r.ArrivalTime.Before(from.At)) {
			continue
		}
		if len(out) < limit {
			out = append(out, r)
		}
	}
	return out, nil
}

func (k *shardKinesis) Changed(ctx context.Context, arn string) (<-chan struct{}, func(), error) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.ch, func() {}, nil
}

// memObjects is an ObjectWriter in memory.
type memObjects struct {
	mu   sync.Mutex
	objs map[string][]byte // "bucket/key"
}

func (o *memObjects) PutObject(ctx context.Context, bucket, key string, body []byte, contentType string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if bucket != "dlq" {
		return fmt.Errorf("no such bucket %s", bucket)
	}
	if o.objs == nil {
		o.objs = map[string][]byte{}
	}
	o.objs[bucket+"/"+key] = append([]byte(nil), body...)
	return nil
}

func (o *memObjects) keys() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var ks []string
	for k := range o.objs {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// stepPy records each event as OUT_DIR/b<ns>-<pid>.json, then acts on
// each Kinesis record's data:
//   - "wait...": blocks until STATE/go exists;
//   - "bad...": raises (a function error), every time;
//   - "pfail...": reported in batchItemFailures the first time it is seen
//     (and while STATE/hold exists);
//   - "badid": the first time, answers a batchItemFailures whose
//     itemIdentifier is not in the batch.
const stepPy = `import base64, json, os, time
def handler(event, context):
    out, state = os.environ["OUT_DIR"], os.environ["STATE"]
    name = "b%020d-%d.json" % (time.time_ns(), os.getpid())
    with open(os.path.join(out, name + ".tmp"), "w") as f:
        json.dump(event, f)
    os.rename(os.path.join(out, name + ".tmp"), os.path.join(out, name))
    failures = []
    for r in event["Records"]:
        if "kinesis" not in r:
            continue
        d = base64.b64decode(r["kinesis"]["data"]).decode("utf-8", "replace")
        seq = r["kinesis"]["sequenceNumber"]
        if d.startswith("wait"):
            while not os.path.exists(os.path.join(state, "go")):
                time.sleep(0.01)
        if d.startswith("bad"):
            if d == "badid":
                p = os.path.join(state, "badid")
                if not os.path.exists(p):
                    open(p, "w").close()
                    return {"batchItemFailures": [{"itemIdentifier": "nope"}]}
                continue
            raise Exception("bad record")
        if d.startswith("pfail"):
            p = os.path.join(state, d)
            if not os.path.exists(p) or os.path.exists(os.path.join(state, "hold")):
                open(p, "w").close()
                failures.append({"itemIdentifier": seq})
    return {"batchItemFailures": failures}
`

type stepEnv struct {
	h          *harness
	m          *Mappings
	kin        *shardKinesis
	src        KinesisSource
	objs       *memObjects
	out, state string
}

func newStepEnv(t *testing.T, kin *shardKinesis) *stepEnv { return newStepEnvSource(t, kin, kin) }

// idsOnly is a KinesisSource without KinesisShardLister.
type idsOnly struct{ k *shardKinesis }

func (s idsOnly) Shards(ctx context.Context, arn string) ([]string, error) {
	return s.k.Shards(ctx, arn)
}
func (s idsOnly) Read(ctx context.Context, arn, shard string, from KinesisPosition, limit int) ([]KinesisRecord, error) {
	return s.k.Read(ctx, arn, shard, from, limit)
}
func (s idsOnly) Changed(ctx context.Context, arn string) (<-chan struct{}, func(), error) {
	return s.k.Changed(ctx, arn)
}

// newStepEnvSource runs the mappings over src, which reads kin.
func newStepEnvSource(t *testing.T, kin *shardKinesis, src KinesisSource) *stepEnv {
	if _, err := interpreter("python3.12"); err != nil {
		t.Skip("python3 is not installed")
	}
	objs := &memObjects{}
	h := newHarnessOpts(t, Options{Objects: objs})
	e := &stepEnv{h: h, kin: kin, src: src, objs: objs, out: t.TempDir(), state: t.TempDir()}
	h.create(t, &lambda.CreateFunctionInput{FunctionName: aws.String("step"), Runtime: types.RuntimePython312,
		Handler: aws.String("step.handler"), Timeout: aws.Int32(120),
		Code:        &types.FunctionCode{ZipFile: zipFiles(t, map[string][]byte{"step.py": []byte(stepPy)}, 0o644)},
		Environment: &types.Environment{Variables: map[string]string{"OUT_DIR": e.out, "STATE": e.state}}})
	e.start(t)
	return e
}

func (e *stepEnv) start(t *testing.T) {
	m, err := NewMappings(e.h.svc, MappingOptions{Kinesis: e.src, RetryDelay: time.Millisecond, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Stop(context.Background()) })
	e.m = m
}

// restart stops the mappings and starts them again: the pollers resume
// from the stored checkpoints.
func (e *stepEnv) restart(t *testing.T) {
	if err := e.m.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := e.m.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func (e *stepEnv) create(t *testing.T, in *lambda.CreateEventSourceMappingInput) string {
	t.Helper()
	in.EventSourceArn, in.FunctionName = aws.String(e.kin.arn), aws.String("step")
	if in.StartingPosition == "" {
		in.StartingPosition = types.EventSourcePositionTrimHorizon
	}
	out, err := e.h.client.CreateEventSourceMapping(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	return aws.ToString(out.UUID)
}

// batches returns each batch the function got, as "data@seq" strings,
// in the order the invocations started.
func (e *stepEnv) batches(t *testing.T) [][]string {
	t.Helper()
	names, _ := os.ReadDir(e.out)
	var files []string
	for _, n := range names {
		if strings.HasSuffix(n.Name(), ".json") {
			files = append(files, n.Name())
		}
	}
	sort.Strings(files)
	var out [][]string
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(e.out, f))
		if err != nil {
			t.Fatal(err)
		}
		var ev struct {
			Records []struct {
				Kinesis struct {
					Data           []byte `json:"data"`
					SequenceNumber string `json:"sequenceNumber"`
				} `json:"kinesis"`
			}
		}
		if err := json.Unmarshal(b, &ev); err != nil {
			t.Fatal(err)
		}
		var recs []string
		for _, r := range ev.Records {
			recs = append(recs, string(r.Kinesis.Data)+"@"+strings.TrimLeft(r.Kinesis.SequenceNumber, "0"))
		}
		out = append(out, recs)
	}
	return out
}

func (e *stepEnv) waitCheckpoint(t *testing.T, id, shard, seq string) {
	t.Helper()
	esmWait(t, shard+" checkpoint "+seq, func() bool { c, _ := e.m.checkpoint(id, shard); return c == seq })
}

func (e *stepEnv) checkpointIs(t *testing.T, id, shard, want string) {
	t.Helper()
	if c, err := e.m.checkpoint(id, shard); err != nil || c != want {
		t.Fatalf("%s checkpoint %q (%v), want %q", shard, c, err, want)
	}
}

func equalBatches(got, want [][]string) bool { return slices.EqualFunc(got, want, slices.Equal) }
