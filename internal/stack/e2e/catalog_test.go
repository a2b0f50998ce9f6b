package e2e_test

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tarnhq/tarn/internal/stack"
	"github.com/tarnhq/tarn/internal/tarntest"
)

// lakeStack is the demo's clickstream: a Kinesis stream delivered by
// Firehose, partitioned by a jq query and converted to Parquet with the
// schema of a Glue table the same file declares. DESCRIPTION, COLUMNS and
// RETRY are filled in per step.
const lakeStack = `buckets:
  - name: shop-raw
streams:
  - name: shop-clickstream
databases:
  - name: shop
    description: DESCRIPTION
    location_uri: "s3://shop-raw/"
glue_tables:
  - database_name: shop
    name: clickstream_live
    format: parquet
    partition_keys: [{name: dt, type: string}]
    storage_descriptor:
      location: "s3://shop-raw/stream/clickstream/"
      columns:
        - {name: user_id, type: string}
        - {name: ts, type: string, comment: ISO-8601 time}COLUMNS
delivery_streams:
  - name: shop-clickstream-to-lake
    kinesis_stream_source_configuration: {stream_name: shop-clickstream, role_arn: "arn:aws:iam::000000000000:role/tarn-demo-firehose"}
    extended_s3_destination_configuration:
      bucket: shop-raw
      role_arn: "arn:aws:iam::000000000000:role/tarn-demo-firehose"
      prefix: "stream/clickstream/dt=!{partitionKeyFromQuery:dt}/"
      error_output_prefix: "stream/errors/!{firehose:error-output-type}/"
      buffering_hints: {size_in_mbs: 64, interval_in_seconds: 0}
      dynamic_partitioning_configuration: {enabled: trueRETRY}
      processing_configuration:
        enabled: true
        processors:
          - type: MetadataExtraction
            parameters:
              - {parameter_name: MetadataExtractionQuery, parameter_value: "{dt: .ts[0:10]}"}
              - {parameter_name: JsonParsingEngine, parameter_value: JQ-1.6}
      data_format_conversion_configuration:
        enabled: true
        input_format_configuration: {deserializer: {open_x_json_ser_de: {}}}
        output_format_configuration: {serializer: {parquet_ser_de: {}}}
        schema_configuration: {database_name: shop, table_name: clickstream_live, role_arn: "arn:aws:iam::000000000000:role/tarn-demo-firehose"}
`

