package dynamo

import (
	"context"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
	"github.com/tarnhq/tarn/internal/kv"
)

// Benchmarks of the hot paths through the SDK over HTTP, each beside a raw
// Pebble baseline moving the same bytes (fsynced batches, as the service
// writes): make bench pairs DynamoX with RawPebbleX. Writers run 8 per
// core-less goroutine group so group commit is exercised on both sides.

const benchParallelism = 8

var benchValue = strings.Repeat("v", 200)

func benchItem(i int64) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{"pk": s(fmt.Sprintf("user-%08d", i)), "sk": n("1"), "payload": s(benchValue)}
}

// rawPair is the key and stored value the service writes for benchItem(i).
func rawPair(i int64) ([]byte, []byte) {
	item := attr.Item{"pk": attr.String(fmt.Sprintf("user-%08d", i)), "sk": attr.MustNumber("1"), "payload": attr.String(benchValue)}
	k := attr.AppendKey(appendPartition(tablePrefix(1), item["pk"]), item["sk"])
	return k, encodeStored(item)
}

func newBench(b *testing.B) (*Service, *dynamodb.Client, *kv.DB) {
	b.Helper()
	db, err := kv.Open(b.TempDir(), kv.Options{}) // durable, as in production
	if err != nil {
		b.Fatal(err)
	}
	svc, err := New(Options{DB: db, Meta: db.Space("dynamodb/"), TTLSweepInterval: -1, TrimInterval: -1})
	if err != nil {
		b.Fatal(err)
	}
	if err := svc.Start(context.Background()); err != nil {
		b.Fatal(err)
	}
	srv := httptest.NewServer(svc.Handler())
	b.Cleanup(func() { srv.Close(); svc.Stop(context.Background()); db.Close() })
	c := ddbClient(srv.URL)
	_, err = c.CreateTable(context.Background(), &dynamodb.CreateTableInput{TableName: aws.String("bench"), BillingMode: types.BillingModePayPerRequest,
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("pk"), AttributeType: types.ScalarAttributeTypeS}, {AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeN}},
		KeySchema:            []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}, {AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange}}})
	if err != nil {
		b.Fatal(err)
	}
	return svc, c, db
}

// latencies collects per-operation durations and reports p50/p99.
type latencies struct {
	mu sync.Mutex
	d  []time.Duration
}

func (l *latencies) add(d time.Duration) { l.mu.Lock(); l.d = append(l.d, d); l.mu.Unlock() }

func (l *latencies) report(b *testing.B) {
	if len(l.d) == 0 {
		return
	}
	slices.Sort(l.d)
	b.ReportMetric(float64(l.d[len(l.d)/2].Microseconds()), "p50-µs")
	b.ReportMetric(float64(l.d[len(l.d)*99/100].Microseconds()), "p99-µs")
}

func BenchmarkDynamoPutItem(b *testing.B) {
	_, c, _ := newBench(b)
	var next atomic.Int64
	var lat latencies
	b.SetParallelism(benchParallelism)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			t0 := time.Now()
			if _, err := c.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String("bench"), Item: benchItem(next.Add(1))}); err != nil {
				b.Error(err)
				return
			}
			lat.add(time.Since(t0))
		}
	})
	lat.report(b)
}

func BenchmarkRawPebblePut(b *testing.B) {
	db, err := kv.Open(b.TempDir(), kv.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	sp := db.Space("dynamodb/i/")
	var next atomic.Int64
	var lat latencies
	b.SetParallelism(benchParallelism)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			t0 := time.Now()
			k, v := rawPair(next.Add(1))
			batch := db.NewBatch()
			batch.Set(sp, k, v)
			if err := batch.Commit(); err != nil {
				b.Error(err)
				return
			}
			lat.add(time.Since(t0))
		}
	})
	lat.report(b)
}

const benchRows = 2000

func BenchmarkDynamoGetItem(b *testing.B) {
	_, c, _ := newBench(b)
	fillBench(b, c, benchRows)
	var next atomic.Int64
	var lat latencies
	b.SetParallelism(benchParallelism)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1)%benchRows + 1
			t0 := time.Now()
			o, err := c.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String("bench"),
				Key: map[string]types.AttributeValue{"pk": s(fmt.Sprintf("user-%08d", i)), "sk": n("1")}})
			if err != nil || o.Item == nil {
				b.Error("get", err)
				return
			}
			lat.add(time.Since(t0))
		}
	})
	lat.report(b)
}

