package sql

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	"github.com/aws/aws-sdk-go-v2/service/athena/types"
)

const salesCSV = "id,region,amount,day\n1,eu,10.5,2024-01-01\n2,us,20,2024-01-01\n3,eu,5.25,2024-01-02\n4,apac,,2024-01-02\n5,us,7,2024-01-03\n"

// sales creates db.sales, a CSV table with a header line, over the lake.
func (h *harness) sales(t *testing.T) {
	t.Helper()
	h.lake.putString(t, "lake", "raw/sales/part-0.csv", salesCSV)
	h.lake.putString(t, "lake", "raw/sales/_SUCCESS", "")
	h.run(t, "default", "CREATE DATABASE IF NOT EXISTS shop")
	h.run(t, "shop", `CREATE EXTERNAL TABLE sales (
		id bigint, region string, amount double COMMENT 'in EUR', day date)
		ROW FORMAT DELIMITED FIELDS TERMINATED BY ','
		STORED AS TEXTFILE
		LOCATION 's3://lake/raw/sales/'
		TBLPROPERTIES ('skip.header.line.count'='1')`)
}

func TestQueryLifecycle(t *testing.T) {
	h := newHarness(t, Options{})
	h.sales(t)
	qe := h.run(t, "shop", "SELECT region, count(*) AS n, sum(amount) AS total, max(day) AS last FROM sales GROUP BY region ORDER BY region")
	id := *qe.QueryExecutionId
	if got, want := aws.ToString(qe.ResultConfiguration.OutputLocation), outLoc+id+".csv"; got != want {
		t.Errorf("OutputLocation %s, want %s", got, want)
	}
	if qe.StatementType != types.StatementTypeDml || aws.ToString(qe.SubstatementType) != "SELECT" {
		t.Errorf("statement type %s/%s", qe.StatementType, aws.ToString(qe.SubstatementType))
	}
	st := qe.Statistics
	if aws.ToInt64(st.DataScannedInBytes) != int64(len(salesCSV)) {
		t.Errorf("DataScannedInBytes %d, want %d", aws.ToInt64(st.DataScannedInBytes), len(salesCSV))
	}
	if st.TotalExecutionTimeInMillis == nil || st.EngineExecutionTimeInMillis == nil || st.QueryQueueTimeInMillis == nil {
		t.Errorf("statistics missing: %+v", st)
	}
	if qe.Status.SubmissionDateTime == nil || qe.Status.CompletionDateTime == nil {
		t.Errorf("status times missing")
	}
	res, err := h.client.GetQueryResults(t.Context(), &athena.GetQueryResultsInput{QueryExecutionId: aws.String(id)})
	if err != nil {
		t.Fatal(err)
	}
	var types_ []string
	for _, c := range res.ResultSet.ResultSetMetadata.ColumnInfo {
		types_ = append(types_, aws.ToString(c.Name)+":"+aws.ToString(c.Type))
	}
	if got := strings.Join(types_, " "); got != "region:varchar n:bigint total:double last:date" {
		t.Errorf("columns %s", got)
	}
	got := fmt.Sprint(h.rows(t, id, 1000))
	want := "[[region n total last] [apac 1 NULL 2024-01-02] [eu 2 15.75 2024-01-02] [us 2 27.0 2024-01-03]]"
	if got != want {
		t.Errorf("rows\n got %s\nwant %s", got, want)
	}
	// The result file is in the lake as Athena writes it.
	rc, err := h.lake.Get(t.Context(), "results", "athena/"+id+".csv")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(rc)
	rc.Close()
	if want := "\"region\",\"n\",\"total\",\"last\"\n\"apac\",\"1\",,\"2024-01-02\"\n"; !strings.HasPrefix(string(body), want) {
		t.Errorf("csv:\n%s\nwant prefix\n%s", body, want)
	}
	if _, err := h.lake.Get(t.Context(), "results", "athena/"+id+".csv.metadata"); err != nil {
		t.Errorf("metadata: %v", err)
	}
	list, err := h.client.ListQueryExecutions(t.Context(), &athena.ListQueryExecutionsInput{})
	if err != nil || len(list.QueryExecutionIds) == 0 || list.QueryExecutionIds[0] != id {
		t.Errorf("list %v, %v; want %s first", list.QueryExecutionIds, err, id)
	}
	batch, err := h.client.BatchGetQueryExecution(t.Context(), &athena.BatchGetQueryExecutionInput{QueryExecutionIds: []string{id, "nope"}})
	if err != nil || len(batch.QueryExecutions) != 1 || len(batch.UnprocessedQueryExecutionIds) != 1 {
		t.Errorf("batch %+v, %v", batch, err)
	}
}

