package dynamo

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestPagesAndKeyConditions(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.createTable(t, "pages", "sk", types.ScalarAttributeTypeS)
	big := strings.Repeat("x", 300*1024)
	for i := 0; i < 8; i++ {
		if _, err := h.ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("pages"),
			Item: map[string]types.AttributeValue{"pk": s("p"), "sk": s(fmt.Sprintf("item#%d", i)), "big": s(big)}}); err != nil {
			t.Fatal(err)
		}
	}
	for _, sk := range []string{"other", "item", "itel"} {
		h.ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("pages"), Item: map[string]types.AttributeValue{"pk": s("p"), "sk": s(sk)}})
	}
	// 1 MB pages, measured before the filter: four 300 KB items per page.
	o, err := h.ddb.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("pages"), KeyConditionExpression: aws.String("pk = :p AND begins_with(sk, :b)"),
		FilterExpression: aws.String("attribute_not_exists(nothing)"), ProjectionExpression: aws.String("sk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": s("p"), ":b": s("item#")}})
	if err != nil {
		t.Fatal(err)
	}
	if o.ScannedCount != 4 || o.LastEvaluatedKey == nil || o.LastEvaluatedKey["sk"].(*types.AttributeValueMemberS).Value != "item#3" {
		t.Fatalf("page 1 = %d %v", o.ScannedCount, o.LastEvaluatedKey)
	}
	o, err = h.ddb.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("pages"), KeyConditionExpression: aws.String("pk = :p AND begins_with(sk, :b)"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": s("p"), ":b": s("item#")}, ExclusiveStartKey: o.LastEvaluatedKey, ScanIndexForward: aws.Bool(true)})
	if err != nil || o.Count != 4 {
		t.Fatalf("page 2 = %d %v", o.Count, err)
	}
	for _, tc := range []struct {
		cond string
		want []string
	}{
		{"sk < :v", []string{"itel", "item"}},
		{"sk <= :v", []string{"itel", "item", "item#0"}},
		{"sk > :v", []string{"item#1", "item#2", "item#3", "item#4"}}, // 1 MB
		{"sk = :v", []string{"item#0"}},
		{"sk BETWEEN :v AND :w", []string{"item#0", "item#1", "item#2"}},
	} {
		o, err := h.ddb.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("pages"), KeyConditionExpression: aws.String("pk = :p AND " + tc.cond),
			ProjectionExpression: aws.String("sk"), Limit: aws.Int32(20),
			ExpressionAttributeValues: valuesFor(tc.cond, map[string]types.AttributeValue{":p": s("p"), ":v": s("item#0"), ":w": s("item#2")})})
		if err != nil {
			t.Fatalf("%s: %v", tc.cond, err)
		}
		var got []string
		for _, it := range o.Items {
			got = append(got, it["sk"].(*types.AttributeValueMemberS).Value)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s = %v, want %v", tc.cond, got, tc.want)
		}
	}
}

func TestSelectValidation(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.createTable(t, "sel", "", "")
	_, err := h.ddb.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("sel"), Select: types.SelectCount, ProjectionExpression: aws.String("a")})
	wantAPIError(t, err, "ValidationException", "Cannot specify the ProjectionExpression when choosing to get only the Count")
	_, err = h.ddb.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("sel"), Select: types.SelectAllAttributes, ProjectionExpression: aws.String("a"),
		KeyConditionExpression: aws.String("pk = :p"), ExpressionAttributeValues: map[string]types.AttributeValue{":p": s("x")}})
	wantAPIError(t, err, "ValidationException", "1 validation error detected: Cannot specify the ProjectionExpression when choosing to get ALL_ATTRIBUTES")
	_, err = h.ddb.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("sel"), Select: types.SelectAllProjectedAttributes})
	wantAPIError(t, err, "ValidationException", "ALL_PROJECTED_ATTRIBUTES can be used only when Querying using an IndexName")
}

// valuesFor keeps the placeholders cond uses (DynamoDB rejects unused ones).
func valuesFor(cond string, all map[string]types.AttributeValue) map[string]types.AttributeValue {
	out := map[string]types.AttributeValue{":p": all[":p"]}
	for k, v := range all {
		if strings.Contains(cond, k) {
			out[k] = v
		}
	}
	return out
}
