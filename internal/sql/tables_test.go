package sql

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	"github.com/aws/aws-sdk-go-v2/service/athena/types"
)

func TestTypedTables(t *testing.T) {
	h := newHarness(t, Options{})
	h.lake.putString(t, "lake", "j/year=2023/a.json", `{"id": 1, "user": {"name": "ann", "tags": ["x", "y"]}, "ts": "2023-05-01 10:00:00"}`+"\n")
	h.lake.putString(t, "lake", "j/year=2024/b.json", `{"id": 2, "user": {"name": "ben", "tags": []}, "ts": "2024-06-01 11:30:00"}`+"\n")
	h.run(t, "default", `CREATE EXTERNAL TABLE j (id bigint, user struct<name:string,tags:array<string>>, ts timestamp)
		PARTITIONED BY (year int) ROW FORMAT SERDE 'org.openx.data.jsonserde.JsonSerDe' LOCATION 's3://lake/j/'`)
	h.run(t, "default", "MSCK REPAIR TABLE j")
	got := fmt.Sprint(h.query(t, "default", "SELECT id, user.name, cardinality(user.tags), user, ts, year + 1 FROM j WHERE year > 2023"))
	if want := "[[id name _col2 user ts _col5] [2 ben 0 {name=ben, tags=[]} 2024-06-01 11:30:00.000 2025]]"; got != want {
		t.Errorf("\n got %s\nwant %s", got, want)
	}
	h.lake.putString(t, "lake", "q/a.csv", "1,\"hello, world\",\"say \"\"hi\"\"\"\n2,plain,\\N\n")
	h.run(t, "default", `CREATE EXTERNAL TABLE q (id int, a string, b string)
		ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.OpenCSVSerde' LOCATION 's3://lake/q/'`)
	if got := fmt.Sprint(h.query(t, "default", "SELECT id, a, b FROM q ORDER BY id")); got != `[[id a b] [1 hello, world say "hi"] [2 plain NULL]]` {
		t.Errorf("csv %s", got)
	}
}

func TestQueryTimeout(t *testing.T) {
	h := newHarness(t, Options{QueryTimeout: 200 * time.Millisecond})
	qe := h.fail(t, "default", "SELECT count(*) FROM UNNEST(sequence(1, 1000000)) a(x) CROSS JOIN UNNEST(sequence(1, 1000000)) b(y) WHERE (x * y) % 7 = 3")
	if r := aws.ToString(qe.Status.StateChangeReason); !strings.HasPrefix(r, "EXCEEDED_TIME_LIMIT") || aws.ToInt32(qe.Status.AthenaError.ErrorCategory) != 1 {
		t.Errorf("reason %s %+v", r, qe.Status.AthenaError)
	}
}

func TestViews(t *testing.T) {
	h := newHarness(t, Options{})
	h.sales(t)
	h.run(t, "shop", "CREATE VIEW eu AS SELECT id, amount FROM sales WHERE region = 'eu'")
	h.run(t, "default", "CREATE OR REPLACE VIEW shop.big_eu AS SELECT id FROM shop.eu WHERE amount > 6")
	if got := fmt.Sprint(h.query(t, "default", "SELECT * FROM shop.big_eu")); got != "[[id] [1]]" {
		t.Errorf("view over view %s", got)
	}
	if got := fmt.Sprint(h.query(t, "shop", "SHOW VIEWS")); got != "[[big_eu] [eu]]" {
		t.Errorf("views %s", got)
	}
	if qe := h.fail(t, "shop", "CREATE VIEW eu AS SELECT 1 AS x"); !strings.HasPrefix(aws.ToString(qe.Status.StateChangeReason), "TABLE_ALREADY_EXISTS") {
		t.Errorf("duplicate view: %s", aws.ToString(qe.Status.StateChangeReason))
	}
	h.run(t, "shop", "CREATE OR REPLACE VIEW eu AS SELECT id, amount FROM sales WHERE region = 'us'")
	if got := fmt.Sprint(h.query(t, "shop", "SELECT count(*) FROM big_eu")); got != "[[_col0] [2]]" {
		t.Errorf("replaced view %s", got)
	}
	md, err := h.client.GetTableMetadata(t.Context(), &athena.GetTableMetadataInput{CatalogName: aws.String("AwsDataCatalog"), DatabaseName: aws.String("shop"), TableName: aws.String("eu")})
	if err != nil || aws.ToString(md.TableMetadata.TableType) != "VIRTUAL_VIEW" || len(md.TableMetadata.Columns) != 2 {
		t.Errorf("view metadata %+v %v", md, err)
	}
	h.run(t, "shop", "DROP VIEW eu")
	if qe := h.fail(t, "shop", "SELECT * FROM big_eu"); !strings.HasPrefix(aws.ToString(qe.Status.StateChangeReason), "VIEW_IS_STALE") {
		t.Errorf("stale view: %s", aws.ToString(qe.Status.StateChangeReason))
	}
	if qe := h.fail(t, "shop", "DROP VIEW sales"); !strings.HasPrefix(aws.ToString(qe.Status.StateChangeReason), "TABLE_NOT_FOUND") {
		t.Errorf("drop view of a table: %s", aws.ToString(qe.Status.StateChangeReason))
	}
}

func TestConcurrentQueries(t *testing.T) {
	h := newHarness(t, Options{Workers: 2})
	h.sales(t)
	const n = 16
	errs := make(chan error, n)
	for i := range n {
		go func() {
			q := fmt.Sprintf("SELECT count(*) + %d FROM sales", i)
			out, err := h.client.StartQueryExecution(t.Context(), &athena.StartQueryExecutionInput{QueryString: aws.String(q),
				QueryExecutionContext: &types.QueryExecutionContext{Database: aws.String("shop")}})
			if err != nil {
				errs <- err
				return
			}
			for {
				g, err := h.client.GetQueryExecution(t.Context(), &athena.GetQueryExecutionInput{QueryExecutionId: out.QueryExecutionId})
				if err != nil {
					errs <- err
					return
				}
				if s := g.QueryExecution.Status.State; s == types.QueryExecutionStateSucceeded {
					break
				} else if s != types.QueryExecutionStateQueued && s != types.QueryExecutionStateRunning {
					errs <- fmt.Errorf("%s: %s", s, aws.ToString(g.QueryExecution.Status.StateChangeReason))
					return
				}
				time.Sleep(2 * time.Millisecond)
			}
			res, err := h.client.GetQueryResults(t.Context(), &athena.GetQueryResultsInput{QueryExecutionId: out.QueryExecutionId})
			if err != nil {
				errs <- err
				return
			}
			if got, want := aws.ToString(res.ResultSet.Rows[1].Data[0].VarCharValue), fmt.Sprint(5+i); got != want {
				errs <- fmt.Errorf("query %d: %s, want %s", i, got, want)
				return
			}
			errs <- nil
		}()
	}
	for range n {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
