package dynamo

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// Concurrent read-modify-writes of one item serialize on its stripe; of
// different items they do not block each other.
func TestConcurrentCounters(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	h.createTable(t, "ctr", "", "", withStream(types.StreamViewTypeNewImage), withGSI("byG", "g", types.ProjectionTypeAll),
		func(in *dynamodb.CreateTableInput) {
			in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{AttributeName: aws.String("sk"), AttributeType: types.ScalarAttributeTypeN})
		})
	const workers, each = 8, 25
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < each; i++ {
				for _, k := range []string{"shared", fmt.Sprintf("own-%d", w)} {
					_, err := h.ddb.UpdateItem(ctx, &dynamodb.UpdateItemInput{TableName: aws.String("ctr"), Key: map[string]types.AttributeValue{"pk": s(k)},
						UpdateExpression:          aws.String("ADD n :one SET g = :g, sk = :one"),
						ExpressionAttributeValues: map[string]types.AttributeValue{":one": n("1"), ":g": s("all")}})
					if err != nil {
						t.Error(err)
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	got, err := h.ddb.GetItem(ctx, &dynamodb.GetItemInput{TableName: aws.String("ctr"), Key: map[string]types.AttributeValue{"pk": s("shared")}})
	if err != nil || got.Item["n"].(*types.AttributeValueMemberN).Value != fmt.Sprint(workers*each) {
		t.Fatalf("shared = %v %v", got.Item, err)
	}
	q, err := h.ddb.Query(ctx, &dynamodb.QueryInput{TableName: aws.String("ctr"), IndexName: aws.String("byG"), KeyConditionExpression: aws.String("g = :g"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":g": s("all")}})
	if err != nil || q.Count != workers+1 {
		t.Fatalf("index = %d %v", q.Count, err)
	}
	arn, _ := h.svc.TableStream(ctx, "us-east-1", "ctr")
	var recs int
	pos := ""
	for {
		r, next, err := h.svc.ReadStream(ctx, arn, pos, 1000)
		if err != nil {
			t.Fatal(err)
		}
		if len(r) == 0 {
			break
		}
		recs += len(r)
		pos = next
	}
	if recs != 2*workers*each {
		t.Fatalf("stream records = %d, want %d", recs, 2*workers*each)
	}
}
