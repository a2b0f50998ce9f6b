package function

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

const sh0 = "shardId-000000000000"

func filters(patterns ...string) *types.FilterCriteria {
	fc := &types.FilterCriteria{}
	for _, p := range patterns {
		fc.Filters = append(fc.Filters, types.Filter{Pattern: aws.String(p)})
	}
	return fc
}

func TestMappingFilterKinesis(t *testing.T) {
	kin := newShardKinesis(sh0)
	e := newStepEnv(t, kin)
	kin.put(sh0, "pk", time.Time{}, `{"type":"a","n":1}`, "plain", `{"type":"b"}`)
	kin.put(sh0, "keep", time.Time{}, "plain-kept")
	kin.put(sh0, "pk", time.Time{}, `{"type":"a","n":5}`, `{"type":"c"}`)
	pats := []string{`{"data":{"type":["a"],"n":[{"numeric":[">",0]}]}}`, `{"partitionKey":["keep"]}`}
	id := e.create(t, &lambda.CreateEventSourceMappingInput{BatchSize: aws.Int32(10), FilterCriteria: filters(pats...)})
	e.waitCheckpoint(t, id, sh0, "00006") // past the last record, which the filters drop
	want := [][]string{{`{"type":"a","n":1}@1`, "plain-kept@4", `{"type":"a","n":5}@5`}}
	if got := e.batches(t); !equalBatches(got, want) {
		t.Fatalf("batches %v, want %v", got, want)
	}
	out, err := e.h.client.GetEventSourceMapping(t.Context(), &lambda.GetEventSourceMappingInput{UUID: aws.String(id)})
	if err != nil || out.FilterCriteria == nil || len(out.FilterCriteria.Filters) != 2 ||
		aws.ToString(out.FilterCriteria.Filters[0].Pattern) != pats[0] || aws.ToString(out.FilterCriteria.Filters[1].Pattern) != pats[1] {
		t.Fatalf("get FilterCriteria: %v %+v", err, out)
	}
	// A read with no matching record invokes nothing and moves the
	// checkpoint; after a restart, only new matching records come.
	kin.put(sh0, "pk", time.Time{}, "x", `{"type":"b"}`)
	e.waitCheckpoint(t, id, sh0, "00008")
	e.restart(t)
	kin.put(sh0, "pk", time.Time{}, `{"type":"a","n":2}`)
	e.waitCheckpoint(t, id, sh0, "00009")
	want = append(want, []string{`{"type":"a","n":2}@9`})
	if got := e.batches(t); !equalBatches(got, want) {
		t.Fatalf("after restart: %v, want %v", got, want)
	}
}

func TestMappingFilterDynamo(t *testing.T) {
	e := newESMEnv(t)
	e.dyn.put(3)
	out, err := e.h.client.CreateEventSourceMapping(t.Context(), &lambda.CreateEventSourceMappingInput{
		EventSourceArn: aws.String(e.dyn.arn), FunctionName: aws.String("rec"), StartingPosition: types.EventSourcePositionTrimHorizon,
		FilterCriteria: filters(`{"eventName":["INSERT"],"dynamodb":{"SequenceNumber":[{"suffix":"2"}]}}`)})
	if err != nil {
		t.Fatal(err)
	}
	e.waitCheckpoint(t, aws.ToString(out.UUID), dynamoShard, "000000000000000000003")
	if got := e.batches(t); !equalBatches(got, [][]string{{"2"}}) {
		t.Fatalf("batches %v", got)
	}
}

