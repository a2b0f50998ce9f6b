package tarntest

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/attributevalue"
	"github.com/aws/aws-sdk-go-v2/feature/dynamodb/expression"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
	sttypes "github.com/aws/aws-sdk-go-v2/service/dynamodbstreams/types"
	"github.com/aws/smithy-go"
)

// product is a table row as an application would model it, marshalled by
// the SDK's attributevalue package.
type product struct {
	Category string   `dynamodbav:"category"`
	SKU      string   `dynamodbav:"sku"`
	Name     string   `dynamodbav:"name"`
	Price    float64  `dynamodbav:"price"`
	Stock    int      `dynamodbav:"stock"`
	Tags     []string `dynamodbav:"tags,stringset,omitempty"`
}

func createProducts(t *testing.T, db *dynamodb.Client) {
	t.Helper()
	ctx := t.Context()
	_, err := db.CreateTable(ctx, &dynamodb.CreateTableInput{
		TableName: aws.String("products"),
		AttributeDefinitions: []types.AttributeDefinition{
			{AttributeName: aws.String("category"), AttributeType: types.ScalarAttributeTypeS},
			{AttributeName: aws.String("sku"), AttributeType: types.ScalarAttributeTypeS}},
		KeySchema: []types.KeySchemaElement{
			{AttributeName: aws.String("category"), KeyType: types.KeyTypeHash},
			{AttributeName: aws.String("sku"), KeyType: types.KeyTypeRange}},
		BillingMode:         types.BillingModePayPerRequest,
		StreamSpecification: &types.StreamSpecification{StreamEnabled: aws.Bool(true), StreamViewType: types.StreamViewTypeNewAndOldImages},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := dynamodb.NewTableExistsWaiter(db).Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("products")}, 30*time.Second); err != nil {
		t.Fatal(err)
	}
}

// TestDynamoDBThroughThePlatform drives the table API through the
// platform's router and SigV4 check with the SDK's attributevalue and
// expression packages, then restarts and reads everything back, stream
// records included.
func TestDynamoDBThroughThePlatform(t *testing.T) {
	dir := t.TempDir()
	env := Start(t, WithDataDir(dir))
	db := env.DynamoDB()
	ctx := t.Context()
	createProducts(t, db)
	for i := range 30 {
		item, err := attributevalue.MarshalMap(product{Category: "tents", SKU: fmt.Sprintf("T-%03d", i),
			Name: fmt.Sprintf("Tent %d", i), Price: 99.5 + float64(i), Stock: i, Tags: []string{"outdoor"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("products"), Item: item}); err != nil {
			t.Fatal(err)
		}
	}
	// Sell one: stock decrements only while positive.
	upd, err := expression.NewBuilder().
		WithUpdate(expression.Set(expression.Name("stock"), expression.Name("stock").Minus(expression.Value(1)))).
		WithCondition(expression.Name("stock").GreaterThan(expression.Value(0))).Build()
	if err != nil {
		t.Fatal(err)
	}
	key := func(sku string) map[string]types.AttributeValue {
		return map[string]types.AttributeValue{"category": &types.AttributeValueMemberS{Value: "tents"}, "sku": &types.AttributeValueMemberS{Value: sku}}
	}
	sell := func(sku string) error {
		_, err := db.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("products"), Key: key(sku),
			UpdateExpression: upd.Update(), ConditionExpression: upd.Condition(),
			ExpressionAttributeNames: upd.Names(), ExpressionAttributeValues: upd.Values()})
		return err
	}
	if err := sell("T-005"); err != nil {
		t.Fatal(err)
	}
	var ccf *types.ConditionalCheckFailedException
	if err := sell("T-000"); !errors.As(err, &ccf) {
		t.Fatalf("selling an item out of stock: %v, want ConditionalCheckFailedException", err)
	}
	// Query with a key condition and a filter, in pages of 7.
	q, err := expression.NewBuilder().
		WithKeyCondition(expression.Key("category").Equal(expression.Value("tents")).And(expression.Key("sku").BeginsWith("T-01"))).
		WithFilter(expression.Name("price").GreaterThanEqual(expression.Value(112))).Build()
	if err != nil {
		t.Fatal(err)
	}
	var got []product
	pages := dynamodb.NewQueryPaginator(db, &dynamodb.QueryInput{TableName: aws.String("products"), Limit: aws.Int32(7),
		KeyConditionExpression: q.KeyCondition(), FilterExpression: q.Filter(),
		ExpressionAttributeNames: q.Names(), ExpressionAttributeValues: q.Values()})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var ps []product
		if err := attributevalue.UnmarshalListOfMaps(page.Items, &ps); err != nil {
			t.Fatal(err)
		}
		got = append(got, ps...)
	}
	if len(got) != 7 || got[0].SKU != "T-013" || got[6].SKU != "T-019" || got[0].Price != 112.5 {
		t.Fatalf("query: %+v", got)
	}

	env.Stop(t)
	env = Start(t, WithDataDir(dir))
	db = env.DynamoDB()
	out, err := db.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("products"), Key: key("T-005"), ConsistentRead: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	var p product
	if err := attributevalue.UnmarshalMap(out.Item, &p); err != nil || p.Stock != 4 || p.Tags[0] != "outdoor" {
		t.Fatalf("after restart: %+v %v", p, err)
	}
	desc, err := db.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("products")})
	if err != nil {
		t.Fatal(err)
	}
	recs := readDynamoStream(t, env.DynamoDBStreams(), aws.ToString(desc.Table.LatestStreamArn))
	if len(recs) != 31 {
		t.Fatalf("stream after restart: %d records, want 30 INSERT + 1 MODIFY", len(recs))
	}
	last := recs[30]
	if last.EventName != sttypes.OperationTypeModify || last.Dynamodb.OldImage["stock"].(*sttypes.AttributeValueMemberN).Value != "5" ||
		last.Dynamodb.NewImage["stock"].(*sttypes.AttributeValueMemberN).Value != "4" {
		t.Fatalf("last stream record: %+v", last)
	}
}

