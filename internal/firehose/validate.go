package firehose

import (
	"regexp"
	"strings"
	"time"
)

// destConfig is a validated, compiled destination: what delivery uses.
// Immutable; UpdateDestination swaps in a new one.
type destConfig struct {
	bucket    string
	prefix    *prefixTmpl
	errPrefix *prefixTmpl
	sizeBytes int
	interval  time.Duration
	compress  string // CompressionFormat of raw objects: "" or one of compressionExt's keys
	ext       string
	loc       *time.Location
	delimiter []byte       // AppendDelimiterToRecord
	partition *partitioner // nil unless dynamic partitioning is enabled
	convert   *conversion  // nil unless data format conversion is enabled
}

var (
	bucketARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:s3:::([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])$`)
	extPattern       = regexp.MustCompile(`^$|^\.[0-9a-z!\-_.*'()]+$`)
)

// errConvertCompressed is AWS's refusal of a CompressionFormat other than
// UNCOMPRESSED on a converting destination (checked before the buffer size).
const errConvertCompressed = "The S3 destination's compression format must be set to UNCOMPRESSED when data format conversion is enabled. " +
	"To enable compression within the converted output format, set the appropriate serialization option in the output format configuration."

func isTrue(b *bool) bool { return b != nil && *b }

// compile validates c as AWS does and returns the delivery configuration.
// Every option tarn does not implement is refused by name, never ignored.
func compile(c *s3Config, field string) (*destConfig, error) {
	if c.RoleARN == "" {
		return nil, errValidation(field+".roleARN", "null", "Member must not be null")
	}
	if c.BucketARN == "" {
		return nil, errValidation(field+".bucketARN", "null", "Member must not be null")
	}
	m := bucketARNPattern.FindStringSubmatch(c.BucketARN)
	if m == nil {
		return nil, errInvalid("BucketARN %s is not a valid S3 bucket ARN (arn:aws:s3:::bucket).", c.BucketARN)
	}
	d := &destConfig{bucket: m[1], loc: time.UTC}
	dp := c.DynamicPartitioningConfiguration != nil && isTrue(c.DynamicPartitioningConfiguration.Enabled)
	f := c.DataFormatConversionConfiguration
	convert := f != nil && (isTrue(f.Enabled) || f.Enabled == nil &&
		(f.SchemaConfiguration != nil || f.InputFormatConfiguration != nil || f.OutputFormatConfiguration != nil))
	size, interval := defaultSizeMB, defaultIntervalSec
	if dp || convert {
		size = dpDefaultSizeMB
	}
	if h := c.BufferingHints; h != nil {
		if h.SizeInMBs != nil {
			if *h.SizeInMBs < 1 || *h.SizeInMBs > 128 {
				return nil, errValidation(field+".bufferingHints.sizeInMBs", *h.SizeInMBs, "Member must have value between 1 and 128")
			}
			size = *h.SizeInMBs
		}
		if h.IntervalInSeconds != nil {
			if *h.IntervalInSeconds < 0 || *h.IntervalInSeconds > 900 {
				return nil, errValidation(field+".bufferingHints.intervalInSeconds", *h.IntervalInSeconds, "Member must have value between 0 and 900")
			}
			interval = *h.IntervalInSeconds
		}
	}
	if cf := c.CompressionFormat; cf != "" {
		ext, ok := compressionExt[cf]
		if !ok {
			return nil, errValidation(field+".compressionFormat", cf, "Member must satisfy enum value set: [ZIP, HADOOP_SNAPPY, Snappy, GZIP, UNCOMPRESSED]")
		}
		if convert && cf != compUncompressed {
			return nil, errInvalid("%s", errConvertCompressed)
		}
		d.compress, d.ext = cf, ext
	}
	if dp && size < dpMinSizeMB {
		return nil, errInvalid("BufferingHints.SizeInMBs must be at least %d when Dynamic Partitioning is enabled.", dpMinSizeMB)
	}
	if convert && size < dpMinSizeMB {
		return nil, errInvalid("BufferingHints.SizeInMBs must be at least %d when data format conversion is enabled.", dpMinSizeMB)
	}
	d.sizeBytes, d.interval = size<<20, time.Duration(interval)*time.Second
	if e := c.EncryptionConfiguration; e != nil {
		if len(e.KMSEncryptionConfig) > 0 && string(e.KMSEncryptionConfig) != "null" {
			return nil, errUnsupported("KMS encryption of delivered objects (KMSEncryptionConfig)")
		}
		if e.NoEncryptionConfig != "" && e.NoEncryptionConfig != "NoEncryption" {
			return nil, errValidation(field+".encryptionConfiguration.noEncryptionConfig", e.NoEncryptionConfig, "Member must satisfy enum value set: [NoEncryption]")
		}
	}
	if l := c.CloudWatchLoggingOptions; l != nil && l.Enabled {
		return nil, errUnsupported("CloudWatch error logging (CloudWatchLoggingOptions.Enabled)")
	}
	switch c.S3BackupMode {
	case "", "Disabled":
	case "Enabled":
		return nil, errUnsupported("S3 backup (S3BackupMode Enabled)")
	default:
		return nil, errValidation(field+".s3BackupMode", c.S3BackupMode, "Member must satisfy enum value set: [Disabled, Enabled]")
	}
	if present(c.S3BackupConfiguration) || present(c.S3BackupUpdate) {
		return nil, errUnsupported("S3 backup (S3BackupConfiguration)")
	}
	if convert {
		conv, err := compileConversion(f, field+".dataFormatConversionConfiguration")
		if err != nil {
			return nil, err
		}
		d.convert, d.ext = conv, parquetExt
	}
	if c.FileExtension != nil {
		if len(*c.FileExtension) > 128 || !extPattern.MatchString(*c.FileExtension) {
			return nil, errValidation(field+".fileExtension", *c.FileExtension, `Member must satisfy regular expression pattern: ^$|\.[0-9a-z!\-_.*+'()]+`)
		}
		if *c.FileExtension != "" {
			d.ext = *c.FileExtension
		}
	}
	if c.CustomTimeZone != nil && *c.CustomTimeZone != "" {
		loc, err := time.LoadLocation(*c.CustomTimeZone)
		if err != nil || strings.HasPrefix(*c.CustomTimeZone, "Local") {
			return nil, errInvalid("CustomTimeZone %s is not a valid time zone.", *c.CustomTimeZone)
		}
		d.loc = loc
	}
	var query string
	if p := c.ProcessingConfiguration; p != nil && isTrue(p.Enabled) {
		var err error
		if query, d.delimiter, err = processors(p.Processors, dp); err != nil {
			return nil, err
		}
	}
	if dp {
		if query == "" {
			return nil, errInvalid("Dynamic partitioning requires a MetadataExtraction processor with a MetadataExtractionQuery (tarn does not support Lambda processors yet).")
		}
		pt, err := parseQuery(query)
		if err != nil {
			return nil, err
		}
		d.partition = pt
	}
	if err := d.prefixes(c); err != nil {
		return nil, err
	}
	return d, nil
}

func present(raw []byte) bool { return len(raw) > 0 && string(raw) != "null" }

// processors validates the processor list: tarn runs MetadataExtraction
// (with dynamic partitioning) and AppendDelimiterToRecord.
func processors(ps []processor, dp bool) (query string, delim []byte, err error) {
	for _, p := range ps {
		params := map[string]string{}
		for _, kv := range p.Parameters {
			params[kv.ParameterName] = kv.ParameterValue
		}
		switch p.Type {
		case "MetadataExtraction":
			if !dp {
				return "", nil, errInvalid("MetadataExtraction processor requires Dynamic Partitioning to be enabled.")
			}
			if eng := params["JsonParsingEngine"]; eng != "" && eng != "JQ-1.6" {
				return "", nil, errInvalid("JsonParsingEngine %s is not supported; use JQ-1.6.", eng)
			}
			query = params["MetadataExtractionQuery"]
			if query == "" {
				return "", nil, errInvalid("MetadataExtraction processor requires the MetadataExtractionQuery parameter.")
			}
		case "AppendDelimiterToRecord":
			delim = []byte("\n")
			if v, ok := params["Delimiter"]; ok {
				if v != "\\n" && v != "\n" {
					return "", nil, errUnsupported("AppendDelimiterToRecord with a Delimiter other than \\n")
				}
			}
		case "Lambda", "RecordDeAggregation", "Decompression", "CloudWatchLogProcessing":
			return "", nil, errUnsupported("the " + p.Type + " processor")
		default:
			return "", nil, errValidation("processingConfiguration.processors.member.type", p.Type,
				"Member must satisfy enum value set: [RecordDeAggregation, Decompression, CloudWatchLogProcessing, Lambda, MetadataExtraction, AppendDelimiterToRecord]")
		}
	}
	return query, delim, nil
}

// prefixes parses and checks Prefix and ErrorOutputPrefix together, with
// AWS's semantic rules.
func (d *destConfig) prefixes(c *s3Config) error {
	var prefix, errPrefix string
	if c.Prefix != nil {
		prefix = *c.Prefix
	}
	if c.ErrorOutputPrefix != nil {
		errPrefix = *c.ErrorOutputPrefix
	}
	for _, p := range []struct{ name, v string }{{"prefix", prefix}, {"errorOutputPrefix", errPrefix}} {
		if len(p.v) > maxPrefixLen {
			return errValidation(p.name, p.v, "Member must have length less than or equal to 1024")
		}
	}
	var err error
	if d.prefix, err = parsePrefix(prefix); err != nil {
		return err
	}
	if d.errPrefix, err = parsePrefix(errPrefix); err != nil {
		return err
	}
	return checkPrefixes(d.prefix, d.errPrefix, errPrefix != "", d.partition)
}

// checkPrefixes applies the rules of AWS's custom prefixes.
func checkPrefixes(prefix, errPrefix *prefixTmpl, haveErr bool, pt *partitioner) error {
	if prefix.has(partErrorType) {
		return errInvalid("The !{firehose:error-output-type} expression is only allowed in ErrorOutputPrefix.")
	}
	if prefix.exprs > 0 && !haveErr {
		return errInvalid("ErrorOutputPrefix cannot be null or empty when Prefix contains expressions.")
	}
	if errPrefix.exprs > 0 && !errPrefix.has(partErrorType) {
		return errInvalid("ErrorOutputPrefix must contain the !{firehose:error-output-type} expression when it contains expressions.")
	}
	if errPrefix.has(partQueryKey) {
		return errInvalid("The partitionKeyFromQuery namespace is not allowed in ErrorOutputPrefix.")
	}
	keys := prefix.queryKeys()
	if pt == nil {
		if len(keys) > 0 {
			return errInvalid("The partitionKeyFromQuery namespace can only be used when Dynamic Partitioning is enabled.")
		}
		return nil
	}
	if len(keys) == 0 {
		return errInvalid("Prefix must contain at least one !{partitionKeyFromQuery:...} expression when Dynamic Partitioning is enabled.")
	}
	if !haveErr {
		return errInvalid("ErrorOutputPrefix cannot be null or empty when Dynamic Partitioning is enabled.")
	}
	for _, k := range keys {
		if !pt.defines(k) {
			return errInvalid("The partition key %s used in Prefix is not defined by the MetadataExtractionQuery.", k)
		}
	}
	return nil
}
