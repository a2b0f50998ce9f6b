package tarntest

import "github.com/aws/aws-sdk-go-v2/service/lambda"

// Lambda returns a Lambda client for the platform.
func (e *Env) Lambda(opts ...func(*lambda.Options)) *lambda.Client {
	return lambda.NewFromConfig(e.AWSConfig(), opts...)
}
