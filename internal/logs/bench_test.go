package logs

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tarnhq/tarn/internal/kv"
)

// benchEvents is one Lambda invoke's worth of log lines: 10 events of
// about 100 bytes.
func benchEvents(t time.Time) []Event {
	evs := make([]Event, 10)
	for i := range evs {
		evs[i] = Event{Time: t, Message: fmt.Sprintf("2026-03-01T11:00:00.000Z\tINFO\trequest %d %s", i, strings.Repeat("x", 60))}
	}
	return evs
}

// BenchmarkLogsPut is Service.Put of 10 events to one stream, durable
// (synced). Compare with BenchmarkRawPebbleLogBatch:
//
//	go test -bench 'LogsPut|RawPebbleLogBatch' ./internal/logs/ | go run ./internal/benchratio/cmd LogsPut=RawPebbleLogBatch
func BenchmarkLogsPut(b *testing.B) {
	db, err := kv.Open(b.TempDir(), kv.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	svc, err := New(Options{DB: db, Meta: db.Space("logs/")})
	if err != nil {
		b.Fatal(err)
	}
	svc.interval = -1
	if err := svc.Start(b.Context()); err != nil {
		b.Fatal(err)
	}
	defer svc.Stop(b.Context())
	evs := benchEvents(time.Now())
	b.SetBytes(batchBytes(evs))
	for b.Loop() {
		if err := svc.Put(b.Context(), "", "/aws/lambda/bench", "2026/03/01/[$LATEST]0123456789abcdef", evs); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRawPebbleLogBatch is the baseline: one synced Pebble batch of
// the same 10 keys and values Put writes, without the stream record's
// read and update.
func BenchmarkRawPebbleLogBatch(b *testing.B) {
	db, err := kv.Open(b.TempDir(), kv.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	sp := db.Space("logs/")
	evs := benchEvents(time.Now())
	b.SetBytes(batchBytes(evs))
	prefix := eventsPrefix(DefaultRegion, "/aws/lambda/bench", "2026/03/01/[$LATEST]0123456789abcdef")
	var seq uint64
	for b.Loop() {
		batch := db.NewBatch()
		for _, e := range evs {
			seq++
			batch.Set(sp, eventKey(prefix, pos{TS: e.Time.UnixMilli(), Seq: seq}), encodeEvent(0, e.Message))
		}
		if err := batch.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

func batchBytes(evs []Event) int64 {
	n := 0
	for _, e := range evs {
		n += len(e.Message)
	}
	return int64(n)
}
