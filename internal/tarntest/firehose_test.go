package tarntest

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	fhtypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

type fhObject struct {
	key  string
	body []byte
}

// fhWait lists bucket/prefix until at least n objects exist (or fails
// after 10 s) and returns them sorted by key. It polls on a ticker: the
// delivery happens on tarn's own goroutines.
func fhWait(t *testing.T, c *s3.Client, bucket, prefix string, n int) []fhObject {
	t.Helper()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(10 * time.Second)
	for {
		out, err := c.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String(bucket), Prefix: aws.String(prefix)})
		if err != nil {
			t.Fatal(err)
		}
		if len(out.Contents) >= n {
			var objs []fhObject
			for _, o := range out.Contents {
				g, err := c.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String(bucket), Key: o.Key})
				if err != nil {
					t.Fatal(err)
				}
				b, _ := io.ReadAll(g.Body)
				g.Body.Close()
				objs = append(objs, fhObject{*o.Key, b})
			}
			sort.Slice(objs, func(i, j int) bool { return objs[i].key < objs[j].key })
			return objs
		}
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("%s/%s: %d objects after 10s, want %d", bucket, prefix, len(out.Contents), n)
		}
	}
}

func fhBucket(t *testing.T, env *Env, name string) {
	t.Helper()
	if _, err := env.S3().CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
}

func fhDest(bucket string, interval, size int32) *fhtypes.ExtendedS3DestinationConfiguration {
	return &fhtypes.ExtendedS3DestinationConfiguration{
		BucketARN: aws.String("arn:aws:s3:::" + bucket), RoleARN: aws.String("arn:aws:iam::000000000000:role/firehose"),
		BufferingHints: &fhtypes.BufferingHints{IntervalInSeconds: aws.Int32(interval), SizeInMBs: aws.Int32(size)},
	}
}

func fhCreate(t *testing.T, c *firehose.Client, name string, d *fhtypes.ExtendedS3DestinationConfiguration) {
	t.Helper()
	if _, err := c.CreateDeliveryStream(t.Context(), &firehose.CreateDeliveryStreamInput{DeliveryStreamName: aws.String(name),
		ExtendedS3DestinationConfiguration: d}); err != nil {
		t.Fatal(err)
	}
}

func fhBatch(t *testing.T, c *firehose.Client, name string, datas ...string) {
	t.Helper()
	var recs []fhtypes.Record
	for _, d := range datas {
		recs = append(recs, fhtypes.Record{Data: []byte(d)})
	}
	out, err := c.PutRecordBatch(t.Context(), &firehose.PutRecordBatchInput{DeliveryStreamName: aws.String(name), Records: recs})
	if err != nil || *out.FailedPutCount != 0 || len(out.RequestResponses) != len(datas) {
		t.Fatalf("PutRecordBatch = %+v, %v", out, err)
	}
	for _, r := range out.RequestResponses {
		if r.RecordId == nil || r.ErrorCode != nil {
			t.Fatalf("PutRecordBatch entry %+v", r)
		}
	}
}

