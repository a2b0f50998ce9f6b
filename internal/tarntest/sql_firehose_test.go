package tarntest

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	fhtypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gltypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
)

// TestFirehoseParquetFromGlueSchema: Firehose's data format conversion
// takes its schema from a Glue table (the platform's catalog), writes
// Parquet into the table's location, and Athena queries what arrived.
func TestFirehoseParquetFromGlueSchema(t *testing.T) {
	env := Start(t)
	ctx := t.Context()
	fhBucket(t, env, "lake")
	gl := env.Glue()
	if _, err := gl.CreateDatabase(ctx, &glue.CreateDatabaseInput{DatabaseInput: &gltypes.DatabaseInput{Name: aws.String("shop")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := gl.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String("shop"), TableInput: &gltypes.TableInput{
		Name: aws.String("clicks"), TableType: aws.String("EXTERNAL_TABLE"),
		StorageDescriptor: &gltypes.StorageDescriptor{
			Location: aws.String("s3://lake/clicks/"),
			Columns: []gltypes.Column{{Name: aws.String("page"), Type: aws.String("string")},
				{Name: aws.String("ms"), Type: aws.String("bigint")}},
			InputFormat:  aws.String("org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"),
			OutputFormat: aws.String("org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"),
			SerdeInfo:    &gltypes.SerDeInfo{SerializationLibrary: aws.String("org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe")}},
	}}); err != nil {
		t.Fatal(err)
	}
	c := env.Firehose()
	d := fhDest("lake", 0, 64)
	d.Prefix, d.ErrorOutputPrefix = aws.String("clicks/"), aws.String("errors/!{firehose:error-output-type}/")
	d.DataFormatConversionConfiguration = &fhtypes.DataFormatConversionConfiguration{Enabled: aws.Bool(true),
		SchemaConfiguration:       &fhtypes.SchemaConfiguration{DatabaseName: aws.String("shop"), TableName: aws.String("clicks"), RoleARN: aws.String("arn:aws:iam::000000000000:role/r")},
		InputFormatConfiguration:  &fhtypes.InputFormatConfiguration{Deserializer: &fhtypes.Deserializer{OpenXJsonSerDe: &fhtypes.OpenXJsonSerDe{}}},
		OutputFormatConfiguration: &fhtypes.OutputFormatConfiguration{Serializer: &fhtypes.Serializer{ParquetSerDe: &fhtypes.ParquetSerDe{}}}}
	fhCreate(t, c, "to-parquet", d)
	var recs []string
	for i := range 50 {
		recs = append(recs, fmt.Sprintf(`{"page":"/p/%d","ms":%d}`, i%5, i))
	}
	fhBatch(t, c, "to-parquet", recs...)
	objs := fhWait(t, env.S3(), "lake", "clicks/", 1)
	if !strings.HasSuffix(objs[0].key, ".parquet") {
		t.Fatalf("delivered %q", objs[0].key)
	}
	got := runQuery(t, env.Athena(), "SELECT page, count(*), sum(ms) FROM clicks GROUP BY page ORDER BY page LIMIT 2", "s3://lake/results/")
	if s := fmt.Sprint(got.rows); s != "[[page _col1 _col2] [/p/0 10 225] [/p/1 10 235]]" {
		t.Fatalf("Athena over Firehose's Parquet: %s", s)
	}
	// A table that does not exist refuses the delivery stream at once.
	d.DataFormatConversionConfiguration.SchemaConfiguration.TableName = aws.String("nope")
	if _, err := c.CreateDeliveryStream(ctx, &firehose.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("bad"),
		ExtendedS3DestinationConfiguration: d}); err == nil || !strings.Contains(err.Error(), "InvalidArgumentException") {
		t.Fatalf("missing schema table: %v", err)
	}
}
