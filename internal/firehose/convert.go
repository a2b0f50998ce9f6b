package firehose

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/tarnhq/tarn/internal/columnar"
)

// Data format conversion (JSON → Parquet). The schema comes from the Glue
// table named by SchemaConfiguration, through a SchemaSource; each flush
// parses its records against it, writes the ones that fit as one Parquet
// file through the columnar writer (DuckDB), and sends the others to the
// error prefix as format-conversion-failed.

const (
	errFormatConversionFailed = "format-conversion-failed"
	parquetExt                = ".parquet"
	codeMalformedData         = "DataFormatConversion.MalformedData"
)

// SchemaRef is a SchemaConfiguration: the Glue table whose columns are a
// conversion's schema.
type SchemaRef struct {
	CatalogID    string // "" means the caller's account
	Region       string // "" means the delivery stream's region
	DatabaseName string
	TableName    string
	VersionID    string // "LATEST" unless given
}

func (r SchemaRef) String() string { return r.DatabaseName + "." + r.TableName }

// SchemaSource resolves a SchemaRef to the table's columns. Platform will
// implement it with the Glue catalog; until the catalog exists it passes
// none, and data format conversion is refused at CreateDeliveryStream and
// UpdateDestination. Safe for concurrent use. An error wrapping
// ErrSchemaNotFound means there is no such table.
type SchemaSource interface {
	TableSchema(ctx context.Context, ref SchemaRef) (columnar.Schema, error)
}

// ErrSchemaNotFound is what a SchemaSource wraps when the table does not exist.
var ErrSchemaNotFound = errors.New("firehose: schema table not found")

// conversion is a compiled DataFormatConversionConfiguration.
type conversion struct {
	ref         SchemaRef
	compression columnar.Compression
	// Deserializer options: keys match columns case-insensitively unless
	// OpenXJsonSerDe.CaseInsensitive is false; mappings (column → JSON
	// key) and dots → underscores are OpenX's; millis is HiveJsonSerDe's
	// TimestampFormats ["millis"].
	caseSensitive bool
	mappings      map[string]string
	dots          bool
	millis        bool
}

func compileConversion(f *dataFormatConversion, field string) (*conversion, error) {
	sc, in, out := f.SchemaConfiguration, f.InputFormatConfiguration, f.OutputFormatConfiguration
	if sc == nil {
		return nil, errInvalid("SchemaConfiguration is required when DataFormatConversionConfiguration is enabled.")
	}
	if in == nil || in.Deserializer == nil {
		return nil, errInvalid("InputFormatConfiguration.Deserializer is required when DataFormatConversionConfiguration is enabled.")
	}
	if out == nil || out.Serializer == nil {
		return nil, errInvalid("OutputFormatConfiguration.Serializer is required when DataFormatConversionConfiguration is enabled.")
	}
	if sc.DatabaseName == "" || sc.TableName == "" {
		return nil, errInvalid("SchemaConfiguration requires DatabaseName and TableName.")
	}
	c := &conversion{ref: SchemaRef{CatalogID: sc.CatalogId, Region: sc.Region, DatabaseName: sc.DatabaseName,
		TableName: sc.TableName, VersionID: sc.VersionId}}
	if c.ref.VersionID == "" {
		c.ref.VersionID = "LATEST"
	}
	ds := in.Deserializer
	switch {
	case ds.OpenXJsonSerDe != nil && ds.HiveJsonSerDe != nil, ds.OpenXJsonSerDe == nil && ds.HiveJsonSerDe == nil:
		return nil, errInvalid("Exactly one of OpenXJsonSerDe and HiveJsonSerDe must be specified as the Deserializer.")
	case ds.OpenXJsonSerDe != nil:
		o := ds.OpenXJsonSerDe
		c.caseSensitive = o.CaseInsensitive != nil && !*o.CaseInsensitive
		c.dots = isTrue(o.ConvertDotsInJsonKeysToUnderscores)
		if len(o.ColumnToJsonKeyMappings) > 0 {
			c.mappings = map[string]string{}
			for col, key := range o.ColumnToJsonKeyMappings {
				c.mappings[strings.ToLower(col)] = key
			}
		}
	default:
		for _, tf := range ds.HiveJsonSerDe.TimestampFormats {
			if tf != "millis" {
				return nil, errUnsupported(fmt.Sprintf("HiveJsonSerDe TimestampFormats other than \"millis\" (%q)", tf))
			}
			c.millis = true
		}
	}
	se := out.Serializer
	if present(se.OrcSerDe) {
		return nil, errUnsupported("the ORC output format (OrcSerDe)")
	}
	p := se.ParquetSerDe
	if p == nil {
		return nil, errInvalid("OutputFormatConfiguration.Serializer must specify ParquetSerDe or OrcSerDe.")
	}
	switch p.Compression {
	case "", "SNAPPY":
		c.compression = columnar.Snappy
	case "GZIP":
		c.compression = columnar.Gzip
	case "UNCOMPRESSED":
		c.compression = columnar.Uncompressed
	default:
		return nil, errValidation(field+".outputFormatConfiguration.serializer.parquetSerDe.compression", p.Compression,
			"Member must satisfy enum value set: [UNCOMPRESSED, GZIP, SNAPPY]")
	}
	switch p.WriterVersion {
	case "", "V1":
	case "V2":
		return nil, errUnsupported("ParquetSerDe WriterVersion V2")
	default:
		return nil, errValidation(field+".outputFormatConfiguration.serializer.parquetSerDe.writerVersion", p.WriterVersion,
			"Member must satisfy enum value set: [V1, V2]")
	}
	if p.BlockSizeBytes != nil || p.PageSizeBytes != nil || p.MaxPaddingBytes != nil || p.EnableDictionaryCompression != nil {
		return nil, errUnsupported("ParquetSerDe BlockSizeBytes, PageSizeBytes, MaxPaddingBytes and EnableDictionaryCompression (DuckDB's defaults apply)")
	}
	return c, nil
}

