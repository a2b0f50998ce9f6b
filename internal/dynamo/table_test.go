package dynamo

import (
	"context"
	"fmt"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

func TestCreateTableValidation(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	def := func(name string, typ types.ScalarAttributeType) types.AttributeDefinition {
		return types.AttributeDefinition{AttributeName: aws.String(name), AttributeType: typ}
	}
	hash := []types.KeySchemaElement{{AttributeName: aws.String("id"), KeyType: types.KeyTypeHash}}
	for _, tc := range []struct {
		in  dynamodb.CreateTableInput
		msg string
	}{
		{dynamodb.CreateTableInput{TableName: aws.String("t1"), KeySchema: hash, AttributeDefinitions: []types.AttributeDefinition{def("id", "S")}, BillingMode: types.BillingModePayPerRequest},
			"1 validation error detected: Value 't1' at 'tableName' failed to satisfy constraint: Member must have length less than or equal to 255, Member must have length greater than or equal to 3"},
		{dynamodb.CreateTableInput{TableName: aws.String("tab"), KeySchema: hash, AttributeDefinitions: []types.AttributeDefinition{def("x", "S")}, BillingMode: types.BillingModePayPerRequest},
			"One or more parameter values were invalid: Some index key attributes are not defined in AttributeDefinitions. Keys: [id], AttributeDefinitions: [x]"},
		{dynamodb.CreateTableInput{TableName: aws.String("tab"), KeySchema: hash, AttributeDefinitions: []types.AttributeDefinition{def("id", "S"), def("x", "S")}, BillingMode: types.BillingModePayPerRequest},
			"One or more parameter values were invalid: Number of attributes in KeySchema does not exactly match number of attributes defined in AttributeDefinitions"},
		{dynamodb.CreateTableInput{TableName: aws.String("tab"), KeySchema: hash, AttributeDefinitions: []types.AttributeDefinition{def("id", "S")}},
			"No provisioned throughput specified for the table"},
		{dynamodb.CreateTableInput{TableName: aws.String("tab"), KeySchema: hash, AttributeDefinitions: []types.AttributeDefinition{def("id", "S")}, BillingMode: types.BillingModePayPerRequest,
			ProvisionedThroughput: &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(1), WriteCapacityUnits: aws.Int64(1)}},
			"One or more parameter values were invalid: Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST"},
	} {
		_, err := h.ddb.CreateTable(ctx, &tc.in)
		wantAPIError(t, err, "ValidationException", tc.msg)
	}
	h.createTable(t, "dup", "", "")
	_, err := h.ddb.CreateTable(ctx, &dynamodb.CreateTableInput{TableName: aws.String("dup"), KeySchema: hash, AttributeDefinitions: []types.AttributeDefinition{def("id", "S")}, BillingMode: types.BillingModePayPerRequest})
	wantAPIError(t, err, "ResourceInUseException", "Table already exists: dup")
	_, err = h.ddb.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("nope")})
	wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found: Table: nope not found")
	_, err = h.ddb.CreateBackup(ctx, &dynamodb.CreateBackupInput{TableName: aws.String("dup"), BackupName: aws.String("b")})
	wantAPIError(t, err, "UnknownOperationException", "")
}

