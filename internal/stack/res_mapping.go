package stack

import (
	"context"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	ltypes "github.com/aws/aws-sdk-go-v2/service/lambda/types"
)

const defaultBatchSize = 100

func (m *EventSourceMapping) source(ctx context.Context, e *env) (string, error) {
	switch {
	case m.Stream != "":
		return e.streamARN(ctx, m.Stream)
	case m.Table != "":
		return e.tableStreamARN(ctx, m.Table)
	}
	return m.EventSourceARN, nil
}

func (m *EventSourceMapping) enabled() bool { return m.Enabled == nil || *m.Enabled }

func (m *EventSourceMapping) plan(ctx context.Context, e *env) (step, error) {
	arn, err := m.source(ctx, e)
	if err != nil {
		return step{}, err
	}
	fnARN, err := e.functionARN(ctx, m.FunctionName)
	if err != nil {
		return step{}, err
	}
	var cur *ltypes.EventSourceMappingConfiguration
	list, err := e.c.Lambda.ListEventSourceMappings(ctx, &lambda.ListEventSourceMappingsInput{
		FunctionName: aws.String(fnARN), EventSourceArn: aws.String(arn)})
	switch {
	case err == nil && len(list.EventSourceMappings) > 0:
		cur = &list.EventSourceMappings[0]
	case err != nil && !(e.dryRun && isNotFound(err)):
		return step{}, err
	}
	if cur == nil {
		return step{change: Change{Action: Create}, do: func(ctx context.Context) error {
			in := &lambda.CreateEventSourceMappingInput{FunctionName: aws.String(m.FunctionName), EventSourceArn: aws.String(arn),
				StartingPosition: ltypes.EventSourcePosition(or(m.StartingPosition, "LATEST")), Enabled: aws.Bool(m.enabled()),
				BatchSize: aws.Int32(int32(cmpOr(m.BatchSize, defaultBatchSize)))}
			if m.MaximumBatchingWindowInSeconds > 0 {
				in.MaximumBatchingWindowInSeconds = aws.Int32(int32(m.MaximumBatchingWindowInSeconds))
			}
			out, err := e.c.Lambda.CreateEventSourceMapping(ctx, in)
			if err != nil {
				return err
			}
			return e.waitMapping(ctx, aws.ToString(out.UUID))
		}}, nil
	}
	var replace diff
	replace.str("starting_position", string(cur.StartingPosition), or(m.StartingPosition, "LATEST"))
	if len(replace) > 0 {
		return step{change: Change{Action: Replace, Fields: replace}}, nil
	}
	var d diff
	d.num("batch_size", int(aws.ToInt32(cur.BatchSize)), cmpOr(m.BatchSize, defaultBatchSize))
	d.num("maximum_batching_window_in_seconds", int(aws.ToInt32(cur.MaximumBatchingWindowInSeconds)), m.MaximumBatchingWindowInSeconds)
	haveOn := aws.ToString(cur.State) == "Enabled" || aws.ToString(cur.State) == "Enabling"
	d.str("enabled", fmt.Sprint(haveOn), fmt.Sprint(m.enabled()))
	return updateOrSame(d, func(ctx context.Context) error {
		_, err := e.c.Lambda.UpdateEventSourceMapping(ctx, &lambda.UpdateEventSourceMappingInput{UUID: cur.UUID,
			BatchSize: aws.Int32(int32(cmpOr(m.BatchSize, defaultBatchSize))), Enabled: aws.Bool(m.enabled()),
			MaximumBatchingWindowInSeconds: aws.Int32(int32(m.MaximumBatchingWindowInSeconds))})
		if err != nil {
			return err
		}
		return e.waitMapping(ctx, aws.ToString(cur.UUID))
	}), nil
}

// waitMapping waits until the mapping has left its transitional states.
func (e *env) waitMapping(ctx context.Context, uuid string) error {
	return e.poll(ctx, "event source mapping "+uuid, func(ctx context.Context) (bool, error) {
		out, err := e.c.Lambda.GetEventSourceMapping(ctx, &lambda.GetEventSourceMappingInput{UUID: aws.String(uuid)})
		if err != nil {
			return false, err
		}
		st := aws.ToString(out.State)
		return st == "Enabled" || st == "Disabled", nil
	})
}
