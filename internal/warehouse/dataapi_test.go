package warehouse

import (
	"context"
	"errors"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata"
	"github.com/aws/aws-sdk-go-v2/service/redshiftdata/types"
	"github.com/aws/smithy-go"

	"github.com/tarnhq/tarn/internal/kv"
)

func dataClient(t *testing.T, h *harness) *redshiftdata.Client {
	srv := httptest.NewServer(h.svc.Handler())
	t.Cleanup(srv.Close)
	return redshiftdata.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})
}

// wait polls DescribeStatement until the statement leaves the running
// states (the Data API is asynchronous; this is its documented use).
func wait(t *testing.T, c *redshiftdata.Client, id string) *redshiftdata.DescribeStatementOutput {
	t.Helper()
	for {
		d, err := c.DescribeStatement(t.Context(), &redshiftdata.DescribeStatementInput{Id: aws.String(id)})
		if err != nil {
			t.Fatal(err)
		}
		switch d.Status {
		case types.StatusStringFinished, types.StatusStringFailed, types.StatusStringAborted:
			return d
		}
		select {
		case <-t.Context().Done():
			t.Fatal("timeout")
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func TestDataAPI(t *testing.T) {
	h := newHarness(t)
	c := dataClient(t, h)
	ctx := t.Context()
	run := func(sql string, params ...types.SqlParameter) *redshiftdata.DescribeStatementOutput {
		out, err := c.ExecuteStatement(ctx, &redshiftdata.ExecuteStatementInput{Sql: aws.String(sql), Database: aws.String("dev"),
			ClusterIdentifier: aws.String("tarn"), Parameters: params, StatementName: aws.String("t1")})
		if err != nil {
			t.Fatal(err)
		}
		return wait(t, c, *out.Id)
	}
	if d := run("CREATE TABLE items (id BIGINT, name VARCHAR(10), price DECIMAL(8,2), ok BOOLEAN, f FLOAT8, day DATE)"); d.Status != types.StatusStringFinished {
		t.Fatalf("create: %v %v", d.Status, aws.ToString(d.Error))
	}
	b, err := c.BatchExecuteStatement(ctx, &redshiftdata.BatchExecuteStatementInput{Database: aws.String("dev"), WorkgroupName: aws.String("wg"),
		Sqls: []string{"INSERT INTO items VALUES (1, 'a', 1.50, true, 0.5, '2024-01-01')", "INSERT INTO items VALUES (2, NULL, 2.00, false, 1.5, '2024-01-02')"}})
	if err != nil {
		t.Fatal(err)
	}
	bd := wait(t, c, *b.Id)
	if bd.Status != types.StatusStringFinished || len(bd.SubStatements) != 2 || bd.SubStatements[1].ResultRows != 1 {
		t.Fatalf("batch: %+v", bd)
	}
	d := run("SELECT id, name, price, ok, f, day FROM items WHERE id >= :lo ORDER BY id", types.SqlParameter{Name: aws.String("lo"), Value: aws.String("1")})
	if d.Status != types.StatusStringFinished || !aws.ToBool(d.HasResultSet) || d.ResultRows != 2 || d.RedshiftPid == 0 {
		t.Fatalf("select: %+v %s", d, aws.ToString(d.Error))
	}
	res, err := c.GetStatementResult(ctx, &redshiftdata.GetStatementResultInput{Id: d.Id})
	if err != nil {
		t.Fatal(err)
	}
	if res.TotalNumRows != 2 || len(res.ColumnMetadata) != 6 || aws.ToString(res.ColumnMetadata[2].TypeName) != "numeric" {
		t.Fatalf("result: %+v", res)
	}
	r0 := res.Records[0]
	if r0[0].(*types.FieldMemberLongValue).Value != 1 || r0[1].(*types.FieldMemberStringValue).Value != "a" ||
		r0[2].(*types.FieldMemberStringValue).Value != "1.50" || !r0[3].(*types.FieldMemberBooleanValue).Value ||
		r0[4].(*types.FieldMemberDoubleValue).Value != 0.5 || r0[5].(*types.FieldMemberStringValue).Value != "2024-01-01" {
		t.Fatalf("row 0: %#v", r0)
	}
	if !res.Records[1][1].(*types.FieldMemberIsNull).Value {
		t.Fatalf("null: %#v", res.Records[1][1])
	}
	// a failing statement reports the engine's error
	d = run("SELECT * FROM nope")
	if d.Status != types.StatusStringFailed || !strings.Contains(aws.ToString(d.Error), `relation "nope" does not exist`) {
		t.Fatalf("failed: %v %v", d.Status, aws.ToString(d.Error))
	}
	_, err = c.GetStatementResult(ctx, &redshiftdata.GetStatementResultInput{Id: d.Id})
	var ve *types.ValidationException
	if !errors.As(err, &ve) {
		t.Fatalf("result of failed: %v", err)
	}
	_, err = c.DescribeStatement(ctx, &redshiftdata.DescribeStatementInput{Id: aws.String("00000000-0000-0000-0000-000000000000")})
	var nf *types.ResourceNotFoundException
	if !errors.As(err, &nf) {
		t.Fatalf("missing: %v", err)
	}
	l, err := c.ListStatements(ctx, &redshiftdata.ListStatementsInput{StatementName: aws.String("t1")})
	if err != nil || len(l.Statements) != 3 {
		t.Fatalf("list: %v %v", l, err)
	}
	// cancel really interrupts a long query
	out, err := c.ExecuteStatement(ctx, &redshiftdata.ExecuteStatementInput{Database: aws.String("dev"), ClusterIdentifier: aws.String("tarn"),
		Sql: aws.String("SELECT count(*) FROM range(10000000000) a, range(1000) b WHERE a.range * b.range = -1")})
	if err != nil {
		t.Fatal(err)
	}
	for {
		dd, _ := c.DescribeStatement(ctx, &redshiftdata.DescribeStatementInput{Id: out.Id})
		if dd.Status == types.StatusStringStarted {
			break
		}
		<-time.After(time.Millisecond)
	}
	if cs, err := c.CancelStatement(ctx, &redshiftdata.CancelStatementInput{Id: out.Id}); err != nil || !aws.ToBool(cs.Status) {
		t.Fatalf("cancel: %v %v", cs, err)
	}
	if d := wait(t, c, *out.Id); d.Status != types.StatusStringAborted {
		t.Fatalf("after cancel: %v", d.Status)
	}
	// catalog operations
	dbs, err := c.ListDatabases(ctx, &redshiftdata.ListDatabasesInput{Database: aws.String("dev"), ClusterIdentifier: aws.String("tarn")})
	if err != nil || strings.Join(dbs.Databases, ",") != "dev" {
		t.Fatalf("databases: %v %v", dbs, err)
	}
	sch, err := c.ListSchemas(ctx, &redshiftdata.ListSchemasInput{Database: aws.String("dev"), ClusterIdentifier: aws.String("tarn"), SchemaPattern: aws.String("pub%")})
	if err != nil || strings.Join(sch.Schemas, ",") != "public" {
		t.Fatalf("schemas: %v %v", sch, err)
	}
	tl, err := c.ListTables(ctx, &redshiftdata.ListTablesInput{Database: aws.String("dev"), ClusterIdentifier: aws.String("tarn"), TablePattern: aws.String("it%")})
	if err != nil || len(tl.Tables) != 1 || aws.ToString(tl.Tables[0].Name) != "items" || aws.ToString(tl.Tables[0].Type) != "TABLE" {
		t.Fatalf("tables: %v %v", tl, err)
	}
	dt, err := c.DescribeTable(ctx, &redshiftdata.DescribeTableInput{Database: aws.String("dev"), ClusterIdentifier: aws.String("tarn"), Table: aws.String("items")})
	if err != nil || len(dt.ColumnList) != 6 || aws.ToString(dt.ColumnList[2].TypeName) != "numeric" || dt.ColumnList[2].Precision != 8 {
		t.Fatalf("describe table: %+v %v", dt, err)
	}
	// unbuilt operations answer UnknownOperationException
	_, err = c.GetStatementResultV2(ctx, &redshiftdata.GetStatementResultV2Input{Id: d.Id})
	var ae smithy.APIError
	if !errors.As(err, &ae) || ae.ErrorCode() != "UnknownOperationException" {
		t.Fatalf("unimplemented: %v", err)
	}
	_ = context.Background
}

// TestDataAPIHistory: with Options.Meta the statement history survives a
// restart (results do not, as their 24-hour retention is in memory).
func TestDataAPIHistory(t *testing.T) {
	dir := t.TempDir()
	db, err := kv.Open(dir+"/meta", kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h := &harness{dir: dir, lake: dirLake{root: dir + "/lake"}, cat: &memCatalog{tables: map[string][]TableDef{}}}
	h.opts = Options{DataFile: dir + "/warehouse.duckdb", Meta: db.Space("redshift-data/"), Threads: 2}
	h.start(t)
	c := dataClient(t, h)
	out, err := c.ExecuteStatement(t.Context(), &redshiftdata.ExecuteStatementInput{Sql: aws.String("SELECT 1"), Database: aws.String("dev"),
		ClusterIdentifier: aws.String("tarn"), StatementName: aws.String("kept")})
	if err != nil {
		t.Fatal(err)
	}
	if d := wait(t, c, *out.Id); d.Status != types.StatusStringFinished {
		t.Fatal(d.Status)
	}
	h.restart(t)
	c = dataClient(t, h)
	l, err := c.ListStatements(t.Context(), &redshiftdata.ListStatementsInput{})
	if err != nil || len(l.Statements) != 1 || aws.ToString(l.Statements[0].StatementName) != "kept" || l.Statements[0].Status != types.StatusStringFinished {
		t.Fatalf("history: %+v %v", l, err)
	}
	d, err := c.DescribeStatement(t.Context(), &redshiftdata.DescribeStatementInput{Id: out.Id})
	if err != nil || aws.ToString(d.QueryString) != "SELECT 1" || d.ResultRows != 1 {
		t.Fatalf("describe after restart: %+v %v", d, err)
	}
}
