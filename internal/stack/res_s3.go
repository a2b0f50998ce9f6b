package stack

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func (b *Bucket) plan(ctx context.Context, e *env) (step, error) {
	_, err := e.c.S3.HeadBucket(ctx, &s3.HeadBucketInput{Bucket: aws.String(b.Name)})
	if err == nil {
		return step{change: Change{Action: Unchanged}}, nil
	}
	if !isNotFound(err) {
		return step{}, err
	}
	return step{change: Change{Action: Create}, do: func(ctx context.Context) error {
		in := &s3.CreateBucketInput{Bucket: aws.String(b.Name)}
		if e.c.Region != "" && e.c.Region != "us-east-1" {
			in.CreateBucketConfiguration = &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraint(e.c.Region)}
		}
		_, err := e.c.S3.CreateBucket(ctx, in)
		return err
	}}, nil
}

// lambdaRule is a LambdaFunctionConfiguration reduced to what the file
// says, for comparison.
type lambdaRule struct {
	ID, ARN, Prefix, Suffix string
	Events                  []string
}

func (r lambdaRule) String() string {
	s := r.ID + "→" + r.ARN[strings.LastIndex(r.ARN, ":")+1:] + " " + strings.Join(r.Events, ",")
	if r.Prefix != "" {
		s += " prefix=" + r.Prefix
	}
	if r.Suffix != "" {
		s += " suffix=" + r.Suffix
	}
	return s
}

func (n *BucketNotification) want(ctx context.Context, e *env) ([]lambdaRule, error) {
	var rules []lambdaRule
	for _, c := range n.LambdaFunctionConfigurations {
		r := lambdaRule{ID: c.ID, ARN: c.LambdaFunctionARN, Prefix: c.Prefix, Suffix: c.Suffix, Events: slices.Sorted(slices.Values(c.Events))}
		if r.ARN == "" {
			arn, err := e.functionARN(ctx, c.Function)
			if err != nil {
				return nil, err
			}
			r.ARN = arn
		}
		if r.ID == "" {
			r.ID = or(c.Function, r.ARN[strings.LastIndex(r.ARN, ":")+1:])
		}
		if c.Filter != nil {
			for _, f := range c.Filter.Key.FilterRules {
				if strings.EqualFold(f.Name, "prefix") {
					r.Prefix = f.Value
				} else {
					r.Suffix = f.Value
				}
			}
		}
		rules = append(rules, r)
	}
	return rules, nil
}

func haveRules(cfgs []s3types.LambdaFunctionConfiguration) []lambdaRule {
	var rules []lambdaRule
	for _, c := range cfgs {
		r := lambdaRule{ID: aws.ToString(c.Id), ARN: aws.ToString(c.LambdaFunctionArn)}
		for _, ev := range c.Events {
			r.Events = append(r.Events, string(ev))
		}
		slices.Sort(r.Events)
		if c.Filter != nil && c.Filter.Key != nil {
			for _, f := range c.Filter.Key.FilterRules {
				if strings.EqualFold(string(f.Name), "prefix") {
					r.Prefix = aws.ToString(f.Value)
				} else {
					r.Suffix = aws.ToString(f.Value)
				}
			}
		}
		rules = append(rules, r)
	}
	return rules
}

func (n *BucketNotification) plan(ctx context.Context, e *env) (step, error) {
	want, err := n.want(ctx, e)
	if err != nil {
		return step{}, err
	}
	cur, err := e.c.S3.GetBucketNotificationConfiguration(ctx, &s3.GetBucketNotificationConfigurationInput{Bucket: aws.String(n.Bucket)})
	if err != nil {
		if e.dryRun && isNotFound(err) { // the bucket comes earlier in this run
			return step{change: Change{Action: Create}}, nil
		}
		return step{}, err
	}
	have := haveRules(cur.LambdaFunctionConfigurations)
	if reflect.DeepEqual(have, want) {
		return step{change: Change{Action: Unchanged}}, nil
	}
	do := func(ctx context.Context) error {
		cfg := &s3types.NotificationConfiguration{TopicConfigurations: cur.TopicConfigurations,
			QueueConfigurations: cur.QueueConfigurations, EventBridgeConfiguration: cur.EventBridgeConfiguration}
		for _, r := range want {
			c := s3types.LambdaFunctionConfiguration{Id: aws.String(r.ID), LambdaFunctionArn: aws.String(r.ARN)}
			for _, ev := range r.Events {
				c.Events = append(c.Events, s3types.Event(ev))
			}
			var fr []s3types.FilterRule
			if r.Prefix != "" {
				fr = append(fr, s3types.FilterRule{Name: s3types.FilterRuleNamePrefix, Value: aws.String(r.Prefix)})
			}
			if r.Suffix != "" {
				fr = append(fr, s3types.FilterRule{Name: s3types.FilterRuleNameSuffix, Value: aws.String(r.Suffix)})
			}
			if fr != nil {
				c.Filter = &s3types.NotificationConfigurationFilter{Key: &s3types.S3KeyFilter{FilterRules: fr}}
			}
			cfg.LambdaFunctionConfigurations = append(cfg.LambdaFunctionConfigurations, c)
		}
		_, err := e.c.S3.PutBucketNotificationConfiguration(ctx, &s3.PutBucketNotificationConfigurationInput{
			Bucket: aws.String(n.Bucket), NotificationConfiguration: cfg})
		return err
	}
	if len(have) == 0 {
		return step{change: Change{Action: Create}, do: do}, nil
	}
	return step{change: Change{Action: Update, Fields: []FieldChange{{"lambda_function_configurations", rulesString(have), rulesString(want)}}}, do: do}, nil
}

func rulesString(rs []lambdaRule) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.String()
	}
	return fmt.Sprintf("[%s]", strings.Join(parts, "; "))
}
