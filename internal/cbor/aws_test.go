package cbor

import (
	"bytes"
	"encoding/hex"
	"reflect"
	"strings"
	"testing"
	"time"
)

// Kinesis shapes as a service would declare them (field order and names
// as in the Kinesis API reference).
type putRecordsRequestEntry struct {
	Data            []byte  `json:"Data"`
	ExplicitHashKey *string `json:"ExplicitHashKey,omitempty"`
	PartitionKey    string  `json:"PartitionKey"`
}

type putRecordsInput struct {
	Records    []putRecordsRequestEntry `json:"Records"`
	StreamARN  *string                  `json:"StreamARN,omitempty"`
	StreamName *string                  `json:"StreamName,omitempty"`
}

type putRecordInput struct {
	Data                      []byte  `json:"Data"`
	ExplicitHashKey           *string `json:"ExplicitHashKey,omitempty"`
	PartitionKey              string  `json:"PartitionKey"`
	SequenceNumberForOrdering *string `json:"SequenceNumberForOrdering,omitempty"`
	StreamARN                 *string `json:"StreamARN,omitempty"`
	StreamName                *string `json:"StreamName,omitempty"`
}

type kinesisRecord struct {
	ApproximateArrivalTimestamp *time.Time `json:"ApproximateArrivalTimestamp,omitempty"`
	Data                        []byte     `json:"Data"`
	EncryptionType              string     `json:"EncryptionType,omitempty"`
	PartitionKey                string     `json:"PartitionKey"`
	SequenceNumber              string     `json:"SequenceNumber"`
}

type hashKeyRange struct {
	EndingHashKey   string `json:"EndingHashKey"`
	StartingHashKey string `json:"StartingHashKey"`
}

type childShard struct {
	HashKeyRange hashKeyRange `json:"HashKeyRange"`
	ParentShards []string     `json:"ParentShards"`
	ShardID      string       `json:"ShardId"`
}

type getRecordsOutput struct {
	ChildShards        []childShard    `json:"ChildShards,omitempty"`
	MillisBehindLatest *int64          `json:"MillisBehindLatest,omitempty"`
	NextShardIterator  *string         `json:"NextShardIterator,omitempty"`
	Records            []kinesisRecord `json:"Records"`
}

type getShardIteratorInput struct {
	ShardID                string     `json:"ShardId"`
	ShardIteratorType      string     `json:"ShardIteratorType"`
	StartingSequenceNumber *string    `json:"StartingSequenceNumber,omitempty"`
	StreamName             *string    `json:"StreamName,omitempty"`
	Timestamp              *time.Time `json:"Timestamp,omitempty"`
}

func ptr[T any](v T) *T { return &v }