func BenchmarkRawPebbleGet(b *testing.B) {
	db, err := kv.Open(b.TempDir(), kv.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	sp := db.Space("dynamodb/i/")
	for i := int64(1); i <= benchRows; i++ {
		k, v := rawPair(i)
		sp.Set(k, v)
	}
	var next atomic.Int64
	var lat latencies
	b.SetParallelism(benchParallelism)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			t0 := time.Now()
			k, _ := rawPair(next.Add(1)%benchRows + 1)
			if _, err := sp.Get(k); err != nil {
				b.Error(err)
				return
			}
			lat.add(time.Since(t0))
		}
	})
	lat.report(b)
}

func fillBench(b *testing.B, c *dynamodb.Client, rows int64) {
	var reqs []types.WriteRequest
	for i := int64(1); i <= rows; i++ {
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: benchItem(i)}})
		if len(reqs) == 25 || i == rows {
			if _, err := c.BatchWriteItem(context.Background(), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"bench": reqs}}); err != nil {
				b.Fatal(err)
			}
			reqs = nil
		}
	}
}

// Query reads one partition of 100 items per call.
func BenchmarkDynamoQuery(b *testing.B) {
	_, c, _ := newBench(b)
	var reqs []types.WriteRequest
	for i := 0; i < 100; i++ {
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{"pk": s("part"), "sk": n(fmt.Sprint(i)), "payload": s(benchValue)}}})
		if len(reqs) == 25 {
			if _, err := c.BatchWriteItem(context.Background(), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"bench": reqs}}); err != nil {
				b.Fatal(err)
			}
			reqs = nil
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		o, err := c.Query(context.Background(), &dynamodb.QueryInput{TableName: aws.String("bench"), KeyConditionExpression: aws.String("pk = :p"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":p": s("part")}})
		if err != nil || o.Count != 100 {
			b.Fatal(err)
		}
	}
}

func BenchmarkRawPebbleScan100(b *testing.B) {
	db, err := kv.Open(b.TempDir(), kv.Options{NoSync: true})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	sp := db.Space("dynamodb/i/")
	prefix := appendPartition(tablePrefix(1), attr.String("part"))
	for i := 0; i < 100; i++ {
		item := attr.Item{"pk": attr.String("part"), "sk": attr.MustNumber(fmt.Sprint(i)), "payload": attr.String(benchValue)}
		sp.Set(attr.AppendKey(append([]byte(nil), prefix...), item["sk"]), encodeStored(item))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		it, _ := sp.Iter(prefix, kv.PrefixEnd(prefix))
		n := 0
		for ok := it.First(); ok; ok = it.Next() {
			v, _ := it.Value()
			_ = append([]byte(nil), v...)
			n++
		}
		it.Close()
		if n != 100 {
			b.Fatal(n)
		}
	}
}

func BenchmarkDynamoBatchWriteItem(b *testing.B) {
	_, c, _ := newBench(b)
	var next atomic.Int64
	b.SetParallelism(benchParallelism)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			reqs := make([]types.WriteRequest, 25)
			for j := range reqs {
				reqs[j] = types.WriteRequest{PutRequest: &types.PutRequest{Item: benchItem(next.Add(1))}}
			}
			if _, err := c.BatchWriteItem(context.Background(), &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"bench": reqs}}); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

func BenchmarkRawPebbleBatch25(b *testing.B) {
	db, err := kv.Open(b.TempDir(), kv.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	sp := db.Space("dynamodb/i/")
	var next atomic.Int64
	b.SetParallelism(benchParallelism)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			batch := db.NewBatch()
			for j := 0; j < 25; j++ {
				k, v := rawPair(next.Add(1))
				batch.Set(sp, k, v)
			}
			if err := batch.Commit(); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkDynamoLatency measures one client's round trips (no
// concurrency), for p50/p99 of a single caller.
func BenchmarkDynamoLatency(b *testing.B) {
	_, c, _ := newBench(b)
	fillBench(b, c, 100)
	for _, op := range []string{"PutItem", "GetItem"} {
		b.Run(op, func(b *testing.B) {
			var lat latencies
			for i := 0; i < b.N; i++ {
				t0 := time.Now()
				var err error
				if op == "PutItem" {
					_, err = c.PutItem(context.Background(), &dynamodb.PutItemInput{TableName: aws.String("bench"), Item: benchItem(int64(i%100 + 1))})
				} else {
					_, err = c.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String("bench"),
						Key: map[string]types.AttributeValue{"pk": s(fmt.Sprintf("user-%08d", i%100+1)), "sk": n("1")}})
				}
				if err != nil {
					b.Fatal(err)
				}
				lat.add(time.Since(t0))
			}
			lat.report(b)
		})
	}
}
