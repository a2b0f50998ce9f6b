package cbor

import (
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"testing"
)

// benchRecords is a PutRecords call at its record limit: 500 records of
// 1 KiB each with their partition keys.
func benchRecords() *putRecordsInput {
	r := rand.New(rand.NewPCG(1, 2))
	in := &putRecordsInput{StreamName: ptr("bench-stream"), Records: make([]putRecordsRequestEntry, 500)}
	for i := range in.Records {
		data := make([]byte, 1024)
		for j := range data {
			data[j] = byte(r.Uint32())
		}
		in.Records[i] = putRecordsRequestEntry{Data: data, PartitionKey: "partition-" + strconv.Itoa(i)}
	}
	return in
}

const benchPayload = 500 * 1024 // bytes of record data per op, for MB/s

func BenchmarkMarshalRecords(b *testing.B) {
	in := benchRecords()
	b.SetBytes(benchPayload)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Marshal(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUnmarshalRecords(b *testing.B) {
	data, err := Marshal(benchRecords())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(benchPayload)
	b.ReportAllocs()
	for b.Loop() {
		var out putRecordsInput
		if err := Unmarshal(data, &out); err != nil {
			b.Fatal(err)
		}
	}
}

// The encoding/json baselines: the same struct as AWS JSON 1.1 (the
// protocol boto3 and the Go SDK use for Kinesis; Data in base64).
func BenchmarkJSONMarshalRecords(b *testing.B) {
	in := benchRecords()
	b.SetBytes(benchPayload)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(in); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkJSONUnmarshalRecords(b *testing.B) {
	data, err := json.Marshal(benchRecords())
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(benchPayload)
	b.ReportAllocs()
	for b.Loop() {
		var out putRecordsInput
		if err := json.Unmarshal(data, &out); err != nil {
			b.Fatal(err)
		}
	}
}
