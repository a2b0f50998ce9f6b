package tarntest

import (
	"bytes"
	"io"
	"net/http"
	"testing"
	"time"

	"github.com/tarnhq/tarn/internal/cbor"
)

// awsCBOR is how the Java SDK encodes AWS CBOR 1.1: timestamps as tag 1
// holding epoch milliseconds.
var awsCBOR = cbor.Codec{Time: cbor.EpochMillis}

// kinesisCBOR sends one Kinesis operation as the Java SDK and the KCL do
// (application/x-amz-cbor-1.1) and decodes the CBOR answer into out.
func kinesisCBOR(t *testing.T, env *Env, op string, in, out any) int {
	t.Helper()
	body, err := awsCBOR.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPost, env.Endpoint+"/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/x-amz-cbor-1.1")
	req.Header.Set("X-Amz-Target", "Kinesis_20131202."+op)
	signJSON(t, req, "kinesis")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); ct != "application/x-amz-cbor-1.1" {
		t.Errorf("%s answered Content-Type %q", op, ct)
	}
	if out != nil {
		if err := awsCBOR.Unmarshal(raw, out); err != nil {
			t.Fatalf("%s: decode CBOR answer: %v", op, err)
		}
	}
	return resp.StatusCode
}

// TestKinesisCBORRoundTrip drives Kinesis in CBOR: records and their
// arrival timestamps come back exactly, and errors are CBOR too.
func TestKinesisCBORRoundTrip(t *testing.T) {
	env := Start(t)
	type m = map[string]any
	if st := kinesisCBOR(t, env, "CreateStream", m{"StreamName": "cbor", "ShardCount": 1}, nil); st != 200 {
		t.Fatalf("CreateStream: %d", st)
	}
	waitStream(t, env.Kinesis(), "cbor")
	before := time.Now().Add(-time.Second)
	var put struct{ ShardId, SequenceNumber string }
	if st := kinesisCBOR(t, env, "PutRecord", m{"StreamName": "cbor", "PartitionKey": "k", "Data": []byte{0, 1, 2, 0xff}}, &put); st != 200 || put.SequenceNumber == "" {
		t.Fatalf("PutRecord: %d %+v", st, put)
	}
	var it struct{ ShardIterator string }
	kinesisCBOR(t, env, "GetShardIterator", m{"StreamName": "cbor", "ShardId": put.ShardId, "ShardIteratorType": "AT_TIMESTAMP", "Timestamp": before}, &it)
	var got struct {
		Records []struct {
			Data                        []byte
			PartitionKey                string
			SequenceNumber              string
			ApproximateArrivalTimestamp time.Time
		}
	}
	kinesisCBOR(t, env, "GetRecords", m{"ShardIterator": it.ShardIterator}, &got)
	if len(got.Records) != 1 {
		t.Fatalf("GetRecords returned %d records", len(got.Records))
	}
	r := got.Records[0]
	if !bytes.Equal(r.Data, []byte{0, 1, 2, 0xff}) || r.PartitionKey != "k" || r.SequenceNumber != put.SequenceNumber {
		t.Errorf("record = %+v", r)
	}
	if d := time.Since(r.ApproximateArrivalTimestamp); d < 0 || d > time.Minute {
		t.Errorf("arrival timestamp %v is not now (read as milliseconds)", r.ApproximateArrivalTimestamp)
	}
	var e struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}
	if st := kinesisCBOR(t, env, "DescribeStream", m{"StreamName": "missing"}, &e); st != 400 || e.Type != "ResourceNotFoundException" {
		t.Errorf("missing stream: %d %+v", st, e)
	}
}