// checkSchema resolves a new configuration's schema, so that a stream is
// never created (or updated) to convert against a table tarn cannot read.
func (s *Service) checkSchema(ctx context.Context, cfg *destConfig) error {
	if cfg.convert == nil {
		return nil
	}
	if s.schemas == nil {
		return errInvalid("tarn's Glue catalog is not available yet: DataFormatConversionConfiguration cannot read the schema of Glue table %s.", cfg.convert.ref)
	}
	ref := cfg.convert.ref
	if ref.Region == "" {
		ref.Region = s.regionOf(ctx)
	}
	_, err := s.resolveSchema(ctx, ref)
	if errors.Is(err, ErrSchemaNotFound) {
		return errInvalid("The Glue table %s in SchemaConfiguration does not exist.", cfg.convert.ref)
	}
	if err != nil {
		return errInvalid("SchemaConfiguration: the schema of Glue table %s cannot be used: %v", cfg.convert.ref, err)
	}
	return nil
}

func (s *Service) resolveSchema(ctx context.Context, ref SchemaRef) (columnar.Schema, error) {
	if s.schemas == nil {
		return nil, errors.New("firehose: no schema source (the Glue catalog is not available)")
	}
	sch, err := s.schemas.TableSchema(ctx, ref)
	if err != nil {
		return nil, err
	}
	if err := sch.Validate(); err != nil {
		return nil, err
	}
	return sch, nil
}

// parquetWriter is the service's columnar writer, opened on first use.
func (s *Service) parquetWriter() (*columnar.Writer, error) {
	s.colMu.Lock()
	defer s.colMu.Unlock()
	if s.col != nil {
		return s.col, nil
	}
	if s.colStopped {
		return nil, errStopped
	}
	if s.tmpDir == "" {
		dir, err := os.MkdirTemp("", "tarn-firehose-")
		if err != nil {
			return nil, err
		}
		s.tmpDir, s.ownTmp = dir, true
	} else if err := os.MkdirAll(s.tmpDir, 0o700); err != nil {
		return nil, err
	}
	w, err := columnar.New(s.tmpDir, columnar.Options{})
	if err != nil {
		return nil, err
	}
	s.col = w
	return w, nil
}

// converter turns the records of a flush into Parquet with one schema.
type converter struct {
	conv   *conversion
	schema columnar.Schema
	writer *columnar.Writer
	ctx    context.Context
}

// write converts recs: the ones that fit the schema (kept) into one
// Parquet file (nil when none fit), the others (failed) returned with
// the reason of each.
func (cv *converter) write(recs []record) (f *columnar.File, kept, failed []record, reasons []string, err error) {
	rows := make([][]any, 0, len(recs))
	for _, r := range recs {
		row, err := cv.conv.row(cv.schema, r.data)
		if err != nil {
			failed, reasons = append(failed, r), append(reasons, err.Error())
			continue
		}
		rows, kept = append(rows, row), append(kept, r)
	}
	if len(rows) == 0 {
		return nil, nil, failed, reasons, nil
	}
	if f, err = cv.writer.Write(cv.ctx, cv.schema, rows, cv.conv.compression); err != nil {
		return nil, nil, nil, nil, fmt.Errorf("write parquet: %w", err)
	}
	return f, kept, failed, reasons, nil
}

