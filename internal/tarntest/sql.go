package tarntest

import (
	"github.com/aws/aws-sdk-go-v2/service/athena"
	"github.com/aws/aws-sdk-go-v2/service/glue"
)

// Glue returns a Glue (Data Catalog and crawlers) client for the platform.
func (e *Env) Glue(opts ...func(*glue.Options)) *glue.Client {
	return glue.NewFromConfig(e.AWSConfig(), opts...)
}

// Athena returns an Athena client for the platform.
func (e *Env) Athena(opts ...func(*athena.Options)) *athena.Client {
	return athena.NewFromConfig(e.AWSConfig(), opts...)
}
