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
// this choice). Retention is the JetStream stream's MaxAge; reads also
// skip records older than the retention by Options.Now (MaxAge runs on
// its own timer), and closed shards stop being listed once the retention
// has passed their end.
//
// Resharding (reshard_task.go, op_reshard.go, op_shardcount.go): SplitShard,
// MergeShards and UpdateShardCount close shards and open new ones as new
// subjects of the same JetStream stream; shard i is shardId-i and keeps
// its index for good. A reshard call validates, stores the stream
// UPDATING with its intent and answers (reshard_task.go); a background
// task then closes the write gate, drains the batcher and reads the
// stream's last JetStream sequence L: closed shards end at L (no record of theirs is above it),
// new shards start at L+1 and carry ParentShardId /
// AdjacentParentShardId. UpdateShardCount reaches the uniform split by
// individual splits and merges, as AWS does, so every child has at most
// two parents and intermediate shards show up closed. GetRecords on a
// closed shard returns a null NextShardIterator and the ChildShards once
// it has returned the shard's last record.
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
// Status (lifecycle.go): CreateStream and DeleteStream answer at once,
// with the stream CREATING or DELETING as on AWS; a background task
// creates (or deletes) the JetStream stream and the stream turns ACTIVE
// (or disappears), usually within milliseconds. Meanwhile reads, writes
// and changes get ResourceInUseException. Reshards answer at once too,
// with the stream UPDATING until their task has applied the new shard
// map (reads and writes go on, in the old shards; other changes get
// ResourceInUseException); Start applies a reshard a crash interrupted.
//
// Writes (batcher.go): a PutRecords is one JetStream atomic batch, and
// concurrent PutRecords are coalesced into one; a PutRecord is published
// at once on the shared connection, so concurrent ones are pipelined and
// share the server's fsyncs. Either is acknowledged only once JetStream
// has stored it (fsynced unless the platform runs with process
// durability).
//
// Opaque tokens (shard iterators, ListStreams/ListShards NextToken) are
// HMAC-signed with a key kept in the metadata space (token.go); they expire
// after 5 minutes like AWS's and forged ones are rejected.
//
// SubscribeToShard (subscribe.go) answers in the request's codec: JSON,
// or CBOR for the Java SDK and KCL (event payloads included).
//
// Concurrency: Service.mu guards the stream table; a streamState is
// immutable after it is published in the table; a change publishes a new
// one sharing the stream's control (batcher, admin lock, write gate).
// Writers hold the gate shared from routing to storing; metadata changes
// (reshards, retention, tags, deletion) hold admin. Lock order:
// control.admin, then control.gate, then Service.mu.
package stream
