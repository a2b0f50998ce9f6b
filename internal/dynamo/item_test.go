package dynamo

import (
	"context"
	"errors"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/smithy-go"
)

func s(v string) types.AttributeValue { return &types.AttributeValueMemberS{Value: v} }
func n(v string) types.AttributeValue { return &types.AttributeValueMemberN{Value: v} }

// wantAPIError checks err is the AWS error code with message msg ("" skips it).
func wantAPIError(t *testing.T, err error, code, msg string) {
	t.Helper()
	var ae smithy.APIError
	if !errors.As(err, &ae) {
		t.Fatalf("err = %v, want %s", err, code)
	}
	if ae.ErrorCode() != code || (msg != "" && ae.ErrorMessage() != msg) {
		t.Fatalf("err = %s: %q, want %s: %q", ae.ErrorCode(), ae.ErrorMessage(), code, msg)
	}
}

func TestPutGetDelete(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.createTable(t, "items", "", "")
	item := map[string]types.AttributeValue{"pk": s("a"), "n": n("1.50"), "l": &types.AttributeValueMemberL{Value: []types.AttributeValue{s("x")}}}
	if _, err := h.ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("items"), Item: item}); err != nil {
		t.Fatal(err)
	}
	got, err := h.ddb.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("items"), Key: map[string]types.AttributeValue{"pk": s("a")}, ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := attributevalue.UnmarshalMap(got.Item, &m); err != nil {
		t.Fatal(err)
	}
	if m["pk"] != "a" || m["n"] != 1.5 {
		t.Fatalf("item = %v", m)
	}
	// Conditional put fails with the item in the error.
	_, err = h.ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("items"), Item: item,
		ConditionExpression: aws.String("attribute_not_exists(pk)"), ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld})
	var ccf *types.ConditionalCheckFailedException
	if !errors.As(err, &ccf) || ccf.Item["pk"] == nil {
		t.Fatalf("err = %v", err)
	}
	wantAPIError(t, err, "ConditionalCheckFailedException", "The conditional request failed")
	// Key errors.
	_, err = h.ddb.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("items"), Key: map[string]types.AttributeValue{"pk": n("1")}})
	wantAPIError(t, err, "ValidationException", "The provided key element does not match the schema")
	_, err = h.ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("items"), Item: map[string]types.AttributeValue{"x": s("a")}})
	wantAPIError(t, err, "ValidationException", "One or more parameter values were invalid: Missing the key pk in the item")
	_, err = h.ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("items"), Item: map[string]types.AttributeValue{"pk": n("1")}})
	wantAPIError(t, err, "ValidationException", "One or more parameter values were invalid: Type mismatch for key pk expected: S actual: N")
	_, err = h.ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("nope"), Item: item})
	wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found")
	del, err := h.ddb.DeleteItem(ctx, &dynamodb.DeleteItemInput{TableName: aws.String("items"), Key: map[string]types.AttributeValue{"pk": s("a")}, ReturnValues: types.ReturnValueAllOld})
	if err != nil || del.Attributes["n"].(*types.AttributeValueMemberN).Value != "1.5" {
		t.Fatalf("delete = %v %v", del, err)
	}
	got, _ = h.ddb.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("items"), Key: map[string]types.AttributeValue{"pk": s("a")}})
	if got.Item != nil {
		t.Fatalf("deleted item = %v", got.Item)
	}
}