// unhex decodes hex written with spaces, line breaks and # comments.
func unhex(t testing.TB, s string) []byte {
	t.Helper()
	var clean strings.Builder
	for line := range strings.Lines(s) {
		line, _, _ = strings.Cut(line, "#")
		clean.WriteString(strings.Join(strings.Fields(line), ""))
	}
	b, err := hex.DecodeString(clean.String())
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestRoundTripAWSShapes(t *testing.T) {
	arrival := time.UnixMilli(1700000000123).UTC()
	values := []any{
		&putRecordsInput{
			Records: []putRecordsRequestEntry{
				{Data: []byte("hello"), PartitionKey: "pk-1"},
				{Data: []byte{}, PartitionKey: "pk-2", ExplicitHashKey: ptr("340282366920938463463374607431768211455")},
				{Data: bytes.Repeat([]byte{0xff, 0}, 600), PartitionKey: "ключ"},
			},
			StreamName: ptr("orders"),
		},
		&putRecordInput{Data: []byte{1, 2}, PartitionKey: "k", StreamARN: ptr("arn:aws:kinesis:us-east-1:000000000000:stream/s")},
		&getRecordsOutput{
			MillisBehindLatest: ptr(int64(0)),
			NextShardIterator:  ptr("AAAA"),
			Records: []kinesisRecord{
				{ApproximateArrivalTimestamp: &arrival, Data: []byte("x"), PartitionKey: "k", SequenceNumber: "49590338271490256608559692538361571095921575989136588898"},
				{ApproximateArrivalTimestamp: ptr(time.UnixMilli(0).UTC()), Data: nil, EncryptionType: "KMS", PartitionKey: "k2", SequenceNumber: "2"},
			},
			ChildShards: []childShard{{
				HashKeyRange: hashKeyRange{EndingHashKey: "1", StartingHashKey: "0"},
				ParentShards: []string{"shardId-000000000000"},
				ShardID:      "shardId-000000000001",
			}},
		},
		&getRecordsOutput{Records: []kinesisRecord{}},
		&getShardIteratorInput{ShardID: "shardId-000000000000", ShardIteratorType: "AT_TIMESTAMP", Timestamp: ptr(time.UnixMilli(-1500).UTC())},
	}
	for _, codec := range []Codec{{}, {Time: EpochMillis}} {
		for _, v := range values {
			data, err := codec.Marshal(v)
			if err != nil {
				t.Fatalf("Marshal(%T): %v", v, err)
			}
			got := reflect.New(reflect.TypeOf(v).Elem())
			if err := codec.Unmarshal(data, got.Interface()); err != nil {
				t.Fatalf("Unmarshal(%T): %v\n%x", v, err, data)
			}
			if !reflect.DeepEqual(got.Interface(), v) {
				t.Errorf("time %d: round trip of %T:\ngot  %+v\nwant %+v", codec.Time, v, got.Elem(), reflect.ValueOf(v).Elem())
			}
		}
	}
}

// TestJavaSDKRequest decodes what the AWS SDK for Java (Jackson's
// CBORGenerator) sends for PutRecord: an indefinite-length map with the
// members in the SDK's order.
func TestJavaSDKRequest(t *testing.T) {
	data := unhex(t, `bf
		6a 53747265616d4e616d65   61 73      # "StreamName": "s"
		64 44617461               42 0102    # "Data": h'0102'
		6c 506172746974696f6e4b6579 61 6b    # "PartitionKey": "k"
	ff`)
	var got putRecordInput
	if err := Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	want := putRecordInput{StreamName: ptr("s"), Data: []byte{1, 2}, PartitionKey: "k"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	// The same shape with definite lengths (what Marshal writes) and in
	// another member order.
	def := unhex(t, `a3 6444617461 420102 6c506172746974696f6e4b6579 616b 6a53747265616d4e616d65 6173`)
	enc, err := Marshal(&want)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(enc, def) {
		t.Errorf("Marshal = %x, want %x", enc, def)
	}

	// PutRecords: an indefinite array of indefinite maps, and a chunked
	// byte string, which any RFC 8949 encoder may send.
	data = unhex(t, `bf 67 5265636f726473 9f
		bf 6444617461 5f 41 01 41 02 ff 6c506172746974696f6e4b6579 616b ff
		bf 6444617461 40 6c506172746974696f6e4b6579 62 6b32 ff
	ff 6a53747265616d4e616d65 6173 ff`)
	var recs putRecordsInput
	if err := Unmarshal(data, &recs); err != nil {
		t.Fatal(err)
	}
	wantRecs := putRecordsInput{StreamName: ptr("s"), Records: []putRecordsRequestEntry{
		{Data: []byte{1, 2}, PartitionKey: "k"},
		{Data: []byte{}, PartitionKey: "k2"},
	}}
	if !reflect.DeepEqual(recs, wantRecs) {
		t.Errorf("got %+v, want %+v", recs, wantRecs)
	}
}

// TestAWSTimestamps pins the two tag 1 conventions. The Java SDK sends
// GetShardIterator's Timestamp as tag 1 of integer epoch milliseconds (the
// bytes below were captured from an unmodified KinesisClient) and parses
// ApproximateArrivalTimestamp the same way.
func TestAWSTimestamps(t *testing.T) {
	millis := Codec{Time: EpochMillis}
	req := unhex(t, `a3 67 53686172644964 74 73686172644964 2d 303030303030303030303030
		71 5368617264497465726174 6f7254797065 6c 41545f54494d455354414d50
		69 54696d657374616d70 c1 1b 000001a013accc38`)
	var in getShardIteratorInput
	if err := millis.Unmarshal(req, &in); err != nil {
		t.Fatal(err)
	}
	if want := time.UnixMilli(1787036486712); in.Timestamp == nil || !in.Timestamp.Equal(want) {
		t.Errorf("Timestamp = %v, want %v", in.Timestamp, want)
	}
	if in.ShardID != "shardId-000000000000" || in.ShardIteratorType != "AT_TIMESTAMP" {
		t.Errorf("got %+v", in)
	}

	// A float in milliseconds is accepted too.
	var tm time.Time
	if err := millis.Unmarshal(unhex(t, "c1 fb 4278bcfe5687b800"), &tm); err != nil || !tm.Equal(time.UnixMilli(1700000000123).Add(500*time.Microsecond)) {
		t.Errorf("float millis: %v, %v", tm, err)
	}

	ts := time.UnixMilli(1363896240500)
	for _, c := range []struct {
		codec Codec
		want  string
	}{
		{Codec{}, "c1 fb 41d452d9ec200000"}, // RFC 8949: 1(1363896240.5)
		{millis, "c1 1b 0000013d8e8d0974"},  // AWS CBOR: 1(1363896240500)
	} {
		got, err := c.codec.Marshal(ts)
		if err != nil || !bytes.Equal(got, unhex(t, c.want)) {
			t.Errorf("time %d: Marshal = %x, %v; want %s", c.codec.Time, got, err, c.want)
		}
		var back time.Time
		if err := c.codec.Unmarshal(got, &back); err != nil || !back.Equal(ts) {
			t.Errorf("time %d: Unmarshal = %v, %v", c.codec.Time, back, err)
		}
	}

	// Sub-millisecond digits are truncated on the way out.
	got, _ := Marshal(time.Unix(1700000000, 123999999))
	if want := "c1fb41d954fc4007df3b"; hex.EncodeToString(got) != want {
		t.Errorf("Marshal = %x, want %s", got, want)
	}
}
