// Package columnar writes rows of a given schema to a Parquet file with
// DuckDB, and does nothing else.
//
// A Writer owns one in-memory DuckDB database sandboxed to a directory
// tarn gives it (DESIGN.md §7): on its first connection it sets
// allowed_directories to that directory, enable_external_access=false
// and lock_configuration=true, so no SQL run through it can read or write
// anywhere else, load an extension or change those settings back. Each
// Write creates a table from the schema, feeds it with the Appender,
// runs COPY ... TO '<dir>/<n>.parquet' (FORMAT parquet) and drops the
// table; the caller streams the returned File and closes it, which
// removes it.
//
// Values: String string, Int int32 (or any Go integer in range), BigInt
// int64, Double float64, Boolean bool, Timestamp and Date time.Time
// (Timestamp is stored without a time zone, as UTC wall time); nil is
// NULL. A value of the wrong Go type fails the Write and writes nothing:
// callers convert and check their input first (firehose does, per record).
//
// Concurrency: a Writer is safe for concurrent use; each Write uses its
// own connection and table.
package columnar
