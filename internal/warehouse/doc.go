// Package warehouse is tarn's Redshift-style warehouse: columnar tables
// in one DuckDB file (warehouse.duckdb), served over the PostgreSQL wire
// (internal/pgwire) to psql, pgx and BI tools, and through the Redshift
// Data API (JSON 1.1, X-Amz-Target RedshiftData.*).
//
// Sessions. Each connection (and each Data API run) owns a dedicated
// DuckDB connection: BEGIN/COMMIT/ROLLBACK are DuckDB transactions on
// it, an error inside a block fails the block (25P02 until ROLLBACK;
// COMMIT answers ROLLBACK), the statements of one multi-statement
// Query form one implicit transaction (pgwire.Batcher), and search_path
// is set on it. Every
// statement is split with the engine's lexer, classified (prepare.go)
// and translated from Redshift's dialect to DuckDB's on its tokens
// (translate.go, ddl.go, funcs.go, calls.go; testdata/translate.txt):
// DISTSTYLE/DISTKEY/SORTKEY/ENCODE/BACKUP clauses are dropped (SORTKEY
// is recorded and orders COPY loads), IDENTITY(seed, step) becomes a
// sequence default, Redshift types and functions are mapped, psql's
// OPERATOR(pg_catalog.~) and COLLATE forms are rewritten, and the few
// pg_catalog tables DuckDB lacks get empty stand-ins in pg_internal.
// Statements returning rows are described with DuckDB's prepare
// (nothing runs) so that the extended protocol knows the columns; their
// rows stream from DuckDB as the client fetches them (stream.go); when
// the session needs its connection again while a result is still open,
// the rest of that result is read into memory first.
//
// Sandbox (DESIGN §7). The database is opened with the engine's
// settings (db.go: no extension install/load, files only under the
// lake's directories and the scratch directory, configuration locked).
// Sessions are refused ATTACH/DETACH, INSTALL/LOAD, PRAGMA, EXPORT/
// IMPORT, CALL, USE, SET of engine settings, CREATE SECRET/MACRO/
// FUNCTION, DuckDB's COPY, file-reading table functions and FROM
// 'file' — only tarn's COPY and UNLOAD touch files, through the Lake.
//
// COPY table FROM 's3://...' reads exactly the listed lake files with
// read_csv/read_json/read_parquet and inserts in one statement ordered
// by the SORTKEY; UNLOAD ('select') TO 's3://...' runs DuckDB's COPY
// into the scratch directory and Puts each file into the lake with
// Redshift's names (0000_part_00[.parquet], key=value/ for PARTITION
// BY). CREATE EXTERNAL SCHEMA s FROM DATA CATALOG DATABASE 'db' makes
// s.table a relation over the Glue table's files (partition values as
// constants), listed again for every statement.
//
// tarn's metadata (SORTKEYs, external schemas) lives in the DuckDB
// file (pg_internal.tarn_meta), committed with the tables it describes.
// The Data API's statement history goes to Options.Meta; results stay
// in memory.
//
// Concurrency: Service is safe for concurrent use between Start and
// Stop. A session is used by one goroutine at a time. Locks: Service.mu
// (external schemas), statementStore.mu, then apiStatement.mu; never
// held across a query.
package warehouse
