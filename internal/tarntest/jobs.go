package tarntest

import (
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/emr"
)

// EMR returns an EMR client for the platform.
func (e *Env) EMR(opts ...func(*emr.Options)) *emr.Client {
	return emr.NewFromConfig(e.AWSConfig(), opts...)
}

// Logs returns a CloudWatch Logs client for the platform.
func (e *Env) Logs(opts ...func(*cloudwatchlogs.Options)) *cloudwatchlogs.Client {
	return cloudwatchlogs.NewFromConfig(e.AWSConfig(), opts...)
}
