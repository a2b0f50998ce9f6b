package stack

// The types below are the file's shape and the one source of truth for
// Parse (field names and positions), validation (the req, enum, min and
// max tags) and Schema (the same tags plus doc). Field names are the AWS
// API's request fields in snake_case; tarn's short forms are marked as
// such in their doc.

// Stack is a parsed tarn.yaml: every resource section, in file order
// within each kind. Apply creates them kind by kind in Kinds order.
type Stack struct {
	Buckets             []Bucket             `yaml:"buckets" doc:"S3 buckets (CreateBucket)."`
	Streams             []Stream             `yaml:"streams" doc:"Kinesis data streams (CreateStream)."`
	Tables              []Table              `yaml:"tables" doc:"DynamoDB tables (CreateTable)."`
	Functions           []Function           `yaml:"functions" doc:"Lambda functions (CreateFunction)."`
	Databases           []Database           `yaml:"databases" doc:"Glue Data Catalog databases (CreateDatabase)."`
	GlueTables          []GlueTable          `yaml:"glue_tables" doc:"Glue Data Catalog tables (CreateTable), e.g. the schema a delivery stream's Parquet conversion reads."`
	DeliveryStreams     []DeliveryStream     `yaml:"delivery_streams" doc:"Firehose delivery streams to S3 (CreateDeliveryStream)."`
	EventSourceMappings []EventSourceMapping `yaml:"event_source_mappings" doc:"Lambda event source mappings from Kinesis or DynamoDB streams (CreateEventSourceMapping)."`
	BucketNotifications []BucketNotification `yaml:"bucket_notifications" doc:"S3 event notifications to Lambda, one entry per bucket (PutBucketNotificationConfiguration)."`
	Crawlers            []Crawler            `yaml:"crawlers" doc:"Glue crawlers (CreateCrawler)."`
	Jobs                []Job                `yaml:"jobs" doc:"Glue jobs (CreateJob)."`
	Triggers            []Trigger            `yaml:"triggers" doc:"Glue triggers (CreateTrigger)."`
	Dashboards          []Dashboard          `yaml:"dashboards" doc:"Dashboards of SQL tiles for tarn's web UI."`

	file  string         // the name given to Parse, for messages
	dir   string         // directory code paths are relative to
	lines map[string]int // field path ("streams[1].shards") -> line
}

// Bucket is an S3 bucket.
type Bucket struct {
	Name string `yaml:"name" req:"" doc:"Bucket name (3-63 characters: lowercase letters, digits, dots, hyphens)."`
}

// Stream is a Kinesis data stream.
type Stream struct {
	Name       string `yaml:"name" req:"" doc:"Stream name."`
	Shards     int    `yaml:"shards" min:"1" max:"10000" doc:"ShardCount (short form). Default 1; changed with UpdateShardCount. Ignored for ON_DEMAND."`
	StreamMode string `yaml:"stream_mode" enum:"PROVISIONED,ON_DEMAND" doc:"StreamModeDetails.StreamMode (short form). Default PROVISIONED."`
	// RetentionPeriodHours is changed with Increase/DecreaseStreamRetentionPeriod.
	RetentionPeriodHours int `yaml:"retention_period_hours" min:"24" max:"8760" doc:"Retention in hours. Default 24."`
}

// Table is a DynamoDB table.
type Table struct {
	Name                   string                `yaml:"name" req:"" doc:"TableName."`
	AttributeDefinitions   []AttributeDefinition `yaml:"attribute_definitions" req:"" doc:"Types of the attributes the key schema and indexes use (only those are sent, so indexes added later may be defined up front)."`
	KeySchema              []KeyElement          `yaml:"key_schema" req:"" doc:"Primary key: one HASH element, then optionally one RANGE. Changing it needs a replace."`
	BillingMode            string                `yaml:"billing_mode" enum:"PAY_PER_REQUEST,PROVISIONED" doc:"Default PAY_PER_REQUEST."`
	ProvisionedThroughput  *Throughput           `yaml:"provisioned_throughput" doc:"Required with billing_mode PROVISIONED."`
	GlobalSecondaryIndexes []GlobalIndex         `yaml:"global_secondary_indexes" doc:"GSIs; new ones are added with UpdateTable."`
	StreamSpecification    *StreamSpecification  `yaml:"stream_specification" doc:"DynamoDB Streams."`
	TTL                    *TTL                  `yaml:"ttl" doc:"Time to live (UpdateTimeToLive)."`
}

