package function

import (
	"context"
	"encoding/json"
	"errors"
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

const esmShard = "shardId-000000000000"

// fakeKinesis is one stream with one shard, in memory.
type fakeKinesis struct {
	mu     sync.Mutex
	arn    string
	recs   []KinesisRecord
	notify chan struct{}
}

func (f *fakeKinesis) put(n int) {
	for range n {
		f.putData(fmt.Sprintf("r%d", len(f.recs)+1))
	}
}

func (f *fakeKinesis) putData(data ...string) {
	f.mu.Lock()
	for _, d := range data {
		f.recs = append(f.recs, KinesisRecord{SequenceNumber: fmt.Sprintf("%05d", len(f.recs)+1),
			PartitionKey: "pk", Data: []byte(d), ArrivalTime: time.Now()})
	}
	f.mu.Unlock()
	select {
	case f.notify <- struct{}{}:
	default:
	}
}

func (f *fakeKinesis) Shards(ctx context.Context, arn string) ([]string, error) {
	if arn != f.arn {
		return nil, ErrSourceNotFound
	}
	return []string{esmShard}, nil
}

func (f *fakeKinesis) Read(ctx context.Context, arn, shard string, from KinesisPosition, limit int) ([]KinesisRecord, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []KinesisRecord
	for _, r := range f.recs {
		if (from.After != "" && r.SequenceNumber <= from.After) || (from.After == "" && r.ArrivalTime.Before(from.At)) {
			continue
		}
		if len(out) < limit {
			out = append(out, r)
		}
	}
	return out, nil
}

func (f *fakeKinesis) Changed(ctx context.Context, arn string) (<-chan struct{}, func(), error) {
	return f.notify, func() {}, nil
}

// fakeDynamo is one DynamoDB stream, in memory.
type fakeDynamo struct {
	mu   sync.Mutex
	arn  string
	recs []DynamoRecord
	ch   chan struct{}
}

func (f *fakeDynamo) put(n int) {
	f.mu.Lock()
	for range n {
		seq := fmt.Sprintf("%021d", len(f.recs)+1)
		ev, _ := json.Marshal(map[string]any{"eventID": seq, "eventName": "INSERT", "eventVersion": "1.1",
			"eventSource": "aws:dynamodb", "dynamodb": map[string]any{"SequenceNumber": seq}, "eventSourceARN": f.arn})
		f.recs = append(f.recs, DynamoRecord{SequenceNumber: seq, Event: ev})
	}
	close(f.ch)
	f.ch = make(chan struct{})
	f.mu.Unlock()
}

func (f *fakeDynamo) Read(ctx context.Context, arn, after string, limit int) ([]DynamoRecord, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var out []DynamoRecord
	for _, r := range f.recs {
		if r.SequenceNumber > after && len(out) < limit {
			out = append(out, r)
		}
	}
	return out, nil
}

func (f *fakeDynamo) Changed(ctx context.Context, arn string) (<-chan struct{}, error) {
	if arn != f.arn {
		return nil, ErrSourceNotFound
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.ch, nil
}

// recorderPy writes each event to OUT_DIR as bNNNNNN.json and fails while
// the number in the file FAILS is not 0 (counting down; negative: always)
// or a Kinesis record's data is "bad".
const recorderPy = `import base64, json, os
def handler(event, context):
    out = os.environ["OUT_DIR"]
    n = len(os.listdir(out))
    with open(os.path.join(out, "b%06d.json" % n), "w") as f:
        json.dump(event, f)
    for r in event["Records"]:
        if "kinesis" in r and base64.b64decode(r["kinesis"]["data"]) == b"bad":
            raise Exception("bad record")
    ctl = os.environ["FAILS"]
    if os.path.exists(ctl):
        left = int(open(ctl).read())
        if left > 0:
            open(ctl, "w").write(str(left - 1))
        if left != 0:
            raise Exception("boom")
    return "ok"
`

type esmEnv struct {
	h          *harness
	m          *Mappings
	kin        *fakeKinesis
	dyn        *fakeDynamo
	out, fails string
}

func newESMEnv(t *testing.T) *esmEnv {
	if _, err := interpreter("python3.12"); err != nil {
		t.Skip("python3 is not installed")
	}
	h := newHarness(t)
	e := &esmEnv{h: h, out: t.TempDir(), fails: filepath.Join(t.TempDir(), "fails"),
		kin: &fakeKinesis{arn: "arn:aws:kinesis:us-east-1:000000000000:stream/s", notify: make(chan struct{}, 1)},
		dyn: &fakeDynamo{arn: "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/2026-01-01T00:00:00.000", ch: make(chan struct{})}}
	h.create(t, &lambda.CreateFunctionInput{FunctionName: aws.String("rec"), Runtime: types.RuntimePython312,
		Handler: aws.String("rec.handler"), Code: &types.FunctionCode{ZipFile: zipFiles(t, map[string][]byte{"rec.py": []byte(recorderPy)}, 0o644)},
		Environment: &types.Environment{Variables: map[string]string{"OUT_DIR": e.out, "FAILS": e.fails}}})
	m, err := NewMappings(h.svc, MappingOptions{Kinesis: e.kin, Dynamo: e.dyn, RetryDelay: time.Millisecond, PollInterval: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Stop(context.Background()) })
	e.m = m
	return e
}

// batches returns the sequence numbers of each batch the function got.
func (e *esmEnv) batches(t *testing.T) [][]string {
	t.Helper()
	names, _ := os.ReadDir(e.out)
	var files []string
	for _, n := range names {
		files = append(files, n.Name())
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
				Kinesis  struct{ SequenceNumber string } `json:"kinesis"`
				Dynamodb struct{ SequenceNumber string } `json:"dynamodb"`
			}
		}
		if err := json.Unmarshal(b, &ev); err != nil {
			continue // being written
		}
		var seqs []string
		for _, r := range ev.Records {
			seqs = append(seqs, strings.TrimLeft(r.Kinesis.SequenceNumber+r.Dynamodb.SequenceNumber, "0"))
		}
		out = append(out, seqs)
	}
	return out
}