func TestMappingPartialBatchResponse(t *testing.T) {
	kin := newShardKinesis(sh0)
	e := newStepEnv(t, kin)
	kin.put(sh0, "pk", time.Time{}, "a", "b", "pfail1", "d", "e")
	id := e.create(t, &lambda.CreateEventSourceMappingInput{BatchSize: aws.Int32(10),
		FunctionResponseTypes: []types.FunctionResponseType{types.FunctionResponseTypeReportBatchItemFailures}})
	e.waitCheckpoint(t, id, sh0, "00005")
	want := [][]string{{"a@1", "b@2", "pfail1@3", "d@4", "e@5"}, {"pfail1@3", "d@4", "e@5"}}
	if got := e.batches(t); !equalBatches(got, want) {
		t.Fatalf("batches %v, want %v", got, want)
	}
	// An itemIdentifier that is not in the batch fails the whole batch.
	kin.put(sh0, "pk", time.Time{}, "f", "badid", "g")
	e.waitCheckpoint(t, id, sh0, "00008")
	want = append(want, []string{"f@6", "badid@7", "g@8"}, []string{"f@6", "badid@7", "g@8"})
	if got := e.batches(t); !equalBatches(got, want) {
		t.Fatalf("batches %v, want %v", got, want)
	}
	// While pfail2 keeps failing the checkpoint rests just before it, and
	// a restart resumes there.
	hold := filepath.Join(e.state, "hold")
	os.WriteFile(hold, nil, 0o644)
	kin.put(sh0, "pk", time.Time{}, "h", "pfail2", "i")
	e.waitCheckpoint(t, id, sh0, "00009")
	esmWait(t, "two retries", func() bool { return len(e.batches(t)) >= len(want)+3 })
	if err := e.m.Stop(t.Context()); err != nil {
		t.Fatal(err)
	}
	e.checkpointIs(t, id, sh0, "00009")
	got := e.batches(t)
	if !slices.Equal(got[len(want)], []string{"h@9", "pfail2@10", "i@11"}) || !slices.Equal(got[len(want)+1], []string{"pfail2@10", "i@11"}) {
		t.Fatalf("retries: %v", got[len(want):])
	}
	n := len(got)
	os.Remove(hold)
	if err := e.m.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	e.waitCheckpoint(t, id, sh0, "00011")
	got = e.batches(t)
	if len(got) != n+1 || !slices.Equal(got[n], []string{"pfail2@10", "i@11"}) {
		t.Fatalf("after restart: %v", got[n:])
	}
}

// failureRecords returns the on-failure records written to bucket dlq.
func (e *stepEnv) failureRecords(t *testing.T) ([]string, []map[string]any) {
	t.Helper()
	keys := e.objs.keys()
	var recs []map[string]any
	for _, k := range keys {
		e.objs.mu.Lock()
		b := e.objs.objs[k]
		e.objs.mu.Unlock()
		recs = append(recs, decodeMap(t, b))
	}
	return keys, recs
}

var esmS3Key = regexp.MustCompile(`^dlq/aws/lambda/([0-9a-f-]{36})/(shardId-\d+)/(\d{4}/\d\d/\d\d)/(\d{4}-\d\d-\d\dT\d\d\.\d\d\.\d\d)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`)

func TestMappingOnFailureDestination(t *testing.T) {
	kin := newShardKinesis(sh0)
	e := newStepEnv(t, kin)
	ctx := t.Context()
	for _, bad := range []string{"arn:aws:sqs:us-east-1:000000000000:q", "arn:aws:lambda:us-east-1:000000000000:function:step", "nonsense"} {
		_, err := e.h.client.CreateEventSourceMapping(ctx, &lambda.CreateEventSourceMappingInput{EventSourceArn: aws.String(kin.arn),
			FunctionName: aws.String("step"), StartingPosition: types.EventSourcePositionTrimHorizon,
			DestinationConfig: &types.DestinationConfig{OnFailure: &types.OnFailure{Destination: aws.String(bad)}}})
		if iv := (*types.InvalidParameterValueException)(nil); !errors.As(err, &iv) {
			t.Fatalf("destination %s: %v", bad, err)
		}
	}
	os.WriteFile(filepath.Join(e.state, "hold"), nil, 0o644)
	kin.put(sh0, "pk", time.Time{}, "x", "pfail3", "y")
	id := e.create(t, &lambda.CreateEventSourceMappingInput{BatchSize: aws.Int32(10), MaximumRetryAttempts: aws.Int32(1),
		FunctionResponseTypes: []types.FunctionResponseType{types.FunctionResponseTypeReportBatchItemFailures},
		DestinationConfig:     &types.DestinationConfig{OnFailure: &types.OnFailure{Destination: aws.String("arn:aws:s3:::dlq")}}})
	e.waitCheckpoint(t, id, sh0, "00003")
	want := [][]string{{"x@1", "pfail3@2", "y@3"}, {"pfail3@2", "y@3"}}
	if got := e.batches(t); !equalBatches(got, want) {
		t.Fatalf("batches %v, want %v", got, want)
	}
	// A function error, retried once, then discarded.
	kin.put(sh0, "pk", time.Time{}, "bad")
	e.waitCheckpoint(t, id, sh0, "00004")
	keys, recs := e.failureRecords(t)
	if len(keys) != 2 {
		t.Fatalf("objects %v", keys)
	}
	for _, k := range keys {
		m := esmS3Key.FindStringSubmatch(k)
		if m == nil || m[1] != id || m[2] != sh0 || strings.ReplaceAll(m[3], "/", "-") != m[4][:10] {
			t.Fatalf("key %q", k)
		}
	}
	byStart := map[string]map[string]any{}
	for _, r := range recs {
		byStart[r["KinesisBatchInfo"].(map[string]any)["startSequenceNumber"].(string)] = r
	}
	r := byStart["00002"]
	rc, resp, info := r["requestContext"].(map[string]any), r["responseContext"].(map[string]any), r["KinesisBatchInfo"].(map[string]any)
	fnArn := "arn:aws:lambda:us-east-1:000000000000:function:step"
	if rc["condition"] != "RetryAttemptsExhausted" || rc["approximateInvokeCount"] != 2.0 || rc["functionArn"] != fnArn || rc["requestId"] == "" ||
		resp["statusCode"] != 200.0 || resp["executedVersion"] != "$LATEST" || resp["functionError"] != "" || r["version"] != "1.0" ||
		info["shardId"] != sh0 || info["endSequenceNumber"] != "00003" || info["batchSize"] != 2.0 || info["streamArn"] != kin.arn {
		t.Fatalf("partial-failure record %v", r)
	}
	if _, err := time.Parse(isoMillis, r["timestamp"].(string)); err != nil {
		t.Fatalf("timestamp: %v", r)
	}
	var payload struct{ Records []map[string]any }
	if err := json.Unmarshal([]byte(r["payload"].(string)), &payload); err != nil || len(payload.Records) != 2 {
		t.Fatalf("payload %v: %v", r["payload"], err)
	}
	r = byStart["00004"]
	rc, resp = r["requestContext"].(map[string]any), r["responseContext"].(map[string]any)
	if rc["approximateInvokeCount"] != 2.0 || resp["functionError"] != "Unhandled" || r["KinesisBatchInfo"].(map[string]any)["batchSize"] != 1.0 {
		t.Fatalf("function-error record %v", r)
	}
	out, err := e.h.client.GetEventSourceMapping(ctx, &lambda.GetEventSourceMappingInput{UUID: aws.String(id)})
	if err != nil || aws.ToString(out.DestinationConfig.OnFailure.Destination) != "arn:aws:s3:::dlq" ||
		!slices.Equal(out.FunctionResponseTypes, []types.FunctionResponseType{types.FunctionResponseTypeReportBatchItemFailures}) {
		t.Fatalf("get: %v %+v", err, out)
	}
}

