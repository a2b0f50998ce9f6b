package e2e_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tarnhq/tarn/internal/stack"
	"github.com/tarnhq/tarn/internal/tarntest"
)

const e2eStack = `buckets:
  - name: shop-raw
streams:
  - name: clicks
    shards: SHARDS
tables:
  - name: orders
    attribute_definitions: [{attribute_name: id, attribute_type: S}]
    key_schema: [{attribute_name: id, key_type: HASH}]
    stream_specification: {stream_enabled: true, stream_view_type: NEW_IMAGE}
    ttl: {attribute_name: expires}
functions:
  - name: enrich
    runtime: python3.12
    handler: app.handler
    code: {path: ./enrich}
    memory_size: MEMORY
    environment: {MODE: test}
delivery_streams:
  - name: clicks-to-lake
    kinesis_stream_source_configuration: {stream_name: clicks}
    extended_s3_destination_configuration:
      bucket: shop-raw
      prefix: stream/clicks/
      buffering_hints: {size_in_mbs: 1, interval_in_seconds: 60}
event_source_mappings:
  - function_name: enrich
    stream: clicks
    starting_position: TRIM_HORIZON
  - function_name: enrich
    table: orders
    batch_size: 10
bucket_notifications:
  - bucket: shop-raw
    lambda_function_configurations:
      - function: enrich
        events: ["s3:ObjectCreated:*"]
        prefix: raw/
crawlers:
  - name: shop-raw-crawler
    database_name: shop
    targets: {s3_targets: [{path: "s3://shop-raw/raw/"}]}
`

// writeStack writes tarn.yaml (with shards and memory filled in) and the
// function folder into dir, and parses it.
func writeStack(t *testing.T, dir, shards, memory, handler string) *stack.Stack {
	t.Helper()
	src := strings.NewReplacer("SHARDS", shards, "MEMORY", memory).Replace(e2eStack)
	os.MkdirAll(filepath.Join(dir, "enrich"), 0o755)
	if err := os.WriteFile(filepath.Join(dir, "enrich", "app.py"), []byte(handler), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "tarn.yaml")
	os.WriteFile(file, []byte(src), 0o644)
	s, err := stack.Parse(file, []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

const handlerV1 = "def handler(event, context):\n    return {'ok': 1}\n"

func lines(changes []stack.Change) []string {
	out := make([]string, len(changes))
	for i, c := range changes {
		out[i] = c.String()
	}
	return out
}

func wantLines(t *testing.T, what string, got []stack.Change, want ...string) {
	t.Helper()
	if g := lines(got); !slices.Equal(g, want) {
		t.Errorf("%s:\ngot  %s\nwant %s", what, strings.Join(g, "\n     "), strings.Join(want, "\n     "))
	}
}

var allCreated = []string{
	"+ create bucket shop-raw", "+ create stream clicks", "+ create table orders", "+ create function enrich",
	"+ create delivery_stream clicks-to-lake", "+ create event_source_mapping enrich<-stream/clicks",
	"+ create event_source_mapping enrich<-table/orders", "+ create bucket_notification shop-raw",
	"+ create crawler shop-raw-crawler",
}

func unchanged() []string {
	out := make([]string, len(allCreated))
	for i, l := range allCreated {
		kind, name, _ := strings.Cut(strings.TrimPrefix(l, "+ create "), " ")
		out[i] = "= " + kind + " " + name + " (unchanged)"
	}
	return out
}

// TestApplyEndToEnd: a stack of every kind the platform serves is planned
// (nothing changes), applied (everything is created, through the public
// APIs), applied again (nothing changes), then edited (shards, memory,
// code) and applied (exactly those are updated).
func TestApplyEndToEnd(t *testing.T) {
	if _, err := exec.LookPath("python3"); err != nil {
		t.Skip("python3 is not installed")
	}
	env := tarntest.Start(t)
	ctx := t.Context()
	c := stack.NewClients(env.AWSConfig())
	dir := t.TempDir()
	s := writeStack(t, dir, "2", "128", handlerV1)

	plan, err := stack.Plan(ctx, s, c)
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, "plan on an empty platform", plan, allCreated...)
	if _, err := env.S3().HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String("shop-raw")}); err == nil {
		t.Fatal("Plan created the bucket")
	}

	var out bytes.Buffer
	changes, err := stack.Apply(ctx, s, c, &out)
	if err != nil {
		t.Fatalf("apply: %v\n%s", err, out.String())
	}
	wantLines(t, "first apply", changes, allCreated...)
	if out.String() != strings.Join(allCreated, "\n")+"\n" {
		t.Errorf("printed:\n%s", out.String())
	}
	checkCreated(t, env, 2, 128)

	changes, err = stack.Apply(ctx, s, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, "second apply", changes, unchanged()...)

	s = writeStack(t, dir, "3", "256", handlerV1)
	plan, err = stack.Plan(ctx, s, c)
	if err != nil {
		t.Fatal(err)
	}
	want := unchanged()
	want[1] = "~ update stream clicks (shards 2 → 3)"
	want[3] = "~ update function enrich (memory_size 128 → 256)"
	wantLines(t, "plan of the edit", plan, want...)
	changes, err = stack.Apply(ctx, s, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, "apply of the edit", changes, want...)
	checkCreated(t, env, 3, 256)

	s = writeStack(t, dir, "3", "256", handlerV1+"# v2\n")
	changes, err = stack.Apply(ctx, s, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := changes[3].String(); !strings.HasPrefix(got, "~ update function enrich (code ") {
		t.Errorf("code change: %s", got)
	}
	fn, _ := env.Lambda().GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("enrich")})
	zipped, _ := stack.ZipDir(filepath.Join(dir, "enrich"))
	if fn == nil || len(zipped) == 0 || fn.Configuration.CodeSize != int64(len(zipped)) {
		t.Errorf("function code after update: %+v", fn)
	}
	changes, _ = stack.Apply(ctx, s, c, nil)
	wantLines(t, "apply after the code change", changes, unchanged()...)
}

