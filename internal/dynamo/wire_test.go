package dynamo

import (
	"context"
	"encoding/json"
	"hash/crc32"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tarnhq/tarn/internal/kv"
)

func rawCall(t *testing.T, url, target, body string) (*http.Response, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	req.Header.Set("X-Amz-Target", target)
	req.Header.Set("Content-Type", "application/x-amz-json-1.0")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if got := resp.Header.Get("X-Amz-Crc32"); got != strconv.FormatUint(uint64(crc32.ChecksumIEEE(b)), 10) {
		t.Fatalf("X-Amz-Crc32 = %s for %s", got, b)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("body %s: %v", b, err)
	}
	return resp, m
}

func TestWireShapes(t *testing.T) {
	h := newHarness(t)
	resp, m := rawCall(t, h.url, "DynamoDB_20120810.DescribeTable", `{"TableName":"missing"}`)
	if resp.StatusCode != 400 || m["__type"] != "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" ||
		resp.Header.Get("Content-Type") != "application/x-amz-json-1.0" {
		t.Fatalf("error = %d %v %v", resp.StatusCode, m, resp.Header)
	}
	_, m = rawCall(t, h.url, "DynamoDB_20120810.PutItem", `{"TableName":"x","Item":{"a":{"N":"abc"}}}`)
	if m["message"] != "A value provided cannot be converted into a number" {
		t.Fatalf("bad number = %v", m)
	}
	_, m = rawCall(t, h.url, "DynamoDBStreams_20120810.ListStreams", `{}`)
	if _, ok := m["Streams"]; !ok {
		t.Fatalf("ListStreams = %v", m)
	}
	_, m = rawCall(t, h.url, "DynamoDB_20120810.CreateBackup", `{}`)
	if !strings.Contains(m["__type"].(string), "UnknownOperationException") {
		t.Fatalf("unimplemented = %v", m)
	}
}

func TestKeyLimitsAndCapacity(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.createTable(t, "limits", "sk", types.ScalarAttributeTypeS, func(in *dynamodb.CreateTableInput) {
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{AttributeName: aws.String("lsk"), AttributeType: types.ScalarAttributeTypeN})
		in.LocalSecondaryIndexes = []types.LocalSecondaryIndex{{IndexName: aws.String("byL"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("pk"), KeyType: types.KeyTypeHash}, {AttributeName: aws.String("lsk"), KeyType: types.KeyTypeRange}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeKeysOnly}}}
	})
	put := func(item map[string]types.AttributeValue) (*dynamodb.PutItemOutput, error) {
		return h.ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("limits"), Item: item, ReturnConsumedCapacity: types.ReturnConsumedCapacityIndexes})
	}
	_, err := put(map[string]types.AttributeValue{"pk": s(strings.Repeat("h", 2049)), "sk": s("a")})
	wantAPIError(t, err, "ValidationException", "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes")
	_, err = put(map[string]types.AttributeValue{"pk": s("a"), "sk": s(strings.Repeat("r", 1025))})
	wantAPIError(t, err, "ValidationException", "One or more parameter values were invalid: Aggregated size of all range keys has exceeded the size limit of 1024 bytes")
	_, err = put(map[string]types.AttributeValue{"pk": s(""), "sk": s("a")})
	wantAPIError(t, err, "ValidationException", "One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk")
	_, err = put(map[string]types.AttributeValue{"pk": s("a"), "sk": s("a"), "lsk": s("x")})
	wantAPIError(t, err, "ValidationException", "One or more parameter values were invalid: Type mismatch for Index Key lsk Expected: N Actual: S IndexName: byL")
	out, err := put(map[string]types.AttributeValue{"pk": s("a"), "sk": s("a"), "lsk": n("5"), "blob": s(strings.Repeat("b", 3000))})
	if err != nil {
		t.Fatal(err)
	}
	cc := out.ConsumedCapacity
	if *cc.CapacityUnits != 4 || *cc.Table.CapacityUnits != 3 || *cc.LocalSecondaryIndexes["byL"].CapacityUnits != 1 {
		t.Fatalf("capacity = %+v %+v %+v", *cc.CapacityUnits, *cc.Table, cc.LocalSecondaryIndexes)
	}
	// LSI query with ALL_ATTRIBUTES fetches the table item.
	q, err := h.ddb.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("limits"), IndexName: aws.String("byL"), Select: types.SelectAllAttributes,
		KeyConditionExpression: aws.String("pk = :p AND lsk > :z"), ExpressionAttributeValues: map[string]types.AttributeValue{":p": s("a"), ":z": n("1")}})
	if err != nil || q.Count != 1 || q.Items[0]["blob"] == nil {
		t.Fatalf("lsi query = %+v %v", q, err)
	}
	g, err := h.ddb.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("limits"), Key: map[string]types.AttributeValue{"pk": s("a"), "sk": s("a")},
		ProjectionExpression: aws.String("lsk"), ReturnConsumedCapacity: types.ReturnConsumedCapacityTotal})
	if err != nil || len(g.Item) != 1 || *g.ConsumedCapacity.CapacityUnits != 0.5 {
		t.Fatalf("get = %+v %v", g, err)
	}
	_, err = h.ddb.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("limits"), Key: map[string]types.AttributeValue{"pk": s("a"), "sk": s("a")},
		ProjectionExpression: aws.String("size")})
	wantAPIError(t, err, "ValidationException", "")
}

