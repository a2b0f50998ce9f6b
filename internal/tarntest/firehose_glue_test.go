package tarntest

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	fhtypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gluetypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
)

// TestFirehoseParquetFromGlueTable: data format conversion takes its
// schema from the Glue table SchemaConfiguration names, created through
// the Glue API, and the delivered .parquet object has that table's
// columns and types.
func TestFirehoseParquetFromGlueTable(t *testing.T) {
	env := Start(t)
	ctx := t.Context()
	g := env.Glue()
	if _, err := g.CreateDatabase(ctx, &glue.CreateDatabaseInput{DatabaseInput: &gluetypes.DatabaseInput{Name: aws.String("web")}}); err != nil {
		t.Fatal(err)
	}
	if _, err := g.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String("web"), TableInput: &gluetypes.TableInput{
		Name: aws.String("clicks"), StorageDescriptor: &gluetypes.StorageDescriptor{Columns: []gluetypes.Column{
			{Name: aws.String("page"), Type: aws.String("string")}, {Name: aws.String("ms"), Type: aws.String("bigint")}}}}}); err != nil {
		t.Fatal(err)
	}
	fhBucket(t, env, "lake")
	c := env.Firehose()
	d := fhDest("lake", 0, 64)
	d.Prefix, d.ErrorOutputPrefix = aws.String("clicks/"), aws.String("errors/!{firehose:error-output-type}/")
	d.DataFormatConversionConfiguration = &fhtypes.DataFormatConversionConfiguration{Enabled: aws.Bool(true),
		SchemaConfiguration:       &fhtypes.SchemaConfiguration{DatabaseName: aws.String("web"), TableName: aws.String("clicks"), RoleARN: aws.String("arn:aws:iam::000000000000:role/r")},
		InputFormatConfiguration:  &fhtypes.InputFormatConfiguration{Deserializer: &fhtypes.Deserializer{OpenXJsonSerDe: &fhtypes.OpenXJsonSerDe{}}},
		OutputFormatConfiguration: &fhtypes.OutputFormatConfiguration{Serializer: &fhtypes.Serializer{ParquetSerDe: &fhtypes.ParquetSerDe{}}}}
	fhCreate(t, c, "pq", d)
	fhBatch(t, c, "pq", `{"page":"/","ms":12,"extra":true}`, `{"page":"/about"}`)
	objs := fhWait(t, env.S3(), "lake", "clicks/", 1)
	if len(objs) != 1 || !strings.HasSuffix(objs[0].key, ".parquet") {
		t.Fatalf("objects %q", objs)
	}
	cols := parquetScalar(t, objs[0].body, `SELECT string_agg(name || ':' || type, ',' ORDER BY name) FROM parquet_schema('{file}') WHERE name IN ('page', 'ms')`)
	if cols != "ms:INT64,page:BYTE_ARRAY" {
		t.Errorf("parquet columns %s, want the Glue table's (ms bigint, page string)", cols)
	}
	if rows := parquetScalar(t, objs[0].body, `SELECT string_agg(concat_ws('|', page, coalesce(ms::VARCHAR, '-')), ';' ORDER BY page) FROM read_parquet('{file}')`); rows != "/|12;/about|-" {
		t.Errorf("parquet rows %s", rows)
	}
}