func lakeFile(t *testing.T, description, columns, retry string) *stack.Stack {
	t.Helper()
	src := strings.NewReplacer("DESCRIPTION", description, "COLUMNS", columns, "RETRY", retry).Replace(lakeStack)
	s, err := stack.Parse("tarn.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestApplyCatalogAndPartitionedDelivery: the database, the Glue table
// and a dynamically partitioned, Parquet-converting delivery stream are
// created in order (the stream's conversion needs the table), come back
// unchanged, deliver a record to its partition, and are updated in place
// (description, a new column, the retry duration); turning dynamic
// partitioning off is a replace, left as is.
func TestApplyCatalogAndPartitionedDelivery(t *testing.T) {
	env := tarntest.Start(t)
	ctx := t.Context()
	c := stack.NewClients(env.AWSConfig())
	created := []string{"+ create bucket shop-raw", "+ create stream shop-clickstream", "+ create database shop",
		"+ create glue_table shop.clickstream_live", "+ create delivery_stream shop-clickstream-to-lake"}
	same := []string{"= bucket shop-raw (unchanged)", "= stream shop-clickstream (unchanged)", "= database shop (unchanged)",
		"= glue_table shop.clickstream_live (unchanged)", "= delivery_stream shop-clickstream-to-lake (unchanged)"}

	s := lakeFile(t, "The lake.", "", "")
	plan, err := stack.Plan(ctx, s, c)
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, "plan", plan, created...)
	changes, err := stack.Apply(ctx, s, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, "first apply", changes, created...)
	changes, err = stack.Apply(ctx, s, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, "second apply", changes, same...)

	tb, err := env.Glue().GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String("shop"), Name: aws.String("clickstream_live")})
	if err != nil || aws.ToString(tb.Table.StorageDescriptor.SerdeInfo.SerializationLibrary) != "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe" ||
		tb.Table.Parameters["classification"] != "parquet" || aws.ToString(tb.Table.TableType) != "EXTERNAL_TABLE" {
		t.Fatalf("glue table: %+v %v", tb, err)
	}
	ds, err := env.Firehose().DescribeDeliveryStream(ctx, &firehose.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String("shop-clickstream-to-lake")})
	if err != nil {
		t.Fatal(err)
	}
	dst := ds.DeliveryStreamDescription.Destinations[0].ExtendedS3DestinationDescription
	if !aws.ToBool(dst.DynamicPartitioningConfiguration.Enabled) || len(dst.ProcessingConfiguration.Processors) != 1 ||
		aws.ToInt32(dst.BufferingHints.IntervalInSeconds) != 0 || aws.ToInt32(dst.BufferingHints.SizeInMBs) != 64 {
		t.Errorf("delivery stream: %+v", dst)
	}

	// A record lands, as Parquet, under the partition its ts names.
	if _, err := env.Kinesis().PutRecord(ctx, &kinesis.PutRecordInput{StreamName: aws.String("shop-clickstream"), PartitionKey: aws.String("u1"),
		Data: []byte(`{"user_id":"u1","ts":"2026-12-02T03:04:05Z"}`)}); err != nil {
		t.Fatal(err)
	}
	if body := waitForObject(ctx, t, env, "stream/clickstream/dt=2026-12-02/"); !bytes.HasPrefix(body, []byte("PAR1")) {
		t.Errorf("delivered object is not Parquet: %q", body[:min(len(body), 16)])
	}

	s = lakeFile(t, "The shop's lake.", "\n        - {name: page, type: string}", ", retry_options: {duration_in_seconds: 60}")
	want := []string{same[0], same[1], "~ update database shop (description The lake. → The shop's lake.)",
		"~ update glue_table shop.clickstream_live (storage_descriptor.columns user_id string, ts string 'ISO-8601 time' → user_id string, ts string 'ISO-8601 time', page string)",
		"~ update delivery_stream shop-clickstream-to-lake (extended_s3_destination_configuration.dynamic_partitioning_configuration on, retry 300s → on, retry 60s)"}
	if plan, err = stack.Plan(ctx, s, c); err != nil {
		t.Fatal(err)
	}
	wantLines(t, "plan of the edit", plan, want...)
	if changes, err = stack.Apply(ctx, s, c, nil); err != nil {
		t.Fatal(err)
	}
	wantLines(t, "apply of the edit", changes, want...)
	if changes, err = stack.Apply(ctx, s, c, nil); err != nil {
		t.Fatal(err)
	}
	wantLines(t, "apply after the edit", changes, same...)

	src := strings.Replace(strings.NewReplacer("DESCRIPTION", "The shop's lake.", "COLUMNS", "\n        - {name: page, type: string}",
		"RETRY", ", retry_options: {duration_in_seconds: 60}").Replace(lakeStack), "enabled: true, retry", "enabled: false, retry", 1)
	src = strings.Replace(src, "      processing_configuration:\n        enabled: true\n", "      processing_configuration:\n        enabled: false\n", 1)
	s, err = stack.Parse("tarn.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if plan, err = stack.Plan(ctx, s, c); err != nil {
		t.Fatal(err)
	}
	if got := plan[4].String(); got != "! delivery_stream shop-clickstream-to-lake needs replace (extended_s3_destination_configuration.dynamic_partitioning_configuration.enabled); left as is" {
		t.Errorf("turning dynamic partitioning off: %s", got)
	}
}

// waitForObject returns the first object under prefix of shop-raw once
// Firehose has delivered one.
func waitForObject(ctx context.Context, t *testing.T, env *tarntest.Env, prefix string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for {
		out, err := env.S3().ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("shop-raw"), Prefix: aws.String(prefix)})
		if err == nil && len(out.Contents) > 0 {
			obj, err := env.S3().GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("shop-raw"), Key: out.Contents[0].Key})
			if err != nil {
				t.Fatal(err)
			}
			defer obj.Body.Close()
			body, err := io.ReadAll(obj.Body)
			if err != nil {
				t.Fatal(err)
			}
			return body
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no object under s3://shop-raw/%s: %v", prefix, err)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
