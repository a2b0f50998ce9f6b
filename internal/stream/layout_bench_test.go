package stream

import (
	"fmt"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/tarnhq/tarn/internal/natsd"
)

// The layout question (issue 3): one JetStream stream per Kinesis stream
// with a subject per shard, or one JetStream stream per shard? These
// benchmarks read one shard of a 64-shard stream both ways, and write a
// 500-record PutRecords spread over the shards both ways (strict
// durability: one atomic batch vs. one per shard touched).

const (
	layoutShards    = 64
	layoutPerShard  = 2000
	layoutRecord    = 100
	layoutReadBatch = 1000
)

func layoutServer(b *testing.B, noSync bool) *natsd.Server {
	ns, err := natsd.New(natsd.Options{StoreDir: b.TempDir(), NoSync: noSync})
	if err != nil {
		b.Fatal(err)
	}
	if err := ns.Start(b.Context()); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ns.Stop(b.Context()) })
	return ns
}

func layoutStream(b *testing.B, ns *natsd.Server, name string, subjects string) {
	_, err := ns.JetStream().CreateStream(b.Context(), jetstream.StreamConfig{Name: name, Subjects: []string{subjects},
		Storage: jetstream.FileStorage, AllowDirect: true, AllowAtomicPublish: true, MaxAge: 24 * time.Hour})
	if err != nil {
		b.Fatal(err)
	}
}

// fill publishes layoutPerShard records to each shard, interleaved as a
// real producer's would be; subject(i) names shard i's subject.
func fill(b *testing.B, ns *natsd.Server, subject func(int) string) {
	bt := newBatcher(ns.Conn(), nil)
	defer bt.stop()
	data := encodeRecord("pk", make([]byte, layoutRecord))
	for range layoutPerShard / 10 {
		var msgs []pubMsg
		for sh := range layoutShards {
			for range 10 {
				msgs = append(msgs, pubMsg{subject: subject(sh), data: data})
			}
		}
		for len(msgs) > 0 {
			n := min(len(msgs), maxBatchMsgs)
			if _, err := bt.put(b.Context(), msgs[:n]); err != nil {
				b.Fatal(err)
			}
			msgs = msgs[n:]
		}
	}
}

func readShard(b *testing.B, ns *natsd.Server, js, subject string) {
	n := 0
	for from := uint64(1); ; {
		recs, _, err := fetch(b.Context(), ns.Conn(), js, subject, from, time.Time{}, layoutReadBatch, maxGetRecordsBytes)
		if err != nil {
			b.Fatal(err)
		}
		if len(recs) == 0 {
			break
		}
		n += len(recs)
		from = recs[len(recs)-1].seq + 1
	}
	if n != layoutPerShard {
		b.Fatalf("read %d records, want %d", n, layoutPerShard)
	}
}

// BenchmarkLayoutReadSubjectPerShard: one stream, 64 subjects; read one.
func BenchmarkLayoutReadSubjectPerShard(b *testing.B) {
	ns := layoutServer(b, true)
	layoutStream(b, ns, "ONE", "one.*")
	fill(b, ns, func(i int) string { return fmt.Sprintf("one.%d", i) })
	b.SetBytes(layoutPerShard * layoutRecord)
	for b.Loop() {
		readShard(b, ns, "ONE", "one.17")
	}
}

// BenchmarkLayoutReadStreamPerShard: 64 streams; read one.
func BenchmarkLayoutReadStreamPerShard(b *testing.B) {
	ns := layoutServer(b, true)
	for i := range layoutShards {
		layoutStream(b, ns, fmt.Sprintf("S%d", i), fmt.Sprintf("s%d.x", i))
	}
	// Fill each shard's stream with a batcher per stream.
	for sh := range layoutShards {
		bt := newBatcher(ns.Conn(), nil)
		data := encodeRecord("pk", make([]byte, layoutRecord))
		msgs := make([]pubMsg, layoutPerShard)
		for i := range msgs {
			msgs[i] = pubMsg{subject: fmt.Sprintf("s%d.x", sh), data: data}
		}
		for i := 0; i < len(msgs); i += maxBatchMsgs {
			if _, err := bt.put(b.Context(), msgs[i:min(i+maxBatchMsgs, len(msgs))]); err != nil {
				b.Fatal(err)
			}
		}
		bt.stop()
	}
	b.SetBytes(layoutPerShard * layoutRecord)
	for b.Loop() {
		readShard(b, ns, "S17", "s17.x")
	}
}

// putSpread writes 500 records spread over 64 shards through batchers:
// one batcher (one atomic batch) or one per stream (a batch per shard).
func putSpread(b *testing.B, bts []*batcher, subject func(int) string) {
	data := encodeRecord("pk", make([]byte, layoutRecord))
	per := make([][]pubMsg, len(bts))
	for i := range 500 {
		sh := i % layoutShards
		k := sh % len(bts)
		per[k] = append(per[k], pubMsg{subject: subject(sh), data: data})
	}
	errs := make(chan error, len(bts))
	for k, bt := range bts {
		go func() { _, err := bt.put(b.Context(), per[k]); errs <- err }()
	}
	for range bts {
		if err := <-errs; err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLayoutWriteSubjectPerShard: PutRecords of 500 as one fsynced batch.
func BenchmarkLayoutWriteSubjectPerShard(b *testing.B) {
	ns := layoutServer(b, false)
	layoutStream(b, ns, "ONE", "one.*")
	bt := newBatcher(ns.Conn(), nil)
	defer bt.stop()
	b.SetBytes(500 * layoutRecord)
	for b.Loop() {
		putSpread(b, []*batcher{bt}, func(i int) string { return fmt.Sprintf("one.%d", i) })
	}
}

// BenchmarkLayoutWriteStreamPerShard: the same 500 records as 64 batches.
func BenchmarkLayoutWriteStreamPerShard(b *testing.B) {
	ns := layoutServer(b, false)
	var bts []*batcher
	for i := range layoutShards {
		layoutStream(b, ns, fmt.Sprintf("S%d", i), fmt.Sprintf("s%d.x", i))
		bts = append(bts, newBatcher(ns.Conn(), nil))
	}
	defer func() {
		for _, bt := range bts {
			bt.stop()
		}
	}()
	b.SetBytes(500 * layoutRecord)
	for b.Loop() {
		putSpread(b, bts, func(i int) string { return fmt.Sprintf("s%d.x", i) })
	}
}
