package tarntest

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	attypes "github.com/aws/aws-sdk-go-v2/service/athena/types"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gltypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// TestCrawlThenQuery is the analytic loop through the platform: JSON lines
// land in the lake in Hive partitions, a crawler catalogs them, Athena
// queries them (partition pruning included), a CTAS writes Parquet back
// into the lake, and the new table is queried in turn.
func TestCrawlThenQuery(t *testing.T) {
	env := Start(t)
	ctx := t.Context()
	s3c, gl, at := env.S3(), env.Glue(), env.Athena()
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("lake")}); err != nil {
		t.Fatal(err)
	}
	for d := 1; d <= 3; d++ {
		var b bytes.Buffer
		for i := range 10 {
			fmt.Fprintf(&b, `{"id":%d,"kind":"%s","amount":%d.5}`+"\n", d*100+i, []string{"view", "buy"}[i%2], i)
		}
		key := fmt.Sprintf("events/dt=2024-01-0%d/part-0.json", d)
		if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("lake"), Key: aws.String(key), Body: bytes.NewReader(b.Bytes())}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := gl.CreateDatabase(ctx, &glue.CreateDatabaseInput{DatabaseInput: &gltypes.DatabaseInput{Name: aws.String("shop")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := gl.CreateCrawler(ctx, &glue.CreateCrawlerInput{Name: aws.String("raw"), Role: aws.String("arn:aws:iam::000000000000:role/crawler"),
		DatabaseName: aws.String("shop"), Targets: &gltypes.CrawlerTargets{S3Targets: []gltypes.S3Target{{Path: aws.String("s3://lake/events/")}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := gl.StartCrawler(ctx, &glue.StartCrawlerInput{Name: aws.String("raw")}); err != nil {
		t.Fatal(err)
	}
	waitCrawler(t, gl, "raw")
	tbl, err := gl.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("shop"), Name: aws.String("events")})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(tbl.Table.PartitionKeys); n != 1 || aws.ToString(tbl.Table.PartitionKeys[0].Name) != "dt" {
		t.Fatalf("crawled table partition keys: %+v", tbl.Table.PartitionKeys)
	}

	out := "s3://lake/athena-results/"
	all := runQuery(t, at, "SELECT kind, count(*) AS n, sum(amount) AS total FROM events GROUP BY kind ORDER BY kind", out)
	if got := fmt.Sprint(all.rows); got != "[[kind n total] [buy 15 82.5] [view 15 67.5]]" {
		t.Fatalf("aggregate: %s", got)
	}
	one := runQuery(t, at, "SELECT count(*) FROM events WHERE dt = '2024-01-02'", out)
	if got := fmt.Sprint(one.rows); got != "[[_col0] [10]]" {
		t.Fatalf("one partition: %s", got)
	}
	if one.scanned <= 0 || one.scanned*2 >= all.scanned {
		t.Fatalf("partition pruning: one day scanned %d bytes, all days %d", one.scanned, all.scanned)
	}
	runQuery(t, at, `CREATE TABLE buys WITH (format = 'PARQUET', external_location = 's3://lake/curated/buys/', partitioned_by = ARRAY['dt'])
		AS SELECT id, amount, dt FROM events WHERE kind = 'buy'`, out)
	got := runQuery(t, at, "SELECT dt, count(*), max(amount) FROM buys GROUP BY dt ORDER BY dt", out)
	if s := fmt.Sprint(got.rows); s != "[[dt _col1 _col2] [2024-01-01 5 9.5] [2024-01-02 5 9.5] [2024-01-03 5 9.5]]" {
		t.Fatalf("CTAS table: %s", s)
	}
	objs, err := s3c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("lake"), Prefix: aws.String("curated/buys/dt=2024-01-01/")})
	if err != nil || len(objs.Contents) == 0 {
		t.Fatalf("CTAS wrote no Parquet under its partition: %v", err)
	}
}

func waitCrawler(t *testing.T, gl *glue.Client, name string) {
	t.Helper()
	for deadline := time.Now().Add(60 * time.Second); ; {
		c, err := gl.GetCrawler(t.Context(), &glue.GetCrawlerInput{Name: aws.String(name)})
		if err != nil {
			t.Fatal(err)
		}
		if c.Crawler.State == gltypes.CrawlerStateReady && c.Crawler.LastCrawl != nil {
			if c.Crawler.LastCrawl.Status != gltypes.LastCrawlStatusSucceeded {
				t.Fatalf("crawl %s: %s", c.Crawler.LastCrawl.Status, aws.ToString(c.Crawler.LastCrawl.ErrorMessage))
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("crawler %s still %s", name, c.Crawler.State)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

type queryResult struct {
	rows    [][]string
	scanned int64
}

// runQuery runs sql in database shop and returns every row (header first).
func runQuery(t *testing.T, at *athena.Client, sql, output string) queryResult {
	t.Helper()
	ctx := t.Context()
	start, err := at.StartQueryExecution(ctx, &athena.StartQueryExecutionInput{QueryString: aws.String(sql),
		QueryExecutionContext: &attypes.QueryExecutionContext{Database: aws.String("shop")},
		ResultConfiguration:   &attypes.ResultConfiguration{OutputLocation: aws.String(output)}})
	if err != nil {
		t.Fatal(err)
	}
	var res queryResult
	for deadline := time.Now().Add(60 * time.Second); ; {
		q, err := at.GetQueryExecution(ctx, &athena.GetQueryExecutionInput{QueryExecutionId: start.QueryExecutionId})
		if err != nil {
			t.Fatal(err)
		}
		st := q.QueryExecution.Status
		if st.State == attypes.QueryExecutionStateSucceeded {
			res.scanned = aws.ToInt64(q.QueryExecution.Statistics.DataScannedInBytes)
			break
		}
		if st.State == attypes.QueryExecutionStateFailed || st.State == attypes.QueryExecutionStateCancelled {
			t.Fatalf("query %s: %s: %s", strings.Fields(sql)[0], st.State, aws.ToString(st.StateChangeReason))
		}
		if time.Now().After(deadline) {
			t.Fatalf("query still %s", st.State)
		}
		time.Sleep(10 * time.Millisecond)
	}
	pages := athena.NewGetQueryResultsPaginator(at, &athena.GetQueryResultsInput{QueryExecutionId: start.QueryExecutionId})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range page.ResultSet.Rows {
			row := make([]string, len(r.Data))
			for i, d := range r.Data {
				row[i] = aws.ToString(d.VarCharValue)
			}
			res.rows = append(res.rows, row)
		}
	}
	return res
}

// TestAthenaViewsLiveInGlue: a view made with Athena's CREATE VIEW is a
// Glue VIRTUAL_VIEW with its SQL, and queries through it work.
func TestAthenaViewsLiveInGlue(t *testing.T) {
	env := Start(t)
	ctx := t.Context()
	if _, err := env.S3().CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("lake")}); err != nil {
		t.Fatal(err)
	}
	gl, at := env.Glue(), env.Athena()
	if _, err := gl.CreateDatabase(ctx, &glue.CreateDatabaseInput{DatabaseInput: &gltypes.DatabaseInput{Name: aws.String("shop")}}); err != nil {
		t.Fatal(err)
	}
	runQuery(t, at, "CREATE VIEW answers AS SELECT 6 * 7 AS answer", "s3://lake/r/")
	tbl, err := gl.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("shop"), Name: aws.String("answers")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(tbl.Table.TableType) != "VIRTUAL_VIEW" || !strings.Contains(aws.ToString(tbl.Table.ViewOriginalText), "6 * 7") {
		t.Fatalf("view in Glue: %s %q", aws.ToString(tbl.Table.TableType), aws.ToString(tbl.Table.ViewOriginalText))
	}
	if got := fmt.Sprint(runQuery(t, at, "SELECT answer + 1 FROM answers", "s3://lake/r/").rows); got != "[[_col0] [43]]" {
		t.Fatalf("query through the view: %s", got)
	}
}
