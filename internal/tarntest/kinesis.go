package tarntest

import "github.com/aws/aws-sdk-go-v2/service/kinesis"

// Kinesis returns a Kinesis Data Streams client for the platform (AWS
// JSON 1.1, the Go SDK's protocol).
func (e *Env) Kinesis(opts ...func(*kinesis.Options)) *kinesis.Client {
	return kinesis.NewFromConfig(e.AWSConfig(), opts...)
}