func readDynamoStream(t *testing.T, st *dynamodbstreams.Client, arn string) []sttypes.Record {
	t.Helper()
	ctx := t.Context()
	d, err := st.DescribeStream(ctx, &dynamodbstreams.DescribeStreamInput{StreamArn: aws.String(arn)})
	if err != nil {
		t.Fatal(err)
	}
	var recs []sttypes.Record
	for _, sh := range d.StreamDescription.Shards {
		it, err := st.GetShardIterator(ctx, &dynamodbstreams.GetShardIteratorInput{StreamArn: aws.String(arn),
			ShardId: sh.ShardId, ShardIteratorType: sttypes.ShardIteratorTypeTrimHorizon})
		if err != nil {
			t.Fatal(err)
		}
		for iter := it.ShardIterator; iter != nil; {
			r, err := st.GetRecords(ctx, &dynamodbstreams.GetRecordsInput{ShardIterator: iter})
			if err != nil {
				t.Fatal(err)
			}
			recs = append(recs, r.Records...)
			if len(r.Records) == 0 {
				break
			}
			iter = r.NextShardIterator
		}
	}
	return recs
}

// TestDynamoDBRefusesBadCredentials: the platform's SigV4 check answers
// DynamoDB's JSON error codes.
func TestDynamoDBRefusesBadCredentials(t *testing.T) {
	env := Start(t)
	for name, creds := range map[string]aws.CredentialsProvider{
		"UnrecognizedClientException": credentials.NewStaticCredentialsProvider("nobody", "test", ""),
		"InvalidSignatureException":   credentials.NewStaticCredentialsProvider(env.Config.AccessKey, "wrong", ""),
	} {
		db := env.DynamoDB(func(o *dynamodb.Options) { o.Credentials = creds; o.RetryMaxAttempts = 1 })
		_, err := db.ListTables(t.Context(), &dynamodb.ListTablesInput{})
		var ae smithy.APIError
		if !errors.As(err, &ae) || ae.ErrorCode() != name {
			t.Errorf("want %s, got %v", name, err)
		}
	}
}
