package stack

import (
	"context"
	"maps"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gtypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
)

func (db *Database) input() *gtypes.DatabaseInput {
	return &gtypes.DatabaseInput{Name: aws.String(db.Name), Description: optional(db.Description),
		LocationUri: optional(db.LocationURI), Parameters: db.Parameters}
}

func (db *Database) plan(ctx context.Context, e *env) (step, error) {
	out, err := e.c.Glue.GetDatabase(ctx, &glue.GetDatabaseInput{Name: aws.String(db.Name)})
	if isNotFound(err) {
		return step{change: Change{Action: Create}, do: func(ctx context.Context) error {
			_, err := e.c.Glue.CreateDatabase(ctx, &glue.CreateDatabaseInput{DatabaseInput: db.input()})
			return err
		}}, nil
	}
	if err != nil {
		return step{}, err
	}
	h := out.Database
	var d diff
	d.str("description", aws.ToString(h.Description), db.Description)
	d.str("location_uri", aws.ToString(h.LocationUri), db.LocationURI)
	if !maps.Equal(h.Parameters, db.Parameters) {
		d = append(d, FieldChange{"parameters", envString(h.Parameters), envString(db.Parameters)})
	}
	return updateOrSame(d, func(ctx context.Context) error {
		_, err := e.c.Glue.UpdateDatabase(ctx, &glue.UpdateDatabaseInput{Name: aws.String(db.Name), DatabaseInput: db.input()})
		return err
	}), nil
}

// Hive's class names for the formats of GlueTable.Format, as Athena's
// CREATE TABLE and Glue's crawlers write them.
const (
	textInput      = "org.apache.hadoop.mapred.TextInputFormat"
	textOutput     = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
	parquetInput   = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
	parquetOutput  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
	parquetSerDe   = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
	openXJSONSerDe = "org.openx.data.jsonserde.JsonSerDe"
	lazySerDe      = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
)

// formats are the storage each GlueTable.Format stands for.
var formats = map[string]struct {
	in, out, serde string
	params         map[string]string
}{
	"parquet": {parquetInput, parquetOutput, parquetSerDe, map[string]string{"serialization.format": "1"}},
	"json":    {textInput, textOutput, openXJSONSerDe, map[string]string{"serialization.format": "1"}},
	"csv":     {textInput, textOutput, lazySerDe, map[string]string{"field.delim": ",", "serialization.format": ","}},
}

func columns(cs []GlueColumn) []gtypes.Column {
	if cs == nil {
		return nil
	}
	out := make([]gtypes.Column, len(cs))
	for i, c := range cs {
		out[i] = gtypes.Column{Name: aws.String(c.Name), Type: aws.String(c.Type), Comment: optional(c.Comment)}
	}
	return out
}

func columnsString(cs []gtypes.Column) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = aws.ToString(c.Name) + " " + aws.ToString(c.Type)
		if c.Comment != nil && *c.Comment != "" {
			parts[i] += " '" + *c.Comment + "'"
		}
	}
	return strings.Join(parts, ", ")
}

// input is the TableInput the file stands for, format's defaults filled
// in: CreateTable and UpdateTable send it, and the diff compares with it.
func (t *GlueTable) input() *gtypes.TableInput {
	in := &gtypes.TableInput{Name: aws.String(t.Name), Description: optional(t.Description),
		TableType: aws.String(or(t.TableType, "EXTERNAL_TABLE")), Parameters: t.Parameters, PartitionKeys: columns(t.PartitionKeys)}
	f, hasFormat := formats[t.Format]
	if hasFormat {
		if _, ok := t.Parameters["classification"]; !ok {
			in.Parameters = maps.Clone(t.Parameters)
			if in.Parameters == nil {
				in.Parameters = map[string]string{}
			}
			in.Parameters["classification"] = t.Format
		}
	}
	sd := t.StorageDescriptor
	if sd == nil && !hasFormat {
		return in
	}
	if sd == nil {
		sd = &GlueStorageDescriptor{}
	}
	out := &gtypes.StorageDescriptor{Columns: columns(sd.Columns), Location: optional(sd.Location),
		InputFormat: optional(sd.InputFormat), OutputFormat: optional(sd.OutputFormat)}
	if sd.SerdeInfo != nil {
		out.SerdeInfo = &gtypes.SerDeInfo{SerializationLibrary: optional(sd.SerdeInfo.SerializationLibrary), Parameters: sd.SerdeInfo.Parameters}
	}
	if hasFormat {
		if out.InputFormat == nil {
			out.InputFormat = aws.String(f.in)
		}
		if out.OutputFormat == nil {
			out.OutputFormat = aws.String(f.out)
		}
		if out.SerdeInfo == nil {
			out.SerdeInfo = &gtypes.SerDeInfo{SerializationLibrary: aws.String(f.serde), Parameters: maps.Clone(f.params)}
		}
	}
	in.StorageDescriptor = out
	return in
}

func (t *GlueTable) plan(ctx context.Context, e *env) (step, error) {
	want := t.input()
	out, err := e.c.Glue.GetTable(ctx, &glue.GetTableInput{DatabaseName: aws.String(t.DatabaseName), Name: aws.String(t.Name)})
	if isNotFound(err) {
		return step{change: Change{Action: Create}, do: func(ctx context.Context) error {
			_, err := e.c.Glue.CreateTable(ctx, &glue.CreateTableInput{DatabaseName: aws.String(t.DatabaseName), TableInput: want})
			return err
		}}, nil
	}
	if err != nil {
		return step{}, err
	}
	h := out.Table
	var d diff
	d.str("description", aws.ToString(h.Description), aws.ToString(want.Description))
	d.str("table_type", aws.ToString(h.TableType), aws.ToString(want.TableType))
	if !maps.Equal(h.Parameters, want.Parameters) {
		d = append(d, FieldChange{"parameters", envString(h.Parameters), envString(want.Parameters)})
	}
	d.str("partition_keys", columnsString(h.PartitionKeys), columnsString(want.PartitionKeys))
	hsd, wsd := h.StorageDescriptor, want.StorageDescriptor
	if hsd == nil {
		hsd = &gtypes.StorageDescriptor{}
	}
	if wsd == nil {
		wsd = &gtypes.StorageDescriptor{}
	}
	const p = "storage_descriptor."
	d.str(p+"columns", columnsString(hsd.Columns), columnsString(wsd.Columns))
	d.str(p+"location", aws.ToString(hsd.Location), aws.ToString(wsd.Location))
	d.str(p+"input_format", aws.ToString(hsd.InputFormat), aws.ToString(wsd.InputFormat))
	d.str(p+"output_format", aws.ToString(hsd.OutputFormat), aws.ToString(wsd.OutputFormat))
	hs, ws := hsd.SerdeInfo, wsd.SerdeInfo
	if hs == nil {
		hs = &gtypes.SerDeInfo{}
	}
	if ws == nil {
		ws = &gtypes.SerDeInfo{}
	}
	d.str(p+"serde_info.serialization_library", aws.ToString(hs.SerializationLibrary), aws.ToString(ws.SerializationLibrary))
	if !maps.Equal(hs.Parameters, ws.Parameters) {
		d = append(d, FieldChange{p + "serde_info.parameters", envString(hs.Parameters), envString(ws.Parameters)})
	}
	return updateOrSame(d, func(ctx context.Context) error {
		_, err := e.c.Glue.UpdateTable(ctx, &glue.UpdateTableInput{DatabaseName: aws.String(t.DatabaseName), TableInput: want})
		return err
	}), nil
}
