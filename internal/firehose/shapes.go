package firehose

import (
	"encoding/json"

	"github.com/tarnhq/tarn/internal/awsjson"
)

// Wire shapes of the Firehose API, field names as in the AWS model.
// Configuration blocks tarn does not implement are kept as raw JSON so
// that their presence can be refused by name (validate.go) instead of
// being dropped silently.

type bufferingHints struct {
	SizeInMBs         *int `json:"SizeInMBs,omitempty"`
	IntervalInSeconds *int `json:"IntervalInSeconds,omitempty"`
}

type cloudWatchLogging struct {
	Enabled       bool   `json:"Enabled"`
	LogGroupName  string `json:"LogGroupName,omitempty"`
	LogStreamName string `json:"LogStreamName,omitempty"`
}

type encryptionConfig struct {
	NoEncryptionConfig  string          `json:"NoEncryptionConfig,omitempty"`
	KMSEncryptionConfig json.RawMessage `json:"KMSEncryptionConfig,omitempty"`
}

type processorParameter struct {
	ParameterName  string `json:"ParameterName"`
	ParameterValue string `json:"ParameterValue"`
}

type processor struct {
	Type       string               `json:"Type"`
	Parameters []processorParameter `json:"Parameters,omitempty"`
}

type processingConfig struct {
	Enabled    *bool       `json:"Enabled,omitempty"`
	Processors []processor `json:"Processors,omitempty"`
}

type retryOptions struct {
	DurationInSeconds *int `json:"DurationInSeconds,omitempty"`
}

type dynamicPartitioning struct {
	Enabled      *bool         `json:"Enabled,omitempty"`
	RetryOptions *retryOptions `json:"RetryOptions,omitempty"`
}

type dataFormatConversion struct {
	Enabled                   *bool         `json:"Enabled,omitempty"`
	SchemaConfiguration       *schemaConfig `json:"SchemaConfiguration,omitempty"`
	InputFormatConfiguration  *inputFormat  `json:"InputFormatConfiguration,omitempty"`
	OutputFormatConfiguration *outputFormat `json:"OutputFormatConfiguration,omitempty"`
}

// schemaConfig references the Glue table whose columns are the schema.
type schemaConfig struct {
	CatalogId    string `json:"CatalogId,omitempty"`
	DatabaseName string `json:"DatabaseName,omitempty"`
	Region       string `json:"Region,omitempty"`
	RoleARN      string `json:"RoleARN,omitempty"`
	TableName    string `json:"TableName,omitempty"`
	VersionId    string `json:"VersionId,omitempty"`
}

type inputFormat struct {
	Deserializer *deserializer `json:"Deserializer,omitempty"`
}

type deserializer struct {
	OpenXJsonSerDe *openXJSONSerDe `json:"OpenXJsonSerDe,omitempty"`
	HiveJsonSerDe  *hiveJSONSerDe  `json:"HiveJsonSerDe,omitempty"`
}

type openXJSONSerDe struct {
	CaseInsensitive                    *bool             `json:"CaseInsensitive,omitempty"`
	ColumnToJsonKeyMappings            map[string]string `json:"ColumnToJsonKeyMappings,omitempty"`
	ConvertDotsInJsonKeysToUnderscores *bool             `json:"ConvertDotsInJsonKeysToUnderscores,omitempty"`
}

type hiveJSONSerDe struct {
	TimestampFormats []string `json:"TimestampFormats,omitempty"`
}

type outputFormat struct {
	Serializer *serializer `json:"Serializer,omitempty"`
}

type serializer struct {
	ParquetSerDe *parquetSerDe   `json:"ParquetSerDe,omitempty"`
	OrcSerDe     json.RawMessage `json:"OrcSerDe,omitempty"`
}

type parquetSerDe struct {
	BlockSizeBytes              *int   `json:"BlockSizeBytes,omitempty"`
	Compression                 string `json:"Compression,omitempty"`
	EnableDictionaryCompression *bool  `json:"EnableDictionaryCompression,omitempty"`
	MaxPaddingBytes             *int   `json:"MaxPaddingBytes,omitempty"`
	PageSizeBytes               *int   `json:"PageSizeBytes,omitempty"`
	WriterVersion               string `json:"WriterVersion,omitempty"`
}

