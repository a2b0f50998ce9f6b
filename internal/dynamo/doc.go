// Package dynamo is tarn's DynamoDB API (AWS JSON 1.0, target prefix
// DynamoDB_20120810) and DynamoDB Streams API (DynamoDBStreams_20120810)
// over the platform's Pebble database. Handler serves both prefixes and
// sets X-Amz-Crc32 on every answer, as DynamoDB does (the SDKs check it).
// The value model is package attr, the expression language package expr,
// PartiQL package partiql; this package stores, indexes, streams and
// speaks the wire protocol.
//
// Storage (keys.go): one kv.Space (Options.Meta) holds everything: table
// and stream definitions under m/, items under i/<table id><hash><range>,
// secondary index entries under x/<table id><index id><index key><table
// key> (values: the projected item), stream records under r/<stream
// id><sequence>, the TTL index under e/<table id><expiry><item key>,
// transaction tokens under k/. A partition key is a 4-byte hash then its
// attr.AppendKey encoding (order preserving, self-delimiting): a Query is
// one bounded iteration (reverse for ScanIndexForward=false), a Scan goes
// in hash order as DynamoDB's, and each parallel Scan segment is a
// contiguous hash range. Table ids are never
// reused: a re-created table never sees the old one's items.
//
// Writes (storage.go): every write takes the stripe lock of each item key
// it touches (4096 stripes, taken in ascending order, so no deadlock),
// loads the table definition under it, reads the current items, evaluates
// conditions, and commits the items, their index entries and their stream
// records in ONE Pebble batch (the outbox: a change is in the stream iff
// it committed). Commits are fsynced unless the DB is NoSync; concurrent
// writers of different items hold different stripes, so Pebble's WAL
// group-commits their fsyncs. BatchWriteItem and TransactWriteItems
// commit all their items in one batch (all-or-nothing).
// TransactGetItems reads from one Pebble snapshot. Every read is strongly
// consistent (ConsistentRead only changes the capacity reported).
//
// Statistics: ItemCount, TableSizeBytes and per-index counts are kept in
// memory, updated after every committed write (so they are exact, unlike
// DynamoDB's six-hourly figures) and recomputed by a scan at Start.
//
// Tables turn from CREATING to ACTIVE asynchronously right after
// CreateTable answers (Options.ActivationDelay); item operations are
// accepted while CREATING. DeleteTable answers DELETING and removes the
// table at once (one batch with range deletions). A GSI added by
// UpdateTable is CREATING with Backfilling while a background task
// indexes existing items (writers maintain it meanwhile), then ACTIVE;
// queries on it are refused until then, as on AWS.
//
// Streams (stream.go, op_streams.go): one shard per stream (DynamoDB rolls
// shards every few hours; consumers that follow lineage see the same
// records). Sequence numbers are 21-digit decimals, increasing across
// restarts. A record becomes readable once every lower sequence number
// has committed (a visibility watermark), so readers never skip a late
// commit. A PutItem or UpdateItem that changes nothing, and a DeleteItem
// of a missing item, emit no record, as on AWS. Shard iterators are
// HMAC-sealed and expire after 15 minutes; records are kept 24 hours
// (TrimStreams, every Options.TrimInterval). Disabling a stream closes
// it (readable for 24 hours); enabling again makes a new stream.
//
// StreamSource (source.go) is the in-process read side for the Lambda
// trigger: TableStream, ReadStream(arn, afterSeq, limit) and
// StreamChanged(arn), a channel closed when new records are visible.
//
// TTL (ttl.go): reads keep returning expired items until the sweeper
// (Options.TTLSweepInterval, default 30 s) deletes them, as DynamoDB does
// (it takes up to days); each deletion writes a REMOVE record whose
// userIdentity is {Type: Service, PrincipalId: dynamodb.amazonaws.com}.
// The sweeper reads a TTL index ordered by expiry, maintained in each
// write's batch and backfilled when TTL is enabled, so a sweep costs what
// has expired, not the table's size.
//
// Not implemented (register.go lists them; each answers
// UnknownOperationException): backups and point-in-time restore, global
// tables, import/export, Kinesis streaming destinations, contributor
// insights, resource policies, bulk operations, SearchVectors.
// Capacity is never throttled; BatchWriteItem and BatchGetItem never
// leave unprocessed items except past BatchGetItem's 16 MB.
//
// Lock order: table.admin, then item stripes, then Service.mu, then
// streamState.mu.
package dynamo