// AttributeDefinition is one typed attribute.
type AttributeDefinition struct {
	AttributeName string `yaml:"attribute_name" req:""`
	AttributeType string `yaml:"attribute_type" req:"" enum:"S,N,B"`
}

// KeyElement is one key schema element.
type KeyElement struct {
	AttributeName string `yaml:"attribute_name" req:""`
	KeyType       string `yaml:"key_type" req:"" enum:"HASH,RANGE"`
}

// Throughput is provisioned capacity.
type Throughput struct {
	ReadCapacityUnits  int `yaml:"read_capacity_units" req:"" min:"1"`
	WriteCapacityUnits int `yaml:"write_capacity_units" req:"" min:"1"`
}

// GlobalIndex is a global secondary index.
type GlobalIndex struct {
	IndexName             string       `yaml:"index_name" req:""`
	KeySchema             []KeyElement `yaml:"key_schema" req:""`
	Projection            *Projection  `yaml:"projection" doc:"Default ALL."`
	ProvisionedThroughput *Throughput  `yaml:"provisioned_throughput"`
}

// Projection says which attributes an index holds.
type Projection struct {
	ProjectionType   string   `yaml:"projection_type" enum:"ALL,KEYS_ONLY,INCLUDE"`
	NonKeyAttributes []string `yaml:"non_key_attributes"`
}

// StreamSpecification turns DynamoDB Streams on.
type StreamSpecification struct {
	StreamEnabled  bool   `yaml:"stream_enabled"`
	StreamViewType string `yaml:"stream_view_type" enum:"KEYS_ONLY,NEW_IMAGE,OLD_IMAGE,NEW_AND_OLD_IMAGES" doc:"Required when stream_enabled."`
}

// TTL is a table's time-to-live attribute.
type TTL struct {
	AttributeName string `yaml:"attribute_name" req:""`
	Enabled       *bool  `yaml:"enabled" doc:"Default true."`
}

// DeliveryStream is a Firehose delivery stream with an S3 destination.
type DeliveryStream struct {
	Name                               string         `yaml:"name" req:"" doc:"DeliveryStreamName."`
	KinesisStreamSourceConfiguration   *KinesisSource `yaml:"kinesis_stream_source_configuration" doc:"Read from a Kinesis stream (DeliveryStreamType KinesisStreamAsSource); otherwise DirectPut. Changing it needs a replace."`
	ExtendedS3DestinationConfiguration *S3Destination `yaml:"extended_s3_destination_configuration" req:""`
}

// KinesisSource names the source stream.
type KinesisSource struct {
	KinesisStreamARN string `yaml:"kinesis_stream_arn" doc:"Source stream ARN; or give stream_name."`
	StreamName       string `yaml:"stream_name" doc:"Short form: the source stream's name in this account and region."`
	RoleARN          string `yaml:"role_arn" doc:"Default arn:aws:iam::000000000000:role/tarn."`
}

// S3Destination is ExtendedS3DestinationConfiguration.
type S3Destination struct {
	BucketARN                         string               `yaml:"bucket_arn" doc:"Destination bucket ARN; or give bucket."`
	Bucket                            string               `yaml:"bucket" doc:"Short form: the destination bucket's name."`
	RoleARN                           string               `yaml:"role_arn" doc:"Default arn:aws:iam::000000000000:role/tarn."`
	Prefix                            string               `yaml:"prefix"`
	ErrorOutputPrefix                 string               `yaml:"error_output_prefix"`
	BufferingHints                    *BufferingHints      `yaml:"buffering_hints"`
	CompressionFormat                 string               `yaml:"compression_format" enum:"UNCOMPRESSED,GZIP,ZIP,Snappy,HADOOP_SNAPPY"`
	DataFormatConversionConfiguration *FormatConversion    `yaml:"data_format_conversion_configuration"`
	DynamicPartitioningConfiguration  *DynamicPartitioning `yaml:"dynamic_partitioning_configuration" doc:"Partition records by keys from the record (needs a MetadataExtraction processor). Turning it on or off needs a replace."`
	ProcessingConfiguration           *Processing          `yaml:"processing_configuration" doc:"Record processors (tarn runs MetadataExtraction and AppendDelimiterToRecord)."`
}

// DynamicPartitioning is DynamicPartitioningConfiguration.
type DynamicPartitioning struct {
	Enabled      *bool         `yaml:"enabled" doc:"Default true."`
	RetryOptions *RetryOptions `yaml:"retry_options"`
}

