package dynamo

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func withGSI(name, hash string, proj types.ProjectionType) func(*dynamodb.CreateTableInput) {
	return func(in *dynamodb.CreateTableInput) {
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{AttributeName: aws.String(hash), AttributeType: types.ScalarAttributeTypeS})
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, types.GlobalSecondaryIndex{IndexName: aws.String(name),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String(hash), KeyType: types.KeyTypeHash}, {AttributeName: aws.String("sk"), KeyType: types.KeyTypeRange}},
			Projection: &types.Projection{ProjectionType: proj}})
	}
}

func TestUpdateItem(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.createTable(t, "counters", "", "")
	key := map[string]types.AttributeValue{"pk": s("c")}
	for i := 0; i < 3; i++ {
		out, err := h.ddb.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("counters"), Key: key,
			UpdateExpression: aws.String("ADD #n :one SET tag = :t"), ExpressionAttributeNames: map[string]string{"#n": "n"},
			ExpressionAttributeValues: map[string]types.AttributeValue{":one": n("1"), ":t": s("x")}, ReturnValues: types.ReturnValueUpdatedNew})
		if err != nil {
			t.Fatal(err)
		}
		if got := out.Attributes["n"].(*types.AttributeValueMemberN).Value; got != fmt.Sprint(i+1) {
			t.Fatalf("n = %s", got)
		}
	}
	_, err := h.ddb.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("counters"), Key: key,
		UpdateExpression: aws.String("SET pk = :v"), ExpressionAttributeValues: map[string]types.AttributeValue{":v": s("z")}})
	wantAPIError(t, err, "ValidationException", "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key")
	_, err = h.ddb.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("counters"), Key: key,
		UpdateExpression: aws.String("SET a = :v"), ExpressionAttributeValues: map[string]types.AttributeValue{":v": s("z"), ":w": s("qtab")}})
	wantAPIError(t, err, "ValidationException", "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}")
	_, err = h.ddb.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("counters"), Key: key,
		UpdateExpression: aws.String("SET a = :v"), ConditionExpression: aws.String("n > :big"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":v": s("z"), ":big": n("10")}})
	wantAPIError(t, err, "ConditionalCheckFailedException", "The conditional request failed")
	_, err = h.ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("counters"), Item: map[string]types.AttributeValue{"pk": s("big"), "v": s(strings.Repeat("x", 400*1024))}})
	wantAPIError(t, err, "ValidationException", "Item size has exceeded the maximum allowed size")
}

func TestQueryAndIndexes(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.createTable(t, "qtab", "sk", types.ScalarAttributeTypeN, withGSI("byG", "g", types.ProjectionTypeKeysOnly))
	var reqs []types.WriteRequest
	for i := 0; i < 50; i++ {
		item := map[string]types.AttributeValue{"pk": s(fmt.Sprintf("p%d", i%2)), "sk": n(fmt.Sprint(i)), "v": s("val")}
		if i%5 == 0 {
			item["g"] = s("five")
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
		if len(reqs) == 25 {
			if _, err := h.ddb.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: map[string][]types.WriteRequest{"qtab": reqs}}); err != nil {
				t.Fatal(err)
			}
			reqs = nil
		}
	}
	kc := expression.Key("pk").Equal(expression.Value("p0")).And(expression.Key("sk").Between(expression.Value(10), expression.Value(20)))
	ex, _ := expression.NewBuilder().WithKeyCondition(kc).WithFilter(expression.Name("sk").NotEqual(expression.Value(12))).Build()
	out, err := h.ddb.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("qtab"), KeyConditionExpression: ex.KeyCondition(), FilterExpression: ex.Filter(),
		ExpressionAttributeNames: ex.Names(), ExpressionAttributeValues: ex.Values(), ScanIndexForward: aws.Bool(false)})
	if err != nil {
		t.Fatal(err)
	}
	// p0 holds even sk: 10..20 is 6 items, minus 12.
	if out.Count != 5 || out.ScannedCount != 6 || out.Items[0]["sk"].(*types.AttributeValueMemberN).Value != "20" {
		t.Fatalf("query = %d/%d %v", out.Count, out.ScannedCount, out.Items)
	}
	// Pagination with Limit.
	var all int
	var start map[string]types.AttributeValue
	pages := 0
	for {
		o, err := h.ddb.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("qtab"), KeyConditionExpression: aws.String("pk = :p"),
			ExpressionAttributeValues: map[string]types.AttributeValue{":p": s("p1")}, Limit: aws.Int32(7), ExclusiveStartKey: start})
		if err != nil {
			t.Fatal(err)
		}
		all += len(o.Items)
		pages++
		if o.LastEvaluatedKey == nil {
			break
		}
		start = o.LastEvaluatedKey
	}
	if all != 25 || pages != 4 {
		t.Fatalf("paged %d items in %d pages", all, pages)
	}
	_, err = h.ddb.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("qtab"), KeyConditionExpression: aws.String("pk = :p"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":p": s("p1")}, ExclusiveStartKey: map[string]types.AttributeValue{"pk": s("p0"), "sk": n("2")}})
	wantAPIError(t, err, "ValidationException", "The provided starting key is outside query boundaries based on provided conditions")
	// GSI query: KEYS_ONLY, LastEvaluatedKey carries the table key too.
	o, err := h.ddb.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("qtab"), IndexName: aws.String("byG"), KeyConditionExpression: aws.String("g = :g"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":g": s("five")}, Limit: aws.Int32(3)})
	if err != nil {
		t.Fatal(err)
	}
	if len(o.Items) != 3 || o.Items[0]["v"] != nil || len(o.LastEvaluatedKey) != 3 {
		t.Fatalf("gsi = %v lek %v", o.Items, o.LastEvaluatedKey)
	}
	_, err = h.ddb.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("qtab"), IndexName: aws.String("nope"), KeyConditionExpression: aws.String("g = :g"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":g": s("five")}})
	wantAPIError(t, err, "ValidationException", "The table does not have the specified index: nope")
	// Scan with segments covers every item once.
	seen := 0
	for seg := int32(0); seg < 3; seg++ {
		o, err := h.ddb.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("qtab"), Segment: aws.Int32(seg), TotalSegments: aws.Int32(3)})
		if err != nil {
			t.Fatal(err)
		}
		seen += int(o.Count)
	}
	if seen != 50 {
		t.Fatalf("segments saw %d", seen)
	}
	cnt, err := h.ddb.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("qtab"), Select: types.SelectCount, FilterExpression: aws.String("attribute_exists(g)")})
	if err != nil || cnt.Count != 10 || cnt.Items != nil {
		t.Fatalf("count scan = %v %v", cnt, err)
	}
	d, _ := h.ddb.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("qtab")})
	if *d.Table.ItemCount != 50 || *d.Table.GlobalSecondaryIndexes[0].ItemCount != 10 {
		t.Fatalf("counts %d %d", *d.Table.ItemCount, *d.Table.GlobalSecondaryIndexes[0].ItemCount)
	}
}