var fhKeyPattern = regexp.MustCompile(`^(\d{4})/(\d{2})/(\d{2})/(\d{2})/clicks-1-(\d{4})-(\d{2})-(\d{2})-(\d{2})-\d{2}-\d{2}-[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

// TestFirehoseDirectPutToLake: records become objects named as AWS names
// them, holding exactly the records' bytes concatenated.
func TestFirehoseDirectPutToLake(t *testing.T) {
	env := Start(t)
	fhBucket(t, env, "lake")
	c := env.Firehose()
	fhCreate(t, c, "clicks", fhDest("lake", 0, 1))
	d, err := c.DescribeDeliveryStream(t.Context(), &firehose.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String("clicks")})
	if err != nil {
		t.Fatal(err)
	}
	desc := d.DeliveryStreamDescription
	if desc.DeliveryStreamStatus != fhtypes.DeliveryStreamStatusActive || *desc.VersionId != "1" || desc.DeliveryStreamType != fhtypes.DeliveryStreamTypeDirectPut ||
		len(desc.Destinations) != 1 || *desc.Destinations[0].DestinationId != "destinationId-000000000001" ||
		*desc.DeliveryStreamARN != "arn:aws:firehose:us-east-1:000000000000:deliverystream/clicks" ||
		*desc.Destinations[0].ExtendedS3DestinationDescription.BufferingHints.SizeInMBs != 1 {
		t.Fatalf("Describe = %+v", desc)
	}
	before := time.Now().UTC()
	fhBatch(t, c, "clicks", `{"a":1}`, `{"b":2}`, "raw\n", "")
	objs := fhWait(t, env.S3(), "lake", "", 1)
	if len(objs) != 1 || string(objs[0].body) != `{"a":1}{"b":2}raw`+"\n" {
		t.Fatalf("objects = %q", objs)
	}
	m := fhKeyPattern.FindStringSubmatch(objs[0].key)
	if m == nil || m[1] != m[5] || m[2] != m[6] || m[3] != m[7] || m[4] != m[8] {
		t.Fatalf("key %q does not match AWS's naming", objs[0].key)
	}
	if hour := before.Format("2006/01/02/15/"); !strings.HasPrefix(objs[0].key, hour) && before.Minute() != 59 {
		t.Errorf("key %q not under %s", objs[0].key, hour)
	}
	if _, err := c.PutRecord(t.Context(), &firehose.PutRecordInput{DeliveryStreamName: aws.String("clicks"), Record: &fhtypes.Record{Data: []byte("second")}}); err != nil {
		t.Fatal(err)
	}
	objs = fhWait(t, env.S3(), "lake", "", 2)
	var all []string
	for _, o := range objs {
		all = append(all, string(o.body))
	}
	sort.Strings(all)
	if strings.Join(all, "|") != `second|{"a":1}{"b":2}raw`+"\n" {
		t.Fatalf("objects = %q", all)
	}
}

// TestFirehoseGzipAndCustomPrefix: GZIP objects with the .gz extension
// under a prefix with timestamp and random-string expressions.
func TestFirehoseGzipAndCustomPrefix(t *testing.T) {
	env := Start(t)
	fhBucket(t, env, "lake")
	c := env.Firehose()
	dest := fhDest("lake", 0, 5)
	dest.CompressionFormat = fhtypes.CompressionFormatGzip
	dest.Prefix = aws.String("events/!{timestamp:yyyy-MM-dd}/!{firehose:random-string}/")
	dest.ErrorOutputPrefix = aws.String("errors/!{firehose:error-output-type}/")
	fhCreate(t, c, "gz", dest)
	day := time.Now().UTC().Format("2006-01-02")
	payload := strings.Repeat("tarn-lake ", 1000)
	fhBatch(t, c, "gz", payload, "tail")
	objs := fhWait(t, env.S3(), "lake", "events/", 1)
	if !regexp.MustCompile(`^events/` + day + `/[a-z0-9]{11}/gz-1-` + strings.ReplaceAll(day, "/", "-") + `-\d{2}-\d{2}-\d{2}-[0-9a-f-]{36}\.gz$`).MatchString(objs[0].key) {
		t.Fatalf("key %q", objs[0].key)
	}
	zr, err := gzip.NewReader(bytes.NewReader(objs[0].body))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(zr)
	if string(got) != payload+"tail" || len(objs[0].body) >= len(got) {
		t.Fatalf("gunzipped %d bytes (object %d)", len(got), len(objs[0].body))
	}
}

// TestFirehoseKinesisSource: a Kinesis stream is delivered into the lake,
// and a Kinesis-sourced delivery stream refuses direct puts.
func TestFirehoseKinesisSource(t *testing.T) {
	env := Start(t)
	fhBucket(t, env, "lake")
	k := env.Kinesis()
	createStream(t, k, "src", 2)
	c := env.Firehose()
	_, err := c.CreateDeliveryStream(t.Context(), &firehose.CreateDeliveryStreamInput{
		DeliveryStreamName: aws.String("fromk"), DeliveryStreamType: fhtypes.DeliveryStreamTypeKinesisStreamAsSource,
		KinesisStreamSourceConfiguration: &fhtypes.KinesisStreamSourceConfiguration{
			KinesisStreamARN: aws.String("arn:aws:kinesis:us-east-1:000000000000:stream/src"), RoleARN: aws.String("arn:aws:iam::000000000000:role/r")},
		ExtendedS3DestinationConfiguration: fhDest("lake", 0, 5),
	})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]bool{}
	for i := range 40 {
		data := fmt.Sprintf("rec-%02d;", i)
		want[data] = true
		if _, err := k.PutRecord(t.Context(), &kinesis.PutRecordInput{StreamName: aws.String("src"), PartitionKey: aws.String(fmt.Sprint(i)), Data: []byte(data)}); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]bool{}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(10 * time.Second)
	for len(got) < len(want) {
		got = map[string]bool{}
		for _, o := range fhWait(t, env.S3(), "lake", "", 1) {
			for _, r := range strings.SplitAfter(string(o.body), ";") {
				if r != "" {
					got[r] = true
				}
			}
		}
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("delivered %d of %d records", len(got), len(want))
		}
	}
	for r := range got {
		if !want[r] {
			t.Fatalf("unexpected record %q", r)
		}
	}
	_, err = c.PutRecord(t.Context(), &firehose.PutRecordInput{DeliveryStreamName: aws.String("fromk"), Record: &fhtypes.Record{Data: []byte("x")}})
	if apiCode(err) != "InvalidArgumentException" {
		t.Fatalf("PutRecord on a Kinesis source = %v", err)
	}
}

// TestFirehoseRestartResumes: records buffered when the platform stops
// are delivered after a restart on the same data directory.
func TestFirehoseRestartResumes(t *testing.T) {
	dir := t.TempDir()
	env := Start(t, WithDataDir(dir))
	fhBucket(t, env, "lake")
	c := env.Firehose()
	fhCreate(t, c, "keep", fhDest("lake", 900, 128))
	fhBatch(t, c, "keep", "one,", "two,")
	if _, err := c.PutRecord(t.Context(), &firehose.PutRecordInput{DeliveryStreamName: aws.String("keep"), Record: &fhtypes.Record{Data: []byte("three")}}); err != nil {
		t.Fatal(err)
	}
	env.Stop(t)

	env = Start(t, WithDataDir(dir))
	c = env.Firehose()
	if out, _ := env.S3().ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String("lake")}); len(out.Contents) != 0 {
		t.Fatalf("delivered before the interval: %d objects", len(out.Contents))
	}
	_, err := c.UpdateDestination(t.Context(), &firehose.UpdateDestinationInput{DeliveryStreamName: aws.String("keep"),
		CurrentDeliveryStreamVersionId: aws.String("7"), DestinationId: aws.String("destinationId-000000000001"),
		ExtendedS3DestinationUpdate: &fhtypes.ExtendedS3DestinationUpdate{BufferingHints: &fhtypes.BufferingHints{IntervalInSeconds: aws.Int32(0)}}})
	if apiCode(err) != "ConcurrentModificationException" {
		t.Fatalf("UpdateDestination with a stale version = %v", err)
	}
	_, err = c.UpdateDestination(t.Context(), &firehose.UpdateDestinationInput{DeliveryStreamName: aws.String("keep"),
		CurrentDeliveryStreamVersionId: aws.String("1"), DestinationId: aws.String("destinationId-000000000001"),
		ExtendedS3DestinationUpdate: &fhtypes.ExtendedS3DestinationUpdate{Prefix: aws.String("after/"), BufferingHints: &fhtypes.BufferingHints{IntervalInSeconds: aws.Int32(0)}}})
	if err != nil {
		t.Fatal(err)
	}
	objs := fhWait(t, env.S3(), "lake", "after/", 1)
	if len(objs) != 1 || string(objs[0].body) != "one,two,three" || !strings.Contains(objs[0].key, "/keep-2-") {
		t.Fatalf("after restart: %q", objs)
	}
	d, err := c.DescribeDeliveryStream(t.Context(), &firehose.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String("keep")})
	if err != nil || *d.DeliveryStreamDescription.VersionId != "2" ||
		*d.DeliveryStreamDescription.Destinations[0].ExtendedS3DestinationDescription.BufferingHints.SizeInMBs != 128 {
		t.Fatalf("Describe after update = %+v, %v", d, err)
	}
}

// TestFirehoseLimitsAndErrors: PutRecordBatch limits, validation of
// configurations and refusal of what tarn does not implement.
func TestFirehoseLimitsAndErrors(t *testing.T) {
	env := Start(t)
	c := env.Firehose()
	ctx := t.Context()
	fhCreate(t, c, "lim", fhDest("lake", 900, 5))
	batch := func(n, size int) error {
		recs := make([]fhtypes.Record, n)
		for i := range recs {
			recs[i].Data = make([]byte, size)
		}
		_, err := c.PutRecordBatch(ctx, &firehose.PutRecordBatchInput{DeliveryStreamName: aws.String("lim"), Records: recs})
		return err
	}
	for _, tc := range []struct {
		name string
		err  error
		code string
	}{
		{"501 records", batch(501, 1), "ValidationException"},
		{"500 records", batch(500, 1), ""},
		{"5 x 1000 KiB", batch(5, 1000*1024), "InvalidArgumentException"},
		{"4 x 1000 KiB", batch(4, 1000*1024), ""},
		{"record over 1000 KiB", batch(1, 1000*1024+1), "ValidationException"},
		{"unknown stream", func() error {
			_, err := c.PutRecord(ctx, &firehose.PutRecordInput{DeliveryStreamName: aws.String("nope"), Record: &fhtypes.Record{Data: []byte("x")}})
			return err
		}(), "ResourceNotFoundException"},
		{"duplicate", func() error {
			_, err := c.CreateDeliveryStream(ctx, &firehose.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("lim"), ExtendedS3DestinationConfiguration: fhDest("lake", 1, 1)})
			return err
		}(), "ResourceInUseException"},
	} {
		if got := apiCode(tc.err); got != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, tc.err, tc.code)
		}
	}
	create := func(mod func(*fhtypes.ExtendedS3DestinationConfiguration)) error {
		d := fhDest("lake", 60, 5)
		mod(d)
		_, err := c.CreateDeliveryStream(ctx, &firehose.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("bad"), ExtendedS3DestinationConfiguration: d})
		return err
	}
	for _, tc := range []struct {
		name, code, msg string
		mod             func(*fhtypes.ExtendedS3DestinationConfiguration)
	}{
		{"size 129", "ValidationException", "128", func(d *fhtypes.ExtendedS3DestinationConfiguration) { d.BufferingHints.SizeInMBs = aws.Int32(129) }},
		{"interval 901", "ValidationException", "900", func(d *fhtypes.ExtendedS3DestinationConfiguration) {
			d.BufferingHints.IntervalInSeconds = aws.Int32(901)
		}},
		{"compression enum", "ValidationException", "enum value set", func(d *fhtypes.ExtendedS3DestinationConfiguration) {
			d.CompressionFormat = "SNAPPY"
		}},
		{"expressions without error prefix", "InvalidArgumentException", "ErrorOutputPrefix", func(d *fhtypes.ExtendedS3DestinationConfiguration) {
			d.Prefix = aws.String("x/!{timestamp:yyyy}/")
		}},
		{"error prefix without type", "InvalidArgumentException", "error-output-type", func(d *fhtypes.ExtendedS3DestinationConfiguration) {
			d.Prefix, d.ErrorOutputPrefix = aws.String("x/!{timestamp:yyyy}/"), aws.String("e/!{timestamp:yyyy}/")
		}},
		{"bad namespace", "InvalidArgumentException", "namespace", func(d *fhtypes.ExtendedS3DestinationConfiguration) {
			d.Prefix, d.ErrorOutputPrefix = aws.String("x/!{nope:yyyy}/"), aws.String("e/")
		}},
		{"parquet without schema", "InvalidArgumentException", "SchemaConfiguration is required", func(d *fhtypes.ExtendedS3DestinationConfiguration) {
			d.BufferingHints.SizeInMBs = aws.Int32(64)
			d.DataFormatConversionConfiguration = &fhtypes.DataFormatConversionConfiguration{Enabled: aws.Bool(true)}
		}},
		{"parquet with a small buffer", "InvalidArgumentException", "at least 64", func(d *fhtypes.ExtendedS3DestinationConfiguration) {
			d.DataFormatConversionConfiguration = &fhtypes.DataFormatConversionConfiguration{Enabled: aws.Bool(true)}
		}},
		{"parquet with no such Glue table", "InvalidArgumentException", "The Glue table web.clicks in SchemaConfiguration does not exist.", func(d *fhtypes.ExtendedS3DestinationConfiguration) {
			d.BufferingHints.SizeInMBs = aws.Int32(64)
			d.DataFormatConversionConfiguration = &fhtypes.DataFormatConversionConfiguration{Enabled: aws.Bool(true),
				SchemaConfiguration:       &fhtypes.SchemaConfiguration{DatabaseName: aws.String("web"), TableName: aws.String("clicks"), RoleARN: aws.String("arn:aws:iam::000000000000:role/r")},
				InputFormatConfiguration:  &fhtypes.InputFormatConfiguration{Deserializer: &fhtypes.Deserializer{OpenXJsonSerDe: &fhtypes.OpenXJsonSerDe{}}},
				OutputFormatConfiguration: &fhtypes.OutputFormatConfiguration{Serializer: &fhtypes.Serializer{ParquetSerDe: &fhtypes.ParquetSerDe{Compression: fhtypes.ParquetCompressionSnappy}}}}
		}},
		{"bucket arn", "InvalidArgumentException", "BucketARN", func(d *fhtypes.ExtendedS3DestinationConfiguration) { d.BucketARN = aws.String("lake") }},
	} {
		err := create(tc.mod)
		if apiCode(err) != tc.code || !strings.Contains(fmt.Sprint(err), tc.msg) {
			t.Errorf("%s: %v, want %s with %q", tc.name, err, tc.code, tc.msg)
		}
	}
	_, err := c.CreateDeliveryStream(ctx, &firehose.CreateDeliveryStreamInput{DeliveryStreamName: aws.String("bad"),
		RedshiftDestinationConfiguration: &fhtypes.RedshiftDestinationConfiguration{ClusterJDBCURL: aws.String("jdbc:x"), CopyCommand: &fhtypes.CopyCommand{DataTableName: aws.String("t")},
			RoleARN: aws.String("r"), S3Configuration: &fhtypes.S3DestinationConfiguration{BucketARN: aws.String("arn:aws:s3:::lake"), RoleARN: aws.String("r")}, Username: aws.String("u"), Password: aws.String("p")}})
	if apiCode(err) != "InvalidArgumentException" || !strings.Contains(err.Error(), "Redshift") {
		t.Errorf("Redshift destination: %v", err)
	}
	if _, err := c.ListTagsForDeliveryStream(ctx, &firehose.ListTagsForDeliveryStreamInput{DeliveryStreamName: aws.String("lim")}); apiCode(err) != "UnknownOperationException" {
		t.Errorf("ListTagsForDeliveryStream: %v", err)
	}
}

func TestFirehoseListAndDelete(t *testing.T) {
	env := Start(t)
	c := env.Firehose()
	ctx := t.Context()
	for _, n := range []string{"c", "a", "b"} {
		fhCreate(t, c, n, fhDest("lake", 60, 1))
	}
	out, err := c.ListDeliveryStreams(ctx, &firehose.ListDeliveryStreamsInput{Limit: aws.Int32(2)})
	if err != nil || strings.Join(out.DeliveryStreamNames, ",") != "a,b" || !*out.HasMoreDeliveryStreams {
		t.Fatalf("List = %+v, %v", out, err)
	}
	out, err = c.ListDeliveryStreams(ctx, &firehose.ListDeliveryStreamsInput{ExclusiveStartDeliveryStreamName: aws.String("b")})
	if err != nil || strings.Join(out.DeliveryStreamNames, ",") != "c" || *out.HasMoreDeliveryStreams {
		t.Fatalf("List after b = %+v, %v", out, err)
	}
	out, err = c.ListDeliveryStreams(ctx, &firehose.ListDeliveryStreamsInput{DeliveryStreamType: fhtypes.DeliveryStreamTypeKinesisStreamAsSource})
	if err != nil || len(out.DeliveryStreamNames) != 0 {
		t.Fatalf("List Kinesis sources = %+v, %v", out, err)
	}
	if _, err := c.DeleteDeliveryStream(ctx, &firehose.DeleteDeliveryStreamInput{DeliveryStreamName: aws.String("b")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.DescribeDeliveryStream(ctx, &firehose.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String("b")}); apiCode(err) != "ResourceNotFoundException" {
		t.Fatalf("Describe deleted = %v", err)
	}
	if _, err := c.DeleteDeliveryStream(ctx, &firehose.DeleteDeliveryStreamInput{DeliveryStreamName: aws.String("b")}); apiCode(err) != "ResourceNotFoundException" {
		t.Fatalf("Delete deleted = %v", err)
	}
}

// TestFirehoseDynamicPartitioning: records are partitioned by keys
// extracted with a MetadataExtractionQuery; a record without them goes to
// the error prefix as partitioning-failed.
func TestFirehoseDynamicPartitioning(t *testing.T) {
	env := Start(t)
	fhBucket(t, env, "lake")
	c := env.Firehose()
	dest := fhDest("lake", 0, 64)
	dest.Prefix = aws.String("dp/customer=!{partitionKeyFromQuery:customer}/dt=!{partitionKeyFromQuery:dt}/")
	dest.ErrorOutputPrefix = aws.String("dperr/!{firehose:error-output-type}/")
	dest.DynamicPartitioningConfiguration = &fhtypes.DynamicPartitioningConfiguration{Enabled: aws.Bool(true)}
	dest.ProcessingConfiguration = &fhtypes.ProcessingConfiguration{Enabled: aws.Bool(true), Processors: []fhtypes.Processor{{
		Type: fhtypes.ProcessorTypeMetadataExtraction, Parameters: []fhtypes.ProcessorParameter{
			{ParameterName: fhtypes.ProcessorParameterNameMetadataExtractionQuery, ParameterValue: aws.String("{customer: .customer.id, dt: .ts[0:10]}")},
			{ParameterName: fhtypes.ProcessorParameterNameJsonParsingEngine, ParameterValue: aws.String("JQ-1.6")}}}}}
	fhCreate(t, c, "dp", dest)
	fhBatch(t, c, "dp", `{"customer":{"id":"a"},"ts":"2024-01-02T03:04:05Z"}`, `{"customer":{"id":"b"},"ts":"2024-01-03T00:00:00Z"}`,
		`{"customer":{"id":"a"},"ts":"2024-01-02T09:00:00Z"}`, `not json`)
	objs := fhWait(t, env.S3(), "lake", "dp/", 2)
	if len(objs) != 2 || !strings.HasPrefix(objs[0].key, "dp/customer=a/dt=2024-01-02/dp-1-") || !strings.HasPrefix(objs[1].key, "dp/customer=b/dt=2024-01-03/dp-1-") ||
		string(objs[0].body) != `{"customer":{"id":"a"},"ts":"2024-01-02T03:04:05Z"}{"customer":{"id":"a"},"ts":"2024-01-02T09:00:00Z"}` {
		t.Fatalf("partitions = %q", objs)
	}
	errs := fhWait(t, env.S3(), "lake", "dperr/partitioning-failed/", 1)
	if !strings.Contains(string(errs[0].body), `"rawData":"bm90IGpzb24="`) {
		t.Fatalf("error object = %q", errs[0].body)
	}
}
