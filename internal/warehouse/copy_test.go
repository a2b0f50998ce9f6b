package warehouse

import (
	"bytes"
	"compress/gzip"
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"
)

func gz(t *testing.T, s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	w.Close()
	return b.Bytes()
}

// writeParquet writes rows with an unsandboxed in-memory DuckDB (test
// fixture only).
func writeParquet(t *testing.T, path, query string) {
	t.Helper()
	os.MkdirAll(filepath.Dir(path), 0o755)
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec("COPY (" + query + ") TO '" + path + "' (FORMAT parquet)"); err != nil {
		t.Fatal(err)
	}
}

func TestCopy(t *testing.T) {
	h := newHarness(t)
	c := h.connect(t)
	exec(t, c, "CREATE TABLE ev (id INT IDENTITY(1,1), name VARCHAR(20), n INT, day DATE, ts TIMESTAMP) SORTKEY (n)")
	h.lake.write(t, "raw", "ev/csv/part1.csv.gz", gz(t, "name,n,day,ts\nc,3,2024-01-03,2024-01-03 10:00:00\na,1,2024-01-01,2024-01-01 09:30:00\n"))
	h.lake.write(t, "raw", "ev/csv/part2.csv.gz", gz(t, "name,n,day,ts\nb,2,2024-01-02,\n"))
	tag, err := c.Exec(t.Context(), "COPY ev FROM 's3://raw/ev/csv/' IAM_ROLE 'arn:aws:iam::000000000000:role/r' FORMAT AS CSV IGNOREHEADER 1 GZIP REGION 'us-east-1'")
	if err != nil || tag.String() != "COPY 3" {
		t.Fatalf("copy csv: %v %v", tag, err)
	}
	// loads are ordered by the SORTKEY: identity follows n
	wantRows(t, rows(t, c, "SELECT id, name, n, ts IS NULL FROM ev ORDER BY id"), "1|a|1|false\n2|b|2|true\n3|c|3|false")

	// JSON 'auto' matches names; pipe-delimited text with DATEFORMAT
	exec(t, c, "CREATE TABLE j (name VARCHAR, n INT, extra SUPER)")
	h.lake.write(t, "raw", "j/1.json", []byte(`{"n": 5, "name": "x", "extra": {"k": [1,2]}}`+"\n"+`{"name": "y", "n": 6}`+"\n"))
	exec(t, c, "COPY j FROM 's3://raw/j/' FORMAT AS JSON 'auto'")
	wantRows(t, rows(t, c, "SELECT name, n, extra FROM j ORDER BY n"), `x|5|{"k":[1,2]}`+"\ny|6|NULL")
	exec(t, c, "CREATE TABLE d (day DATE, v VARCHAR(5))")
	h.lake.write(t, "raw", "d/x.txt", []byte("03/04/2024|a\n05/06/2024|\n"))
	exec(t, c, "COPY d FROM 's3://raw/d/x.txt' DATEFORMAT AS 'MM/DD/YYYY' EMPTYASNULL")
	wantRows(t, rows(t, c, "SELECT CAST(day AS VARCHAR), v FROM d ORDER BY day"), "2024-03-04|a\n2024-05-06|NULL")

	// Parquet by position
	exec(t, c, "CREATE TABLE p (k BIGINT, label VARCHAR)")
	writeParquet(t, filepath.Join(h.lake.root, "raw", "p", "f.parquet"), "SELECT range AS a, 'l' || range AS b FROM range(5)")
	exec(t, c, "COPY p FROM 's3://raw/p/' FORMAT AS PARQUET")
	wantRows(t, rows(t, c, "SELECT count(*), sum(k), max(label) FROM p"), "5|10|l4")

	// MAXERROR tolerates bad rows, up to the limit
	exec(t, c, "CREATE TABLE m (n INT)")
	h.lake.write(t, "raw", "m/1.csv", []byte("1\nx\n3\n"))
	if _, err := c.Exec(t.Context(), "COPY m FROM 's3://raw/m/' CSV"); err == nil || !strings.Contains(err.Error(), "stl_load_errors") {
		t.Fatalf("bad row: %v", err)
	}
	if got := rows(t, c, "SELECT filename, err_code, err_reason LIKE '%x%' FROM stl_load_errors"); got != "s3://raw/m/|1200|true" {
		t.Fatalf("stl_load_errors: %s", got)
	}
	exec(t, c, "COPY m FROM 's3://raw/m/' CSV MAXERROR 1")
	wantRows(t, rows(t, c, "SELECT count(*) FROM m"), "2")

	// a missing prefix is Redshift's error
	_, err = c.Exec(t.Context(), "COPY m FROM 's3://raw/none/' CSV")
	if pgCode(err) != "XX000" || !strings.Contains(err.Error(), "The specified S3 prefix 'none/' does not exist") {
		t.Fatalf("missing prefix: %v", err)
	}
}