func TestMappingRecordAge(t *testing.T) {
	kin := newShardKinesis(sh0)
	e := newStepEnv(t, kin)
	old := time.Now().Add(-2 * time.Hour)
	kin.put(sh0, "pk", old, "old1", "old2")
	kin.put(sh0, "pk", time.Time{}, "fresh")
	id := e.create(t, &lambda.CreateEventSourceMappingInput{BatchSize: aws.Int32(10), MaximumRecordAgeInSeconds: aws.Int32(3600),
		DestinationConfig: &types.DestinationConfig{OnFailure: &types.OnFailure{Destination: aws.String("arn:aws:s3:::dlq")}}})
	e.waitCheckpoint(t, id, sh0, "00003")
	if got := e.batches(t); !equalBatches(got, [][]string{{"fresh@3"}}) {
		t.Fatalf("batches %v", got)
	}
	esmWait(t, "failure record", func() bool { return len(e.objs.keys()) == 1 })
	_, recs := e.failureRecords(t)
	r := recs[0]
	rc, info := r["requestContext"].(map[string]any), r["KinesisBatchInfo"].(map[string]any)
	if rc["condition"] != "RecordAgeExceeded" || rc["approximateInvokeCount"] != 0.0 || info["startSequenceNumber"] != "00001" ||
		info["endSequenceNumber"] != "00002" || info["batchSize"] != 2.0 ||
		info["approximateArrivalOfFirstRecord"] != old.UTC().Format(isoMillis) {
		t.Fatalf("record %v", r)
	}
	out, err := e.h.client.GetEventSourceMapping(t.Context(), &lambda.GetEventSourceMappingInput{UUID: aws.String(id)})
	if err != nil || aws.ToInt32(out.MaximumRecordAgeInSeconds) != 3600 {
		t.Fatalf("get: %v %+v", err, out)
	}
}

// flat is the sorted records of batches.
func flat(batches [][]string) []string {
	var out []string
	for _, b := range batches {
		out = append(out, b...)
	}
	slices.Sort(out)
	return out
}

// laneKeys returns two partition keys in different lanes of n.
func laneKeys(n int) (string, string) {
	a := "key-a"
	for i := 0; ; i++ {
		b := "key-b" + strings.Repeat("x", i)
		if laneOf(a, n) != laneOf(b, n) {
			return a, b
		}
	}
}

