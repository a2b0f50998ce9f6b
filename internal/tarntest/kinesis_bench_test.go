package tarntest

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/nats-io/nats.go/jetstream"
)

// Kinesis benchmarks and their raw JetStream baselines on the same
// embedded server, same payloads: one op is a batch of benchRecords
// records of benchRecordSize bytes (PutRecords / GetRecords through the
// SDK vs. async publish + acks / a pull-consumer fetch).
const (
	benchRecords    = 500
	benchRecordSize = 100
	benchShards     = 4
	benchCase       = "500x100B" // the sub-benchmark name pairs tarn and baseline in benchratio
)

func kinesisBenchEnv(b *testing.B) (*Env, *kinesis.Client) {
	env := Start(b, WithDurability(benchDurability()))
	c := env.Kinesis()
	createStream(b, c, "bench", benchShards)
	return env, c
}

func benchEntries() []types.PutRecordsRequestEntry {
	e := make([]types.PutRecordsRequestEntry, benchRecords)
	for i := range e {
		e[i] = types.PutRecordsRequestEntry{PartitionKey: aws.String(fmt.Sprint(i)), Data: make([]byte, benchRecordSize)}
	}
	return e
}

// BenchmarkPutRecords: PutRecords of 500 records through the SDK (one
// fsynced atomic batch).
func BenchmarkPutRecords(b *testing.B) { b.Run(benchCase, benchPutRecords) }

func benchPutRecords(b *testing.B) {
	_, c := kinesisBenchEnv(b)
	in := &kinesis.PutRecordsInput{StreamName: aws.String("bench"), Records: benchEntries()}
	b.SetBytes(benchRecords * benchRecordSize)
	for b.Loop() {
		if out, err := c.PutRecords(b.Context(), in); err != nil || *out.FailedRecordCount != 0 {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N*benchRecords)/b.Elapsed().Seconds(), "records/s")
}

func rawStream(b *testing.B, env *Env) jetstream.JetStream {
	js := env.Platform.NATS().JetStream()
	if _, err := js.CreateStream(b.Context(), jetstream.StreamConfig{Name: "RAW", Subjects: []string{"raw.*"},
		Storage: jetstream.FileStorage, MaxAge: 24 * time.Hour}); err != nil {
		b.Fatal(err)
	}
	return js
}

// BenchmarkJetStreamPublish: the same 500 payloads published async to a
// file stream of the same server, waiting for every ack.
func BenchmarkJetStreamPublish(b *testing.B) { b.Run(benchCase, benchJetStreamPublish) }

func benchJetStreamPublish(b *testing.B) {
	env, _ := kinesisBenchEnv(b)
	js := rawStream(b, env)
	data := make([]byte, benchRecordSize)
	b.SetBytes(benchRecords * benchRecordSize)
	for b.Loop() {
		for i := range benchRecords {
			if _, err := js.PublishAsync(fmt.Sprintf("raw.%d", i%benchShards), data); err != nil {
				b.Fatal(err)
			}
		}
		<-js.PublishAsyncComplete()
	}
	b.ReportMetric(float64(b.N*benchRecords)/b.Elapsed().Seconds(), "records/s")
}

const benchReadRecords = 20000 // per shard

// BenchmarkGetRecords: GetRecords with Limit 500 from one shard, cycling
// through benchReadRecords records.
func BenchmarkGetRecords(b *testing.B) { b.Run(benchCase, benchGetRecords) }

func benchGetRecords(b *testing.B) {
	_, c := kinesisBenchEnv(b)
	entries := benchEntries()
	for i := range entries {
		entries[i].ExplicitHashKey = aws.String("0")
	}
	for range benchReadRecords / benchRecords {
		if _, err := c.PutRecords(b.Context(), &kinesis.PutRecordsInput{StreamName: aws.String("bench"), Records: entries}); err != nil {
			b.Fatal(err)
		}
	}
	start := func() *string {
		out, err := c.GetShardIterator(b.Context(), &kinesis.GetShardIteratorInput{StreamName: aws.String("bench"),
			ShardId: aws.String("shardId-000000000000"), ShardIteratorType: types.ShardIteratorTypeTrimHorizon})
		if err != nil {
			b.Fatal(err)
		}
		return out.ShardIterator
	}
	it := start()
	b.SetBytes(benchRecords * benchRecordSize)
	for b.Loop() {
		out, err := c.GetRecords(b.Context(), &kinesis.GetRecordsInput{ShardIterator: it, Limit: aws.Int32(benchRecords)})
		if err != nil {
			b.Fatal(err)
		}
		it = out.NextShardIterator
		if len(out.Records) < benchRecords {
			it = start()
		}
	}
	b.ReportMetric(float64(b.N*benchRecords)/b.Elapsed().Seconds(), "records/s")
}

// BenchmarkJetStreamFetch: a pull consumer fetching 500 messages of one
// subject from the same payloads in a file stream of the same server.
func BenchmarkJetStreamFetch(b *testing.B) { b.Run(benchCase, benchJetStreamFetch) }

func benchJetStreamFetch(b *testing.B) {
	env, _ := kinesisBenchEnv(b)
	js := rawStream(b, env)
	data := make([]byte, benchRecordSize)
	for i := range benchReadRecords * benchShards {
		if _, err := js.PublishAsync(fmt.Sprintf("raw.%d", i%benchShards), data); err != nil {
			b.Fatal(err)
		}
		if i%1000 == 999 {
			<-js.PublishAsyncComplete()
		}
	}
	<-js.PublishAsyncComplete()
	consumer := func() jetstream.Consumer {
		c, err := js.OrderedConsumer(b.Context(), "RAW", jetstream.OrderedConsumerConfig{FilterSubjects: []string{"raw.0"}})
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	cons, got := consumer(), 0
	b.SetBytes(benchRecords * benchRecordSize)
	for b.Loop() {
		batch, err := cons.FetchNoWait(benchRecords)
		if err != nil {
			b.Fatal(err)
		}
		n := 0
		for range batch.Messages() {
			n++
		}
		got += n
		if n < benchRecords || got >= benchReadRecords {
			cons, got = consumer(), 0
		}
	}
	b.ReportMetric(float64(b.N*benchRecords)/b.Elapsed().Seconds(), "records/s")
}
