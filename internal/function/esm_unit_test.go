package function

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/tarnhq/tarn/internal/function/filter"
)

func TestFailedAt(t *testing.T) {
	items := []batchItem{{seq: "1"}, {seq: "2"}, {seq: "3"}}
	for _, tc := range []struct {
		payload string
		want    int
	}{
		{"", -1}, {"null", -1}, {"{}", -1}, {`{"batchItemFailures":null}`, -1}, {`{"batchItemFailures":[]}`, -1},
		{`{"batchItemFailures":[{"itemIdentifier":"2"}]}`, 1},
		{`{"batchItemFailures":[{"itemIdentifier":"3"},{"itemIdentifier":"2"}]}`, 1},
		{`{"batchItemFailures":[{"itemIdentifier":"1"}]}`, 0},
		{"not json", 0}, {`"ok"`, 0}, {`{"batchItemFailures":{}}`, 0},
		{`{"batchItemFailures":[{"itemIdentifier":""}]}`, 0}, {`{"batchItemFailures":[{"itemIdentifier":null}]}`, 0},
		{`{"batchItemFailures":[{"itemIdentifer":"2"}]}`, 0}, {`{"batchItemFailures":[{"itemIdentifier":"9"}]}`, 0},
		{`{"batchItemFailures":["2"]}`, 0},
	} {
		if got := failedAt([]byte(tc.payload), items); got != tc.want {
			t.Errorf("failedAt(%s) = %d, want %d", tc.payload, got, tc.want)
		}
	}
}

func TestDynamoItemAndRecord(t *testing.T) {
	set, err := filter.Compile([]string{`{"eventName":["MODIFY"],"dynamodb":{"NewImage":{"n":{"N":[{"prefix":"1"}]}}}}`})
	if err != nil {
		t.Fatal(err)
	}
	ev := func(name, key, n string) DynamoRecord {
		b, _ := json.Marshal(map[string]any{"eventName": name, "dynamodb": map[string]any{
			"Keys": map[string]any{"pk": map[string]any{"S": key}}, "NewImage": map[string]any{"n": map[string]any{"N": n}},
			"ApproximateCreationDateTime": 1767225600.5, "SequenceNumber": "7"}})
		return DynamoRecord{SequenceNumber: "7", Event: b}
	}
	a, b, c := dynamoItem(set, ev("MODIFY", "x", "12")), dynamoItem(set, ev("INSERT", "x", "12")), dynamoItem(set, ev("MODIFY", "y", "2"))
	if !a.keep || b.keep || c.keep {
		t.Fatalf("keep: %v %v %v", a.keep, b.keep, c.keep)
	}
	if a.key != `{"pk":{"S":"x"}}` || a.key != b.key || a.key == c.key || !a.arrival.Equal(time.UnixMilli(1767225600500)) {
		t.Fatalf("item %+v", a)
	}
	e := &esmRecord{UUID: "u", EventSourceArn: "arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/s", FunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:f:live"}
	rec, key, err := failureRecord(e, dynamoShard, []batchItem{a, c}, failure{condition: "RetryAttemptsExhausted", invokes: 3,
		res: invokeResult{status: 200, functionError: "Unhandled", requestID: "rid"}}, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), false)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(key, "aws/lambda/u/"+dynamoShardID+"/2026/01/02/2026-01-02T03.04.05-") {
		t.Fatalf("key %s", key)
	}
	want := `{"requestContext":{"requestId":"rid","functionArn":"arn:aws:lambda:us-east-1:000000000000:function:f:live","condition":"RetryAttemptsExhausted","approximateInvokeCount":3},` +
		`"responseContext":{"statusCode":200,"executedVersion":"live","functionError":"Unhandled"},"version":"1.0","timestamp":"2026-01-02T03:04:05.000Z",` +
		`"DDBStreamBatchInfo":{"shardId":"` + dynamoShardID + `","startSequenceNumber":"7","endSequenceNumber":"7","approximateArrivalOfFirstRecord":"2026-01-01T00:00:00.500Z",` +
		`"approximateArrivalOfLastRecord":"2026-01-01T00:00:00.500Z","batchSize":2,"streamArn":"arn:aws:dynamodb:us-east-1:000000000000:table/t/stream/s"}}`
	if string(rec) != want {
		t.Fatalf("record\n%s\nwant\n%s", rec, want)
	}
}

func TestLanes(t *testing.T) {
	var items []batchItem
	for i, k := range []string{"a", "b", "a", "c", "b", "a"} {
		items = append(items, batchItem{seq: string(rune('0' + i)), key: k})
	}
	for n := 1; n <= 10; n++ {
		lanes := splitLanes(items, n)
		total := 0
		for _, l := range lanes {
			total += len(l)
			for i := 1; i < len(l); i++ {
				if l[i].seq <= l[i-1].seq {
					t.Fatalf("n=%d: lane out of order %v", n, l)
				}
			}
		}
		if len(lanes) != n || total != len(items) {
			t.Fatalf("n=%d: %d lanes, %d records", n, len(lanes), total)
		}
		if laneOf("a", n) >= n {
			t.Fatalf("lane out of range")
		}
	}
}

func FuzzFailedAt(f *testing.F) {
	for _, s := range []string{"", "null", `{"batchItemFailures":[{"itemIdentifier":"2"}]}`, `{"batchItemFailures":[{"itemIdentifier":null}]}`, `[1]`} {
		f.Add([]byte(s))
	}
	items := []batchItem{{seq: "1"}, {seq: "2"}, {seq: "3"}}
	f.Fuzz(func(t *testing.T, payload []byte) {
		if got := failedAt(payload, items); got < -1 || got >= len(items) {
			t.Fatalf("failedAt(%q) = %d", payload, got)
		}
	})
}