func TestMappingParallelization(t *testing.T) {
	kin := newShardKinesis(sh0)
	e := newStepEnv(t, kin)
	ka, kb := laneKeys(2)
	kin.put(sh0, ka, time.Time{}, "wait1")
	kin.put(sh0, kb, time.Time{}, "b1", "b2")
	kin.put(sh0, ka, time.Time{}, "a2")
	kin.put(sh0, kb, time.Time{}, "b3")
	id := e.create(t, &lambda.CreateEventSourceMappingInput{BatchSize: aws.Int32(1), ParallelizationFactor: aws.Int32(2)})
	// Lane B runs while lane A waits; the checkpoint stays below wait1.
	esmWait(t, "lane B", func() bool { return len(e.batches(t)) == 4 })
	if got := flat(e.batches(t)); !slices.Equal(got, []string{"b1@2", "b2@3", "b3@5", "wait1@1"}) {
		t.Fatalf("while lane A waits: %v", got)
	}
	e.checkpointIs(t, id, sh0, "")
	os.WriteFile(filepath.Join(e.state, "go"), nil, 0o644)
	e.waitCheckpoint(t, id, sh0, "00005")
	got := e.batches(t)
	if len(got) != 5 || !slices.Equal(got[4], []string{"a2@4"}) || !slices.Equal(flat(got), []string{"a2@4", "b1@2", "b2@3", "b3@5", "wait1@1"}) {
		t.Fatalf("batches %v", got)
	}
	// Per key, the order holds: b1, b2, b3 were invoked in order.
	var bs []string
	for _, b := range got {
		if strings.HasPrefix(b[0], "b") {
			bs = append(bs, b[0])
		}
	}
	if !slices.Equal(bs, []string{"b1@2", "b2@3", "b3@5"}) {
		t.Fatalf("lane B order %v", bs)
	}
	out, err := e.h.client.GetEventSourceMapping(t.Context(), &lambda.GetEventSourceMappingInput{UUID: aws.String(id)})
	if err != nil || aws.ToInt32(out.ParallelizationFactor) != 2 {
		t.Fatalf("get: %v %+v", err, out)
	}
}

func TestMappingReshard(t *testing.T) {
	const p, c1, c2, c3 = "shardId-000000000000", "shardId-000000000001", "shardId-000000000002", "shardId-000000000003"
	kin := newShardKinesis(p)
	e := newStepEnv(t, kin)
	kin.put(p, "pk", time.Time{}, "p1", "p2", "p3")
	kin.split(p, c1, c2)
	kin.put(c1, "pk", time.Time{}, "c1")
	kin.put(c2, "pk", time.Time{}, "c2")
	id := e.create(t, &lambda.CreateEventSourceMappingInput{BatchSize: aws.Int32(1)})
	e.waitCheckpoint(t, id, c1, "00004")
	e.waitCheckpoint(t, id, c2, "00005")
	got := e.batches(t)
	if len(got) != 5 || !equalBatches(got[:3], [][]string{{"p1@1"}, {"p2@2"}, {"p3@3"}}) {
		t.Fatalf("children before their parent finished: %v", got)
	}
	// A shard created while the mapping runs is picked up.
	kin.split(c1, c3)
	kin.put(c3, "pk", time.Time{}, "c3")
	kin.put(c2, "pk", time.Time{}, "c2b")
	e.waitCheckpoint(t, id, c3, "00006")
	e.waitCheckpoint(t, id, c2, "00007")
	e.checkpointIs(t, id, p, "00003")
	// After a restart the finished parents are recognised again and the
	// children resume from their checkpoints.
	e.restart(t)
	kin.put(c3, "pk", time.Time{}, "c3b")
	e.waitCheckpoint(t, id, c3, "00008")
	if got := e.batches(t); len(got) != 8 || !slices.Equal(got[7], []string{"c3b@8"}) {
		t.Fatalf("after restart: %v", got)
	}
}