func TestRestartKeepsState(t *testing.T) {
	dir := t.TempDir()
	open := func() (*Service, *dynamodb.Client, func()) {
		db, err := kv.Open(dir, kv.Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		svc, err := New(Options{DB: db, Meta: db.Space("dynamodb/"), TTLSweepInterval: -1, TrimInterval: -1})
		if err != nil {
			t.Fatal(err)
		}
		if err := svc.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		srv := newServer(svc)
		return svc, ddbClient(srv.URL), func() { srv.Close(); svc.Stop(context.Background()); db.Close() }
	}
	ctx := context.Background()
	svc, c, closeFn := open()
	h := &harness{svc: svc, ddb: c}
	h.createTable(t, "keep", "", "", withStream(types.StreamViewTypeKeysOnly))
	for _, k := range []string{"a", "b", "c"} {
		if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("keep"), Item: map[string]types.AttributeValue{"pk": s(k)}}); err != nil {
			t.Fatal(err)
		}
	}
	arn, _ := svc.TableStream(ctx, "us-east-1", "keep")
	before, pos, _ := svc.ReadStream(ctx, arn, "", 100)
	closeFn()
	svc, c, closeFn = open()
	defer closeFn()
	d, err := c.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("keep")})
	if err != nil || *d.Table.ItemCount != 3 || *d.Table.LatestStreamArn != arn {
		t.Fatalf("after restart = %+v %v", d, err)
	}
	if _, err := c.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("keep"), Item: map[string]types.AttributeValue{"pk": s("d")}}); err != nil {
		t.Fatal(err)
	}
	after, _, _ := svc.ReadStream(ctx, arn, pos, 100)
	if len(before) != 3 || len(after) != 1 || after[0].Dynamodb.SequenceNumber <= before[2].Dynamodb.SequenceNumber {
		t.Fatalf("records before %d after %d", len(before), len(after))
	}
}

func TestMalformedParameters(t *testing.T) {
	h := newHarness(t)
	h.createTable(t, "mal", "", "")
	for _, body := range []string{
		`{"TableName":"mal","Item":{"pk":{"S":"a"}},"Expected":{"pk":5}}`,
		`{"TableName":"mal","Item":5}`,
		`{"TableName":"mal","Item":{"pk":{"S":"a"}},"ExpressionAttributeValues":[1]}`,
	} {
		resp, m := rawCall(t, h.url, "DynamoDB_20120810.PutItem", body)
		if resp.StatusCode != 400 {
			t.Errorf("%s = %d %v", body, resp.StatusCode, m)
		}
	}
}