func TestTableLifecycle(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	for i := 0; i < 5; i++ {
		h.createTable(t, fmt.Sprintf("tab%d", i), "sk", types.ScalarAttributeTypeS)
	}
	var names []string
	var start *string
	for {
		o, err := h.ddb.ListTables(ctx, &dynamodb.ListTablesInput{Limit: aws.Int32(2), ExclusiveStartTableName: start})
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, o.TableNames...)
		if o.LastEvaluatedTableName == nil {
			break
		}
		start = o.LastEvaluatedTableName
	}
	if len(names) != 5 || names[0] != "tab0" {
		t.Fatalf("tables = %v", names)
	}
	d, err := h.ddb.DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("tab0")})
	if err != nil || d.Table.TableStatus != types.TableStatusActive || *d.Table.TableArn != "arn:aws:dynamodb:us-east-1:000000000000:table/tab0" || d.Table.TableId == nil {
		t.Fatalf("describe = %+v %v", d, err)
	}
	arn := d.Table.TableArn
	if _, err := h.ddb.TagResource(ctx, &dynamodb.TagResourceInput{ResourceArn: arn, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("dev")}}}); err != nil {
		t.Fatal(err)
	}
	tags, _ := h.ddb.ListTagsOfResource(ctx, &dynamodb.ListTagsOfResourceInput{ResourceArn: arn})
	if len(tags.Tags) != 1 || *tags.Tags[0].Value != "dev" {
		t.Fatalf("tags = %+v", tags.Tags)
	}
	h.ddb.UntagResource(ctx, &dynamodb.UntagResourceInput{ResourceArn: arn, TagKeys: []string{"env"}})
	tags, _ = h.ddb.ListTagsOfResource(ctx, &dynamodb.ListTagsOfResourceInput{ResourceArn: arn})
	if len(tags.Tags) != 0 {
		t.Fatalf("tags after untag = %+v", tags.Tags)
	}
	// Items, then a GSI added later is backfilled.
	for i := 0; i < 300; i++ {
		item := map[string]types.AttributeValue{"pk": s(fmt.Sprint(i % 7)), "sk": s(fmt.Sprint(i))}
		if i%3 == 0 {
			item["g"] = s("three")
		}
		if _, err := h.ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String("tab0"), Item: item}); err != nil {
			t.Fatal(err)
		}
	}
	up, err := h.ddb.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("tab0"),
		AttributeDefinitions: []types.AttributeDefinition{{AttributeName: aws.String("g"), AttributeType: types.ScalarAttributeTypeS}},
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Create: &types.CreateGlobalSecondaryIndexAction{IndexName: aws.String("byG"),
			KeySchema:  []types.KeySchemaElement{{AttributeName: aws.String("g"), KeyType: types.KeyTypeHash}},
			Projection: &types.Projection{ProjectionType: types.ProjectionTypeAll}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if up.TableDescription.GlobalSecondaryIndexes[0].IndexStatus != types.IndexStatusCreating {
		t.Fatalf("new index = %+v", up.TableDescription.GlobalSecondaryIndexes[0])
	}
	waitIndex(t, h, "tab0", types.IndexStatusActive)
	q, err := h.ddb.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("tab0"), IndexName: aws.String("byG"), KeyConditionExpression: aws.String("g = :g"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":g": s("three")}, Select: types.SelectCount})
	if err != nil || q.Count != 100 {
		t.Fatalf("backfilled count = %v %v", q, err)
	}
	if _, err := h.ddb.UpdateTable(ctx, &dynamodb.UpdateTableInput{TableName: aws.String("tab0"),
		GlobalSecondaryIndexUpdates: []types.GlobalSecondaryIndexUpdate{{Delete: &types.DeleteGlobalSecondaryIndexAction{IndexName: aws.String("byG")}}}}); err != nil {
		t.Fatal(err)
	}
	waitIndex(t, h, "tab0", "")
	del, err := h.ddb.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String("tab0")})
	if err != nil || del.TableDescription.TableStatus != types.TableStatusDeleting {
		t.Fatalf("delete = %+v %v", del, err)
	}
	_, err = h.ddb.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("tab0"), Key: map[string]types.AttributeValue{"pk": s("1"), "sk": s("1")}})
	wantAPIError(t, err, "ResourceNotFoundException", "Requested resource not found")
	h.createTable(t, "tab0", "sk", types.ScalarAttributeTypeS)
	sc, _ := h.ddb.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String("tab0")})
	if sc.Count != 0 {
		t.Fatalf("recreated table has %d items", sc.Count)
	}
}

// waitIndex waits for the background tasks (backfill, index deletion;
// the harness runs no periodic ones) and checks the first GSI has status
// ("" means: no GSI left).
func waitIndex(t *testing.T, h *harness, table string, status types.IndexStatus) {
	t.Helper()
	h.svc.bg.Wait()
	d, err := h.ddb.DescribeTable(context.Background(), &dynamodb.DescribeTableInput{TableName: aws.String(table)})
	if err != nil {
		t.Fatal(err)
	}
	g := d.Table.GlobalSecondaryIndexes
	if (status == "" && len(g) == 0) || (len(g) > 0 && g[0].IndexStatus == status) {
		return
	}
	t.Fatalf("index of %s is %+v, want %q", table, g, status)
}
