// Command genparquet writes the Parquet fixtures of the catalog tests
// (../parquet/*.parquet) with DuckDB, the engine tarn writes Parquet
// with. Run from the repository root:
//
//	go run ./internal/catalog/testdata/genparquet
//
// Each fixture is a few rows, well under 10 KB.
package main

import (
	"database/sql"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"github.com/duckdb/duckdb-go/v2"
)

var fixtures = map[string]string{
	// primitive types
	"primitives.parquet": `SELECT 1::INTEGER AS id, 10000000000::BIGINT AS big, 2::SMALLINT AS small, 3::TINYINT AS tiny,
		1.5::DOUBLE AS dbl, 2.5::FLOAT AS flt, true AS flag, 'alice' AS name, DATE '2024-01-01' AS day,
		TIMESTAMP '2024-01-01 10:00:00' AS ts, 12.34::DECIMAL(10,2) AS price, 'x'::BLOB AS raw
		UNION ALL SELECT 2, 20000000000, 4::SMALLINT, 5::TINYINT, 2.5, 3.5::FLOAT, false, 'bob', DATE '2024-01-02', TIMESTAMP '2024-01-02 11:00:00', 56.78, 'y'::BLOB`,
	// nested types
	"nested.parquet": `SELECT 'u1' AS UserId, [1, 2, 3] AS scores, {'city': 'Paris', 'zip': 75001} AS address,
		MAP {'a': 1, 'b': 2} AS attrs, [{'k': 'x', 'v': 1.5}] AS pairs`,
	// the same table, one column more (schema evolution across files)
	"events_v1.parquet": `SELECT 1::BIGINT AS id, 'click' AS kind`,
	"events_v2.parquet": `SELECT 2::BIGINT AS id, 'view' AS kind, 3.5::DOUBLE AS value`,
}

func main() {
	dir := filepath.Join("internal", "catalog", "testdata", "parquet")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatal(err)
	}
	conn, err := duckdb.NewConnector("", nil)
	if err != nil {
		log.Fatal(err)
	}
	db := sql.OpenDB(conn)
	defer db.Close()
	for name, q := range fixtures {
		out := filepath.Join(dir, name)
		if _, err := db.Exec(fmt.Sprintf("COPY (%s) TO '%s' (FORMAT parquet)", q, out)); err != nil {
			log.Fatalf("%s: %v", name, err)
		}
	}
}