// s3Config is ExtendedS3DestinationConfiguration (and, for the fields it
// shares, S3DestinationConfiguration and both update shapes). It is also
// the stored destination configuration.
type s3Config struct {
	RoleARN                           string                `json:"RoleARN,omitempty"`
	BucketARN                         string                `json:"BucketARN,omitempty"`
	Prefix                            *string               `json:"Prefix,omitempty"`
	ErrorOutputPrefix                 *string               `json:"ErrorOutputPrefix,omitempty"`
	BufferingHints                    *bufferingHints       `json:"BufferingHints,omitempty"`
	CompressionFormat                 string                `json:"CompressionFormat,omitempty"`
	EncryptionConfiguration           *encryptionConfig     `json:"EncryptionConfiguration,omitempty"`
	CloudWatchLoggingOptions          *cloudWatchLogging    `json:"CloudWatchLoggingOptions,omitempty"`
	ProcessingConfiguration           *processingConfig     `json:"ProcessingConfiguration,omitempty"`
	S3BackupMode                      string                `json:"S3BackupMode,omitempty"`
	DataFormatConversionConfiguration *dataFormatConversion `json:"DataFormatConversionConfiguration,omitempty"`
	DynamicPartitioningConfiguration  *dynamicPartitioning  `json:"DynamicPartitioningConfiguration,omitempty"`
	FileExtension                     *string               `json:"FileExtension,omitempty"`
	CustomTimeZone                    *string               `json:"CustomTimeZone,omitempty"`
	// Refused when present (never stored).
	S3BackupConfiguration json.RawMessage `json:"S3BackupConfiguration,omitempty"`
	S3BackupUpdate        json.RawMessage `json:"S3BackupUpdate,omitempty"`
}

type kinesisSourceConfig struct {
	KinesisStreamARN string `json:"KinesisStreamARN"`
	RoleARN          string `json:"RoleARN"`
}

type tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value,omitempty"`
}

type createInput struct {
	DeliveryStreamName                 string               `json:"DeliveryStreamName"`
	DeliveryStreamType                 string               `json:"DeliveryStreamType,omitempty"`
	KinesisStreamSourceConfiguration   *kinesisSourceConfig `json:"KinesisStreamSourceConfiguration,omitempty"`
	DirectPutSourceConfiguration       json.RawMessage      `json:"DirectPutSourceConfiguration,omitempty"`
	ExtendedS3DestinationConfiguration *s3Config            `json:"ExtendedS3DestinationConfiguration,omitempty"`
	S3DestinationConfiguration         *s3Config            `json:"S3DestinationConfiguration,omitempty"`
	Tags                               []tag                `json:"Tags,omitempty"`

	// Destinations, sources and options tarn does not support yet: their
	// presence is refused by name.
	RedshiftDestinationConfiguration                   json.RawMessage `json:"RedshiftDestinationConfiguration,omitempty"`
	ElasticsearchDestinationConfiguration              json.RawMessage `json:"ElasticsearchDestinationConfiguration,omitempty"`
	AmazonopensearchserviceDestinationConfiguration    json.RawMessage `json:"AmazonopensearchserviceDestinationConfiguration,omitempty"`
	AmazonOpenSearchServerlessDestinationConfiguration json.RawMessage `json:"AmazonOpenSearchServerlessDestinationConfiguration,omitempty"`
	SplunkDestinationConfiguration                     json.RawMessage `json:"SplunkDestinationConfiguration,omitempty"`
	HttpEndpointDestinationConfiguration               json.RawMessage `json:"HttpEndpointDestinationConfiguration,omitempty"`
	SnowflakeDestinationConfiguration                  json.RawMessage `json:"SnowflakeDestinationConfiguration,omitempty"`
	IcebergDestinationConfiguration                    json.RawMessage `json:"IcebergDestinationConfiguration,omitempty"`
	MSKSourceConfiguration                             json.RawMessage `json:"MSKSourceConfiguration,omitempty"`
	DatabaseSourceConfiguration                        json.RawMessage `json:"DatabaseSourceConfiguration,omitempty"`
	DeliveryStreamEncryptionConfigurationInput         json.RawMessage `json:"DeliveryStreamEncryptionConfigurationInput,omitempty"`
}

type createOutput struct {
	DeliveryStreamARN string `json:"DeliveryStreamARN"`
}

type nameInput struct {
	DeliveryStreamName string `json:"DeliveryStreamName"`
}

type deleteInput struct {
	DeliveryStreamName string `json:"DeliveryStreamName"`
	AllowForceDelete   *bool  `json:"AllowForceDelete,omitempty"`
}

type describeInput struct {
	DeliveryStreamName          string `json:"DeliveryStreamName"`
	Limit                       *int   `json:"Limit,omitempty"`
	ExclusiveStartDestinationId string `json:"ExclusiveStartDestinationId,omitempty"`
}

type s3Description struct {
	RoleARN                  string             `json:"RoleARN,omitempty"`
	BucketARN                string             `json:"BucketARN"`
	Prefix                   *string            `json:"Prefix,omitempty"`
	ErrorOutputPrefix        *string            `json:"ErrorOutputPrefix,omitempty"`
	BufferingHints           bufferingHints     `json:"BufferingHints"`
	CompressionFormat        string             `json:"CompressionFormat"`
	EncryptionConfiguration  encryptionConfig   `json:"EncryptionConfiguration"`
	CloudWatchLoggingOptions *cloudWatchLogging `json:"CloudWatchLoggingOptions,omitempty"`
}

