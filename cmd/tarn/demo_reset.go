package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	fhtypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gltypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	kntypes "github.com/aws/aws-sdk-go-v2/service/kinesis/types"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	lmtypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tarnhq/tarn/internal/config"
)

// demoOutputs are the lake prefixes the demo's stages write; a rerun on a
// kept --data directory starts them empty.
var demoOutputs = []string{"clickstream/", "orders/", streamPrefix, demoCuratedPfx, "silver/", "gold/", "scripts/"}

// resetDemo deletes what an earlier run on the same data directory left
// (each call tolerates a resource that does not exist), so the stack
// applies to an empty account and every check counts this run only.
func resetDemo(ctx context.Context, endpoint string, cfg config.Config, s3c *s3.Client) error {
	aw := awsConfig(endpoint, cfg.Region, cfg.AccessKey, cfg.SecretKey)
	gl, kn, fh := glue.NewFromConfig(aw), kinesis.NewFromConfig(aw), firehose.NewFromConfig(aw)
	ddb, lm := dynamodb.NewFromConfig(aw), lambda.NewFromConfig(aw)
	var gnf *gltypes.EntityNotFoundException
	gone := func(what string, err error, notFound bool) error {
		if err != nil && !notFound {
			return fmt.Errorf("delete old %s: %w", what, err)
		}
		return nil
	}
	for _, t := range []string{"shop-silver-hourly", "shop-gold-after-silver", "shop-cohorts-after-gold"} {
		_, err := gl.DeleteTrigger(ctx, &glue.DeleteTriggerInput{Name: aws.String(t)})
		if err := gone("trigger "+t, err, errors.As(err, &gnf)); err != nil {
			return err
		}
	}
	for _, j := range []string{demoSilverJob, demoGoldJob, demoCohortJob} {
		// DeleteJob answers success for a job that does not exist, as Glue does.
		if _, err := gl.DeleteJob(ctx, &glue.DeleteJobInput{JobName: aws.String(j)}); err != nil {
			return fmt.Errorf("delete old job %s: %w", j, err)
		}
	}
	_, err := gl.DeleteCrawler(ctx, &glue.DeleteCrawlerInput{Name: aws.String(demoCrawler)})
	if err := gone("crawler", err, errors.As(err, &gnf)); err != nil {
		return err
	}
	_, err = gl.DeleteDatabase(ctx, &glue.DeleteDatabaseInput{Name: aws.String(demoDatabase)})
	if err := gone("database", err, errors.As(err, &gnf)); err != nil {
		return err
	}
	var fnf *fhtypes.ResourceNotFoundException
	_, err = fh.DeleteDeliveryStream(ctx, &firehose.DeleteDeliveryStreamInput{DeliveryStreamName: aws.String(demoDelivery)})
	if err := gone("delivery stream", err, errors.As(err, &fnf)); err != nil {
		return err
	}
	var knf *kntypes.ResourceNotFoundException
	_, err = kn.DeleteStream(ctx, &kinesis.DeleteStreamInput{StreamName: aws.String(demoStream)})
	if err := gone("stream", err, errors.As(err, &knf)); err != nil {
		return err
	}
	if err == nil {
		if err := kinesis.NewStreamNotExistsWaiter(kn, func(o *kinesis.StreamNotExistsWaiterOptions) { o.MinDelay = 20 * time.Millisecond }).
			Wait(ctx, &kinesis.DescribeStreamInput{StreamName: aws.String(demoStream)}, 30*time.Second); err != nil {
			return fmt.Errorf("wait for old stream %s to go: %w", demoStream, err)
		}
	}
	for _, fn := range []string{demoEnrichFn, demoFilesFn} {
		maps, err := lm.ListEventSourceMappings(ctx, &lambda.ListEventSourceMappingsInput{FunctionName: aws.String(fn)})
		var lnf *lmtypes.ResourceNotFoundException
		if err != nil && !errors.As(err, &lnf) {
			return fmt.Errorf("list old mappings of %s: %w", fn, err)
		}
		if maps != nil {
			for _, m := range maps.EventSourceMappings {
				if _, err := lm.DeleteEventSourceMapping(ctx, &lambda.DeleteEventSourceMappingInput{UUID: m.UUID}); err != nil {
					return fmt.Errorf("delete old mapping %s: %w", aws.ToString(m.UUID), err)
				}
			}
		}
		_, err = lm.DeleteFunction(ctx, &lambda.DeleteFunctionInput{FunctionName: aws.String(fn)})
		if err := gone("function "+fn, err, errors.As(err, &lnf)); err != nil {
			return err
		}
	}
	for _, name := range demoTables {
		var nf *ddbtypes.ResourceNotFoundException
		_, err := ddb.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)})
		if errors.As(err, &nf) {
			continue
		}
		if err != nil {
			return fmt.Errorf("delete old table %s: %w", name, err)
		}
		if err := dynamodb.NewTableNotExistsWaiter(ddb, fastTableNotExists).Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 30*time.Second); err != nil {
			return fmt.Errorf("wait for old table %s to go: %w", name, err)
		}
	}
	if _, err := s3c.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(demoBucket)}); err != nil {
		return nil // a first run: no lake yet
	}
	for _, p := range demoOutputs {
		if err := (&streamClient{s3: s3c}).deletePrefix(ctx, p); err != nil {
			return err
		}
	}
	return nil
}
