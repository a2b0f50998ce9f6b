package firehose

import (
	"context"
	"errors"
	"regexp"
	"sort"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
)

var kinesisARNPattern = regexp.MustCompile(`^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\d{12}:stream/[a-zA-Z0-9_.-]{1,128}$`)

// createDeliveryStream validates the whole request (refusing by name
// what tarn does not implement), stores the stream as CREATING, starts
// its delivery and makes it ACTIVE.
func (s *Service) createDeliveryStream(ctx context.Context, in *createInput) (*createOutput, error) {
	if err := validName(in.DeliveryStreamName); err != nil {
		return nil, err
	}
	for _, u := range []struct {
		raw  []byte
		what string
	}{
		{in.RedshiftDestinationConfiguration, "the Redshift destination"},
		{in.ElasticsearchDestinationConfiguration, "the Elasticsearch destination"},
		{in.AmazonopensearchserviceDestinationConfiguration, "the OpenSearch Service destination"},
		{in.AmazonOpenSearchServerlessDestinationConfiguration, "the OpenSearch Serverless destination"},
		{in.SplunkDestinationConfiguration, "the Splunk destination"},
		{in.HttpEndpointDestinationConfiguration, "the HTTP endpoint destination"},
		{in.SnowflakeDestinationConfiguration, "the Snowflake destination"},
		{in.IcebergDestinationConfiguration, "the Iceberg destination"},
		{in.MSKSourceConfiguration, "the MSK source"},
		{in.DatabaseSourceConfiguration, "the database source"},
		{in.DeliveryStreamEncryptionConfigurationInput, "server-side encryption of delivery streams"},
	} {
		if present(u.raw) {
			return nil, errUnsupported(u.what + " (tarn delivers into its lake through ExtendedS3DestinationConfiguration)")
		}
	}
	m := streamMeta{Name: in.DeliveryStreamName, Region: s.regionOf(ctx), Type: in.DeliveryStreamType, Status: statusCreating, Version: 1, Tags: in.Tags}
	switch m.Type {
	case "", typeDirectPut:
		m.Type = typeDirectPut
		if in.KinesisStreamSourceConfiguration != nil {
			return nil, errInvalid("KinesisStreamSourceConfiguration is only allowed for DeliveryStreamType KinesisStreamAsSource.")
		}
	case typeKinesisSource:
		src := in.KinesisStreamSourceConfiguration
		if src == nil {
			return nil, errInvalid("KinesisStreamSourceConfiguration is required for DeliveryStreamType KinesisStreamAsSource.")
		}
		if s.kinesis == nil {
			return nil, errUnsupported("KinesisStreamAsSource in this configuration (no Kinesis service)")
		}
		if !kinesisARNPattern.MatchString(src.KinesisStreamARN) {
			return nil, errInvalid("KinesisStreamARN %s is not a valid Kinesis stream ARN.", src.KinesisStreamARN)
		}
		if _, err := s.kinesis.Shards(ctx, src.KinesisStreamARN); err != nil {
			if errors.Is(err, ErrSourceNotFound) {
				return nil, errInvalid("Kinesis stream %s does not exist.", src.KinesisStreamARN)
			}
			if errors.Is(err, ErrSourceNotActive) {
				return nil, errInvalid("Kinesis stream %s is not ACTIVE.", src.KinesisStreamARN)
			}
			return nil, err
		}
		m.Source = src
	case "MSKAsSource", "DatabaseAsSource":
		return nil, errUnsupported("DeliveryStreamType " + m.Type)
	default:
		return nil, errValidation("deliveryStreamType", m.Type, "Member must satisfy enum value set: [DatabaseAsSource, DirectPut, KinesisStreamAsSource, MSKAsSource]")
	}
	if present(in.DirectPutSourceConfiguration) && m.Type != typeDirectPut {
		return nil, errInvalid("DirectPutSourceConfiguration is only allowed for DeliveryStreamType DirectPut.")
	}
	field, dest := "extendedS3DestinationConfiguration", in.ExtendedS3DestinationConfiguration
	switch {
	case dest != nil && in.S3DestinationConfiguration != nil:
		return nil, errInvalid("Only one destination configuration can be specified.")
	case dest == nil && in.S3DestinationConfiguration != nil:
		field, dest = "s3DestinationConfiguration", in.S3DestinationConfiguration
	case dest == nil:
		return nil, errInvalid("A destination configuration must be specified (tarn supports ExtendedS3DestinationConfiguration).")
	}
	cfg, err := compile(dest, field)
	if err != nil {
		return nil, err
	}
	if err := s.checkSchema(ctx, cfg); err != nil {
		return nil, err
	}
	m.Dest = *dest
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return nil, errStopped
	}
	key := m.Region + "/" + m.Name
	if s.streams[key] != nil {
		return nil, errStreamExists(m.Name)
	}
	now := s.clock.Now().UTC()
	m.Epoch = max(now.UnixMicro(), s.lastEpoch+1)
	s.lastEpoch = m.Epoch
	m.Created, m.DeliveryStart = now, now
	if m.Type != typeKinesisSource {
		m.DeliveryStart = time.Time{}
	}
	if err := s.saveMeta(&m); err != nil {
		return nil, err
	}
	d, err := s.newDeliveryStream(m)
	if err != nil {
		return nil, err
	}
	m.Status = statusActive
	if err := s.saveMeta(&m); err != nil {
		return nil, err
	}
	d.meta.Status = statusActive
	s.streams[key] = d
	d.start()
	return &createOutput{DeliveryStreamARN: m.arn()}, nil
}

