package firehose

import (
	"context"
	"strconv"
)

// updateDestination is UpdateDestination: the update's fields replace
// the current ones (BufferingHints field by field), the result is
// validated as a whole, and the version id advances. Records already
// buffered are delivered under the new configuration.
func (s *Service) updateDestination(ctx context.Context, in *updateInput) (*struct{}, error) {
	for _, u := range []struct {
		raw  []byte
		what string
	}{
		{in.RedshiftDestinationUpdate, "Redshift"}, {in.ElasticsearchDestinationUpdate, "Elasticsearch"},
		{in.AmazonopensearchserviceDestinationUpdate, "OpenSearch Service"},
		{in.AmazonOpenSearchServerlessDestinationUpdate, "OpenSearch Serverless"},
		{in.SplunkDestinationUpdate, "Splunk"}, {in.HttpEndpointDestinationUpdate, "HTTP endpoint"},
		{in.SnowflakeDestinationUpdate, "Snowflake"}, {in.IcebergDestinationUpdate, "Iceberg"},
	} {
		if present(u.raw) {
			return nil, errUnsupported("the " + u.what + " destination")
		}
	}
	if in.CurrentDeliveryStreamVersionId == "" {
		return nil, errValidation("currentDeliveryStreamVersionId", "null", "Member must not be null")
	}
	if in.DestinationId == "" {
		return nil, errValidation("destinationId", "null", "Member must not be null")
	}
	up := in.ExtendedS3DestinationUpdate
	switch {
	case up != nil && in.S3DestinationUpdate != nil:
		return nil, errInvalid("Only one destination update can be specified.")
	case up == nil:
		up = in.S3DestinationUpdate
	}
	if up == nil {
		return nil, errInvalid("A destination update must be specified (tarn supports ExtendedS3DestinationUpdate).")
	}
	d, err := s.lookup(ctx, in.DeliveryStreamName)
	if err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	m := d.meta
	if in.DestinationId != destinationID {
		return nil, errInvalid("Destination Id %s not found for firehose %s.", in.DestinationId, m.Name)
	}
	if in.CurrentDeliveryStreamVersionId != strconv.Itoa(m.Version) {
		return nil, errVersionMismatch(m.Name, in.CurrentDeliveryStreamVersionId, m.versionID())
	}
	wasDP := m.Dest.DynamicPartitioningConfiguration != nil && isTrue(m.Dest.DynamicPartitioningConfiguration.Enabled)
	next := merge(m.Dest, up)
	isDP := next.DynamicPartitioningConfiguration != nil && isTrue(next.DynamicPartitioningConfiguration.Enabled)
	if wasDP != isDP {
		return nil, errInvalid("Dynamic Partitioning cannot be enabled or disabled on an existing delivery stream.")
	}
	cfg, err := compile(&next, "extendedS3DestinationUpdate")
	if err != nil {
		return nil, err
	}
	if err := s.checkSchema(ctx, cfg); err != nil {
		return nil, err
	}
	m.Dest = next
	m.Version++
	m.Updated = s.clock.Now().UTC()
	if err := s.saveMeta(&m); err != nil {
		return nil, err
	}
	d.meta, d.cfg = m, cfg
	signal(d.notify)
	return &struct{}{}, nil
}

// merge applies an update's present fields to c.
func merge(c s3Config, u *s3Config) s3Config {
	if u.RoleARN != "" {
		c.RoleARN = u.RoleARN
	}
	if u.BucketARN != "" {
		c.BucketARN = u.BucketARN
	}
	if u.Prefix != nil {
		c.Prefix = u.Prefix
	}
	if u.ErrorOutputPrefix != nil {
		c.ErrorOutputPrefix = u.ErrorOutputPrefix
	}
	if h := u.BufferingHints; h != nil {
		nh := bufferingHints{}
		if c.BufferingHints != nil {
			nh = *c.BufferingHints
		}
		if h.SizeInMBs != nil {
			nh.SizeInMBs = h.SizeInMBs
		}
		if h.IntervalInSeconds != nil {
			nh.IntervalInSeconds = h.IntervalInSeconds
		}
		c.BufferingHints = &nh
	}
	if u.CompressionFormat != "" {
		c.CompressionFormat = u.CompressionFormat
	}
	if u.EncryptionConfiguration != nil {
		c.EncryptionConfiguration = u.EncryptionConfiguration
	}
	if u.CloudWatchLoggingOptions != nil {
		c.CloudWatchLoggingOptions = u.CloudWatchLoggingOptions
	}
	if u.ProcessingConfiguration != nil {
		c.ProcessingConfiguration = u.ProcessingConfiguration
	}
	if u.S3BackupMode != "" {
		c.S3BackupMode = u.S3BackupMode
	}
	if u.DataFormatConversionConfiguration != nil {
		c.DataFormatConversionConfiguration = u.DataFormatConversionConfiguration
	}
	if u.DynamicPartitioningConfiguration != nil {
		c.DynamicPartitioningConfiguration = u.DynamicPartitioningConfiguration
	}
	if u.FileExtension != nil {
		c.FileExtension = u.FileExtension
	}
	if u.CustomTimeZone != nil {
		c.CustomTimeZone = u.CustomTimeZone
	}
	c.S3BackupConfiguration, c.S3BackupUpdate = nil, u.S3BackupUpdate
	return c
}
