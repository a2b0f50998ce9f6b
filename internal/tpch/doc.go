// Package tpch generates TPC-H data and runs the 22 TPC-H queries, for
// benchmarking tarn's SQL paths against in-process DuckDB and PostgreSQL.
//
// The generator follows the TPC-H specification v3.0.1 §4.2: the table
// cardinalities by scale factor, every column's domain, distribution and
// format, the fixed nation and region rows, the sparse order keys, the
// price and date rules and comments drawn from the specification's text
// grammar. It is deterministic from a seed, but its random streams are its
// own: the values follow the specification's distributions, the rows are
// not dbgen's rows, so answers differ from the official answer sets.
//
// Output is one directory per table holding Parquet files (written by an
// in-memory DuckDB) and/or '|'-delimited text files in dbgen's .tbl shape.
//
// Engines run the queries: DuckDB (in-process over the Parquet files, the
// baseline), Postgres (a pgx connection; LoadPostgres loads the .tbl files,
// StartLocalPostgres runs a throwaway server) and Athena (the Athena API
// through the AWS SDK). Bench times them side by side; the Engine
// interface lets more plug in. See README.md.
package tpch
