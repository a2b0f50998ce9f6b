package tarntest

import (
	"fmt"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	fhtypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// BenchmarkFirehosePutToLake is the time from PutRecord to its object
// being listable and readable in the lake, with IntervalInSeconds 0. Each
// record carries its own partition key (dynamic partitioning), so the
// benchmark can wait for exactly its object by prefix.
func BenchmarkFirehosePutToLake(b *testing.B) {
	env := Start(b, WithDurability(benchDurability()))
	ctx := b.Context()
	s3c, c := env.S3(), env.Firehose()
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("bench")}); err != nil {
		b.Fatal(err)
	}
	dest := fhDest("bench", 0, 64)
	dest.Prefix = aws.String("r/!{partitionKeyFromQuery:id}/")
	dest.ErrorOutputPrefix = aws.String("err/!{firehose:error-output-type}/")
	dest.DynamicPartitioningConfiguration = &fhtypes.DynamicPartitioningConfiguration{Enabled: aws.Bool(true)}
	dest.ProcessingConfiguration = &fhtypes.ProcessingConfiguration{Enabled: aws.Bool(true), Processors: []fhtypes.Processor{{
		Type: fhtypes.ProcessorTypeMetadataExtraction, Parameters: []fhtypes.ProcessorParameter{
			{ParameterName: fhtypes.ProcessorParameterNameMetadataExtractionQuery, ParameterValue: aws.String("{id: .id}")},
			{ParameterName: fhtypes.ProcessorParameterNameJsonParsingEngine, ParameterValue: aws.String("JQ-1.6")}}}}}
	if _, err := c.CreateDeliveryStream(ctx, &firehose.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("bench"),
		ExtendedS3DestinationConfiguration: dest}); err != nil {
		b.Fatal(err)
	}
	var total time.Duration
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		start := time.Now()
		if _, err := c.PutRecord(ctx, &firehose.PutRecordInput{DeliveryStreamName: aws.String("bench"),
			Record: &fhtypes.Record{Data: fmt.Appendf(nil, `{"id":"%d","v":"payload"}`, i)}}); err != nil {
			b.Fatal(err)
		}
		prefix := fmt.Sprintf("r/%d/", i)
		for {
			out, err := s3c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("bench"), Prefix: aws.String(prefix)})
			if err != nil {
				b.Fatal(err)
			}
			if len(out.Contents) > 0 {
				g, err := s3c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("bench"), Key: out.Contents[0].Key})
				if err != nil {
					b.Fatal(err)
				}
				g.Body.Close()
				break
			}
		}
		total += time.Since(start)
	}
	b.ReportMetric(float64(total.Microseconds())/float64(b.N)/1000, "ms-put-to-lake")
}
