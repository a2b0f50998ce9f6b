package firehose

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
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"github.com/tarnhq/tarn/internal/columnar"
	"github.com/tarnhq/tarn/internal/kv"
)

// inlineSchemas is the test-only SchemaSource: tables given inline, until
// the Glue catalog exists.
type inlineSchemas map[string]columnar.Schema

func (m inlineSchemas) TableSchema(ctx context.Context, ref SchemaRef) (columnar.Schema, error) {
	s, ok := m[ref.DatabaseName+"."+ref.TableName]
	if !ok {
		return nil, fmt.Errorf("%s: %w", ref, ErrSchemaNotFound)
	}
	return s, nil
}

var clickSchema = columnar.Schema{
	{Name: "user", Type: columnar.String}, {Name: "n", Type: columnar.Int}, {Name: "big", Type: columnar.BigInt},
	{Name: "price", Type: columnar.Double}, {Name: "ok", Type: columnar.Boolean},
	{Name: "ts", Type: columnar.Timestamp}, {Name: "day", Type: columnar.Date},
}

func convService(t *testing.T, schemas SchemaSource) (*Service, *memLake) {
	t.Helper()
	db, err := kv.Open(t.TempDir(), kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	lake := &memLake{objs: map[string]string{}, put: make(chan string, 100)}
	s, err := New(Options{DB: db, Meta: db.Space("firehose/"), Lake: lake, Clock: newFakeClock(), Schemas: schemas,
		TempDir: filepath.Join(t.TempDir(), "stage")})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(t.Context()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop(context.Background()) })
	return s, lake
}

func convDest(compression string) *s3Config {
	zero, size := 0, 64
	return &s3Config{RoleARN: "arn:aws:iam::000000000000:role/r", BucketARN: "arn:aws:s3:::lake",
		Prefix: ptr("data/"), ErrorOutputPrefix: ptr("errors/!{firehose:error-output-type}/"),
		BufferingHints: &bufferingHints{SizeInMBs: &size, IntervalInSeconds: &zero},
		DataFormatConversionConfiguration: &dataFormatConversion{Enabled: ptr(true),
			SchemaConfiguration:       &schemaConfig{DatabaseName: "web", TableName: "clicks", RoleARN: "arn:aws:iam::000000000000:role/r"},
			InputFormatConfiguration:  &inputFormat{Deserializer: &deserializer{OpenXJsonSerDe: &openXJSONSerDe{}}},
			OutputFormatConfiguration: &outputFormat{Serializer: &serializer{ParquetSerDe: &parquetSerDe{Compression: compression}}}}}
}

func ptr[T any](v T) *T { return &v }

