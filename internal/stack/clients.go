package stack

import (
	"context"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/firehose"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	"github.com/aws/aws-sdk-go-v2/service/lambda"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// DefaultRole is the role ARN used where the file names none (tarn does
// not check IAM).
const DefaultRole = "arn:aws:iam::000000000000:role/tarn"

// Clients are the AWS API clients Plan and Apply call. Every field but
// Dashboards must be set; NewClients fills them from one aws.Config.
type Clients struct {
	S3       *s3.Client
	Kinesis  *kinesis.Client
	Firehose *firehose.Client
	DynamoDB *dynamodb.Client
	Lambda   *lambda.Client
	Glue     *glue.Client
	// Dashboards stores dashboards; nil makes every dashboard an
	// ErrNoDashboards error.
	Dashboards DashboardAPI
	// Region and Account build ARNs of resources that do not exist yet
	// (for a dry run's plan). NewClients sets the config's region and
	// tarn's account 000000000000.
	Region, Account string
}

// NewClients returns clients for cfg (S3 in path style).
func NewClients(cfg aws.Config) Clients {
	return Clients{
		S3:       s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true }),
		Kinesis:  kinesis.NewFromConfig(cfg),
		Firehose: firehose.NewFromConfig(cfg),
		DynamoDB: dynamodb.NewFromConfig(cfg),
		Lambda:   lambda.NewFromConfig(cfg),
		Glue:     glue.NewFromConfig(cfg),
		Region:   cfg.Region,
		Account:  "000000000000",
	}
}

// DashboardAPI is where dashboards live (tarn's web UI, when built).
// Implementations must be safe for one caller at a time.
type DashboardAPI interface {
	// GetDashboard returns the stored dashboard; found is false if none.
	GetDashboard(ctx context.Context, name string) (d Dashboard, found bool, err error)
	// PutDashboard creates or replaces the dashboard named d.Name.
	PutDashboard(ctx context.Context, d Dashboard) error
}

func (e *env) arn(service, resource string) string {
	return "arn:aws:" + service + ":" + e.c.Region + ":" + e.c.Account + ":" + resource
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
