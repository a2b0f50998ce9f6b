package catalog

import (
	"strconv"
	"strings"
)

// Storage formats as Athena, Spark and Glue's crawler write them.
const (
	TextInputFormat       = "org.apache.hadoop.mapred.TextInputFormat"
	TextOutputFormat      = "org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat"
	ParquetInputFormat    = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
	ParquetOutputFormat   = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"
	ParquetSerDe          = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
	LazySimpleSerDe       = "org.apache.hadoop.hive.serde2.lazy.LazySimpleSerDe"
	OpenCSVSerDe          = "org.apache.hadoop.hive.serde2.OpenCSVSerde"
	OpenXJSONSerDe        = "org.openx.data.jsonserde.JsonSerDe"
	HiveJSONSerDe         = "org.apache.hive.hcatalog.data.JsonSerDe"
	paramUpdatedByCrawler = "UPDATED_BY_CRAWLER"
	paramDeprecated       = "DEPRECATED_BY_CRAWLER"
)

// storageFor is the StorageDescriptor of inferred data at location.
func storageFor(location string, ns *nodeSchema, drop map[string]bool, crawler string) *StorageDescriptor {
	sd := &StorageDescriptor{Location: location, Compressed: ns.compression != "none", NumberOfBuckets: -1,
		Parameters: paramsFor(ns, crawler)}
	for _, c := range ns.cols {
		if !drop[strings.ToLower(c.name)] {
			sd.Columns = append(sd.Columns, Column{Name: c.name, Type: c.t.String()})
		}
	}
	switch ns.format {
	case "parquet":
		sd.InputFormat, sd.OutputFormat = ParquetInputFormat, ParquetOutputFormat
		sd.SerdeInfo = &SerDeInfo{SerializationLibrary: ParquetSerDe, Parameters: map[string]string{"serialization.format": "1"}}
	case "json":
		sd.InputFormat, sd.OutputFormat = TextInputFormat, TextOutputFormat
		sd.SerdeInfo = &SerDeInfo{SerializationLibrary: OpenXJSONSerDe, Parameters: map[string]string{"paths": strings.Join(ns.jsonPaths, ",")}}
	case "csv":
		sd.InputFormat, sd.OutputFormat = TextInputFormat, TextOutputFormat
		d := string(ns.csv.delim)
		if ns.csv.quoted {
			sd.SerdeInfo = &SerDeInfo{SerializationLibrary: OpenCSVSerDe,
				Parameters: map[string]string{"separatorChar": d, "quoteChar": `"`, "escapeChar": `\`}}
		} else {
			sd.SerdeInfo = &SerDeInfo{SerializationLibrary: LazySimpleSerDe, Parameters: map[string]string{"field.delim": d}}
		}
	}
	return sd
}

// paramsFor is the table (and partition) parameters Glue's crawler sets.
func paramsFor(ns *nodeSchema, crawler string) map[string]string {
	p := map[string]string{
		"CrawlerSchemaDeserializerVersion": "1.0",
		"CrawlerSchemaSerializerVersion":   "1.0",
		paramUpdatedByCrawler:              crawler,
		"classification":                   ns.format,
		"compressionType":                  ns.compression,
		"typeOfData":                       "file",
		"objectCount":                      strconv.Itoa(ns.files),
		"sizeKey":                          strconv.FormatInt(ns.bytes, 10),
	}
	records := ns.records
	if !ns.exact && ns.records > 0 && ns.sampled > 0 {
		avg := float64(ns.sampled) / float64(ns.records)
		records = int64(float64(ns.bytes) / avg)
		p["averageRecordSize"] = strconv.Itoa(max(1, int(avg)))
	} else if ns.records > 0 {
		p["averageRecordSize"] = strconv.FormatInt(max(1, ns.bytes/ns.records), 10)
	}
	p["recordCount"] = strconv.FormatInt(records, 10)
	if ns.format == "csv" {
		p["delimiter"] = string(ns.csv.delim)
		p["areColumnsQuoted"] = strconv.FormatBool(ns.csv.quoted)
		p["columnsOrdered"] = "true"
		if ns.csv.header {
			p["skip.header.line.count"] = "1"
		}
	}
	return p
}

// tableFor builds the catalog Table and Partitions of a discovered table.
func tableFor(d *discovered, name, crawler string) (Table, []Partition) {
	drop := map[string]bool{}
	for _, k := range d.keys {
		drop[k.Name] = true
	}
	loc := "s3://" + d.bucket + "/" + d.node.path
	sd := storageFor(loc, d.schema, drop, crawler)
	t := Table{Name: name, TableType: "EXTERNAL_TABLE", StorageDescriptor: sd, PartitionKeys: d.keys,
		Parameters: paramsFor(d.schema, crawler), Owner: "owner", Retention: 0}
	var parts []Partition
	for _, p := range d.partition {
		psd := storageFor("s3://"+d.bucket+"/"+p.node.path, p.node.schema, drop, crawler)
		parts = append(parts, Partition{Values: p.values, StorageDescriptor: psd, Parameters: paramsFor(p.node.schema, crawler)})
	}
	return t, parts
}