func TestUnload(t *testing.T) {
	h := newHarness(t)
	c := h.connect(t)
	os.MkdirAll(filepath.Join(h.lake.root, "out"), 0o755)
	exec(t, c, "CREATE TABLE u (cat VARCHAR, n INT)", "INSERT INTO u VALUES ('a', 1), ('a', 2), ('b', 3)")
	tag, err := c.Exec(t.Context(), "UNLOAD ('select cat, n from u where n > 0') TO 's3://out/u/' IAM_ROLE 'arn:aws:iam::000000000000:role/r' FORMAT AS PARQUET PARTITION BY (cat)")
	if err != nil {
		t.Fatal(err)
	}
	_ = tag
	files, _ := h.lake.Files(t.Context(), "out", "u/")
	var keys []string
	for _, f := range files {
		keys = append(keys, f.Key)
	}
	if strings.Join(keys, ",") != "u/cat=a/0000_part_00.parquet,u/cat=b/0000_part_00.parquet" {
		t.Fatalf("keys %v", keys)
	}
	// read back through COPY
	exec(t, c, "CREATE TABLE back (n INT)")
	exec(t, c, "COPY back FROM 's3://out/u/cat=a/' FORMAT PARQUET")
	wantRows(t, rows(t, c, "SELECT sum(n) FROM back"), "3")
	// a non-empty destination needs ALLOWOVERWRITE
	if _, err := c.Exec(t.Context(), "UNLOAD ('select * from u') TO 's3://out/u/' FORMAT PARQUET"); err == nil || !strings.Contains(err.Error(), "ALLOWOVERWRITE") {
		t.Fatalf("overwrite: %v", err)
	}
	exec(t, c, "UNLOAD ('select * from u order by n') TO 's3://out/csv/' CSV HEADER PARALLEL OFF")
	b, err := os.ReadFile(filepath.Join(h.lake.root, "out", "csv", "0000_part_00"))
	if err != nil || string(b) != "cat,n\na,1\na,2\nb,3\n" {
		t.Fatalf("csv unload: %q %v", b, err)
	}
}

func TestExternalSchema(t *testing.T) {
	h := newHarness(t)
	writeParquet(t, filepath.Join(h.lake.root, "lake", "clicks", "dt=2024-01-01", "a.parquet"), "SELECT 1 AS user_id, 'home' AS page UNION ALL SELECT 2, 'cart'")
	writeParquet(t, filepath.Join(h.lake.root, "lake", "clicks", "dt=2024-01-02", "b.parquet"), "SELECT 1 AS user_id, 'buy' AS page")
	h.cat.tables["web"] = []TableDef{{Database: "web", Name: "clicks", Format: FormatParquet, Location: "s3://lake/clicks/",
		Columns:       []Column{{Name: "user_id", Type: "bigint"}, {Name: "page", Type: "string"}},
		PartitionKeys: []Column{{Name: "dt", Type: "string"}},
		Partitions: []PartitionDef{{Values: []string{"2024-01-01"}, Location: "s3://lake/clicks/dt=2024-01-01/"},
			{Values: []string{"2024-01-02"}, Location: "s3://lake/clicks/dt=2024-01-02/"}}}}
	c := h.connect(t)
	exec(t, c, "CREATE EXTERNAL SCHEMA spectrum FROM DATA CATALOG DATABASE 'web' IAM_ROLE 'arn:aws:iam::000000000000:role/s' CREATE EXTERNAL DATABASE IF NOT EXISTS")
	exec(t, c, "CREATE TABLE users (id BIGINT, name VARCHAR)", "INSERT INTO users VALUES (1, 'ann'), (2, 'bob')")
	q := "SELECT u.name, count(*) AS n, max(c.dt) FROM spectrum.clicks c JOIN users u ON u.id = c.user_id GROUP BY u.name ORDER BY u.name"
	wantRows(t, rows(t, c, q), "ann|2|2024-01-02\nbob|1|2024-01-01")
	wantRows(t, rows(t, c, "SELECT count(*) FROM spectrum.clicks WHERE dt = '2024-01-01'"), "2")
	// durable across restart
	c.Close(t.Context())
	h.restart(t)
	c = h.connect(t)
	wantRows(t, rows(t, c, q), "ann|2|2024-01-02\nbob|1|2024-01-01")
	if _, err := c.Exec(t.Context(), "SELECT * FROM spectrum.nope"); pgCode(err) != "42P01" {
		t.Fatalf("missing external table: %v", err)
	}
	if _, err := c.Exec(t.Context(), "CREATE EXTERNAL SCHEMA s2 FROM DATA CATALOG DATABASE 'nodb'"); err == nil {
		t.Fatal("missing database accepted")
	}
}