type extendedS3Description struct {
	s3Description
	ProcessingConfiguration           *processingConfig     `json:"ProcessingConfiguration,omitempty"`
	S3BackupMode                      string                `json:"S3BackupMode"`
	DynamicPartitioningConfiguration  *dynamicPartitioning  `json:"DynamicPartitioningConfiguration,omitempty"`
	DataFormatConversionConfiguration *dataFormatConversion `json:"DataFormatConversionConfiguration,omitempty"`
	FileExtension                     *string               `json:"FileExtension,omitempty"`
	CustomTimeZone                    *string               `json:"CustomTimeZone,omitempty"`
}

type destinationDescription struct {
	DestinationId                    string                 `json:"DestinationId"`
	S3DestinationDescription         *s3Description         `json:"S3DestinationDescription,omitempty"`
	ExtendedS3DestinationDescription *extendedS3Description `json:"ExtendedS3DestinationDescription,omitempty"`
}

type kinesisSourceDescription struct {
	KinesisStreamARN       string             `json:"KinesisStreamARN"`
	RoleARN                string             `json:"RoleARN,omitempty"`
	DeliveryStartTimestamp *awsjson.Timestamp `json:"DeliveryStartTimestamp,omitempty"`
}

type sourceDescription struct {
	KinesisStreamSourceDescription *kinesisSourceDescription `json:"KinesisStreamSourceDescription,omitempty"`
}

type streamDescription struct {
	DeliveryStreamName   string                   `json:"DeliveryStreamName"`
	DeliveryStreamARN    string                   `json:"DeliveryStreamARN"`
	DeliveryStreamStatus string                   `json:"DeliveryStreamStatus"`
	DeliveryStreamType   string                   `json:"DeliveryStreamType"`
	VersionId            string                   `json:"VersionId"`
	CreateTimestamp      awsjson.Timestamp        `json:"CreateTimestamp"`
	LastUpdateTimestamp  *awsjson.Timestamp       `json:"LastUpdateTimestamp,omitempty"`
	Source               *sourceDescription       `json:"Source,omitempty"`
	Destinations         []destinationDescription `json:"Destinations"`
	HasMoreDestinations  bool                     `json:"HasMoreDestinations"`
}

type describeOutput struct {
	DeliveryStreamDescription streamDescription `json:"DeliveryStreamDescription"`
}

type listInput struct {
	Limit                            *int   `json:"Limit,omitempty"`
	DeliveryStreamType               string `json:"DeliveryStreamType,omitempty"`
	ExclusiveStartDeliveryStreamName string `json:"ExclusiveStartDeliveryStreamName,omitempty"`
}

type listOutput struct {
	DeliveryStreamNames    []string `json:"DeliveryStreamNames"`
	HasMoreDeliveryStreams bool     `json:"HasMoreDeliveryStreams"`
}

type recordShape struct {
	Data []byte `json:"Data"`
}

type putRecordInput struct {
	DeliveryStreamName string       `json:"DeliveryStreamName"`
	Record             *recordShape `json:"Record"`
}

type putRecordOutput struct {
	RecordId  string `json:"RecordId"`
	Encrypted bool   `json:"Encrypted"`
}

type putBatchInput struct {
	DeliveryStreamName string        `json:"DeliveryStreamName"`
	Records            []recordShape `json:"Records"`
}

type putBatchEntry struct {
	RecordId     string `json:"RecordId,omitempty"`
	ErrorCode    string `json:"ErrorCode,omitempty"`
	ErrorMessage string `json:"ErrorMessage,omitempty"`
}

type putBatchOutput struct {
	FailedPutCount   int             `json:"FailedPutCount"`
	Encrypted        bool            `json:"Encrypted"`
	RequestResponses []putBatchEntry `json:"RequestResponses"`
}

type updateInput struct {
	DeliveryStreamName             string    `json:"DeliveryStreamName"`
	CurrentDeliveryStreamVersionId string    `json:"CurrentDeliveryStreamVersionId"`
	DestinationId                  string    `json:"DestinationId"`
	ExtendedS3DestinationUpdate    *s3Config `json:"ExtendedS3DestinationUpdate,omitempty"`
	S3DestinationUpdate            *s3Config `json:"S3DestinationUpdate,omitempty"`

	RedshiftDestinationUpdate                   json.RawMessage `json:"RedshiftDestinationUpdate,omitempty"`
	ElasticsearchDestinationUpdate              json.RawMessage `json:"ElasticsearchDestinationUpdate,omitempty"`
	AmazonopensearchserviceDestinationUpdate    json.RawMessage `json:"AmazonopensearchserviceDestinationUpdate,omitempty"`
	AmazonOpenSearchServerlessDestinationUpdate json.RawMessage `json:"AmazonOpenSearchServerlessDestinationUpdate,omitempty"`
	SplunkDestinationUpdate                     json.RawMessage `json:"SplunkDestinationUpdate,omitempty"`
	HttpEndpointDestinationUpdate               json.RawMessage `json:"HttpEndpointDestinationUpdate,omitempty"`
	SnowflakeDestinationUpdate                  json.RawMessage `json:"SnowflakeDestinationUpdate,omitempty"`
	IcebergDestinationUpdate                    json.RawMessage `json:"IcebergDestinationUpdate,omitempty"`
}
