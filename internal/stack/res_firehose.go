package stack

import (
	"context"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	ftypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"
)

// Firehose's defaults for an S3 destination.
const (
	defaultBufferMB       = 5
	defaultBufferInterval = 300
)

func (d *S3Destination) bucketARN() string {
	if d.BucketARN != "" {
		return d.BucketARN
	}
	return "arn:aws:s3:::" + d.Bucket
}

func (d *S3Destination) hints() *ftypes.BufferingHints {
	size := defaultBufferMB
	if d.partitioned() || d.converts() {
		size = defaultDPBufferMB
	}
	h := &ftypes.BufferingHints{SizeInMBs: aws.Int32(int32(size)), IntervalInSeconds: aws.Int32(defaultBufferInterval)}
	if b := d.BufferingHints; b != nil {
		if b.SizeInMBs != nil {
			h.SizeInMBs = aws.Int32(int32(*b.SizeInMBs))
		}
		if b.IntervalInSeconds != nil {
			h.IntervalInSeconds = aws.Int32(int32(*b.IntervalInSeconds))
		}
	}
	return h
}

func (d *S3Destination) conversion() *ftypes.DataFormatConversionConfiguration {
	c := d.DataFormatConversionConfiguration
	if c == nil {
		return nil
	}
	out := &ftypes.DataFormatConversionConfiguration{Enabled: aws.Bool(c.Enabled == nil || *c.Enabled)}
	if in := c.InputFormatConfiguration; in != nil {
		ds := &ftypes.Deserializer{}
		if o := in.Deserializer.OpenXJsonSerDe; o != nil {
			ds.OpenXJsonSerDe = &ftypes.OpenXJsonSerDe{CaseInsensitive: o.CaseInsensitive,
				ConvertDotsInJsonKeysToUnderscores: o.ConvertDotsInJsonKeysToUnderscores, ColumnToJsonKeyMappings: o.ColumnToJsonKeyMappings}
		}
		if h := in.Deserializer.HiveJsonSerDe; h != nil {
			ds.HiveJsonSerDe = &ftypes.HiveJsonSerDe{TimestampFormats: h.TimestampFormats}
		}
		out.InputFormatConfiguration = &ftypes.InputFormatConfiguration{Deserializer: ds}
	}
	if o := c.OutputFormatConfiguration; o != nil {
		sr := &ftypes.Serializer{}
		if p := o.Serializer.ParquetSerDe; p != nil {
			sr.ParquetSerDe = &ftypes.ParquetSerDe{Compression: ftypes.ParquetCompression(p.Compression)}
		}
		if p := o.Serializer.OrcSerDe; p != nil {
			sr.OrcSerDe = &ftypes.OrcSerDe{Compression: ftypes.OrcCompression(p.Compression)}
		}
		out.OutputFormatConfiguration = &ftypes.OutputFormatConfiguration{Serializer: sr}
	}
	if s := c.SchemaConfiguration; s != nil {
		out.SchemaConfiguration = &ftypes.SchemaConfiguration{DatabaseName: aws.String(s.DatabaseName), TableName: aws.String(s.TableName),
			RoleARN: aws.String(or(s.RoleARN, DefaultRole)), VersionId: aws.String(or(s.VersionID, "LATEST"))}
		if s.Region != "" {
			out.SchemaConfiguration.Region = aws.String(s.Region)
		}
		if s.CatalogID != "" {
			out.SchemaConfiguration.CatalogId = aws.String(s.CatalogID)
		}
	}
	return out
}

