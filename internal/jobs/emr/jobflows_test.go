package emr

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/aws-sdk-go-v2/service/emr/types"
)

func TestDescribeJobFlows(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	done := h.run(t, "done", false, sqlStep("s", "", "spark-sql", "-e", "SELECT 1"))
	live := h.run(t, "live", true)
	h.waitState(t, done, types.ClusterStateTerminated)
	h.waitState(t, live, types.ClusterStateWaiting)

	out, err := h.client.DescribeJobFlows(ctx, &awsemr.DescribeJobFlowsInput{})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.JobFlows) != 2 {
		t.Fatalf("job flows = %d", len(out.JobFlows))
	}
	d := out.JobFlows[0]
	if *d.JobFlowId != done || d.ExecutionStatusDetail.State != types.JobFlowExecutionStateCompleted ||
		*d.Instances.MasterInstanceType != "m5.xlarge" || *d.Instances.InstanceCount != 3 || len(d.Instances.InstanceGroups) != 2 ||
		len(d.Steps) != 1 || d.Steps[0].ExecutionStatusDetail.State != types.StepExecutionStateCompleted ||
		*d.Steps[0].StepConfig.HadoopJarStep.Jar != "command-runner.jar" || *d.JobFlowRole != "EMR_EC2_DefaultRole" {
		t.Fatalf("done = %+v", d)
	}
	if s := out.JobFlows[1].ExecutionStatusDetail.State; s != types.JobFlowExecutionStateWaiting || !*out.JobFlows[1].Instances.KeepJobFlowAliveWhenNoSteps {
		t.Fatalf("live = %s", s)
	}
	// Two weeks on, the finished one drops out of the default answer but
	// is still there when asked for by state.
	h.clock.mu.Lock()
	h.clock.t = h.clock.t.Add(15 * 24 * time.Hour)
	h.clock.mu.Unlock()
	out, err = h.client.DescribeJobFlows(ctx, &awsemr.DescribeJobFlowsInput{})
	if err != nil || len(out.JobFlows) != 1 || *out.JobFlows[0].JobFlowId != live {
		t.Fatalf("default after two weeks = %+v %v", out, err)
	}
	out, err = h.client.DescribeJobFlows(ctx, &awsemr.DescribeJobFlowsInput{JobFlowStates: []types.JobFlowExecutionState{types.JobFlowExecutionStateCompleted}})
	if err != nil || len(out.JobFlows) != 1 || *out.JobFlows[0].JobFlowId != done {
		t.Fatalf("completed = %+v %v", out, err)
	}
	if _, err := h.client.TerminateJobFlows(ctx, &awsemr.TerminateJobFlowsInput{JobFlowIds: []string{live}}); err != nil {
		t.Fatal(err)
	}
	h.waitState(t, live, types.ClusterStateTerminated)
	out, err = h.client.DescribeJobFlows(ctx, &awsemr.DescribeJobFlowsInput{JobFlowIds: []string{live, "j-NOSUCHCLUSTER"}})
	if err != nil || len(out.JobFlows) != 1 || out.JobFlows[0].ExecutionStatusDetail.State != types.JobFlowExecutionStateTerminated ||
		aws.ToString(out.JobFlows[0].ExecutionStatusDetail.LastStateChangeReason) != "Terminated by user request" {
		t.Fatalf("by id = %+v %v", out, err)
	}
}
