package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"

	"github.com/aws/aws-lambda-go/events"
	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tarnhq/tarn/internal/sample"
)

// demoHandlerCommand is the hidden subcommand the demo's Lambda functions
// run: their bootstrap (a provided.al2023 runtime) execs
// `tarn demo-handler enrich|files`, an aws-lambda-go function talking to
// tarn's Lambda Runtime API like any other. It reads only what Lambda
// gives a function: AWS_* variables and the function's own environment.
const demoHandlerCommand = "demo-handler"

// runDemoHandler serves one of the demo's handlers until the runtime ends.
func runDemoHandler(args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: tarn %s enrich|files", demoHandlerCommand)
	}
	creds := credentials.NewStaticCredentialsProvider(os.Getenv("AWS_ACCESS_KEY_ID"),
		os.Getenv("AWS_SECRET_ACCESS_KEY"), os.Getenv("AWS_SESSION_TOKEN"))
	h := &demoHandlers{ddb: dynamodb.New(dynamodb.Options{Region: os.Getenv("AWS_REGION"),
		BaseEndpoint: aws.String(os.Getenv("AWS_ENDPOINT_URL")), Credentials: creds}), products: map[string]sample.Product{}}
	for _, p := range sample.Catalog() {
		h.products[p.ID] = p
	}
	switch args[0] {
	case "enrich":
		lambda.Start(h.enrich)
	case "files":
		lambda.Start(h.files)
	default:
		return fmt.Errorf("tarn %s: unknown handler %q", demoHandlerCommand, args[0])
	}
	return nil
}

type demoHandlers struct {
	ddb      *dynamodb.Client
	products map[string]sample.Product // the product catalog the records are enriched from
}

// enrich folds one Kinesis batch of clickstream records into the
// real-time tables: each product view, enriched with the product's name
// and list price from the catalog, adds to its product's counter (one ADD
// per product in the batch); each user's latest session moves forward
// only (a conditional SET: batches of different shards interleave, so a
// late write must not win). The writes of a batch run enrichWriters at a
// time. The batch's size is added to the pipeline
// stats, which the demo watches.
func (h *demoHandlers) enrich(ctx context.Context, ev events.KinesisEvent) (map[string]int, error) {
	type views struct {
		n int64
		p sample.Product
	}
	counts := map[string]*views{}
	latest := map[string]*sample.Event{}
	for _, r := range ev.Records {
		e, err := parseEvent(r.Kinesis.Data)
		if err != nil {
			return nil, err
		}
		if e.Type == "product_view" {
			v := counts[e.ProductID]
			if v == nil {
				p, ok := h.products[e.ProductID]
				if !ok {
					return nil, fmt.Errorf("product %q of event %s is not in the catalog", e.ProductID, e.EventID)
				}
				v = &views{p: p}
				counts[e.ProductID] = v
			}
			v.n++
		}
		if l := latest[e.UserID]; l == nil || e.TS.After(l.TS) {
			latest[e.UserID] = e
		}
	}
	var writes []func() error
	for id, v := range counts {
		writes = append(writes, func() error {
			_, err := h.ddb.UpdateItem(ctx, &dynamodb.UpdateItemInput{
				TableName:                aws.String(os.Getenv("VIEWS_TABLE")),
				Key:                      map[string]ddbtypes.AttributeValue{"product_id": sv(id)},
				UpdateExpression:         aws.String("ADD #views :n SET category = :c, #name = :name, list_price = :price"),
				ExpressionAttributeNames: map[string]string{"#views": "views", "#name": "name"},
				ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":n": num(v.n), ":c": sv(v.p.Category),
					":name": sv(v.p.Name), ":price": &ddbtypes.AttributeValueMemberN{Value: strconv.FormatFloat(v.p.Price, 'f', 2, 64)}},
			})
			if err != nil {
				return fmt.Errorf("count views of %s: %w", id, err)
			}
			return nil
		})
	}
	for user, e := range latest {
		writes = append(writes, func() error {
			_, err := h.ddb.UpdateItem(ctx, &dynamodb.UpdateItemInput{
				TableName:           aws.String(os.Getenv("SESSIONS_TABLE")),
				Key:                 map[string]ddbtypes.AttributeValue{"user_id": sv(user)},
				UpdateExpression:    aws.String("SET session_id = :s, last_ts = :t, last_event = :e, device = :d"),
				ConditionExpression: aws.String("attribute_not_exists(last_ts) OR last_ts < :t"),
				ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
					":s": sv(e.SessionID), ":t": num(e.TS.UnixMilli()), ":e": sv(e.Type), ":d": sv(e.Device)},
			})
			var ccf *ddbtypes.ConditionalCheckFailedException
			if err != nil && !errors.As(err, &ccf) {
				return fmt.Errorf("latest session of %s: %w", user, err)
			}
			return nil
		})
	}
	if err := parallel(enrichWriters, writes); err != nil {
		return nil, err
	}
	if err := h.addStat(ctx, "enrich", int64(len(ev.Records))); err != nil {
		return nil, err
	}
	return map[string]int{"records": len(ev.Records), "products": len(counts), "users": len(latest)}, nil
}

// files records each object the lake's notification reports in the
// files table (key, size, ETag, event time): the lake's arrival log.
func (h *demoHandlers) files(ctx context.Context, ev events.S3Event) (map[string]int, error) {
	for _, r := range ev.Records {
		item := map[string]ddbtypes.AttributeValue{
			"key": sv(r.S3.Bucket.Name + "/" + r.S3.Object.Key), "size": num(r.S3.Object.Size),
			"etag": sv(r.S3.Object.ETag), "event": sv(r.EventName), "event_time": sv(r.EventTime.UTC().Format("2006-01-02T15:04:05.000Z")),
		}
		if _, err := h.ddb.PutItem(ctx, &dynamodb.PutItemInput{TableName: aws.String(os.Getenv("FILES_TABLE")), Item: item}); err != nil {
			return nil, fmt.Errorf("record %s: %w", r.S3.Object.Key, err)
		}
	}
	if err := h.addStat(ctx, "files", int64(len(ev.Records))); err != nil {
		return nil, err
	}
	return map[string]int{"files": len(ev.Records)}, nil
}

// addStat adds n to the stats item of stage (records handled so far).
func (h *demoHandlers) addStat(ctx context.Context, stage string, n int64) error {
	_, err := h.ddb.UpdateItem(ctx, &dynamodb.UpdateItemInput{
		TableName:                 aws.String(os.Getenv("STATS_TABLE")),
		Key:                       map[string]ddbtypes.AttributeValue{"stage": sv(stage)},
		UpdateExpression:          aws.String("ADD handled :n"),
		ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":n": num(n)},
	})
	if err != nil {
		return fmt.Errorf("stats of %s: %w", stage, err)
	}
	return nil
}

// enrichWriters is how many DynamoDB writes one batch has in flight.
const enrichWriters = 8

// parallel runs fns on n goroutines and returns the first error.
func parallel(n int, fns []func() error) error {
	work := make(chan func() error)
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var first error
			for fn := range work {
				if err := fn(); err != nil && first == nil {
					first = err
				}
			}
			errs <- first
		}()
	}
	for _, fn := range fns {
		work <- fn
	}
	close(work)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

func sv(s string) *ddbtypes.AttributeValueMemberS { return &ddbtypes.AttributeValueMemberS{Value: s} }
