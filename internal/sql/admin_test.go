package sql

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	"github.com/aws/aws-sdk-go-v2/service/athena/types"
)

func TestWorkGroupsNamedAndPrepared(t *testing.T) {
	h := newHarness(t, Options{})
	h.sales(t)
	ctx := t.Context()
	_, err := h.client.CreateWorkGroup(ctx, &athena.CreateWorkGroupInput{Name: aws.String("analysts"), Description: aws.String("team"),
		Configuration: &types.WorkGroupConfiguration{ResultConfiguration: &types.ResultConfiguration{OutputLocation: aws.String("s3://results/analysts/")}}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.CreateWorkGroup(ctx, &athena.CreateWorkGroupInput{Name: aws.String("analysts")}); err == nil {
		t.Error("duplicate work group accepted")
	}
	wg, err := h.client.GetWorkGroup(ctx, &athena.GetWorkGroupInput{WorkGroup: aws.String("analysts")})
	if err != nil || aws.ToString(wg.WorkGroup.Configuration.ResultConfiguration.OutputLocation) != "s3://results/analysts/" {
		t.Fatalf("get %+v %v", wg, err)
	}
	list, err := h.client.ListWorkGroups(ctx, &athena.ListWorkGroupsInput{})
	if err != nil || len(list.WorkGroups) != 2 || aws.ToString(list.WorkGroups[0].Name) != "primary" {
		t.Errorf("list %+v %v", list, err)
	}
	if _, err := h.client.UpdateWorkGroup(ctx, &athena.UpdateWorkGroupInput{WorkGroup: aws.String("analysts"), State: types.WorkGroupStateDisabled}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.StartQueryExecution(ctx, &athena.StartQueryExecutionInput{QueryString: aws.String("SELECT 1"), WorkGroup: aws.String("analysts")})
	if err == nil {
		t.Error("query in a disabled work group accepted")
	}
	if _, err := h.client.UpdateWorkGroup(ctx, &athena.UpdateWorkGroupInput{WorkGroup: aws.String("analysts"), State: types.WorkGroupStateEnabled}); err != nil {
		t.Fatal(err)
	}
	// Idempotent start, execution parameters, the work group's location.
	token := strings.Repeat("t", 40)
	in := &athena.StartQueryExecutionInput{QueryString: aws.String("SELECT region FROM sales WHERE id = ? AND region = ?"), WorkGroup: aws.String("analysts"),
		ClientRequestToken: aws.String(token), ExecutionParameters: []string{"3", "'eu'"}, QueryExecutionContext: &types.QueryExecutionContext{Database: aws.String("shop")}}
	a, err := h.client.StartQueryExecution(ctx, in)
	if err != nil {
		t.Fatal(err)
	}
	b, err := h.client.StartQueryExecution(ctx, in)
	if err != nil || *a.QueryExecutionId != *b.QueryExecutionId {
		t.Fatalf("token: %v %v %v", a.QueryExecutionId, b.QueryExecutionId, err)
	}
	qe := h.wait(t, *a.QueryExecutionId)
	if !strings.HasPrefix(aws.ToString(qe.ResultConfiguration.OutputLocation), "s3://results/analysts/") {
		t.Errorf("location %s", aws.ToString(qe.ResultConfiguration.OutputLocation))
	}
	if got := fmt.Sprint(h.rows(t, *a.QueryExecutionId, 10)); got != "[[region] [eu]]" {
		t.Errorf("params rows %s", got)
	}
	// Named queries.
	nq, err := h.client.CreateNamedQuery(ctx, &athena.CreateNamedQueryInput{Name: aws.String("eu"), Database: aws.String("shop"),
		QueryString: aws.String("SELECT * FROM sales WHERE region = 'eu'")})
	if err != nil {
		t.Fatal(err)
	}
	got, err := h.client.GetNamedQuery(ctx, &athena.GetNamedQueryInput{NamedQueryId: nq.NamedQueryId})
	if err != nil || aws.ToString(got.NamedQuery.Name) != "eu" || aws.ToString(got.NamedQuery.WorkGroup) != "primary" {
		t.Errorf("named %+v %v", got, err)
	}
	nl, err := h.client.ListNamedQueries(ctx, &athena.ListNamedQueriesInput{})
	if err != nil || len(nl.NamedQueryIds) != 1 {
		t.Errorf("named list %+v %v", nl, err)
	}
	bg, err := h.client.BatchGetNamedQuery(ctx, &athena.BatchGetNamedQueryInput{NamedQueryIds: []string{*nq.NamedQueryId, "x"}})
	if err != nil || len(bg.NamedQueries) != 1 || len(bg.UnprocessedNamedQueryIds) != 1 {
		t.Errorf("batch named %+v %v", bg, err)
	}
	if _, err := h.client.UpdateNamedQuery(ctx, &athena.UpdateNamedQueryInput{NamedQueryId: nq.NamedQueryId, Name: aws.String("eu2"), QueryString: aws.String("SELECT 2")}); err != nil {
		t.Fatal(err)
	}
	if got, err := h.client.GetNamedQuery(ctx, &athena.GetNamedQueryInput{NamedQueryId: nq.NamedQueryId}); err != nil || aws.ToString(got.NamedQuery.Name) != "eu2" {
		t.Errorf("updated named %+v %v", got, err)
	}
	if _, err := h.client.DeleteNamedQuery(ctx, &athena.DeleteNamedQueryInput{NamedQueryId: nq.NamedQueryId}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.GetNamedQuery(ctx, &athena.GetNamedQueryInput{NamedQueryId: nq.NamedQueryId}); err == nil {
		t.Error("deleted named query found")
	}
	// Prepared statements and EXECUTE ... USING.
	_, err = h.client.CreatePreparedStatement(ctx, &athena.CreatePreparedStatementInput{StatementName: aws.String("by_region"), WorkGroup: aws.String("primary"),
		QueryStatement: aws.String("SELECT count(*) AS n FROM sales WHERE region = ? AND id > ?")})
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(h.query(t, "shop", "EXECUTE by_region USING 'eu', 0")); got != "[[n] [2]]" {
		t.Errorf("execute %s", got)
	}
	h.run(t, "shop", "PREPARE top_ids FROM SELECT id FROM sales WHERE amount > ? ORDER BY id")
	if got := fmt.Sprint(h.query(t, "shop", "EXECUTE top_ids USING 9.5")); got != "[[id] [1] [2]]" {
		t.Errorf("PREPARE/EXECUTE %s", got)
	}
	h.run(t, "shop", "DEALLOCATE PREPARE top_ids")
	if qe := h.fail(t, "shop", "EXECUTE top_ids USING 1"); !strings.Contains(aws.ToString(qe.Status.StateChangeReason), "not found") {
		t.Errorf("after DEALLOCATE: %s", aws.ToString(qe.Status.StateChangeReason))
	}
	bp, err := h.client.BatchGetPreparedStatement(ctx, &athena.BatchGetPreparedStatementInput{WorkGroup: aws.String("primary"), PreparedStatementNames: []string{"by_region", "nope"}})
	if err != nil || len(bp.PreparedStatements) != 1 || len(bp.UnprocessedPreparedStatementNames) != 1 {
		t.Errorf("batch prepared %+v %v", bp, err)
	}
	pl, err := h.client.ListPreparedStatements(ctx, &athena.ListPreparedStatementsInput{WorkGroup: aws.String("primary")})
	if err != nil || len(pl.PreparedStatements) != 1 {
		t.Errorf("prepared list %+v %v", pl, err)
	}
	if _, err := h.client.DeletePreparedStatement(ctx, &athena.DeletePreparedStatementInput{StatementName: aws.String("by_region"), WorkGroup: aws.String("primary")}); err != nil {
		t.Fatal(err)
	}
	_, err = h.client.GetPreparedStatement(ctx, &athena.GetPreparedStatementInput{StatementName: aws.String("by_region"), WorkGroup: aws.String("primary")})
	var rnf *types.ResourceNotFoundException
	if !errors.As(err, &rnf) {
		t.Errorf("deleted prepared statement: %v", err)
	}
	if _, err := h.client.DeleteWorkGroup(ctx, &athena.DeleteWorkGroupInput{WorkGroup: aws.String("analysts")}); err != nil {
		t.Fatal(err)
	}
	// Catalog operations.
	cats, err := h.client.ListDataCatalogs(ctx, &athena.ListDataCatalogsInput{})
	if err != nil || len(cats.DataCatalogsSummary) != 1 || aws.ToString(cats.DataCatalogsSummary[0].CatalogName) != "AwsDataCatalog" {
		t.Errorf("catalogs %+v %v", cats, err)
	}
	dbs, err := h.client.ListDatabases(ctx, &athena.ListDatabasesInput{CatalogName: aws.String("AwsDataCatalog")})
	if err != nil || len(dbs.DatabaseList) != 2 {
		t.Errorf("databases %+v %v", dbs, err)
	}
	tm, err := h.client.ListTableMetadata(ctx, &athena.ListTableMetadataInput{CatalogName: aws.String("AwsDataCatalog"), DatabaseName: aws.String("shop"), Expression: aws.String("sal*")})
	if err != nil || len(tm.TableMetadataList) != 1 || len(tm.TableMetadataList[0].Columns) != 4 {
		t.Errorf("table metadata %+v %v", tm, err)
	}
	_, err = h.client.GetTableMetadata(ctx, &athena.GetTableMetadataInput{CatalogName: aws.String("AwsDataCatalog"), DatabaseName: aws.String("shop"), TableName: aws.String("nope")})
	var me *types.MetadataException
	if !errors.As(err, &me) {
		t.Errorf("missing table metadata: %v", err)
	}
	_ = context.Background
}

func TestListQueryExecutionsPages(t *testing.T) {
	h := newHarness(t, Options{})
	var ids []string
	for i := range 5 {
		ids = append(ids, *h.run(t, "default", fmt.Sprintf("SELECT %d", i)).QueryExecutionId)
	}
	var got []string
	p := athena.NewListQueryExecutionsPaginator(h.client, &athena.ListQueryExecutionsInput{MaxResults: aws.Int32(2)})
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		pages++
		got = append(got, out.QueryExecutionIds...)
	}
	if pages != 3 || len(got) != 5 {
		t.Fatalf("pages %d ids %d", pages, len(got))
	}
	// Newest first (ids started within one millisecond keep any order).
	seen := map[string]bool{}
	for _, id := range got {
		seen[id] = true
	}
	for _, id := range ids {
		if !seen[id] {
			t.Errorf("%s missing", id)
		}
	}
	if _, err := h.client.ListQueryExecutions(t.Context(), &athena.ListQueryExecutionsInput{NextToken: aws.String("bogus")}); err == nil {
		t.Error("bogus token accepted")
	}
	if _, err := h.client.ListQueryExecutions(t.Context(), &athena.ListQueryExecutionsInput{WorkGroup: aws.String("nope")}); err == nil {
		t.Error("unknown work group accepted")
	}
}
