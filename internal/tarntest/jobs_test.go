package tarntest

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/emr"
	emrtypes "github.com/aws/aws-sdk-go-v2/service/emr/types"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gltypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// A Glue SQL job reads its script from the lake and runs it on Athena's
// engine; with a bookmark its second run reads only the new file. An EMR
// spark-sql step queries what the job wrote. Both log through CloudWatch
// Logs / the lake as AWS does.
func TestGlueSQLJobAndEMRStep(t *testing.T) {
	env := Start(t)
	ctx := t.Context()
	s3c, gl, at := env.S3(), env.Glue(), env.Athena()
	put := func(key, body string) {
		t.Helper()
		if _, err := s3c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("lake"), Key: aws.String(key), Body: strings.NewReader(body)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s3c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("lake")}); err != nil {
		t.Fatal(err)
	}
	put("raw/sales/part-1.csv", "1,10.5\n2,0.0\n3,7.25\n")
	out := "s3://lake/athena-results/"
	runQuery(t, at, "CREATE DATABASE IF NOT EXISTS shop", out)
	runQuery(t, at, "CREATE EXTERNAL TABLE shop.sales_raw (id bigint, amount double) ROW FORMAT DELIMITED FIELDS TERMINATED BY ',' LOCATION 's3://lake/raw/sales/'", out)
	runQuery(t, at, "CREATE EXTERNAL TABLE shop.sales_silver (id bigint, amount double) STORED AS PARQUET LOCATION 's3://lake/silver/sales/'", out)
	put("scripts/silver.sql", "-- keep the paid lines\nINSERT INTO sales_silver SELECT id, amount FROM sales_raw WHERE amount > ${min_amount};\n")
	if _, err := gl.CreateJob(ctx, &glue.CreateJobInput{Name: aws.String("silver"), Role: aws.String("arn:aws:iam::000000000000:role/glue"),
		Command:          &gltypes.JobCommand{Name: aws.String("glueetl"), ScriptLocation: aws.String("s3://lake/scripts/silver.sql")},
		DefaultArguments: map[string]string{"--database": "shop", "--job-bookmark-option": "job-bookmark-enable", "--min_amount": "0"}}); err != nil {
		t.Fatal(err)
	}
	run := func() *gltypes.JobRun {
		t.Helper()
		st, err := gl.StartJobRun(ctx, &glue.StartJobRunInput{JobName: aws.String("silver")})
		if err != nil {
			t.Fatal(err)
		}
		for end := time.Now().Add(60 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
			r, err := gl.GetJobRun(ctx, &glue.GetJobRunInput{JobName: aws.String("silver"), RunId: st.JobRunId})
			if err != nil {
				t.Fatal(err)
			}
			switch r.JobRun.JobRunState {
			case gltypes.JobRunStateSucceeded:
				return r.JobRun
			case gltypes.JobRunStateFailed, gltypes.JobRunStateError, gltypes.JobRunStateTimeout, gltypes.JobRunStateStopped:
				t.Fatalf("job run %s: %s", r.JobRun.JobRunState, aws.ToString(r.JobRun.ErrorMessage))
			}
		}
		t.Fatal("job run did not finish")
		return nil
	}
	count := func() string {
		t.Helper()
		return fmt.Sprint(runQuery(t, at, "SELECT count(*), sum(amount) FROM sales_silver", out).rows[1])
	}
	first := run()
	if got := count(); got != "[2 17.75]" {
		t.Fatalf("after the first run: %s", got)
	}
	put("raw/sales/part-2.csv", "4,1.0\n")
	run()
	if got := count(); got != "[3 18.75]" {
		t.Fatalf("after the bookmarked second run (only the new file): %s", got)
	}
	logs, err := env.Logs().GetLogEvents(ctx, &cloudwatchlogs.GetLogEventsInput{LogGroupName: aws.String("/aws-glue/jobs/output"),
		LogStreamName: first.Id, StartFromHead: aws.Bool(true)})
	if err != nil || len(logs.Events) == 0 {
		t.Fatalf("job run output log: %v %+v", err, logs)
	}

	// EMR: a spark-sql step over the job's table, on a cluster that ends
	// after its steps.
	e := env.EMR()
	cl, err := e.RunJobFlow(ctx, &emr.RunJobFlowInput{Name: aws.String("report"), ReleaseLabel: aws.String("emr-7.1.0"),
		Instances: &emrtypes.JobFlowInstancesConfig{InstanceCount: aws.Int32(1), MasterInstanceType: aws.String("m5.xlarge")},
		LogUri:    aws.String("s3://lake/emr-logs/"),
		Steps: []emrtypes.StepConfig{{Name: aws.String("gold"), ActionOnFailure: emrtypes.ActionOnFailureTerminateCluster,
			HadoopJarStep: &emrtypes.HadoopJarStepConfig{Jar: aws.String("command-runner.jar"), Args: []string{"spark-sql", "--database", "shop",
				"-e", "CREATE TABLE gold_sales WITH (format = 'PARQUET', external_location = 's3://lake/gold/sales/') AS SELECT count(*) AS n FROM sales_silver"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	for end := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		d, err := e.DescribeCluster(ctx, &emr.DescribeClusterInput{ClusterId: cl.JobFlowId})
		if err != nil {
			t.Fatal(err)
		}
		if st := d.Cluster.Status.State; st == emrtypes.ClusterStateTerminated || st == emrtypes.ClusterStateTerminatedWithErrors {
			if st != emrtypes.ClusterStateTerminated {
				steps, _ := e.ListSteps(ctx, &emr.ListStepsInput{ClusterId: cl.JobFlowId})
				t.Fatalf("cluster %s: %+v", st, steps.Steps[0].Status)
			}
			break
		}
		if time.Now().After(end) {
			t.Fatal("cluster did not finish its step")
		}
	}
	if got := fmt.Sprint(runQuery(t, at, "SELECT n FROM gold_sales", out).rows[1]); got != "[3]" {
		t.Fatalf("gold table: %s", got)
	}
}
