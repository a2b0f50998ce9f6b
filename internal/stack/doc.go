// Package stack is tarn's declarative stack file: the resource sections of
// tarn.yaml and the apply that makes a running tarn match them. Sections
// are applied in this order (Sections returns it): buckets, streams,
// tables, functions, databases, glue_tables, delivery_streams,
// event_source_mappings, bucket_notifications, crawlers, jobs, triggers,
// dashboards. Glue databases and tables come before delivery streams,
// whose Parquet conversion reads a Glue table when it is created, and
// before crawlers.
//
// Parse reads the file with positions (errors read "tarn.yaml:12:
// streams[1].shards: must be a positive integer"); Plan describes every
// resource through the public AWS APIs and says what would change; Apply
// creates or updates each resource idempotently in dependency order and
// waits for it to become usable; Schema prints the file's JSON Schema. The
// Go types in types.go are the one source of truth for all four: their
// yaml tags name the fields (AWS request fields in snake_case), and the
// req, enum, min, max and doc tags drive validation and the schema.
//
// The package talks to tarn only as any AWS client would (Clients holds
// the SDK clients), so it works as well against a remote tarn. It holds
// no state between calls; a Stack is read-only after Parse and safe to
// share.
package stack
