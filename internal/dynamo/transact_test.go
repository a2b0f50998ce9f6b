package dynamo

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestTransactWriteAllOrNothing(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.createTable(t, "accounts", "", "")
	put := func(id string, bal string) {
		if _, err := h.ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("accounts"), Item: map[string]types.AttributeValue{"pk": s(id), "bal": n(bal)}}); err != nil {
			t.Fatal(err)
		}
	}
	put("a", "10")
	put("b", "0")
	put("c", "0")
	transfer := func(amount string, token string) error {
		_, err := h.ddb.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{ClientRequestToken: aws.String(token), TransactItems: []types.TransactWriteItem{
			{Update: &types.Update{TableName: aws.String("accounts"), Key: map[string]types.AttributeValue{"pk": s("a")},
				UpdateExpression: aws.String("SET bal = bal - :x"), ConditionExpression: aws.String("bal >= :x"),
				ExpressionAttributeValues: map[string]types.AttributeValue{":x": n(amount)}, ReturnValuesOnConditionCheckFailure: types.ReturnValuesOnConditionCheckFailureAllOld}},
			{Update: &types.Update{TableName: aws.String("accounts"), Key: map[string]types.AttributeValue{"pk": s("b")},
				UpdateExpression: aws.String("SET bal = bal + :x"), ExpressionAttributeValues: map[string]types.AttributeValue{":x": n(amount)}}},
			{ConditionCheck: &types.ConditionCheck{TableName: aws.String("accounts"), Key: map[string]types.AttributeValue{"pk": s("c")}, ConditionExpression: aws.String("attribute_exists(pk)")}},
		}})
		return err
	}
	if err := transfer("7", "t1"); err != nil {
		t.Fatal(err)
	}
	if err := transfer("7", "t1"); err != nil { // idempotent retry: not applied twice
		t.Fatal(err)
	}
	err := transfer("7", "t2")
	var tce *types.TransactionCanceledException
	if !errors.As(err, &tce) || len(tce.CancellationReasons) != 3 || *tce.CancellationReasons[0].Code != "ConditionalCheckFailed" ||
		*tce.CancellationReasons[1].Code != "None" || tce.CancellationReasons[0].Item["bal"] == nil {
		t.Fatalf("err = %v", err)
	}
	wantAPIError(t, err, "TransactionCanceledException", "Transaction cancelled, please refer cancellation reasons for specific reasons [ConditionalCheckFailed, None, None]")
	err = transfer("1", "t1")
	wantAPIError(t, err, "IdempotentParameterMismatchException", "")
	got, err := h.ddb.TransactGetItems(ctx, &dynamodb.TransactGetItemsInput{TransactItems: []types.TransactGetItem{
		{Get: &types.Get{TableName: aws.String("accounts"), Key: map[string]types.AttributeValue{"pk": s("a")}}},
		{Get: &types.Get{TableName: aws.String("accounts"), Key: map[string]types.AttributeValue{"pk": s("b")}}},
		{Get: &types.Get{TableName: aws.String("accounts"), Key: map[string]types.AttributeValue{"pk": s("zz")}}},
	}})
	if err != nil {
		t.Fatal(err)
	}
	if a, b := got.Responses[0].Item["bal"].(*types.AttributeValueMemberN).Value, got.Responses[1].Item["bal"].(*types.AttributeValueMemberN).Value; a != "3" || b != "7" || got.Responses[2].Item != nil {
		t.Fatalf("balances %s %s %v", a, b, got.Responses[2].Item)
	}
	_, err = h.ddb.TransactWriteItems(ctx, &dynamodb.TransactWriteItemsInput{TransactItems: []types.TransactWriteItem{
		{Delete: &types.Delete{TableName: aws.String("accounts"), Key: map[string]types.AttributeValue{"pk": s("a")}}},
		{Delete: &types.Delete{TableName: aws.String("accounts"), Key: map[string]types.AttributeValue{"pk": s("a")}}},
	}})
	wantAPIError(t, err, "ValidationException", "Transaction request cannot include multiple operations on one item")
}

func TestBatch(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.createTable(t, "batch", "", "")
	var reqs []types.WriteRequest
	for i := 0; i < 25; i++ {
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: map[string]types.AttributeValue{"pk": s(fmt.Sprint(i))}}})
	}
	out, err := h.ddb.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"batch": reqs}, ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil || len(out.UnprocessedItems) != 0 || *out.ConsumedCapacity[0].CapacityUnits != 25 {
		t.Fatalf("batch write = %+v %v", out, err)
	}
	_, err = h.ddb.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"batch": append(reqs[:2:2], reqs[0])}})
	wantAPIError(t, err, "ValidationException", "Provided list of item keys contains duplicates")
	_, err = h.ddb.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"batch": append(reqs, reqs[0])}})
	wantAPIError(t, err, "ValidationException", "")
	var keys []map[string]types.AttributeValue
	for i := 0; i < 30; i++ {
		keys = append(keys, map[string]types.AttributeValue{"pk": s(fmt.Sprint(i))})
	}
	got, err := h.ddb.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{"batch": {Keys: keys}}})
	if err != nil || len(got.Responses["batch"]) != 25 {
		t.Fatalf("batch get = %v %v", got, err)
	}
	_, err = h.ddb.BatchGetItem(ctx, &dynamodb.BatchGetItemInput{RequestItems: map[string]types.KeysAndAttributes{"batch": {Keys: append(keys, keys[0])}}})
	wantAPIError(t, err, "ValidationException", "Provided list of item keys contains duplicates")
}
