package stack

// Database is a Glue Data Catalog database.
type Database struct {
	Name        string            `yaml:"name" req:"" doc:"Database name (Glue folds it to lowercase)."`
	Description string            `yaml:"description"`
	LocationURI string            `yaml:"location_uri" doc:"e.g. s3://bucket/prefix/"`
	Parameters  map[string]string `yaml:"parameters"`
}

// GlueTable is a Glue Data Catalog table. A table whose storage is
// described by format gets the input and output formats and SerDe Athena
// and Glue give that format, unless the storage_descriptor names them.
type GlueTable struct {
	DatabaseName      string                 `yaml:"database_name" req:"" doc:"The table's database (declare it under databases)."`
	Name              string                 `yaml:"name" req:"" doc:"Table name (Glue folds it to lowercase)."`
	Description       string                 `yaml:"description"`
	TableType         string                 `yaml:"table_type" doc:"Default EXTERNAL_TABLE."`
	Parameters        map[string]string      `yaml:"parameters" doc:"Table parameters; with format, classification defaults to the format."`
	PartitionKeys     []GlueColumn           `yaml:"partition_keys"`
	StorageDescriptor *GlueStorageDescriptor `yaml:"storage_descriptor"`
	Format            string                 `yaml:"format" enum:"parquet,json,csv" doc:"Short form: fills storage_descriptor input_format, output_format and serde_info as Athena and Glue do: parquet (MapredParquetInputFormat, ParquetHiveSerDe), json (TextInputFormat, org.openx.data.jsonserde.JsonSerDe), csv (TextInputFormat, LazySimpleSerDe with field.delim ,)."`
}

// GlueColumn is a column or partition key with a Hive type.
type GlueColumn struct {
	Name    string `yaml:"name" req:""`
	Type    string `yaml:"type" req:"" doc:"Hive type: string, int, bigint, double, boolean, date, timestamp, array<...>, struct<...>, ..."`
	Comment string `yaml:"comment"`
}

// GlueStorageDescriptor is where and how the table's data is stored.
type GlueStorageDescriptor struct {
	Columns      []GlueColumn `yaml:"columns"`
	Location     string       `yaml:"location" doc:"s3://bucket/prefix/"`
	InputFormat  string       `yaml:"input_format" doc:"e.g. org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat; or give the table's format."`
	OutputFormat string       `yaml:"output_format" doc:"e.g. org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat; or give the table's format."`
	SerdeInfo    *GlueSerDe   `yaml:"serde_info" doc:"Or give the table's format."`
}

// GlueSerDe is SerDeInfo.
type GlueSerDe struct {
	SerializationLibrary string            `yaml:"serialization_library" doc:"e.g. org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe."`
	Parameters           map[string]string `yaml:"parameters" doc:"e.g. field.delim, serialization.format."`
}
