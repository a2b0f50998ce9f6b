package dynamo

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestPartiQL(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.createTable(t, "music", "sk", types.ScalarAttributeTypeN)
	exec := func(stmt string, params ...types.AttributeValue) (*dynamodb.ExecuteStatementOutput, error) {
		return h.ddb.ExecuteStatement(ctx, &dynamodb.ExecuteStatementInput{Statement: aws.String(stmt), Parameters: params})
	}
	for i, v := range []string{"1", "2", "3"} {
		if _, err := exec(`INSERT INTO "music" VALUE {'pk': 'a', 'sk': ?, 'title': ?}`, n(v), s("t"+v)); err != nil {
			t.Fatalf("insert %d: %v", i, err)
		}
	}
	_, err := exec(`INSERT INTO "music" VALUE {'pk': 'a', 'sk': 1}`)
	var dup *types.DuplicateItemException
	if !errors.As(err, &dup) {
		t.Fatalf("duplicate insert = %v", err)
	}
	out, err := exec(`SELECT title FROM "music" WHERE pk = 'a' AND sk >= 2 ORDER BY sk DESC`)
	if err != nil || len(out.Items) != 2 || out.Items[0]["title"].(*types.AttributeValueMemberS).Value != "t3" {
		t.Fatalf("select = %+v %v", out, err)
	}
	if _, err := exec(`UPDATE "music" SET title = 'x' WHERE pk = 'a' AND sk = 1`); err != nil {
		t.Fatal(err)
	}
	_, err = exec(`UPDATE "music" SET title = 'x' WHERE pk = 'zz' AND sk = 1`)
	wantAPIError(t, err, "ConditionalCheckFailedException", "")
	page, err := h.ddb.ExecuteStatement(ctx, &dynamodb.ExecuteStatementInput{Statement: aws.String(`SELECT * FROM "music"`), Limit: aws.Int32(2)})
	if err != nil || len(page.Items) != 2 || page.NextToken == nil {
		t.Fatalf("page = %+v %v", page, err)
	}
	rest, err := h.ddb.ExecuteStatement(ctx, &dynamodb.ExecuteStatementInput{Statement: aws.String(`SELECT * FROM "music"`), NextToken: page.NextToken})
	if err != nil || len(rest.Items) != 1 {
		t.Fatalf("rest = %+v %v", rest, err)
	}
	b, err := h.ddb.BatchExecuteStatement(ctx, &dynamodb.BatchExecuteStatementInput{Statements: []types.BatchStatementRequest{
		{Statement: aws.String(`SELECT * FROM "music" WHERE pk = 'a' AND sk = 1`)},
		{Statement: aws.String(`SELECT * FROM "music" WHERE pk = 'a' AND sk = 9`)},
	}})
	if err != nil || b.Responses[0].Item["title"] == nil || b.Responses[1].Item != nil {
		t.Fatalf("batch = %+v %v", b, err)
	}
	if _, err := h.ddb.ExecuteTransaction(ctx, &dynamodb.ExecuteTransactionInput{TransactStatements: []types.ParameterizedStatement{
		{Statement: aws.String(`DELETE FROM "music" WHERE pk = 'a' AND sk = 1`)},
		{Statement: aws.String(`INSERT INTO "music" VALUE {'pk': 'b', 'sk': 1}`)},
	}}); err != nil {
		t.Fatal(err)
	}
	_, err = h.ddb.ExecuteTransaction(ctx, &dynamodb.ExecuteTransactionInput{TransactStatements: []types.ParameterizedStatement{
		{Statement: aws.String(`INSERT INTO "music" VALUE {'pk': 'b', 'sk': 1}`)},
	}})
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) || *tce.CancellationReasons[0].Code != "DuplicateItem" {
		t.Fatalf("tx = %v", err)
	}
}