// RetryOptions bound how long Firehose retries delivery to S3.
type RetryOptions struct {
	DurationInSeconds *int `yaml:"duration_in_seconds" min:"0" max:"7200" doc:"Default 300."`
}

// Processing is ProcessingConfiguration: processors run in order on each
// record before delivery.
type Processing struct {
	Enabled    *bool       `yaml:"enabled" doc:"Default true."`
	Processors []Processor `yaml:"processors"`
}

// Processor is one record processor and its parameters.
type Processor struct {
	Type       string               `yaml:"type" req:"" enum:"RecordDeAggregation,Decompression,CloudWatchLogProcessing,Lambda,MetadataExtraction,AppendDelimiterToRecord" doc:"tarn runs MetadataExtraction (JQ-1.6) and AppendDelimiterToRecord."`
	Parameters []ProcessorParameter `yaml:"parameters"`
}

// ProcessorParameter is one processor parameter.
type ProcessorParameter struct {
	ParameterName  string `yaml:"parameter_name" req:"" enum:"LambdaArn,NumberOfRetries,MetadataExtractionQuery,JsonParsingEngine,RoleArn,BufferSizeInMBs,BufferIntervalInSeconds,SubRecordType,Delimiter,CompressionFormat,DataMessageExtraction"`
	ParameterValue string `yaml:"parameter_value" req:"" doc:"e.g. a jq query such as {dt: .ts[0:10]} for MetadataExtractionQuery, JQ-1.6 for JsonParsingEngine."`
}

// BufferingHints bound how long and how much Firehose buffers.
type BufferingHints struct {
	SizeInMBs         *int `yaml:"size_in_mbs" min:"1" max:"128" doc:"Default 5; 128 with dynamic partitioning or format conversion (which need at least 64)."`
	IntervalInSeconds *int `yaml:"interval_in_seconds" min:"0" max:"900" doc:"Default 300; 0 delivers at once."`
}

// FormatConversion converts JSON records to Parquet or ORC with a Glue
// table's schema.
type FormatConversion struct {
	Enabled                   *bool         `yaml:"enabled" doc:"Default true."`
	InputFormatConfiguration  *InputFormat  `yaml:"input_format_configuration"`
	OutputFormatConfiguration *OutputFormat `yaml:"output_format_configuration"`
	SchemaConfiguration       *SchemaConfig `yaml:"schema_configuration"`
}

// InputFormat is the JSON deserializer.
type InputFormat struct {
	Deserializer Deserializer `yaml:"deserializer"`
}

// Deserializer picks one JSON SerDe.
type Deserializer struct {
	OpenXJsonSerDe *OpenXJSON `yaml:"open_x_json_ser_de"`
	HiveJsonSerDe  *HiveJSON  `yaml:"hive_json_ser_de"`
}

// OpenXJSON is the OpenX JSON SerDe.
type OpenXJSON struct {
	CaseInsensitive                    *bool             `yaml:"case_insensitive"`
	ConvertDotsInJsonKeysToUnderscores *bool             `yaml:"convert_dots_in_json_keys_to_underscores"`
	ColumnToJsonKeyMappings            map[string]string `yaml:"column_to_json_key_mappings"`
}

// HiveJSON is the Hive JSON SerDe.
type HiveJSON struct {
	TimestampFormats []string `yaml:"timestamp_formats"`
}

// OutputFormat is the columnar serializer.
type OutputFormat struct {
	Serializer Serializer `yaml:"serializer"`
}

// Serializer picks Parquet or ORC.
type Serializer struct {
	ParquetSerDe *ColumnarSerDe `yaml:"parquet_ser_de"`
	OrcSerDe     *ColumnarSerDe `yaml:"orc_ser_de"`
}

// ColumnarSerDe holds the compression of a columnar serializer.
type ColumnarSerDe struct {
	Compression string `yaml:"compression" enum:"UNCOMPRESSED,GZIP,SNAPPY,ZLIB,NONE,LZO"`
}

// SchemaConfig names the Glue table whose columns the output has.
type SchemaConfig struct {
	DatabaseName string `yaml:"database_name" req:""`
	TableName    string `yaml:"table_name" req:""`
	RoleARN      string `yaml:"role_arn" doc:"Default arn:aws:iam::000000000000:role/tarn."`
	Region       string `yaml:"region"`
	CatalogID    string `yaml:"catalog_id"`
	VersionID    string `yaml:"version_id" doc:"Default LATEST."`
}