func TestPagination(t *testing.T) {
	h := newHarness(t, Options{})
	id := *h.run(t, "default", "SELECT x, CAST(x AS varchar) AS s FROM UNNEST(sequence(1, 2500)) AS t(x) ORDER BY x").QueryExecutionId
	var pages int
	var rows [][]string
	p := athena.NewGetQueryResultsPaginator(h.client, &athena.GetQueryResultsInput{QueryExecutionId: aws.String(id)})
	for p.HasMorePages() {
		res, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, r := range res.ResultSet.Rows {
			rows = append(rows, []string{*r.Data[0].VarCharValue})
		}
	}
	if pages != 3 || len(rows) != 2501 || rows[0][0] != "x" || rows[2500][0] != "2500" {
		t.Fatalf("pages %d rows %d first %v last %v", pages, len(rows), rows[0], rows[len(rows)-1])
	}
	// Quotes, newlines, empty strings and NULLs survive the CSV round trip.
	odd := *h.run(t, "default", "SELECT s, n, e FROM (VALUES ('a\"b' || chr(10) || 'c,d', NULL, ''), ('x', 1, 'y')) AS v(s, n, e)").QueryExecutionId
	if got, want := fmt.Sprintf("%q", h.rows(t, odd, 1)), `[["s" "n" "e"] ["a\"b\nc,d" "NULL" ""] ["x" "1" "y"]]`; got != want {
		t.Errorf("odd values\n got %s\nwant %s", got, want)
	}
	_, err := h.client.GetQueryResults(t.Context(), &athena.GetQueryResultsInput{QueryExecutionId: aws.String(id), MaxResults: aws.Int32(1001)})
	if err == nil {
		t.Error("MaxResults 1001 accepted")
	}
	_, err = h.client.GetQueryResults(t.Context(), &athena.GetQueryResultsInput{QueryExecutionId: aws.String(id), NextToken: aws.String("forged")})
	var ire *types.InvalidRequestException
	if !errors.As(err, &ire) {
		t.Errorf("forged token: %v", err)
	}
}

