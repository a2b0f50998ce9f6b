package tarntest

import (
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	fhtypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/tarnhq/tarn/internal/columnar"
	"github.com/tarnhq/tarn/internal/platform"
)

// The Kinesis → Firehose → Parquet latency benchmark and its baseline.
// One op is one record: tarn's op is PutRecord into a Kinesis stream until
// the Parquet object Firehose delivers for it is listed in the lake and
// read back through DuckDB; the baseline's op writes the same one-row
// Parquet file through internal/columnar, stores it durably (write,
// fsync, rename) and reads it back through DuckDB. Pair them in make
// bench as FirehoseKinesisParquet=ParquetWriteRead (case "1rec").
const latencyCase = "1rec"

var latencySchema = columnar.Schema{{Name: "id", Type: columnar.BigInt}, {Name: "v", Type: columnar.String}}

// parquetID reads the id column of the one-row Parquet file at path.
func parquetID(b *testing.B, db *sql.DB, path string) int64 {
	var id int64
	if err := db.QueryRow(`SELECT id FROM read_parquet('` + path + `')`).Scan(&id); err != nil {
		b.Fatal(err)
	}
	return id
}

// pctMS is the p-th percentile of lat in milliseconds.
func pctMS(lat []time.Duration, p float64) float64 {
	s := slices.Clone(lat)
	slices.Sort(s)
	return float64(s[min(len(s)-1, int(p*float64(len(s))))]) / float64(time.Millisecond)
}

// BenchmarkFirehoseKinesisParquet reports p50/p99 of PutRecord → object
// listed (listed-p50-ms, listed-p99-ms) and → Parquet read back by DuckDB
// (readable-p50-ms, readable-p99-ms). The delivery stream reads a
// one-shard Kinesis stream, converts to Parquet with an inline schema and
// flushes at once (IntervalInSeconds 0); each record has its own
// partition key, so its object has its own prefix.
func BenchmarkFirehoseKinesisParquet(b *testing.B) {
	b.Run(latencyCase, func(b *testing.B) {
		env := StartWith(b, platform.Options{FirehoseSchemas: testSchemas{"bench.rows": latencySchema}}, WithDurability(benchDurability()))
		ctx := b.Context()
		s3c, fc, kc := env.S3(), env.Firehose(), env.Kinesis()
		if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench")}); err != nil {
			b.Fatal(err)
		}
		createStream(b, kc, "src", 1)
		dest := fhDest("bench", 0, 64)
		dest.Prefix = aws.String("r/!{partitionKeyFromQuery:id}/")
		dest.ErrorOutputPrefix = aws.String("err/!{firehose:error-output-type}/")
		dest.DynamicPartitioningConfiguration = &fhtypes.DynamicPartitioningConfiguration{Enabled: aws.Bool(true)}
		dest.ProcessingConfiguration = &fhtypes.ProcessingConfiguration{Enabled: aws.Bool(true), Processors: []fhtypes.Processor{{
			Type: fhtypes.ProcessorTypeMetadataExtraction, Parameters: []fhtypes.ProcessorParameter{
				{ParameterName: fhtypes.ProcessorParameterNameMetadataExtractionQuery, ParameterValue: aws.String("{id: .id}")},
				{ParameterName: fhtypes.ProcessorParameterNameJsonParsingEngine, ParameterValue: aws.String("JQ-1.6")}}}}}
		dest.DataFormatConversionConfiguration = &fhtypes.DataFormatConversionConfiguration{Enabled: aws.Bool(true),
			SchemaConfiguration:       &fhtypes.SchemaConfiguration{DatabaseName: aws.String("bench"), TableName: aws.String("rows"), RoleARN: aws.String("arn:aws:iam::000000000000:role/r")},
			InputFormatConfiguration:  &fhtypes.InputFormatConfiguration{Deserializer: &fhtypes.Deserializer{OpenXJsonSerDe: &fhtypes.OpenXJsonSerDe{}}},
			OutputFormatConfiguration: &fhtypes.OutputFormatConfiguration{Serializer: &fhtypes.Serializer{ParquetSerDe: &fhtypes.ParquetSerDe{}}}}
		if _, err := fc.CreateDeliveryStream(ctx, &firehose.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("bench"),
			DeliveryStreamType: fhtypes.DeliveryStreamTypeKinesisStreamAsSource,
			KinesisStreamSourceConfiguration: &fhtypes.KinesisStreamSourceConfiguration{
				KinesisStreamARN: aws.String("arn:aws:kinesis:us-east-1:000000000000:stream/src"), RoleARN: aws.String("arn:aws:iam::000000000000:role/r")},
			ExtendedS3DestinationConfiguration: dest}); err != nil {
			b.Fatal(err)
		}
		db, err := sql.Open("duckdb", "")
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		path := filepath.Join(b.TempDir(), "got.parquet")
		tick := time.NewTicker(200 * time.Microsecond)
		defer tick.Stop()
		var listed, readable []time.Duration
		b.ResetTimer()
		for i := int64(0); b.Loop(); i++ {
			start := time.Now()
			if _, err := kc.PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("src"), PartitionKey: aws.String("k"),
				Data: fmt.Appendf(nil, `{"id":%d,"v":"payload"}`, i)}); err != nil {
				b.Fatal(err)
			}
			prefix := fmt.Sprintf("r/%d/", i)
			var key *string
			for key == nil {
				out, err := s3c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bench"), Prefix: aws.String(prefix)})
				if err != nil {
					b.Fatal(err)
				}
				if len(out.Contents) > 0 {
					key = out.Contents[0].Key
					break
				}
				<-tick.C
			}
			listed = append(listed, time.Since(start))
			g, err := s3c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bench"), Key: key})
			if err != nil {
				b.Fatal(err)
			}
			body, err := io.ReadAll(g.Body)
			g.Body.Close()
			if err != nil {
				b.Fatal(err)
			}
			if err := os.WriteFile(path, body, 0o600); err != nil {
				b.Fatal(err)
			}
			if id := parquetID(b, db, path); id != i {
				b.Fatalf("object %s holds id %d, want %d", *key, id, i)
			}
			readable = append(readable, time.Since(start))
		}
		b.ReportMetric(pctMS(listed, 0.50), "listed-p50-ms")
		b.ReportMetric(pctMS(listed, 0.99), "listed-p99-ms")
		b.ReportMetric(pctMS(readable, 0.50), "readable-p50-ms")
		b.ReportMetric(pctMS(readable, 0.99), "readable-p99-ms")
	})
}