// TestConversionToLake: good records become one Parquet object with the
// .parquet extension, readable with read_parquet; records that do not fit
// the schema go to the error prefix as format-conversion-failed, raw data
// in base64, none lost.
func TestConversionToLake(t *testing.T) {
	s, lake := convService(t, inlineSchemas{"web.clicks": clickSchema})
	if _, err := s.createDeliveryStream(t.Context(), &createInput{DeliveryStreamName: "pq", ExtendedS3DestinationConfiguration: convDest("GZIP")}); err != nil {
		t.Fatal(err)
	}
	good := []string{
		`{"user":"ann","n":1,"big":9007199254740993,"price":2.5,"ok":true,"ts":"2024-05-06T07:08:09.123Z","day":"2024-05-06"}`,
		`{"USER":"bob","n":"2","price":3,"ok":"false","ts":1715000000,"extra":{"x":1}}`, // case-insensitive keys, missing columns NULL
		`{"user":{"nested":[1,2]},"n":null}`,
	}
	bad := []string{`not json`, `{"user":"x","n":1.5}`, `{"n":3000000000}`, `{"ok":"yes"}`, `{"day":"06/05/2024"}`, `[1,2]`, `{"a":1} {"b":2}`}
	put(t, s, "pq", append(append([]string{}, good...), bad...)...)
	var dataKey, errKey string
	for range 2 {
		k := <-lake.put
		if strings.HasPrefix(k, "lake/data/") {
			dataKey = k
		} else {
			errKey = k
		}
	}
	if !strings.HasPrefix(dataKey, "lake/data/2024/05/06/07/pq-1-2024-05-06-07-08-09-") || !strings.HasSuffix(dataKey, ".parquet") {
		t.Fatalf("data object %q", dataKey)
	}
	if !strings.HasPrefix(errKey, "lake/errors/format-conversion-failed/pq-1-") || strings.HasSuffix(errKey, ".parquet") {
		t.Fatalf("error object %q", errKey)
	}
	path := filepath.Join(t.TempDir(), "x.parquet")
	if err := os.WriteFile(path, []byte(lake.get(dataKey)), 0o600); err != nil {
		t.Fatal(err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(`SELECT coalesce("user",'∅'), coalesce(n::VARCHAR,'∅'), coalesce(big::VARCHAR,'∅'), coalesce(price::VARCHAR,'∅'),
		coalesce(ok::VARCHAR,'∅'), coalesce(strftime(ts, '%Y-%m-%dT%H:%M:%S.%g'),'∅'), coalesce(day::VARCHAR,'∅') FROM read_parquet('` + path + `')`)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for rows.Next() {
		v := make([]string, 7)
		if err := rows.Scan(&v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]); err != nil {
			t.Fatal(err)
		}
		got = append(got, strings.Join(v, "|"))
	}
	want := []string{
		"ann|1|9007199254740993|2.5|true|2024-05-06T07:08:09.123|2024-05-06",
		"bob|2|∅|3.0|false|2024-05-06T12:53:20.000|∅",
		`{"nested":[1,2]}|∅|∅|∅|∅|∅|∅`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("parquet rows:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var codec string
	if err := db.QueryRow(`SELECT compression FROM parquet_metadata('` + path + `') LIMIT 1`).Scan(&codec); err != nil || codec != "GZIP" {
		t.Fatalf("codec %q, %v", codec, err)
	}
	lines := strings.Split(strings.TrimSuffix(lake.get(errKey), "\n"), "\n")
	if len(lines) != len(bad) {
		t.Fatalf("%d error lines, want %d:\n%s", len(lines), len(bad), lake.get(errKey))
	}
	for i, l := range lines {
		var e struct {
			ErrorCode, ErrorMessage, RawData string
		}
		if err := json.Unmarshal([]byte(l), &e); err != nil {
			t.Fatal(err)
		}
		raw, _ := base64.StdEncoding.DecodeString(e.RawData)
		if string(raw) != bad[i] || e.ErrorCode != codeMalformedData || e.ErrorMessage == "" {
			t.Errorf("error line %d = %s", i, l)
		}
	}
	expectNoObject(t, lake)
	// Everything was acknowledged and the staging directory is empty.
	if d := s.streams["us-east-1/pq"]; d == nil || len(d.buf.recs) != 0 {
		t.Fatalf("buffer after delivery: %+v", d)
	}
	if ents, _ := os.ReadDir(s.tmpDir); len(ents) > 1 {
		t.Fatalf("staged files left: %v", ents)
	}
}

// TestConversionAllBad: a flush in which no record fits writes only the
// error object.
func TestConversionAllBad(t *testing.T) {
	s, lake := convService(t, inlineSchemas{"web.clicks": clickSchema})
	if _, err := s.createDeliveryStream(t.Context(), &createInput{DeliveryStreamName: "pq", ExtendedS3DestinationConfiguration: convDest("")}); err != nil {
		t.Fatal(err)
	}
	put(t, s, "pq", "{", `{"n":"x"}`)
	if k := <-lake.put; !strings.Contains(k, "/format-conversion-failed/") || strings.Count(lake.get(k), "\n") != 2 {
		t.Fatalf("object %s = %q", k, lake.get(k))
	}
}

func TestConversionValidation(t *testing.T) {
	s, _ := convService(t, inlineSchemas{"web.clicks": clickSchema})
	noCatalog, _ := convService(t, nil)
	for _, tc := range []struct {
		name string
		svc  *Service
		mod  func(c *s3Config)
		msg  string
	}{
		{"no catalog", noCatalog, func(c *s3Config) {}, "tarn's Glue catalog is not available yet"},
		{"no table", s, func(c *s3Config) { c.DataFormatConversionConfiguration.SchemaConfiguration.TableName = "nope" }, "does not exist"},
		{"no schema", s, func(c *s3Config) { c.DataFormatConversionConfiguration.SchemaConfiguration = nil }, "SchemaConfiguration is required"},
		{"gzip", s, func(c *s3Config) { c.CompressionFormat = "GZIP" }, errConvertCompressed},
		{"snappy before the buffer size", s, func(c *s3Config) { c.CompressionFormat, c.BufferingHints.SizeInMBs = "Snappy", ptr(5) }, errConvertCompressed},
		{"uncompressed is fine", s, func(c *s3Config) { c.CompressionFormat = "UNCOMPRESSED"; c.BufferingHints.SizeInMBs = ptr(5) }, "at least 64"},
		{"small buffer", s, func(c *s3Config) { c.BufferingHints.SizeInMBs = ptr(5) }, "at least 64"},
		{"orc", s, func(c *s3Config) {
			c.DataFormatConversionConfiguration.OutputFormatConfiguration.Serializer = &serializer{OrcSerDe: json.RawMessage(`{}`)}
		}, "ORC"},
		{"two serdes", s, func(c *s3Config) {
			c.DataFormatConversionConfiguration.InputFormatConfiguration.Deserializer.HiveJsonSerDe = &hiveJSONSerDe{}
		}, "Exactly one"},
		{"compression", s, func(c *s3Config) {
			c.DataFormatConversionConfiguration.OutputFormatConfiguration.Serializer.ParquetSerDe.Compression = "LZO"
		}, "enum"},
		{"block size", s, func(c *s3Config) {
			c.DataFormatConversionConfiguration.OutputFormatConfiguration.Serializer.ParquetSerDe.BlockSizeBytes = ptr(1 << 28)
		}, "tarn does not support"},
		{"joda", s, func(c *s3Config) {
			c.DataFormatConversionConfiguration.InputFormatConfiguration.Deserializer = &deserializer{HiveJsonSerDe: &hiveJSONSerDe{TimestampFormats: []string{"yyyy"}}}
		}, "tarn does not support"},
	} {
		c := convDest("SNAPPY")
		tc.mod(c)
		_, err := tc.svc.createDeliveryStream(t.Context(), &createInput{DeliveryStreamName: "v", ExtendedS3DestinationConfiguration: c})
		if err == nil || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.msg)
		}
	}
	// Disabled conversion is accepted and stored, and writes raw records.
	c := convDest("")
	c.DataFormatConversionConfiguration.Enabled = ptr(false)
	if _, err := noCatalog.createDeliveryStream(t.Context(), &createInput{DeliveryStreamName: "off", ExtendedS3DestinationConfiguration: c}); err != nil {
		t.Fatal(err)
	}
}

func TestConversionRow(t *testing.T) {
	schema := columnar.Schema{{Name: "a_b", Type: columnar.String}, {Name: "Col", Type: columnar.BigInt}, {Name: "t", Type: columnar.Timestamp}}
	ts := time.UnixMilli(1715000000123).UTC()
	for _, tc := range []struct {
		conv conversion
		in   string
		want string
	}{
		{conversion{}, `{"a_b":"x","col":5,"t":"2024-05-06 12:53:20.123"}`, "[x 5 " + ts.String() + "]"},
		{conversion{caseSensitive: true}, `{"a_b":"x","col":5}`, "[x <nil> <nil>]"},
		{conversion{dots: true}, `{"a.b":"x"}`, "[x <nil> <nil>]"},
		{conversion{mappings: map[string]string{"col": "the.key"}}, `{"the.key":7}`, "[<nil> 7 <nil>]"},
		{conversion{millis: true}, `{"t":1715000000123}`, "[<nil> <nil> " + ts.String() + "]"},
		{conversion{}, `{"col":1e3}`, "error"},
		{conversion{}, `{"t":"yesterday"}`, "error"},
		{conversion{}, `null`, "error"},
		{conversion{}, `{"t":9000000000000000000}`, "error"},
		{conversion{millis: true}, `{"t":-9000000000000000000}`, "error"},
	} {
		row, err := tc.conv.row(schema, []byte(tc.in))
		got := fmt.Sprint(row)
		if err != nil {
			got = "error"
		}
		if got != tc.want {
			t.Errorf("%+v row(%s) = %s (%v), want %s", tc.conv, tc.in, got, err, tc.want)
		}
	}
}
