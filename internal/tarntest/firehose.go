package tarntest

import "github.com/aws/aws-sdk-go-v2/service/firehose"

// Firehose returns an Amazon Data Firehose client for the platform (AWS
// JSON 1.1).
func (e *Env) Firehose(opts ...func(*firehose.Options)) *firehose.Client {
	return firehose.NewFromConfig(e.AWSConfig(), opts...)
}
