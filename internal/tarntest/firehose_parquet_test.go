package tarntest

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	fhtypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"
	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/tarnhq/tarn/internal/columnar"
	fh "github.com/tarnhq/tarn/internal/firehose"
	"github.com/tarnhq/tarn/internal/platform"
)

// testSchemas is an inline schema source standing in for the Glue
// catalog, which tarn does not have yet.
type testSchemas map[string]columnar.Schema

func (m testSchemas) TableSchema(ctx context.Context, ref fh.SchemaRef) (columnar.Schema, error) {
	if s, ok := m[ref.DatabaseName+"."+ref.TableName]; ok {
		return s, nil
	}
	return nil, fmt.Errorf("%s: %w", ref, fh.ErrSchemaNotFound)
}

// parquetScalar writes a delivered Parquet object to a file and returns
// the one value query yields over it with DuckDB ({file} is its path).
func parquetScalar(t *testing.T, body []byte, query string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "object.parquet")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var got string
	if err := db.QueryRow(strings.ReplaceAll(query, "{file}", path)).Scan(&got); err != nil {
		t.Fatal(err)
	}
	return got
}

// TestFirehoseParquet: with data format conversion, the SDK's records
// land in the lake as a .parquet object that DuckDB reads back; the
// record that does not fit goes to the error prefix, base64 and intact.
func TestFirehoseParquet(t *testing.T) {
	env := StartWith(t, platform.Options{FirehoseSchemas: testSchemas{"web.clicks": {
		{Name: "page", Type: columnar.String}, {Name: "ms", Type: columnar.BigInt}, {Name: "at", Type: columnar.Timestamp},
	}}})
	fhBucket(t, env, "lake")
	c := env.Firehose()
	d := fhDest("lake", 0, 64)
	d.Prefix, d.ErrorOutputPrefix = aws.String("clicks/"), aws.String("errors/!{firehose:error-output-type}/")
	d.DataFormatConversionConfiguration = &fhtypes.DataFormatConversionConfiguration{Enabled: aws.Bool(true),
		SchemaConfiguration:       &fhtypes.SchemaConfiguration{DatabaseName: aws.String("web"), TableName: aws.String("clicks"), RoleARN: aws.String("arn:aws:iam::000000000000:role/r")},
		InputFormatConfiguration:  &fhtypes.InputFormatConfiguration{Deserializer: &fhtypes.Deserializer{HiveJsonSerDe: &fhtypes.HiveJsonSerDe{}}},
		OutputFormatConfiguration: &fhtypes.OutputFormatConfiguration{Serializer: &fhtypes.Serializer{ParquetSerDe: &fhtypes.ParquetSerDe{}}}}
	fhCreate(t, c, "pq", d)
	desc, err := c.DescribeDeliveryStream(t.Context(), &firehose.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String("pq")})
	if err != nil {
		t.Fatal(err)
	}
	if dc := desc.DeliveryStreamDescription.Destinations[0].ExtendedS3DestinationDescription.DataFormatConversionConfiguration; dc == nil ||
		dc.SchemaConfiguration == nil || *dc.SchemaConfiguration.TableName != "clicks" || dc.InputFormatConfiguration.Deserializer.HiveJsonSerDe == nil {
		t.Fatalf("described conversion = %+v", dc)
	}
	bad := `{"page":"/x","ms":"soon"}`
	fhBatch(t, c, "pq", `{"page":"/","ms":12,"at":"2024-05-06 07:08:09"}`, bad, `{"page":"/about"}`)
	objs := fhWait(t, env.S3(), "lake", "clicks/", 1)
	if len(objs) != 1 || !strings.HasSuffix(objs[0].key, ".parquet") {
		t.Fatalf("objects %q", objs)
	}
	got := parquetScalar(t, objs[0].body, `SELECT string_agg(concat_ws('|', page, coalesce(ms::VARCHAR, '-'), coalesce("at"::VARCHAR, '-')), ';' ORDER BY page) FROM read_parquet('{file}')`)
	if want := "/|12|2024-05-06 07:08:09;/about|-|-"; got != want {
		t.Fatalf("parquet = %s, want %s", got, want)
	}
	errs := fhWait(t, env.S3(), "lake", "errors/format-conversion-failed/", 1)
	var line struct{ RawData, ErrorCode string }
	if err := json.Unmarshal(errs[0].body, &line); err != nil {
		t.Fatal(err)
	}
	if raw, _ := base64.StdEncoding.DecodeString(line.RawData); string(raw) != bad || line.ErrorCode == "" {
		t.Fatalf("error object %s", errs[0].body)
	}
}