func esmWait(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (e *esmEnv) waitCheckpoint(t *testing.T, id, shard, seq string) {
	t.Helper()
	esmWait(t, "checkpoint "+seq, func() bool { c, _ := e.m.checkpoint(id, shard); return c == seq })
}

func (e *esmEnv) waitState(t *testing.T, id, state string) {
	t.Helper()
	esmWait(t, "state "+state, func() bool {
		out, err := e.h.client.GetEventSourceMapping(t.Context(), &lambda.GetEventSourceMappingInput{UUID: aws.String(id)})
		return err == nil && aws.ToString(out.State) == state
	})
}

func (e *esmEnv) create(t *testing.T, src string, batch int32) string {
	t.Helper()
	out, err := e.h.client.CreateEventSourceMapping(t.Context(), &lambda.CreateEventSourceMappingInput{
		EventSourceArn: aws.String(src), FunctionName: aws.String("rec"), BatchSize: aws.Int32(batch),
		StartingPosition: types.EventSourcePositionTrimHorizon})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.State) != "Creating" || aws.ToInt32(out.MaximumRetryAttempts) != -1 {
		t.Fatalf("create: state %v retries %v", aws.ToString(out.State), aws.ToInt32(out.MaximumRetryAttempts))
	}
	return aws.ToString(out.UUID)
}

