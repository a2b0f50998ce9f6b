// Package firehose is tarn's Amazon Data Firehose API (AWS JSON 1.1,
// target prefix Firehose_20150804), delivering records into the lake.
//
// Operations: CreateDeliveryStream (DirectPut or KinesisStreamAsSource,
// ExtendedS3DestinationConfiguration or S3DestinationConfiguration),
// DescribeDeliveryStream, ListDeliveryStreams, DeleteDeliveryStream,
// PutRecord, PutRecordBatch and UpdateDestination. Configuration tarn does
// not implement (other destinations, ORC output, Lambda processors, KMS,
// S3 backup, CloudWatch logging)
// is refused with InvalidArgumentException "tarn does not support ... yet",
// never accepted and ignored; the remaining operations answer
// UnknownOperationException.
//
// Durability: a DirectPut record is acknowledged only once it is in the
// durable buffer, a run of Pebble keys buf/<epoch>/<seq> in the service's
// kv space, written by one atomic batch per PutRecord(Batch) (concurrent
// puts share the WAL's group commit). The deliverer keeps a copy in
// memory; after an object is committed to the lake it deletes the
// delivered keys in one batch. A Kinesis source is read from the shards
// through KinesisReader and its per-shard positions kpos/<epoch>/<shard>
// advance in one batch after each object is committed. Either way a crash
// between the lake commit and the acknowledgement delivers the batch
// again: delivery is at-least-once and survives kill -9.
//
// Delivery (deliver.go, buffer.go): records are buffered until SizeInMBs
// is reached or the oldest has waited IntervalInSeconds (0: at once),
// concatenated without delimiter (AppendDelimiterToRecord adds "\n"),
// optionally compressed (compress.go: GZIP, ZIP, Snappy in snappy-java's
// stream format, HADOOP_SNAPPY in Hadoop's block format, as AWS writes
// them, with AWS's Content-Encoding when the Lake is an EncodingLake),
// and written as one object per flush (one per partition with dynamic
// partitioning) through the Lake interface, named as AWS names them
// (object.go, prefix.go). A Kinesis source is polled again within
// milliseconds after records arrived, backing off to KinesisPoll while it
// stays idle (kinesis.go).
//
// Data format conversion (convert.go): JSON records (OpenXJsonSerDe or
// HiveJsonSerDe) become Parquet (ParquetSerDe) through the columnar
// package's sandboxed DuckDB, one .parquet object per flush (per
// partition), staged in Options.TempDir and streamed into the lake. The
// schema is the Glue table of SchemaConfiguration, resolved through
// Options.Schemas at create/update (refused if it does not resolve) and
// again at each flush (a failure is retried; records stay buffered).
// Platform passes its Glue catalog as the SchemaSource (tests may pass
// an inline one); with no SchemaSource conversion answers
// InvalidArgumentException "tarn's Glue catalog is not available yet".
// Records that are not a JSON object or whose values do not convert to
// their column's type go to ErrorOutputPrefix (error-output-type format-conversion-failed) as
// JSON lines with the raw data in base64.
//
// Time comes from an injected Clock, so buffering is tested without
// sleeping.
//
// Concurrency: Service.mu guards the stream table; each deliveryStream
// has writers (puts vs. delete) and mu (meta, config, buffer). Lock order:
// Service.mu, deliveryStream.writers, deliveryStream.mu. Service.colMu
// (the lazily opened Parquet writer) is a leaf, never held with another.
package firehose