// row parses one record (a single JSON object) into the schema's columns.
// A missing key or JSON null is NULL; a value that does not convert to
// its column's type fails the record.
func (c *conversion) row(schema columnar.Schema, data []byte) ([]any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc map[string]any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("The record is not a valid JSON object: %v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("The record is not a valid JSON object: data after the object")
	}
	if doc == nil {
		return nil, errors.New("The record is not a valid JSON object: null")
	}
	keys := doc
	if !c.caseSensitive || c.dots {
		keys = make(map[string]any, len(doc))
		for k, v := range doc {
			if c.dots {
				k = strings.ReplaceAll(k, ".", "_")
			}
			if !c.caseSensitive {
				k = strings.ToLower(k)
			}
			if _, dup := keys[k]; !dup {
				keys[k] = v
			}
		}
	}
	out := make([]any, len(schema))
	for i, col := range schema {
		key := col.Name
		if m, ok := c.mappings[strings.ToLower(col.Name)]; ok {
			key = m
			if c.dots {
				key = strings.ReplaceAll(key, ".", "_")
			}
		}
		if !c.caseSensitive {
			key = strings.ToLower(key)
		}
		v, err := c.value(col.Type, keys[key])
		if err != nil {
			return nil, fmt.Errorf("column %s (%s): %v", col.Name, col.Type, err)
		}
		out[i] = v
	}
	return out, nil
}

var timestampLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999", "2006-01-02"}

func (c *conversion) value(t columnar.Type, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch t {
	case columnar.String:
		switch x := v.(type) {
		case string:
			return x, nil
		case json.Number:
			return x.String(), nil
		case bool:
			return strconv.FormatBool(x), nil
		default: // objects and arrays are kept as JSON text, as OpenX does
			b, err := json.Marshal(x)
			return string(b), err
		}
	case columnar.Int, columnar.BigInt:
		s, ok := numberText(v)
		if !ok {
			return nil, fmt.Errorf("%s is not an integer", describeValue(v))
		}
		bits := 64
		if t == columnar.Int {
			bits = 32
		}
		n, err := strconv.ParseInt(s, 10, bits)
		if err != nil {
			return nil, fmt.Errorf("%s is not a %d-bit integer", s, bits)
		}
		if t == columnar.Int {
			return int32(n), nil
		}
		return n, nil
	case columnar.Double:
		s, ok := numberText(v)
		if !ok {
			return nil, fmt.Errorf("%s is not a number", describeValue(v))
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, fmt.Errorf("%s is not a number", s)
		}
		return f, nil
	case columnar.Boolean:
		switch x := v.(type) {
		case bool:
			return x, nil
		case string:
			if b, err := strconv.ParseBool(strings.ToLower(x)); err == nil && (strings.EqualFold(x, "true") || strings.EqualFold(x, "false")) {
				return b, nil
			}
		}
		return nil, fmt.Errorf("%s is not a boolean", describeValue(v))
	case columnar.Timestamp:
		var ts time.Time
		switch x := v.(type) {
		case json.Number: // epoch seconds, or milliseconds with HiveJsonSerDe "millis"
			n, err := x.Int64()
			if err != nil {
				return nil, fmt.Errorf("%s is not an epoch timestamp", x)
			}
			if c.millis {
				ts = time.UnixMilli(n).UTC()
			} else {
				ts = time.Unix(n, 0).UTC()
			}
		case string:
			parsed := false
			for _, l := range timestampLayouts {
				if t, err := time.Parse(l, x); err == nil {
					ts, parsed = t.UTC(), true
					break
				}
			}
			if !parsed {
				return nil, fmt.Errorf("%q is not a timestamp (yyyy-MM-dd HH:mm:ss[.f], ISO 8601 or epoch seconds)", x)
			}
		default:
			return nil, fmt.Errorf("%s is not a timestamp", describeValue(v))
		}
		// Hive's range; it also keeps DuckDB's microsecond arithmetic
		// from overflowing, which would fail the whole file.
		if y := ts.Year(); y < 1 || y > 9999 {
			return nil, fmt.Errorf("%s is outside the timestamp range (years 1 to 9999)", describeValue(v))
		}
		return ts, nil
	case columnar.Date:
		if x, ok := v.(string); ok {
			if d, err := time.Parse("2006-01-02", x); err == nil {
				return d, nil
			}
			return nil, fmt.Errorf("%q is not a date (yyyy-MM-dd)", x)
		}
		return nil, fmt.Errorf("%s is not a date", describeValue(v))
	}
	return nil, fmt.Errorf("unsupported column type %v", t)
}

// numberText is the text of a JSON number, or of a string holding one.
func numberText(v any) (string, bool) {
	switch x := v.(type) {
	case json.Number:
		return x.String(), true
	case string:
		s := strings.TrimSpace(x)
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return s, true
		}
	}
	return "", false
}

func describeValue(v any) string {
	switch x := v.(type) {
	case string:
		return strconv.Quote(x)
	case json.Number:
		return x.String()
	case bool:
		return strconv.FormatBool(x)
	}
	return describe(v)
}