// deleteDeliveryStream stops delivery and removes the stream, its
// buffered records and source positions in one atomic batch. Records not
// yet delivered are discarded, as AWS does.
func (s *Service) deleteDeliveryStream(ctx context.Context, in *deleteInput) (*struct{}, error) {
	if err := validName(in.DeliveryStreamName); err != nil {
		return nil, err
	}
	key := s.regionOf(ctx) + "/" + in.DeliveryStreamName
	s.mu.Lock()
	d := s.streams[key]
	delete(s.streams, key)
	s.mu.Unlock()
	if d == nil {
		return nil, errStreamNotFound(in.DeliveryStreamName)
	}
	d.writers.Lock()
	d.deleted = true
	d.writers.Unlock()
	if err := d.stop(ctx); err != nil {
		return nil, err
	}
	b := s.db.NewBatch()
	defer b.Close()
	b.Delete(s.meta, metaKey(d.meta.Region, d.meta.Name))
	for _, p := range [][]byte{bufStreamPrefix(d.meta.Epoch), kposStreamPrefix(d.meta.Epoch)} {
		if err := scan(s.meta, p, func(k, _ []byte) error { b.Delete(s.meta, k); return nil }); err != nil {
			return nil, err
		}
	}
	return &struct{}{}, b.Commit()
}

func (s *Service) describeDeliveryStream(ctx context.Context, in *describeInput) (*describeOutput, error) {
	if in.Limit != nil && (*in.Limit < 1 || *in.Limit > 10000) {
		return nil, errValidation("limit", *in.Limit, "Member must have value between 1 and 10000")
	}
	d, err := s.lookup(ctx, in.DeliveryStreamName)
	if err != nil {
		return nil, err
	}
	cfg, m := d.snapshot()
	out := streamDescription{
		DeliveryStreamName: m.Name, DeliveryStreamARN: m.arn(), DeliveryStreamStatus: m.Status,
		DeliveryStreamType: m.Type, VersionId: m.versionID(), CreateTimestamp: awsjson.Timestamp(m.Created),
	}
	if !m.Updated.IsZero() {
		t := awsjson.Timestamp(m.Updated)
		out.LastUpdateTimestamp = &t
	}
	if m.Source != nil {
		t := awsjson.Timestamp(m.DeliveryStart)
		out.Source = &sourceDescription{KinesisStreamSourceDescription: &kinesisSourceDescription{
			KinesisStreamARN: m.Source.KinesisStreamARN, RoleARN: m.Source.RoleARN, DeliveryStartTimestamp: &t}}
	}
	if in.ExclusiveStartDestinationId != destinationID {
		out.Destinations = []destinationDescription{describeDest(&m.Dest, cfg)}
	} else {
		out.Destinations = []destinationDescription{}
	}
	return &describeOutput{DeliveryStreamDescription: out}, nil
}

func describeDest(c *s3Config, cfg *destConfig) destinationDescription {
	size, interval := cfg.sizeBytes>>20, int(cfg.interval/time.Second)
	base := s3Description{
		RoleARN: c.RoleARN, BucketARN: c.BucketARN, Prefix: c.Prefix, ErrorOutputPrefix: c.ErrorOutputPrefix,
		BufferingHints:           bufferingHints{SizeInMBs: &size, IntervalInSeconds: &interval},
		CompressionFormat:        c.CompressionFormat,
		EncryptionConfiguration:  encryptionConfig{NoEncryptionConfig: "NoEncryption"},
		CloudWatchLoggingOptions: &cloudWatchLogging{Enabled: false},
	}
	if base.CompressionFormat == "" {
		base.CompressionFormat = "UNCOMPRESSED"
	}
	ext := &extendedS3Description{s3Description: base, ProcessingConfiguration: c.ProcessingConfiguration,
		S3BackupMode: "Disabled", DynamicPartitioningConfiguration: c.DynamicPartitioningConfiguration,
		DataFormatConversionConfiguration: c.DataFormatConversionConfiguration,
		FileExtension:                     c.FileExtension, CustomTimeZone: c.CustomTimeZone}
	plain := base
	return destinationDescription{DestinationId: destinationID, S3DestinationDescription: &plain, ExtendedS3DestinationDescription: ext}
}

func (s *Service) listDeliveryStreams(ctx context.Context, in *listInput) (*listOutput, error) {
	limit := 10
	if in.Limit != nil {
		if *in.Limit < 1 || *in.Limit > 10000 {
			return nil, errValidation("limit", *in.Limit, "Member must have value between 1 and 10000")
		}
		limit = *in.Limit
	}
	switch in.DeliveryStreamType {
	case "", typeDirectPut, typeKinesisSource, "MSKAsSource", "DatabaseAsSource":
	default:
		return nil, errValidation("deliveryStreamType", in.DeliveryStreamType, "Member must satisfy enum value set: [DatabaseAsSource, DirectPut, KinesisStreamAsSource, MSKAsSource]")
	}
	region := s.regionOf(ctx)
	var names []string
	s.mu.RLock()
	for _, d := range s.streams {
		_, m := d.snapshot()
		if m.Region == region && (in.DeliveryStreamType == "" || in.DeliveryStreamType == m.Type) && m.Name > in.ExclusiveStartDeliveryStreamName {
			names = append(names, m.Name)
		}
	}
	s.mu.RUnlock()
	sort.Strings(names)
	out := &listOutput{DeliveryStreamNames: names}
	if len(names) > limit {
		out.DeliveryStreamNames, out.HasMoreDeliveryStreams = names[:limit], true
	}
	if out.DeliveryStreamNames == nil {
		out.DeliveryStreamNames = []string{}
	}
	return out, nil
}
