// Package stream is tarn's Kinesis Data Streams API (AWS JSON 1.1,
// target prefix Kinesis_20131202) over NATS JetStream.
//
// Layout: one JetStream stream per Kinesis stream, named
// KINESIS_<epoch>, with one subject per shard, kinesis.<epoch>.<shard>
// (epoch is the stream's creation time in microseconds, unique per
// creation, so a re-created stream never sees the old one's records or
// sequence numbers). A PutRecords touching many shards is therefore one
// JetStream atomic batch (one fsync); reading one shard is a batched
// direct get filtered by its subject, which JetStream serves from its
// per-subject index (see layout_bench_test.go for the measurement behind
// this choice). Retention is the JetStream stream's MaxAge.
//
// Sequence numbers are 50 decimal digits, "49" + epoch (16) + shard
// index (12) + JetStream stream sequence (20) (seqnum.go): strictly
// increasing per shard, derived from JetStream itself, so they survive
// restart with no extra state.
//
// Metadata (name, shard map, status, retention, creation time) is JSON in
// the kv.Space the platform hands over (meta.go); Start loads it and
// reconciles it with JetStream after a crash (a half-created stream is
// finished, a half-deleted one removed).
//
// Writes: every PutRecord/PutRecords goes through the stream's batcher
// (batcher.go), which coalesces concurrent requests into one atomic batch
// publish, acknowledged by JetStream only once stored (fsynced unless the
// platform runs with process durability).
//
// Opaque tokens (shard iterators, ListStreams/ListShards NextToken) are
// HMAC-signed with a key kept in the metadata space (token.go); they expire
// after 5 minutes like AWS's and forged ones are rejected.
//
// Concurrency: Service.mu guards the stream table; a streamState is
// immutable after it is published in the table except through its
// batcher, which is safe for concurrent use. Lock order: Service.mu only.
package stream