// conversionString renders the parts of a conversion the file controls.
func conversionString(c *ftypes.DataFormatConversionConfiguration) string {
	if c == nil || !aws.ToBool(c.Enabled) {
		return "off"
	}
	var parts []string
	if in := c.InputFormatConfiguration; in != nil && in.Deserializer != nil {
		if in.Deserializer.HiveJsonSerDe != nil {
			parts = append(parts, "hive_json")
		} else {
			parts = append(parts, "openx_json")
		}
	}
	if o := c.OutputFormatConfiguration; o != nil && o.Serializer != nil {
		if p := o.Serializer.ParquetSerDe; p != nil {
			parts = append(parts, "parquet "+or(string(p.Compression), "SNAPPY"))
		}
		if p := o.Serializer.OrcSerDe; p != nil {
			parts = append(parts, "orc "+or(string(p.Compression), "SNAPPY"))
		}
	}
	if s := c.SchemaConfiguration; s != nil {
		parts = append(parts, aws.ToString(s.DatabaseName)+"."+aws.ToString(s.TableName))
	}
	return strings.Join(parts, " ")
}

func (ds *DeliveryStream) plan(ctx context.Context, e *env) (step, error) {
	dst := ds.ExtendedS3DestinationConfiguration
	srcType, srcARN := ftypes.DeliveryStreamTypeDirectPut, ""
	if src := ds.KinesisStreamSourceConfiguration; src != nil {
		srcType, srcARN = ftypes.DeliveryStreamTypeKinesisStreamAsSource, src.KinesisStreamARN
		if src.StreamName != "" {
			arn, err := e.streamARN(ctx, src.StreamName)
			if err != nil {
				return step{}, err
			}
			srcARN = arn
		}
	}
	out, err := e.c.Firehose.DescribeDeliveryStream(ctx, &firehose.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String(ds.Name)})
	if isNotFound(err) {
		return step{change: Change{Action: Create}, do: func(ctx context.Context) error {
			in := &firehose.CreateDeliveryStreamInput{DeliveryStreamName: aws.String(ds.Name), DeliveryStreamType: srcType,
				ExtendedS3DestinationConfiguration: &ftypes.ExtendedS3DestinationConfiguration{BucketARN: aws.String(dst.bucketARN()),
					RoleARN: aws.String(or(dst.RoleARN, DefaultRole)), Prefix: optional(dst.Prefix), ErrorOutputPrefix: optional(dst.ErrorOutputPrefix),
					BufferingHints: dst.hints(), CompressionFormat: ftypes.CompressionFormat(or(dst.CompressionFormat, "UNCOMPRESSED")),
					DataFormatConversionConfiguration: dst.conversion(), DynamicPartitioningConfiguration: dst.partitioning(),
					ProcessingConfiguration: dst.processing()}}
			if srcARN != "" {
				in.KinesisStreamSourceConfiguration = &ftypes.KinesisStreamSourceConfiguration{KinesisStreamARN: aws.String(srcARN),
					RoleARN: aws.String(or(ds.KinesisStreamSourceConfiguration.RoleARN, DefaultRole))}
			}
			if _, err := e.c.Firehose.CreateDeliveryStream(ctx, in); err != nil {
				return err
			}
			return e.poll(ctx, "delivery stream "+ds.Name+" to be ACTIVE", func(ctx context.Context) (bool, error) {
				out, err := e.c.Firehose.DescribeDeliveryStream(ctx, &firehose.DescribeDeliveryStreamInput{DeliveryStreamName: aws.String(ds.Name)})
				if err != nil {
					return false, err
				}
				st := out.DeliveryStreamDescription.DeliveryStreamStatus
				if st == ftypes.DeliveryStreamStatusCreatingFailed {
					return false, fmt.Errorf("delivery stream %s: %s", ds.Name, st)
				}
				return st == ftypes.DeliveryStreamStatusActive, nil
			})
		}}, nil
	}
	if err != nil {
		return step{}, err
	}
	desc := out.DeliveryStreamDescription
	var replace diff
	replace.str("delivery_stream_type", string(desc.DeliveryStreamType), string(srcType))
	haveSrc := ""
	if desc.Source != nil && desc.Source.KinesisStreamSourceDescription != nil {
		haveSrc = aws.ToString(desc.Source.KinesisStreamSourceDescription.KinesisStreamARN)
	}
	replace.str("kinesis_stream_source_configuration", haveSrc, srcARN)
	if len(desc.Destinations) != 1 || desc.Destinations[0].ExtendedS3DestinationDescription == nil {
		replace.str("extended_s3_destination_configuration", "another destination", "extended S3")
	} else {
		dp := desc.Destinations[0].ExtendedS3DestinationDescription.DynamicPartitioningConfiguration
		replace.str("extended_s3_destination_configuration.dynamic_partitioning_configuration.enabled",
			fmt.Sprint(dp != nil && aws.ToBool(dp.Enabled)), fmt.Sprint(dst.partitioned()))
	}
	if len(replace) > 0 {
		return step{change: Change{Action: Replace, Fields: replace}}, nil
	}
	have := desc.Destinations[0].ExtendedS3DestinationDescription
	const p = "extended_s3_destination_configuration."
	var d diff
	d.str(p+"bucket_arn", aws.ToString(have.BucketARN), dst.bucketARN())
	d.str(p+"prefix", aws.ToString(have.Prefix), dst.Prefix)
	d.str(p+"error_output_prefix", aws.ToString(have.ErrorOutputPrefix), dst.ErrorOutputPrefix)
	hints := dst.hints()
	if h := have.BufferingHints; h != nil {
		d.num(p+"buffering_hints.size_in_mbs", int(aws.ToInt32(h.SizeInMBs)), int(*hints.SizeInMBs))
		d.num(p+"buffering_hints.interval_in_seconds", int(aws.ToInt32(h.IntervalInSeconds)), int(*hints.IntervalInSeconds))
	}
	d.str(p+"compression_format", or(string(have.CompressionFormat), "UNCOMPRESSED"), or(dst.CompressionFormat, "UNCOMPRESSED"))
	d.str(p+"data_format_conversion_configuration", conversionString(have.DataFormatConversionConfiguration), conversionString(dst.conversion()))
	d.str(p+"dynamic_partitioning_configuration", partitioningString(have.DynamicPartitioningConfiguration), partitioningString(dst.partitioning()))
	d.str(p+"processing_configuration", processingString(have.ProcessingConfiguration), processingString(dst.processing()))
	return updateOrSame(d, func(ctx context.Context) error {
		upd := &ftypes.ExtendedS3DestinationUpdate{BucketARN: aws.String(dst.bucketARN()), RoleARN: aws.String(or(dst.RoleARN, DefaultRole)),
			Prefix: aws.String(dst.Prefix), ErrorOutputPrefix: aws.String(dst.ErrorOutputPrefix), BufferingHints: hints,
			CompressionFormat:                 ftypes.CompressionFormat(or(dst.CompressionFormat, "UNCOMPRESSED")),
			DataFormatConversionConfiguration: dst.conversion(), DynamicPartitioningConfiguration: dst.partitioning(),
			ProcessingConfiguration: dst.processing()}
		if upd.DataFormatConversionConfiguration == nil && have.DataFormatConversionConfiguration != nil {
			upd.DataFormatConversionConfiguration = &ftypes.DataFormatConversionConfiguration{Enabled: aws.Bool(false)}
		}
		if upd.ProcessingConfiguration == nil && have.ProcessingConfiguration != nil {
			upd.ProcessingConfiguration = &ftypes.ProcessingConfiguration{Enabled: aws.Bool(false), Processors: []ftypes.Processor{}}
		}
		_, err := e.c.Firehose.UpdateDestination(ctx, &firehose.UpdateDestinationInput{DeliveryStreamName: aws.String(ds.Name),
			CurrentDeliveryStreamVersionId: desc.VersionId, DestinationId: desc.Destinations[0].DestinationId, ExtendedS3DestinationUpdate: upd})
		return err
	}), nil
}

func optional(s string) *string {
	if s == "" {
		return nil
	}
	return aws.String(s)
}
