package tarntest

import (
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodbstreams"
)

// DynamoDB returns a DynamoDB client for the platform (AWS JSON 1.0; the
// SDK checks each response's X-Amz-Crc32).
func (e *Env) DynamoDB(opts ...func(*dynamodb.Options)) *dynamodb.Client {
	return dynamodb.NewFromConfig(e.AWSConfig(), opts...)
}

// DynamoDBStreams returns a DynamoDB Streams client for the platform.
func (e *Env) DynamoDBStreams(opts ...func(*dynamodbstreams.Options)) *dynamodbstreams.Client {
	return dynamodbstreams.NewFromConfig(e.AWSConfig(), opts...)
}
