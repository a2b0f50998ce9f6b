package stack

import (
	"maps"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// TestGlueTableFormat: format fills the storage Athena and Glue give that
// format, adds classification, and gives way to what the file names.
func TestGlueTableFormat(t *testing.T) {
	src := `glue_tables:
  - {database_name: shop, name: a, format: parquet, storage_descriptor: {columns: [{name: id, type: string}]}}
  - {database_name: shop, name: b, format: csv, parameters: {classification: custom}}
  - database_name: shop
    name: c
    format: json
    storage_descriptor: {serde_info: {serialization_library: org.apache.hive.hcatalog.data.JsonSerDe}}
  - {database_name: shop, name: d, table_type: VIRTUAL_VIEW}
`
	s, err := Parse("tarn.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	a := s.GlueTables[0].input()
	if sd := a.StorageDescriptor; aws.ToString(sd.InputFormat) != parquetInput || aws.ToString(sd.OutputFormat) != parquetOutput ||
		aws.ToString(sd.SerdeInfo.SerializationLibrary) != parquetSerDe || columnsString(sd.Columns) != "id string" ||
		a.Parameters["classification"] != "parquet" || aws.ToString(a.TableType) != "EXTERNAL_TABLE" {
		t.Errorf("parquet: %+v %+v", a, a.StorageDescriptor)
	}
	b := s.GlueTables[1].input()
	if sd := b.StorageDescriptor; aws.ToString(sd.SerdeInfo.SerializationLibrary) != lazySerDe || sd.SerdeInfo.Parameters["field.delim"] != "," ||
		b.Parameters["classification"] != "custom" || aws.ToString(sd.InputFormat) != textInput {
		t.Errorf("csv: %+v %+v", b, sd)
	}
	if s.GlueTables[1].Parameters["classification"] != "custom" || len(s.GlueTables[0].Parameters) != 0 {
		t.Errorf("input() changed the parsed table: %v", s.GlueTables[0].Parameters)
	}
	c := s.GlueTables[2].input()
	if sd := c.StorageDescriptor; aws.ToString(sd.SerdeInfo.SerializationLibrary) != "org.apache.hive.hcatalog.data.JsonSerDe" ||
		aws.ToString(sd.InputFormat) != textInput {
		t.Errorf("json with its own serde: %+v", sd)
	}
	d := s.GlueTables[3].input()
	if d.StorageDescriptor != nil || aws.ToString(d.TableType) != "VIRTUAL_VIEW" || d.Parameters != nil {
		t.Errorf("no format: %+v", d)
	}
	// The shared defaults are not handed out for callers to change.
	c2 := s.GlueTables[1].input()
	c2.StorageDescriptor.SerdeInfo.Parameters["field.delim"] = "|"
	if !maps.Equal(formats["csv"].params, map[string]string{"field.delim": ",", "serialization.format": ","}) {
		t.Errorf("formats changed: %v", formats["csv"].params)
	}
}

// TestDeliveryRecordOptions: the defaults and renderings the delivery
// stream diff compares.
func TestDeliveryRecordOptions(t *testing.T) {
	src := `delivery_streams:
  - name: dp
    extended_s3_destination_configuration:
      bucket: lake
      prefix: "dt=!{partitionKeyFromQuery:dt}/"
      buffering_hints: {interval_in_seconds: 0}
      dynamic_partitioning_configuration: {}
      processing_configuration:
        processors:
          - type: MetadataExtraction
            parameters: [{parameter_name: MetadataExtractionQuery, parameter_value: "{dt: .dt}"}, {parameter_name: JsonParsingEngine, parameter_value: JQ-1.6}]
  - name: plain
    extended_s3_destination_configuration:
      bucket: lake
      dynamic_partitioning_configuration: {enabled: false, retry_options: {duration_in_seconds: 60}}
      processing_configuration: {enabled: false}
`
	s, err := Parse("tarn.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	dp, plain := s.DeliveryStreams[0].ExtendedS3DestinationConfiguration, s.DeliveryStreams[1].ExtendedS3DestinationConfiguration
	if h := dp.hints(); *h.SizeInMBs != 128 || *h.IntervalInSeconds != 0 {
		t.Errorf("dp hints: %d %d", *h.SizeInMBs, *h.IntervalInSeconds)
	}
	if h := plain.hints(); *h.SizeInMBs != 5 || *h.IntervalInSeconds != 300 {
		t.Errorf("plain hints: %d %d", *h.SizeInMBs, *h.IntervalInSeconds)
	}
	if got := partitioningString(dp.partitioning()); got != "on, retry 300s" {
		t.Errorf("dp: %s", got)
	}
	if got := partitioningString(plain.partitioning()); got != "off" || aws.ToBool(plain.partitioning().Enabled) {
		t.Errorf("plain: %s", got)
	}
	if got := processingString(dp.processing()); got != "MetadataExtraction(MetadataExtractionQuery={dt: .dt}, JsonParsingEngine=JQ-1.6)" {
		t.Errorf("processing: %s", got)
	}
	if got := processingString(plain.processing()); got != "off" {
		t.Errorf("plain processing: %s", got)
	}
	if processingString(nil) != "off" || partitioningString(nil) != "off" {
		t.Error("nil configurations are not off")
	}
}
