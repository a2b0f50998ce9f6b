// Package sql is the Athena API (JSON 1.1, X-Amz-Target AmazonAthena.*)
// over the lake: queries in Athena's (Trino's) dialect are translated to
// DuckDB (see README.md for the mapping), every table reference is
// resolved through the Catalog to a relation over the table's lake files
// (one branch per Hive partition, so DuckDB prunes whole partitions), and
// run on the sandboxed engine (internal/engine) by a bounded worker pool.
// Results are written to the query's OutputLocation in the lake as Athena
// writes them (<id>.csv and <id>.csv.metadata) and GetQueryResults reads
// them back from there. Query history, work groups, named queries and
// prepared statements are kept in Pebble and survive a restart.
//
// The service depends on two small interfaces the platform implements:
// Catalog (the Glue Data Catalog) and Lake (the S3 service's objects).
package sql