func TestMappingKinesisOrderCheckpointRestart(t *testing.T) {
	e := newESMEnv(t)
	e.kin.put(5)
	id := e.create(t, e.kin.arn, 2)
	e.waitCheckpoint(t, id, esmShard, "00005")
	if got, want := e.batches(t), [][]string{{"1", "2"}, {"3", "4"}, {"5"}}; !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("batches %v, want %v", got, want)
	}
	b, _ := os.ReadFile(filepath.Join(e.out, "b000000.json"))
	var ev struct{ Records []map[string]any }
	json.Unmarshal(b, &ev)
	r := ev.Records[0]
	k := r["kinesis"].(map[string]any)
	if r["eventSource"] != "aws:kinesis" || r["eventID"] != esmShard+":00001" || r["eventName"] != "aws:kinesis:record" ||
		r["eventSourceARN"] != e.kin.arn || r["awsRegion"] != "us-east-1" || r["invokeIdentityArn"] != "arn:aws:iam::000000000000:role/lambda" ||
		k["data"] != "cjE=" || k["partitionKey"] != "pk" || k["kinesisSchemaVersion"] != "1.0" {
		t.Fatalf("record shape: %s", b)
	}
	e.waitState(t, id, "Enabled")
	// Disabled, then a restart: the new records come once, after the old.
	if _, err := e.h.client.UpdateEventSourceMapping(t.Context(), &lambda.UpdateEventSourceMappingInput{UUID: aws.String(id), Enabled: aws.Bool(false)}); err != nil {
		t.Fatal(err)
	}
	e.waitState(t, id, "Disabled")
	e.kin.put(2)
	if err := e.m.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := e.m.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	if _, err := e.h.client.UpdateEventSourceMapping(t.Context(), &lambda.UpdateEventSourceMappingInput{UUID: aws.String(id), Enabled: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	e.waitCheckpoint(t, id, esmShard, "00007")
	if got := e.batches(t); len(got) != 4 || !slices.Equal(got[3], []string{"6", "7"}) {
		t.Fatalf("after restart: %v", got)
	}
	out, err := e.h.client.GetEventSourceMapping(t.Context(), &lambda.GetEventSourceMappingInput{UUID: aws.String(id)})
	if err != nil || aws.ToString(out.LastProcessingResult) != "OK" {
		t.Fatalf("get: %v %v", err, out)
	}
}

func TestMappingRetryThenContinue(t *testing.T) {
	e := newESMEnv(t)
	os.WriteFile(e.fails, []byte("2"), 0o644)
	e.kin.put(3)
	id := e.create(t, e.kin.arn, 10)
	e.waitCheckpoint(t, id, esmShard, "00003")
	if got := e.batches(t); len(got) != 3 || !slices.Equal(got[2], []string{"1", "2", "3"}) {
		t.Fatalf("retried batches: %v", got)
	}
	// MaximumRetryAttempts 1: a batch that always fails runs twice, is
	// dropped, and the shard goes on.
	e.waitState(t, id, "Enabled")
	if _, err := e.h.client.UpdateEventSourceMapping(t.Context(), &lambda.UpdateEventSourceMappingInput{UUID: aws.String(id), MaximumRetryAttempts: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	e.waitState(t, id, "Enabled")
	os.WriteFile(e.fails, []byte("-1"), 0o644)
	e.kin.put(1)
	e.waitCheckpoint(t, id, esmShard, "00004")
	os.WriteFile(e.fails, []byte("0"), 0o644)
	e.kin.put(1)
	e.waitCheckpoint(t, id, esmShard, "00005")
	got := e.batches(t)
	if len(got) != 6 || !slices.Equal(got[3], []string{"4"}) || !slices.Equal(got[4], []string{"4"}) || !slices.Equal(got[5], []string{"5"}) {
		t.Fatalf("batches: %v", got)
	}
}

func TestMappingDynamoAndAPI(t *testing.T) {
	e := newESMEnv(t)
	e.dyn.put(3)
	id := e.create(t, e.dyn.arn, 100)
	e.waitCheckpoint(t, id, dynamoShard, fmt.Sprintf("%021d", 3))
	if got := e.batches(t); len(got) != 1 || !slices.Equal(got[0], []string{"1", "2", "3"}) {
		t.Fatalf("batches: %v", got)
	}
	ctx := t.Context()
	c := e.h.client
	_, err := c.CreateEventSourceMapping(ctx, &lambda.CreateEventSourceMappingInput{EventSourceArn: aws.String(e.dyn.arn),
		FunctionName: aws.String("rec"), StartingPosition: types.EventSourcePositionLatest})
	if rc := (*types.ResourceConflictException)(nil); !errors.As(err, &rc) {
		t.Fatalf("duplicate: %v", err)
	}
	_, err = c.CreateEventSourceMapping(ctx, &lambda.CreateEventSourceMappingInput{EventSourceArn: aws.String("arn:aws:kinesis:us-east-1:000000000000:stream/none"),
		FunctionName: aws.String("rec"), StartingPosition: types.EventSourcePositionLatest})
	if iv := (*types.InvalidParameterValueException)(nil); !errors.As(err, &iv) {
		t.Fatalf("missing stream: %v", err)
	}
	list, err := c.ListEventSourceMappings(ctx, &lambda.ListEventSourceMappingsInput{FunctionName: aws.String("rec")})
	if err != nil || len(list.EventSourceMappings) != 1 || aws.ToString(list.EventSourceMappings[0].UUID) != id {
		t.Fatalf("list: %v %+v", err, list)
	}
	del, err := c.DeleteEventSourceMapping(ctx, &lambda.DeleteEventSourceMappingInput{UUID: aws.String(id)})
	if err != nil || aws.ToString(del.State) != "Deleting" {
		t.Fatalf("delete: %v", err)
	}
	esmWait(t, "deleted", func() bool {
		_, err := c.GetEventSourceMapping(ctx, &lambda.GetEventSourceMappingInput{UUID: aws.String(id)})
		nf := (*types.ResourceNotFoundException)(nil)
		return errors.As(err, &nf)
	})
}

func TestMappingBisect(t *testing.T) {
	e := newESMEnv(t)
	e.kin.putData("a", "b", "bad", "d")
	out, err := e.h.client.CreateEventSourceMapping(t.Context(), &lambda.CreateEventSourceMappingInput{
		EventSourceArn: aws.String(e.kin.arn), FunctionName: aws.String("rec"), BatchSize: aws.Int32(10),
		StartingPosition: types.EventSourcePositionTrimHorizon, MaximumRetryAttempts: aws.Int32(0),
		BisectBatchOnFunctionError: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	e.waitCheckpoint(t, aws.ToString(out.UUID), esmShard, "00004")
	want := [][]string{{"1", "2", "3", "4"}, {"1", "2"}, {"3", "4"}, {"3"}, {"4"}}
	if got := e.batches(t); !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("bisected batches %v, want %v", got, want)
	}
}

func TestMappingLatest(t *testing.T) {
	e := newESMEnv(t)
	e.kin.put(2)
	e.dyn.put(2)
	var ids []string
	for _, src := range []string{e.kin.arn, e.dyn.arn} {
		out, err := e.h.client.CreateEventSourceMapping(t.Context(), &lambda.CreateEventSourceMappingInput{
			EventSourceArn: aws.String(src), FunctionName: aws.String("rec"), StartingPosition: types.EventSourcePositionLatest})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, aws.ToString(out.UUID))
	}
	e.kin.put(1)
	e.dyn.put(1)
	e.waitCheckpoint(t, ids[0], esmShard, "00003")
	e.waitCheckpoint(t, ids[1], dynamoShard, fmt.Sprintf("%021d", 3))
	got := e.batches(t)
	if len(got) != 2 || !slices.Equal(got[0], []string{"3"}) || !slices.Equal(got[1], []string{"3"}) {
		t.Fatalf("LATEST batches: %v", got)
	}
}