// BenchmarkParquetWriteRead is the baseline: the same one-row Parquet file
// written through internal/columnar (sandboxed DuckDB), stored durably
// as a lake object would be (write, fsync, rename) and read back.
func BenchmarkParquetWriteRead(b *testing.B) {
	b.Run(latencyCase, func(b *testing.B) {
		dir := b.TempDir()
		w, err := columnar.New(dir, columnar.Options{})
		if err != nil {
			b.Fatal(err)
		}
		defer w.Close()
		db, err := sql.Open("duckdb", "")
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		lake := b.TempDir()
		path := filepath.Join(lake, "obj.parquet")
		var lat []time.Duration
		b.ResetTimer()
		for i := int64(0); b.Loop(); i++ {
			start := time.Now()
			f, err := w.Write(b.Context(), latencySchema, [][]any{{i, "payload"}}, columnar.Snappy)
			if err != nil {
				b.Fatal(err)
			}
			tmp, err := os.CreateTemp(lake, "tmp-*")
			if err == nil {
				_, err = io.Copy(tmp, f)
			}
			f.Close()
			if err == nil {
				err = tmp.Sync()
			}
			if err == nil {
				err = tmp.Close()
			}
			if err == nil {
				err = os.Rename(tmp.Name(), path)
			}
			if err != nil {
				b.Fatal(err)
			}
			if id := parquetID(b, db, path); id != i {
				b.Fatalf("read id %d, want %d", id, i)
			}
			lat = append(lat, time.Since(start))
		}
		b.ReportMetric(pctMS(lat, 0.50), "readable-p50-ms")
		b.ReportMetric(pctMS(lat, 0.99), "readable-p99-ms")
	})
}