func checkCreated(t *testing.T, env *tarntest.Env, shards, memory int) {
	t.Helper()
	ctx := t.Context()
	sum, err := env.Kinesis().DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String("clicks")})
	if err != nil || aws.ToInt32(sum.StreamDescriptionSummary.OpenShardCount) != int32(shards) {
		t.Errorf("stream: %+v %v", sum, err)
	}
	tb, err := env.DynamoDB().DescribeTable(ctx, &dynamodb.DescribeTableInput{TableName: aws.String("orders")})
	if err != nil || tb.Table.LatestStreamArn == nil {
		t.Errorf("table: %v", err)
	}
	ttl, err := env.DynamoDB().DescribeTimeToLive(ctx, &dynamodb.DescribeTimeToLiveInput{TableName: aws.String("orders")})
	if err != nil || aws.ToString(ttl.TimeToLiveDescription.AttributeName) != "expires" {
		t.Errorf("ttl: %+v %v", ttl, err)
	}
	fn, err := env.Lambda().GetFunction(ctx, &lambda.GetFunctionInput{FunctionName: aws.String("enrich")})
	if err != nil || aws.ToInt32(fn.Configuration.MemorySize) != int32(memory) || fn.Configuration.Environment.Variables["MODE"] != "test" {
		t.Errorf("function: %v", err)
	}
	ds, err := env.Firehose().DescribeDeliveryStream(ctx, &firehose.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String("clicks-to-lake")})
	if err != nil || aws.ToString(ds.DeliveryStreamDescription.Destinations[0].ExtendedS3DestinationDescription.Prefix) != "stream/clicks/" {
		t.Errorf("delivery stream: %v", err)
	}
	ms, err := env.Lambda().ListEventSourceMappings(ctx, &lambda.ListEventSourceMappingsInput{FunctionName: aws.String("enrich")})
	if err != nil || len(ms.EventSourceMappings) != 2 {
		t.Errorf("mappings: %+v %v", ms, err)
	}
	nc, err := env.S3().GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String("shop-raw")})
	if err != nil || len(nc.LambdaFunctionConfigurations) != 1 || aws.ToString(nc.LambdaFunctionConfigurations[0].LambdaFunctionArn) != aws.ToString(fn.Configuration.FunctionArn) {
		t.Errorf("notification: %+v %v", nc, err)
	}
	cr, err := env.Glue().GetCrawler(ctx, &glue.GetCrawlerInput{Name: aws.String("shop-raw-crawler")})
	if err != nil || aws.ToString(cr.Crawler.DatabaseName) != "shop" {
		t.Errorf("crawler: %v", err)
	}
}

