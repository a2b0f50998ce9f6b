package dynamo

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// The legacy parameters go through the same paths as expressions.
func TestLegacyParameters(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.createTable(t, "legacy", "sk", types.ScalarAttributeTypeN)
	tbl := aws.String("legacy")
	for i, v := range []string{"1", "2", "3"} {
		_, err := h.ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: tbl, Item: map[string]types.AttributeValue{"pk": s("a"), "sk": n(v), "c": n(v)},
			Expected: map[string]types.ExpectedAttributeValue{"pk": {Exists: aws.Bool(false)}}})
		if err != nil {
			t.Fatalf("put %d: %v", i, err)
		}
	}
	_, err := h.ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: tbl, Item: map[string]types.AttributeValue{"pk": s("a"), "sk": n("1")},
		Expected: map[string]types.ExpectedAttributeValue{"pk": {Exists: aws.Bool(false)}}})
	wantAPIError(t, err, "ConditionalCheckFailedException", "The conditional request failed")
	_, err = h.ddb.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: tbl, Key: map[string]types.AttributeValue{"pk": s("a"), "sk": n("1")},
		AttributeUpdates: map[string]types.AttributeValueUpdate{"c": {Action: types.AttributeActionAdd, Value: n("10")}}})
	if err != nil {
		t.Fatal(err)
	}
	q, err := h.ddb.Query(ctx, &dynamodb.QueryInput{TableName: tbl,
		KeyConditions: map[string]types.Condition{
			"pk": {ComparisonOperator: types.ComparisonOperatorEq, AttributeValueList: []types.AttributeValue{s("a")}},
			"sk": {ComparisonOperator: types.ComparisonOperatorLe, AttributeValueList: []types.AttributeValue{n("2")}}},
		QueryFilter:     map[string]types.Condition{"c": {ComparisonOperator: types.ComparisonOperatorGt, AttributeValueList: []types.AttributeValue{n("5")}}},
		AttributesToGet: []string{"c"}})
	if err != nil || q.Count != 1 || q.ScannedCount != 2 || q.Items[0]["c"].(*types.AttributeValueMemberN).Value != "11" || len(q.Items[0]) != 1 {
		t.Fatalf("legacy query = %+v %v", q, err)
	}
	sc, err := h.ddb.Scan(ctx, &dynamodb.ScanInput{TableName: tbl,
		ScanFilter: map[string]types.Condition{"c": {ComparisonOperator: types.ComparisonOperatorBetween, AttributeValueList: []types.AttributeValue{n("2"), n("3")}}}})
	if err != nil || sc.Count != 2 {
		t.Fatalf("legacy scan = %+v %v", sc, err)
	}
	_, err = h.ddb.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: tbl, Key: map[string]types.AttributeValue{"pk": s("a"), "sk": n("1")},
		AttributeUpdates: map[string]types.AttributeValueUpdate{"c": {Action: types.AttributeActionPut, Value: n("1")}},
		UpdateExpression: aws.String("SET c = :v"), ExpressionAttributeValues: map[string]types.AttributeValue{":v": n("1")}})
	wantAPIError(t, err, "ValidationException", "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}")
}
