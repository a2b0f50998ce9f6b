package stack

import (
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	ftypes "github.com/aws/aws-sdk-go-v2/service/firehose/types"
)

// Firehose's defaults for dynamic partitioning.
const (
	defaultDPBufferMB = 128 // with dynamic partitioning or format conversion
	minDPBufferMB     = 64
	defaultDPRetry    = 300
)

// partitioned reports whether the file turns dynamic partitioning on.
func (d *S3Destination) partitioned() bool {
	p := d.DynamicPartitioningConfiguration
	return p != nil && (p.Enabled == nil || *p.Enabled)
}

// converts reports whether the file turns format conversion on.
func (d *S3Destination) converts() bool {
	c := d.DataFormatConversionConfiguration
	return c != nil && (c.Enabled == nil || *c.Enabled)
}

// partitioning is the DynamicPartitioningConfiguration sent, nil when the
// file has none.
func (d *S3Destination) partitioning() *ftypes.DynamicPartitioningConfiguration {
	p := d.DynamicPartitioningConfiguration
	if p == nil {
		return nil
	}
	out := &ftypes.DynamicPartitioningConfiguration{Enabled: aws.Bool(d.partitioned())}
	if r := p.RetryOptions; r != nil && r.DurationInSeconds != nil {
		out.RetryOptions = &ftypes.RetryOptions{DurationInSeconds: aws.Int32(int32(*r.DurationInSeconds))}
	}
	return out
}

// partitioningString renders what the file controls of a
// DynamicPartitioningConfiguration: "off" or "on, retry 300s".
func partitioningString(p *ftypes.DynamicPartitioningConfiguration) string {
	if p == nil || !aws.ToBool(p.Enabled) {
		return "off"
	}
	retry := defaultDPRetry
	if p.RetryOptions != nil && p.RetryOptions.DurationInSeconds != nil {
		retry = int(*p.RetryOptions.DurationInSeconds)
	}
	return fmt.Sprintf("on, retry %ds", retry)
}

// processing is the ProcessingConfiguration sent, nil when the file has
// none.
func (d *S3Destination) processing() *ftypes.ProcessingConfiguration {
	p := d.ProcessingConfiguration
	if p == nil {
		return nil
	}
	out := &ftypes.ProcessingConfiguration{Enabled: aws.Bool(p.Enabled == nil || *p.Enabled), Processors: []ftypes.Processor{}}
	for _, pr := range p.Processors {
		fp := ftypes.Processor{Type: ftypes.ProcessorType(pr.Type)}
		for _, kv := range pr.Parameters {
			fp.Parameters = append(fp.Parameters, ftypes.ProcessorParameter{ParameterName: ftypes.ProcessorParameterName(kv.ParameterName),
				ParameterValue: aws.String(kv.ParameterValue)})
		}
		out.Processors = append(out.Processors, fp)
	}
	return out
}

// processingString renders a ProcessingConfiguration: "off" or
// "MetadataExtraction(MetadataExtractionQuery={dt: .ts[0:10]},
// JsonParsingEngine=JQ-1.6)", processors separated by "; ".
func processingString(p *ftypes.ProcessingConfiguration) string {
	if p == nil || !aws.ToBool(p.Enabled) {
		return "off"
	}
	parts := make([]string, len(p.Processors))
	for i, pr := range p.Processors {
		kvs := make([]string, len(pr.Parameters))
		for j, kv := range pr.Parameters {
			kvs[j] = string(kv.ParameterName) + "=" + aws.ToString(kv.ParameterValue)
		}
		parts[i] = string(pr.Type) + "(" + strings.Join(kvs, ", ") + ")"
	}
	if len(parts) == 0 {
		return "on, no processors"
	}
	return strings.Join(parts, "; ")
}