// TestApplyErrorNamesResource: an API error names the file, line, entry
// and resource, and Apply stops there.
func TestApplyErrorNamesResource(t *testing.T) {
	env := tarntest.Start(t)
	src := "buckets:\n  - name: ok-bucket\nfunctions:\n  - name: old\n    runtime: java8\n    handler: x.Handler\n    code: {zip: ./f.zip}\nstreams:\n  - name: after\n"
	dir := t.TempDir()
	zipped, err := stack.ZipDir(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "f.zip"), zipped, 0o644)
	s, err := stack.Parse(filepath.Join(dir, "tarn.yaml"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	changes, err := stack.Apply(t.Context(), s, stack.NewClients(env.AWSConfig()), nil)
	var re *stack.ResourceError
	if !errors.As(err, &re) || !strings.HasSuffix(re.File, "tarn.yaml") || re.Line != 4 ||
		!strings.Contains(err.Error(), "tarn.yaml:4: functions[0] old: InvalidParameterValueException: ") {
		t.Fatalf("got %v", err)
	}
	// Streams come before functions in apply order; the bucket too.
	wantLines(t, "before the error", changes, "+ create bucket ok-bucket", "+ create stream after")
}

// fakeDashboards is an in-memory DashboardAPI.
type fakeDashboards map[string]stack.Dashboard

func (f fakeDashboards) GetDashboard(_ context.Context, name string) (stack.Dashboard, bool, error) {
	d, ok := f[name]
	return d, ok, nil
}

func (f fakeDashboards) PutDashboard(_ context.Context, d stack.Dashboard) error {
	f[d.Name] = d
	return nil
}

// TestDashboards: without a DashboardAPI a dashboard is an error for that
// resource; with one it is created, then unchanged, then updated.
func TestDashboards(t *testing.T) {
	src := "dashboards:\n  - name: sales\n    tiles:\n      - {id: revenue, title: Revenue, sql: SELECT 1, chart: kpi}\n"
	s, err := stack.Parse("tarn.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	_, err = stack.Apply(t.Context(), s, stack.Clients{}, nil)
	if !errors.Is(err, stack.ErrNoDashboards) || err.Error() != "tarn.yaml:2: dashboards[0] sales: dashboards: no dashboards API (tarn's web UI) to apply them to" {
		t.Fatalf("got %v", err)
	}
	c := stack.Clients{Dashboards: fakeDashboards{}}
	for _, want := range []string{"+ create dashboard sales", "= dashboard sales (unchanged)"} {
		changes, err := stack.Apply(t.Context(), s, c, nil)
		if err != nil {
			t.Fatal(err)
		}
		wantLines(t, "dashboards", changes, want)
	}
	s, _ = stack.Parse("tarn.yaml", []byte(strings.Replace(src, "id: revenue", "id: sales", 1)))
	changes, err := stack.Apply(t.Context(), s, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantLines(t, "dashboards", changes, "~ update dashboard sales (tiles [revenue] → [sales])")
}

// TestApplyDefaultsAreStable: resources that leave every optional field
// out come back unchanged on the second apply (the defaults Apply assumes
// are the ones the APIs report).
func TestApplyDefaultsAreStable(t *testing.T) {
	env := tarntest.Start(t)
	dir := t.TempDir()
	os.MkdirAll(filepath.Join(dir, "fn"), 0o755)
	os.WriteFile(filepath.Join(dir, "fn", "bootstrap"), []byte("#!/bin/sh\nexit 0\n"), 0o755)
	src := `buckets: [{name: plain}]
streams: [{name: plain}]
tables:
  - name: plain
    attribute_definitions: [{attribute_name: pk, attribute_type: S}, {attribute_name: sk, attribute_type: N}]
    key_schema: [{attribute_name: pk, key_type: HASH}, {attribute_name: sk, key_type: RANGE}]
functions:
  - {name: plain, runtime: provided.al2023, code: {path: fn}}
databases: [{name: plain}]
glue_tables:
  - {database_name: plain, name: bare}
  - {database_name: plain, name: csv, format: csv, storage_descriptor: {columns: [{name: a, type: string}]}}
delivery_streams:
  - name: plain
    extended_s3_destination_configuration: {bucket: plain}
crawlers:
  - {name: plain, database_name: plain, targets: {s3_targets: [{path: "s3://plain/"}]}}
`
	s, err := stack.Parse(filepath.Join(dir, "tarn.yaml"), []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	c := stack.NewClients(env.AWSConfig())
	if _, err := stack.Apply(t.Context(), s, c, nil); err != nil {
		t.Fatal(err)
	}
	changes, err := stack.Apply(t.Context(), s, c, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, ch := range changes {
		if ch.Action != stack.Unchanged {
			t.Errorf("second apply: %s", ch)
		}
	}
	// A key schema change is reported and left alone.
	s, _ = stack.Parse(filepath.Join(dir, "tarn.yaml"), []byte(strings.Replace(src, ", {attribute_name: sk, key_type: RANGE}", "", 1)))
	changes, err = stack.Plan(t.Context(), s, c)
	if err != nil || changes[2].String() != "! table plain needs replace (key_schema); left as is" {
		t.Errorf("key change: %v %v", lines(changes), err)
	}
}
