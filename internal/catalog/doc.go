// Package catalog is tarn's AWS Glue Data Catalog and crawlers (AWS JSON
// 1.1, X-Amz-Target prefix AWSGlue), kept durable in Pebble.
//
// Catalog: databases, tables (with archived versions: every UpdateTable
// writes version n+1 unless SkipArchive), partitions (the GetPartitions
// Expression is parsed by partexpr*.go and evaluated against the table's
// partition keys), all scoped by the request's region (its SigV4
// credential scope, else Options.Region). The key layout is in store.go;
// every multi-key change is one kv.Batch, so a crash leaves no half-made
// table or half-deleted database. Names of databases and tables fold to
// lowercase, as in Glue.
//
// The Go API (GetDatabase, ListDatabases, CreateDatabase, GetTable,
// ListTables, CreateTable, UpdateTable, DeleteTable, GetPartitions,
// AddPartitions, Table.Format, Table.CSVOptions) is what other services
// use through the platform's adapters; its errors are the API's, matched
// with errors.Is against ErrNotFound and ErrAlreadyExists.
//
// Crawlers (crawler.go, op_crawler.go): a StartCrawler moves the crawler
// READY → RUNNING durably and runs the crawl in a goroutine; StopCrawler
// moves it to STOPPING and cancels it; the crawl ends READY with LastCrawl
// SUCCEEDED, CANCELLED or FAILED and the metrics of the run. A crawler
// found RUNNING at Start (tarn crashed) becomes READY with a FAILED last
// crawl. A crawl reads the lake through the Lake interface (lake.go):
// discovery (crawl_discover.go) groups objects into tables and Hive-style
// or partition_N partitions; inference (infer*.go, parquet.go) reads CSV,
// JSON and Parquet schemas; crawl_apply.go writes the changes under the
// SchemaChangePolicy. Schedules (scheduler.go, parsed by internal/cron) fire each cron
// slot at most once, across restarts.
//
// Tags (op_tags.go) are kept per resource ARN and deleted with it.
//
// Concurrency: a Service is safe for concurrent use. mu serializes
// catalog writes; crawlMu guards crawler records and runs and is taken
// before mu when both are needed. A crawl holds neither while it reads the
// lake.
package catalog