func TestStopInterruptsLongQuery(t *testing.T) {
	h := newHarness(t, Options{})
	id := h.submit(t, "default", "SELECT count(*) FROM UNNEST(sequence(1, 1000000)) a(x) CROSS JOIN UNNEST(sequence(1, 1000000)) b(y) WHERE (x * y) % 7 = 3")
	for {
		out, err := h.client.GetQueryExecution(t.Context(), &athena.GetQueryExecutionInput{QueryExecutionId: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		if out.QueryExecution.Status.State == types.QueryExecutionStateRunning {
			break
		}
		if out.QueryExecution.Status.State != types.QueryExecutionStateQueued {
			t.Fatalf("state %s: %s", out.QueryExecution.Status.State, aws.ToString(out.QueryExecution.Status.StateChangeReason))
		}
		time.Sleep(5 * time.Millisecond)
	}
	if _, err := h.client.StopQueryExecution(t.Context(), &athena.StopQueryExecutionInput{QueryExecutionId: aws.String(id)}); err != nil {
		t.Fatal(err)
	}
	qe := h.wait(t, id)
	if qe.Status.State != types.QueryExecutionStateCancelled {
		t.Fatalf("state %s: %s", qe.Status.State, aws.ToString(qe.Status.StateChangeReason))
	}
	_, err := h.client.GetQueryResults(t.Context(), &athena.GetQueryResultsInput{QueryExecutionId: aws.String(id)})
	var ire *types.InvalidRequestException
	if !errors.As(err, &ire) {
		t.Errorf("results of a cancelled query: %v", err)
	}
	// The engine is free again.
	if got := h.query(t, "default", "SELECT 1 AS one"); fmt.Sprint(got) != "[[one] [1]]" {
		t.Errorf("after cancel: %v", got)
	}
}

func TestCTASPartitionsAndPruning(t *testing.T) {
	h := newHarness(t, Options{})
	h.sales(t)
	qe := h.run(t, "shop", `CREATE TABLE sales_pq WITH (format = 'PARQUET', external_location = 's3://lake/curated/sales/', partitioned_by = ARRAY['day'])
		AS SELECT id, region, amount, CAST(day AS varchar) AS day FROM sales`)
	if aws.ToString(qe.SubstatementType) != "CREATE_TABLE_AS_SELECT" || qe.StatementType != types.StatementTypeDdl {
		t.Errorf("statement type %s/%s", qe.StatementType, aws.ToString(qe.SubstatementType))
	}
	files, _ := h.lake.Files(t.Context(), "lake", "curated/sales/")
	if len(files) != 3 || !strings.HasPrefix(files[0].Key, "curated/sales/day=2024-01-01/") || !strings.HasSuffix(files[0].Key, ".parquet") {
		t.Fatalf("files %+v", files)
	}
	if got := fmt.Sprint(h.query(t, "shop", "SHOW PARTITIONS sales_pq")); got != "[[day=2024-01-01] [day=2024-01-02] [day=2024-01-03]]" {
		t.Errorf("partitions %s", got)
	}
	if got := fmt.Sprint(h.query(t, "shop", "SELECT id, day FROM sales_pq WHERE region = 'eu' ORDER BY id")); got != "[[id day] [1 2024-01-01] [3 2024-01-02]]" {
		t.Errorf("rows %s", got)
	}
	all := h.run(t, "shop", "SELECT count(*) FROM sales_pq")
	one := h.run(t, "shop", "SELECT count(*) FROM sales_pq WHERE day = '2024-01-02'")
	if got := h.rows(t, *one.QueryExecutionId, 10); fmt.Sprint(got) != "[[_col0] [2]]" {
		t.Errorf("pruned count %v", got)
	}
	a, o := aws.ToInt64(all.Statistics.DataScannedInBytes), aws.ToInt64(one.Statistics.DataScannedInBytes)
	var part2 int64
	for _, f := range files {
		if strings.Contains(f.Key, "day=2024-01-02/") {
			part2 += f.Size
		}
	}
	if o != part2 || a <= o {
		t.Errorf("DataScannedInBytes all %d, one partition %d; want that partition's %d", a, o, part2)
	}
	// INSERT INTO adds a partition.
	ins := h.run(t, "shop", "INSERT INTO sales_pq SELECT 9, 'eu', 1.0, '2024-02-01'")
	if aws.ToString(ins.SubstatementType) != "INSERT" {
		t.Errorf("insert subtype %s", aws.ToString(ins.SubstatementType))
	}
	if got := fmt.Sprint(h.query(t, "shop", "SELECT count(*), max(day) FROM sales_pq")); got != "[[_col0 _col1] [6 2024-02-01]]" {
		t.Errorf("after insert %s", got)
	}
	fail := h.fail(t, "shop", "CREATE TABLE sales_pq AS SELECT 1 AS x")
	if r := aws.ToString(fail.Status.StateChangeReason); !strings.Contains(r, "TABLE_ALREADY_EXISTS") {
		t.Errorf("reason %s", r)
	}
	fail = h.fail(t, "shop", "CREATE TABLE other AS SELECT * FROM nope")
	if r := aws.ToString(fail.Status.StateChangeReason); r != "TABLE_NOT_FOUND: line 1:37: Table 'awsdatacatalog.shop.nope' does not exist" {
		t.Errorf("reason %s", r)
	}
	fail = h.fail(t, "shop", "CREATE TABLE other WITH (external_location = 's3://lake/curated/sales/') AS SELECT 1 AS x")
	if r := aws.ToString(fail.Status.StateChangeReason); !strings.HasPrefix(r, "HIVE_PATH_ALREADY_EXISTS") {
		t.Errorf("reason %s", r)
	}
	md, err := h.client.GetTableMetadata(t.Context(), &athena.GetTableMetadataInput{CatalogName: aws.String("AwsDataCatalog"), DatabaseName: aws.String("shop"), TableName: aws.String("sales_pq")})
	if err != nil || len(md.TableMetadata.PartitionKeys) != 1 || aws.ToString(md.TableMetadata.Columns[0].Type) != "bigint" {
		t.Errorf("metadata %+v, %v", md, err)
	}
}

func TestDDL(t *testing.T) {
	h := newHarness(t, Options{})
	h.sales(t)
	if got := fmt.Sprint(h.query(t, "shop", "SHOW DATABASES")); got != "[[default] [shop]]" {
		t.Errorf("databases %s", got)
	}
	if got := fmt.Sprint(h.query(t, "default", "SHOW TABLES IN shop")); got != "[[sales]]" {
		t.Errorf("tables %s", got)
	}
	if got := fmt.Sprint(h.query(t, "shop", "SHOW COLUMNS IN sales")); got != "[[id] [region] [amount] [day]]" {
		t.Errorf("columns %s", got)
	}
	desc := h.query(t, "shop", "DESCRIBE sales")
	if len(desc) != 4 || !strings.HasPrefix(desc[2][0], "amount") || !strings.Contains(desc[2][0], "in EUR") {
		t.Errorf("describe %q", desc)
	}
	// MSCK REPAIR TABLE finds key=value/ folders.
	for _, k := range []string{"events/dt=2024-01-01/a.json", "events/dt=2024-01-02/b.json"} {
		h.lake.putString(t, "lake", k, `{"user": "u1", "n": 1}`+"\n"+`{"user": "u2", "n": 2}`+"\n")
	}
	h.run(t, "shop", `CREATE EXTERNAL TABLE events (user string, n int) PARTITIONED BY (dt string)
		ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://lake/events/'`)
	if got := fmt.Sprint(h.query(t, "shop", "SELECT count(*) FROM events")); got != "[[_col0] [0]]" {
		t.Errorf("before repair %s", got)
	}
	repair := h.query(t, "shop", "MSCK REPAIR TABLE events")
	if len(repair) != 3 || !strings.Contains(repair[0][0], "events:dt=2024-01-01") {
		t.Errorf("repair %q", repair)
	}
	if got := fmt.Sprint(h.query(t, "shop", "SELECT dt, sum(n) FROM events GROUP BY dt ORDER BY dt")); got != "[[dt _col1] [2024-01-01 3] [2024-01-02 3]]" {
		t.Errorf("after repair %s", got)
	}
	h.run(t, "shop", "ALTER TABLE events ADD IF NOT EXISTS PARTITION (dt = '2024-01-03')")
	if got := len(h.query(t, "shop", "SHOW PARTITIONS events")); got != 3 {
		t.Errorf("partitions after ALTER: %d", got)
	}
	cols := h.query(t, "shop", "SELECT table_name, column_name, data_type, extra_info FROM information_schema.columns WHERE table_schema = 'shop' ORDER BY table_name, ordinal_position")
	if got := fmt.Sprint(cols); got != "[[table_name column_name data_type extra_info] [events user varchar NULL] [events n integer NULL] [events dt varchar partition key] [sales id bigint NULL] [sales region varchar NULL] [sales amount double NULL] [sales day date NULL]]" {
		t.Errorf("information_schema.columns %s", got)
	}
	plan := h.query(t, "shop", "EXPLAIN (TYPE LOGICAL) SELECT region, count(*) FROM sales GROUP BY region")
	if len(plan) < 3 || !strings.Contains(fmt.Sprint(plan), "READ_CSV") {
		t.Errorf("explain %q", plan)
	}
	if got := fmt.Sprint(h.query(t, "shop", "SELECT schema_name FROM information_schema.schemata ORDER BY 1")); got != "[[schema_name] [default] [information_schema] [shop]]" {
		t.Errorf("schemata %s", got)
	}
	h.run(t, "shop", "DROP TABLE events")
	h.run(t, "shop", "DROP TABLE IF EXISTS events")
	fail := h.fail(t, "shop", "DROP TABLE events")
	if r := aws.ToString(fail.Status.StateChangeReason); !strings.Contains(r, "Table not found") {
		t.Errorf("reason %s", r)
	}
	fail = h.fail(t, "shop", "CREATE EXTERNAL TABLE sales (a int) LOCATION 's3://lake/x/'")
	if r := aws.ToString(fail.Status.StateChangeReason); !strings.Contains(r, "AlreadyExistsException") {
		t.Errorf("reason %s", r)
	}
}

func TestQueryErrors(t *testing.T) {
	h := newHarness(t, Options{})
	h.sales(t)
	cases := map[string]string{
		"SELECT * FROM nope":                "TABLE_NOT_FOUND: line 1:15: Table 'awsdatacatalog.shop.nope' does not exist",
		"SELECT * FROM other.sales":         "SCHEMA_NOT_FOUND: line 1:15: Schema 'other' does not exist",
		"SELECT missing FROM sales":         "COLUMN_NOT_FOUND: line 1:8: Column 'missing' cannot be resolved",
		"SELECT 1; SELECT 2":                "SYNTAX_ERROR: line 1:11: Only one sql statement is allowed",
		"SELECT nofn(id) FROM sales":        "FUNCTION_NOT_FOUND: line 1:8: Function 'nofn' not registered",
		"SELECT * FROM read_csv('/etc/x')":  "NOT_SUPPORTED: line 1:15",
		"SET enable_external_access = true": "SYNTAX_ERROR: line 1:1: mismatched input 'SET'",
		"COPY sales TO '/tmp/x'":            "SYNTAX_ERROR: line 1:1: mismatched input 'COPY'",
		"ATTACH '/tmp/x.db' AS x":           "SYNTAX_ERROR: line 1:1: mismatched input 'ATTACH'",
		"INSTALL httpfs":                    "SYNTAX_ERROR: line 1:1: mismatched input 'INSTALL'",
		"SELECT * FROM glob('/etc/*')":      "NOT_SUPPORTED",
		"SELECT read_text('/etc/passwd')":   "FUNCTION_NOT_FOUND",
	}
	for q, want := range cases {
		qe := h.fail(t, "shop", q)
		r := aws.ToString(qe.Status.StateChangeReason)
		if !strings.HasPrefix(r, want) {
			t.Errorf("%s:\n got %s\nwant %s...", q, r, want)
		}
		if qe.Status.AthenaError == nil || aws.ToInt32(qe.Status.AthenaError.ErrorCategory) != 2 || aws.ToString(qe.Status.AthenaError.ErrorMessage) != r {
			t.Errorf("%s: AthenaError %+v", q, qe.Status.AthenaError)
		}
		_, err := h.client.GetQueryResults(t.Context(), &athena.GetQueryResultsInput{QueryExecutionId: qe.QueryExecutionId})
		var ire *types.InvalidRequestException
		if !errors.As(err, &ire) {
			t.Errorf("%s: results of a failed query: %v", q, err)
		}
	}
	_, err := h.client.GetQueryExecution(t.Context(), &athena.GetQueryExecutionInput{QueryExecutionId: aws.String("00000000-0000-0000-0000-000000000000")})
	var ire *types.InvalidRequestException
	if !errors.As(err, &ire) || !strings.Contains(ire.ErrorMessage(), "was not found") {
		t.Errorf("unknown id: %v", err)
	}
	// A work group with no output location, and no location in the request.
	if _, err := h.client.CreateWorkGroup(t.Context(), &athena.CreateWorkGroupInput{Name: aws.String("bare")}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.StartQueryExecution(t.Context(), &athena.StartQueryExecutionInput{QueryString: aws.String("SELECT 1"), WorkGroup: aws.String("bare")})
	if !errors.As(err, &ire) || ire.ErrorMessage() != "No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input." {
		t.Errorf("no output location: %v", err)
	}
}

func TestRestartKeepsHistoryAndResults(t *testing.T) {
	h := newHarness(t, Options{})
	h.sales(t)
	id := *h.run(t, "shop", "SELECT id, region FROM sales WHERE id < 3 ORDER BY id").QueryExecutionId
	h.restart(t, Options{})
	qe := h.wait(t, id)
	if qe.Status.State != types.QueryExecutionStateSucceeded || aws.ToString(qe.Query) == "" {
		t.Fatalf("after restart: %+v", qe.Status)
	}
	if got := fmt.Sprint(h.rows(t, id, 2)); got != "[[id region] [1 eu] [2 us]]" {
		t.Errorf("rows after restart %s", got)
	}
	list, err := h.client.ListQueryExecutions(t.Context(), &athena.ListQueryExecutionsInput{})
	if err != nil || len(list.QueryExecutionIds) < 3 {
		t.Errorf("history after restart %v, %v", list, err)
	}
}

// TestRestartWithWork stops the service while one query runs and another
// waits: the running one fails (retryable), the queued one runs after.
func TestRestartWithWork(t *testing.T) {
	h := newHarness(t, Options{Workers: 1})
	long := h.submit(t, "default", "SELECT count(*) FROM UNNEST(sequence(1, 1000000)) a(x) CROSS JOIN UNNEST(sequence(1, 1000000)) b(y) WHERE (x * y) % 7 = 3")
	queued := h.submit(t, "default", "SELECT 42 AS answer")
	for {
		out, err := h.client.GetQueryExecution(t.Context(), &athena.GetQueryExecutionInput{QueryExecutionId: aws.String(long)})
		if err != nil {
			t.Fatal(err)
		}
		if out.QueryExecution.Status.State == types.QueryExecutionStateRunning {
			break
		}
		time.Sleep(5 * time.Millisecond)
	}
	h.restart(t, Options{Workers: 1})
	qe := h.wait(t, long)
	if qe.Status.State != types.QueryExecutionStateFailed || !qe.Status.AthenaError.Retryable {
		t.Errorf("interrupted query: %s %+v", qe.Status.State, qe.Status.AthenaError)
	}
	qe = h.wait(t, queued)
	if qe.Status.State != types.QueryExecutionStateSucceeded {
		t.Fatalf("queued query: %s %s", qe.Status.State, aws.ToString(qe.Status.StateChangeReason))
	}
	if got := fmt.Sprint(h.rows(t, queued, 10)); got != "[[answer] [42]]" {
		t.Errorf("rows %s", got)
	}
}

func TestCTASFormats(t *testing.T) {
	h := newHarness(t, Options{})
	h.sales(t)
	h.run(t, "shop", "CREATE TABLE s_json WITH (format = 'JSON') AS SELECT id, region, amount FROM sales WHERE id <= 2")
	h.run(t, "shop", "CREATE TABLE s_txt WITH (format = 'TEXTFILE', field_delimiter = '|') AS SELECT id, region FROM sales WHERE id <= 2")
	h.run(t, "shop", "/* empty */ CREATE TABLE s_empty AS SELECT id FROM sales WITH NO DATA")
	for _, q := range []string{"SELECT id, region FROM s_json ORDER BY id", "SELECT id, region FROM s_txt ORDER BY id"} {
		if got := fmt.Sprint(h.query(t, "shop", q)); got != "[[id region] [1 eu] [2 us]]" {
			t.Errorf("%s: %s", q, got)
		}
	}
	if got := fmt.Sprint(h.query(t, "shop", "SELECT count(*) FROM s_empty")); got != "[[_col0] [0]]" {
		t.Errorf("empty: %s", got)
	}
	files, _ := h.lake.Files(t.Context(), "results", "athena/tables/")
	if len(files) != 2 {
		t.Errorf("default CTAS location files %+v", files)
	}
	ddl := h.query(t, "shop", "SHOW CREATE TABLE s_txt")
	if s := fmt.Sprint(ddl); !strings.Contains(s, "CREATE EXTERNAL TABLE `shop`.`s_txt`(") || !strings.Contains(s, "LOCATION") {
		t.Errorf("show create %q", ddl)
	}
	if got := fmt.Sprint(h.query(t, "shop", "SHOW TBLPROPERTIES sales")); got != "[[skip.header.line.count 1]]" {
		t.Errorf("tblproperties %s", got)
	}
	if got := fmt.Sprint(h.query(t, "shop", "SHOW TABLES 's_*'")); got != "[[s_empty] [s_json] [s_txt]]" {
		t.Errorf("show tables pattern %s", got)
	}
	// UNLOAD writes files and a manifest, and registers nothing.
	un := h.run(t, "shop", "UNLOAD (SELECT id, region FROM sales WHERE id < 4) TO 's3://lake/export/' WITH (format = 'JSON')")
	if aws.ToString(un.SubstatementType) != "UNLOAD" {
		t.Errorf("unload subtype %s", aws.ToString(un.SubstatementType))
	}
	files, _ = h.lake.Files(t.Context(), "lake", "export/")
	if len(files) != 1 || !strings.HasSuffix(files[0].Key, ".json") {
		t.Fatalf("unload files %+v", files)
	}
	rc, err := h.lake.Get(t.Context(), "results", "athena/"+*un.QueryExecutionId+"-manifest.csv")
	if err != nil {
		t.Fatal(err)
	}
	manifest, _ := io.ReadAll(rc)
	rc.Close()
	if string(manifest) != "s3://lake/"+files[0].Key+"\n" {
		t.Errorf("manifest %q", manifest)
	}
	if qe := h.fail(t, "shop", "UNLOAD (SELECT 1 AS x) TO 's3://lake/export/'"); !strings.HasPrefix(aws.ToString(qe.Status.StateChangeReason), "HIVE_PATH_ALREADY_EXISTS") {
		t.Errorf("unload into a non-empty location: %s", aws.ToString(qe.Status.StateChangeReason))
	}
	// Athena's limit: 100 partitions per CTAS, and nothing is written.
	qe := h.fail(t, "shop", "CREATE TABLE many WITH (external_location = 's3://lake/many/', partitioned_by = ARRAY['p']) AS SELECT x, CAST(x AS varchar) AS p FROM UNNEST(sequence(1, 101)) AS t(x)")
	if r := aws.ToString(qe.Status.StateChangeReason); !strings.HasPrefix(r, "HIVE_TOO_MANY_OPEN_PARTITIONS") {
		t.Errorf("reason %s", r)
	}
	if files, _ := h.lake.Files(t.Context(), "lake", "many/"); len(files) != 0 {
		t.Errorf("%d files written", len(files))
	}
}
