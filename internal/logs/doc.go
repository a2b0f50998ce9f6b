// Package logs is CloudWatch Logs: log groups, log streams and their
// events, over the AWS JSON 1.1 protocol (X-Amz-Target prefix
// Logs_20140328, SigV4 service name "logs"), stored durably in Pebble.
//
// Operations built: CreateLogGroup, DeleteLogGroup, DescribeLogGroups,
// CreateLogStream, DeleteLogStream, DescribeLogStreams, PutLogEvents,
// GetLogEvents, FilterLogEvents (with the filter pattern syntax: terms,
// JSON and space-delimited patterns), PutRetentionPolicy,
// DeleteRetentionPolicy, TagResource, UntagResource, ListTagsForResource
// and the legacy TagLogGroup, UntagLogGroup, ListTagsLogGroup. Every other
// operation of the API answers UnknownOperationException naming itself.
//
// Limits and answers are AWS's: PutLogEvents takes up to 10,000 events
// and 1,048,576 bytes (message UTF-8 bytes plus 26 per event), each event
// at most 1 MB, in chronological order, spanning at most 24 hours; events
// more than 14 days old, older than the retention period, or more than 2
// hours in the future are reported in rejectedLogEventsInfo and not
// stored. Sequence tokens are accepted and ignored, as AWS now does.
// Validation failures are InvalidParameterException, as in CloudWatch
// Logs. Pages hold at most 10,000 events and 1 MB.
//
// Tokens (DescribeLogGroups/LogStreams nextToken, GetLogEvents "f/…" and
// "b/…", FilterLogEvents nextToken) are sealed by internal/token: opaque,
// stable across restarts, bound to the resource and request they were
// issued for, expiring after 24 hours; forged ones are refused. A
// GetLogEvents call that reaches the end returns the token it was given.
//
// Retention: events older than a group's retention are no longer
// returned, and a sweep (every DefaultSweepInterval, in Start's
// goroutine) deletes them.
//
// The platform calls Put to append Lambda and Glue output: it creates the
// group and the stream as needed and commits one synced Pebble batch.
// Group and stream records are cached in memory (write-through), so Put
// reads nothing from Pebble on the hot path.
//
// Key layout: see store.go. Lock order: see Service.
package logs
