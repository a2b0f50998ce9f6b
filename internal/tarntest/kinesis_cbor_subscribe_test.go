package tarntest

import (
	"bytes"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws/protocol/eventstream"
)

// TestKinesisCBORSubscribeToShard subscribes as the Java SDK and the KCL
// do, in CBOR: the answer is an event stream whose initial-response and
// SubscribeToShardEvent payloads are CBOR (their :content-type says so),
// with the records' data as byte strings and arrival times as epoch
// milliseconds; errors before the stream starts are CBOR answers.
func TestKinesisCBORSubscribeToShard(t *testing.T) {
	env := Start(t)
	c := env.Kinesis()
	arn := efoStream(t, c, "cbor-efo", 1)
	carn := register(t, c, arn, "java-app")
	seqs := put(t, c, "cbor-efo", "one", "two\x00\xff")
	type m = map[string]any

	send := func(in any) *http.Response {
		body, err := awsCBOR.Marshal(in)
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, env.Endpoint+"/", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/x-amz-cbor-1.1")
		req.Header.Set("X-Amz-Target", "Kinesis_20131202.SubscribeToShard")
		signJSON(t, req, "kinesis")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp
	}

	// An error before the stream starts is a CBOR error answer.
	resp := send(m{"ConsumerARN": arn + "/consumer/nope:1", "ShardId": "shardId-000000000000", "StartingPosition": m{"Type": "TRIM_HORIZON"}})
	raw, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if err := awsCBOR.Unmarshal(raw, &e); err != nil || resp.StatusCode != 400 || e.Type != "ResourceNotFoundException" ||
		resp.Header.Get("Content-Type") != "application/x-amz-cbor-1.1" {
		t.Fatalf("unknown consumer: %d %q %+v %v", resp.StatusCode, resp.Header.Get("Content-Type"), e, err)
	}

	resp = send(m{"ConsumerARN": carn, "ShardId": "shardId-000000000000", "StartingPosition": m{"Type": "TRIM_HORIZON"}})
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/vnd.amazon.eventstream" {
		raw, _ := io.ReadAll(resp.Body)
		t.Fatalf("SubscribeToShard: %d %q %q", resp.StatusCode, resp.Header.Get("Content-Type"), raw)
	}
	dec := eventstream.NewDecoder()
	next := func() (string, []byte) {
		t.Helper()
		msg, err := dec.Decode(resp.Body, nil)
		if err != nil {
			t.Fatal(err)
		}
		h := func(name string) string {
			if v := msg.Headers.Get(name); v != nil {
				return v.String()
			}
			return ""
		}
		if h(":message-type") != "event" || h(":content-type") != "application/x-amz-cbor-1.1" {
			t.Fatalf("event headers %v, payload % x", msg.Headers, msg.Payload)
		}
		return h(":event-type"), msg.Payload
	}
	typ, payload := next()
	var initial map[string]any
	if err := awsCBOR.Unmarshal(payload, &initial); typ != "initial-response" || err != nil || len(initial) != 0 {
		t.Fatalf("first event %s % x (%v), want an initial-response with an empty CBOR map", typ, payload, err)
	}
	var ev struct {
		Records []struct {
			Data                        []byte
			PartitionKey                string
			SequenceNumber              string
			ApproximateArrivalTimestamp time.Time
		}
		ContinuationSequenceNumber string
		MillisBehindLatest         int64
	}
	typ, payload = next()
	if typ != "SubscribeToShardEvent" {
		t.Fatalf("second event %s", typ)
	}
	if payload[0]&0xe0 != 0xa0 { // a CBOR map, not JSON text
		t.Fatalf("event payload is not CBOR: % x", payload[:min(16, len(payload))])
	}
	if err := awsCBOR.Unmarshal(payload, &ev); err != nil {
		t.Fatal(err)
	}
	if len(ev.Records) != 2 || string(ev.Records[0].Data) != "one" || !bytes.Equal(ev.Records[1].Data, []byte("two\x00\xff")) ||
		ev.Records[0].SequenceNumber != seqs[0] || ev.Records[1].SequenceNumber != seqs[1] || ev.ContinuationSequenceNumber != seqs[1] {
		t.Fatalf("event = %+v, want the records %v", ev, seqs)
	}
	if d := time.Since(ev.Records[0].ApproximateArrivalTimestamp); d < 0 || d > time.Minute {
		t.Errorf("arrival %v is not now (read as epoch milliseconds)", ev.Records[0].ApproximateArrivalTimestamp)
	}
}
