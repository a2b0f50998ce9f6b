package stack

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	ktypes "github.com/aws/aws-sdk-go-v2/service/kinesis/types"
)

func (s *Stream) mode() string { return or(s.StreamMode, "PROVISIONED") }

func (s *Stream) shards() int {
	if s.Shards == 0 {
		return 1
	}
	return s.Shards
}

func (s *Stream) retention() int {
	if s.RetentionPeriodHours == 0 {
		return 24
	}
	return s.RetentionPeriodHours
}

// waitStream waits until the stream is ACTIVE and returns its summary.
func (e *env) waitStream(ctx context.Context, name string) (*ktypes.StreamDescriptionSummary, error) {
	var sum *ktypes.StreamDescriptionSummary
	err := e.poll(ctx, "stream "+name+" to be ACTIVE", func(ctx context.Context) (bool, error) {
		out, err := e.c.Kinesis.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
		if err != nil {
			return false, err
		}
		sum = out.StreamDescriptionSummary
		return sum.StreamStatus == ktypes.StreamStatusActive, nil
	})
	return sum, err
}

// streamARN is the ARN of the named stream (a constructed one in a dry
// run where the stream does not exist yet).
func (e *env) streamARN(ctx context.Context, name string) (string, error) {
	out, err := e.c.Kinesis.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(name)})
	if err != nil {
		if e.dryRun && isNotFound(err) {
			return e.arn("kinesis", "stream/"+name), nil
		}
		return "", err
	}
	return aws.ToString(out.StreamDescriptionSummary.StreamARN), nil
}

func (s *Stream) plan(ctx context.Context, e *env) (step, error) {
	out, err := e.c.Kinesis.DescribeStreamSummary(ctx, &kinesis.DescribeStreamSummaryInput{StreamName: aws.String(s.Name)})
	if isNotFound(err) {
		return step{change: Change{Action: Create}, do: func(ctx context.Context) error {
			in := &kinesis.CreateStreamInput{StreamName: aws.String(s.Name),
				StreamModeDetails: &ktypes.StreamModeDetails{StreamMode: ktypes.StreamMode(s.mode())}}
			if s.mode() == "PROVISIONED" {
				in.ShardCount = aws.Int32(int32(s.shards()))
			}
			if _, err := e.c.Kinesis.CreateStream(ctx, in); err != nil {
				return err
			}
			if _, err := e.waitStream(ctx, s.Name); err != nil {
				return err
			}
			return s.setRetention(ctx, e, 24)
		}}, nil
	}
	if err != nil {
		return step{}, err
	}
	sum := out.StreamDescriptionSummary
	if sum.StreamStatus != ktypes.StreamStatusActive && !e.dryRun {
		if sum, err = e.waitStream(ctx, s.Name); err != nil {
			return step{}, err
		}
	}
	var d diff
	haveMode := "PROVISIONED"
	if sum.StreamModeDetails != nil {
		haveMode = string(sum.StreamModeDetails.StreamMode)
	}
	d.str("stream_mode", haveMode, s.mode())
	if s.mode() == "PROVISIONED" {
		d.num("shards", int(aws.ToInt32(sum.OpenShardCount)), s.shards())
	}
	d.num("retention_period_hours", int(aws.ToInt32(sum.RetentionPeriodHours)), s.retention())
	return updateOrSame(d, func(ctx context.Context) error {
		if haveMode != s.mode() {
			if _, err := e.c.Kinesis.UpdateStreamMode(ctx, &kinesis.UpdateStreamModeInput{StreamARN: sum.StreamARN,
				StreamModeDetails: &ktypes.StreamModeDetails{StreamMode: ktypes.StreamMode(s.mode())}}); err != nil {
				return err
			}
			if _, err := e.waitStream(ctx, s.Name); err != nil {
				return err
			}
		}
		if s.mode() == "PROVISIONED" && int(aws.ToInt32(sum.OpenShardCount)) != s.shards() {
			if _, err := e.c.Kinesis.UpdateShardCount(ctx, &kinesis.UpdateShardCountInput{StreamName: aws.String(s.Name),
				TargetShardCount: aws.Int32(int32(s.shards())), ScalingType: ktypes.ScalingTypeUniformScaling}); err != nil {
				return err
			}
			if _, err := e.waitStream(ctx, s.Name); err != nil {
				return err
			}
		}
		return s.setRetention(ctx, e, int(aws.ToInt32(sum.RetentionPeriodHours)))
	}), nil
}

func (s *Stream) setRetention(ctx context.Context, e *env, have int) error {
	want := s.retention()
	var err error
	switch {
	case want > have:
		_, err = e.c.Kinesis.IncreaseStreamRetentionPeriod(ctx, &kinesis.IncreaseStreamRetentionPeriodInput{
			StreamName: aws.String(s.Name), RetentionPeriodHours: aws.Int32(int32(want))})
	case want < have:
		_, err = e.c.Kinesis.DecreaseStreamRetentionPeriod(ctx, &kinesis.DecreaseStreamRetentionPeriodInput{
			StreamName: aws.String(s.Name), RetentionPeriodHours: aws.Int32(int32(want))})
	default:
		return nil
	}
	if err != nil {
		return err
	}
	_, err = e.waitStream(ctx, s.Name)
	return err
}