func TestMappingStreamOptionsAPI(t *testing.T) {
	kin := newShardKinesis(sh0)
	e := newStepEnv(t, kin)
	ctx := t.Context()
	c := e.h.client
	base := func() *lambda.CreateEventSourceMappingInput {
		return &lambda.CreateEventSourceMappingInput{EventSourceArn: aws.String(kin.arn), FunctionName: aws.String("step"),
			StartingPosition: types.EventSourcePositionTrimHorizon}
	}
	for name, mod := range map[string]func(*lambda.CreateEventSourceMappingInput){
		"parallel 11": func(in *lambda.CreateEventSourceMappingInput) { in.ParallelizationFactor = aws.Int32(11) },
		"parallel 0":  func(in *lambda.CreateEventSourceMappingInput) { in.ParallelizationFactor = aws.Int32(0) },
		"age 30":      func(in *lambda.CreateEventSourceMappingInput) { in.MaximumRecordAgeInSeconds = aws.Int32(30) },
		"age 604801":  func(in *lambda.CreateEventSourceMappingInput) { in.MaximumRecordAgeInSeconds = aws.Int32(604801) },
		"response type": func(in *lambda.CreateEventSourceMappingInput) {
			in.FunctionResponseTypes = []types.FunctionResponseType{"Other"}
		},
		"6 filters": func(in *lambda.CreateEventSourceMappingInput) {
			in.FilterCriteria = filters(`{"a":[1]}`, `{"a":[2]}`, `{"a":[3]}`, `{"a":[4]}`, `{"a":[5]}`, `{"a":[6]}`)
		},
		"bad pattern": func(in *lambda.CreateEventSourceMappingInput) {
			in.FilterCriteria = filters(`{"a":[{"numeric":[">"]}]}`)
		},
		"long pattern": func(in *lambda.CreateEventSourceMappingInput) {
			in.FilterCriteria = filters(`{"a":["` + strings.Repeat("x", 4096) + `"]}`)
		},
		"tumbling": func(in *lambda.CreateEventSourceMappingInput) { in.TumblingWindowInSeconds = aws.Int32(60) },
	} {
		in := base()
		mod(in)
		_, err := c.CreateEventSourceMapping(ctx, in)
		if iv := (*types.InvalidParameterValueException)(nil); !errors.As(err, &iv) {
			t.Errorf("%s: %v", name, err)
		}
	}
	in := base()
	in.FilterCriteria = filters(`{"data":{"a":[1]}}`)
	in.ParallelizationFactor, in.MaximumRecordAgeInSeconds = aws.Int32(3), aws.Int32(60)
	cr, err := c.CreateEventSourceMapping(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	id := aws.ToString(cr.UUID)
	if aws.ToInt32(cr.ParallelizationFactor) != 3 || aws.ToInt32(cr.MaximumRecordAgeInSeconds) != 60 || cr.FilterCriteria == nil ||
		cr.DestinationConfig == nil || cr.DestinationConfig.OnFailure == nil || cr.DestinationConfig.OnFailure.Destination != nil {
		t.Fatalf("create: %+v", cr)
	}
	esmWait(t, "Enabled", func() bool {
		out, err := c.GetEventSourceMapping(ctx, &lambda.GetEventSourceMappingInput{UUID: aws.String(id)})
		return err == nil && aws.ToString(out.State) == "Enabled"
	})
	// Update: clear the filters, set a destination and response types.
	up, err := c.UpdateEventSourceMapping(ctx, &lambda.UpdateEventSourceMappingInput{UUID: aws.String(id),
		FilterCriteria:            &types.FilterCriteria{},
		FunctionResponseTypes:     []types.FunctionResponseType{types.FunctionResponseTypeReportBatchItemFailures},
		DestinationConfig:         &types.DestinationConfig{OnFailure: &types.OnFailure{Destination: aws.String("arn:aws:s3:::dlq")}},
		MaximumRecordAgeInSeconds: aws.Int32(-1)})
	if err != nil {
		t.Fatal(err)
	}
	if up.FilterCriteria != nil || aws.ToInt32(up.ParallelizationFactor) != 3 || aws.ToInt32(up.MaximumRecordAgeInSeconds) != -1 ||
		aws.ToString(up.DestinationConfig.OnFailure.Destination) != "arn:aws:s3:::dlq" || len(up.FunctionResponseTypes) != 1 {
		t.Fatalf("update: %+v", up)
	}
	list, err := c.ListEventSourceMappings(ctx, &lambda.ListEventSourceMappingsInput{FunctionName: aws.String("step")})
	if err != nil || len(list.EventSourceMappings) != 1 || aws.ToString(list.EventSourceMappings[0].DestinationConfig.OnFailure.Destination) != "arn:aws:s3:::dlq" {
		t.Fatalf("list: %v %+v", err, list)
	}
}

// Without KinesisShardLister, new shard ids are picked up at once.
func TestMappingReshardIDsOnly(t *testing.T) {
	const p, c1 = "shardId-000000000000", "shardId-000000000001"
	kin := newShardKinesis(p)
	e := newStepEnvSource(t, kin, idsOnly{kin})
	kin.put(p, "pk", time.Time{}, "p1")
	id := e.create(t, &lambda.CreateEventSourceMappingInput{BatchSize: aws.Int32(1)})
	e.waitCheckpoint(t, id, p, "00001")
	kin.split(p, c1)
	kin.put(c1, "pk", time.Time{}, "c1")
	e.waitCheckpoint(t, id, c1, "00002")
}
