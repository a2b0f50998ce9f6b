package emr

import (
	"context"
	"regexp"
	"slices"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/aws-sdk-go-v2/service/emr/types"
)

var (
	clusterIDRe = regexp.MustCompile(`^j-[A-Z0-9]{13}$`)
	stepIDRe    = regexp.MustCompile(`^s-[A-Z0-9]{13}$`)
)

func TestLifecycleAutoTerminate(t *testing.T) {
	h := newHarness(t)
	id := h.run(t, "transient", false,
		sqlStep("one", "", "spark-sql", "-e", "SELECT 1; SELECT 2"),
		sqlStep("two", types.ActionOnFailureContinue, "spark-sql", "-e", "SELECT 3"))
	if !clusterIDRe.MatchString(id) {
		t.Fatalf("cluster id %q", id)
	}
	c := h.waitState(t, id, types.ClusterStateTerminated)
	if c.Status.StateChangeReason.Code != types.ClusterStateChangeReasonCodeAllStepsCompleted ||
		*c.Status.StateChangeReason.Message != "Steps completed" {
		t.Fatalf("reason = %+v", c.Status.StateChangeReason)
	}
	tl := c.Status.Timeline
	if tl.CreationDateTime == nil || tl.ReadyDateTime == nil || tl.EndDateTime == nil ||
		!tl.CreationDateTime.Before(*tl.ReadyDateTime) || !tl.ReadyDateTime.Before(*tl.EndDateTime) {
		t.Fatalf("timeline = %+v", tl)
	}
	if *c.ClusterArn != "arn:aws:elasticmapreduce:us-east-1:000000000000:cluster/"+id || !*c.AutoTerminate ||
		*c.ReleaseLabel != "emr-7.1.0" || *c.Applications[0].Name != "Spark" || *c.Ec2InstanceAttributes.IamInstanceProfile != "EMR_EC2_DefaultRole" {
		t.Fatalf("cluster = %+v", c)
	}
	if got, want := h.fake.statements(), []string{"SELECT 1", "SELECT 2", "SELECT 3"}; !slices.Equal(got, want) {
		t.Fatalf("statements = %q, want %q", got, want)
	}
	ids := h.stepIDs(t, id)
	for i, sid := range ids {
		if !stepIDRe.MatchString(sid) {
			t.Fatalf("step id %q", sid)
		}
		st := h.step(t, id, sid)
		if st.Status.State != types.StepStateCompleted || st.Status.Timeline.StartDateTime == nil || st.Status.Timeline.EndDateTime == nil {
			t.Fatalf("step %d = %+v", i, st.Status)
		}
	}
	if s := h.step(t, id, ids[0]); s.ActionOnFailure != types.ActionOnFailureTerminateCluster || *s.Name != "one" || *s.Config.Jar != "command-runner.jar" {
		t.Fatalf("default ActionOnFailure / config = %+v", s)
	}
	groups, err := h.client.ListInstanceGroups(context.Background(), &awsemr.ListInstanceGroupsInput{ClusterId: &id})
	if err != nil {
		t.Fatal(err)
	}
	if len(groups.InstanceGroups) != 2 || groups.InstanceGroups[0].InstanceGroupType != types.InstanceGroupTypeMaster ||
		*groups.InstanceGroups[1].RequestedInstanceCount != 2 || groups.InstanceGroups[1].Status.State != types.InstanceGroupStateEnded {
		t.Fatalf("groups = %+v", groups.InstanceGroups)
	}
}

func TestLifecycleKeepAlive(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	id := h.run(t, "long", true)
	c := h.waitState(t, id, types.ClusterStateWaiting)
	if *c.Status.StateChangeReason.Message != "Cluster ready to run steps." || *c.AutoTerminate {
		t.Fatalf("waiting = %+v", c.Status)
	}
	out, err := h.client.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: &id, Steps: []types.StepConfig{
		sqlStep("a", types.ActionOnFailureContinue, "spark-sql", "-e", "SELECT 'a'"),
		sqlStep("b", types.ActionOnFailureContinue, "spark-sql", "-e", "SELECT 'b'"),
	}})
	if err != nil {
		t.Fatal(err)
	}
	h.waitStep(t, id, out.StepIds[1], types.StepStateCompleted)
	c = h.waitState(t, id, types.ClusterStateWaiting)
	if *c.Status.StateChangeReason.Message != "Cluster ready after last step completed." {
		t.Fatalf("reason = %+v", c.Status.StateChangeReason)
	}
	if got := h.fake.statements(); !slices.Equal(got, []string{"SELECT 'a'", "SELECT 'b'"}) {
		t.Fatalf("order = %q", got)
	}
	if _, err := h.client.TerminateJobFlows(ctx, &awsemr.TerminateJobFlowsInput{JobFlowIds: []string{id}}); err != nil {
		t.Fatal(err)
	}
	c = h.waitState(t, id, types.ClusterStateTerminated)
	if c.Status.StateChangeReason.Code != types.ClusterStateChangeReasonCodeUserRequest || *c.Status.StateChangeReason.Message != "Terminated by user request" {
		t.Fatalf("reason = %+v", c.Status.StateChangeReason)
	}
	_, err = h.client.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: &id, Steps: []types.StepConfig{sqlStep("late", "", "spark-sql", "-e", "SELECT 1")}})
	wantCode(t, err, "ValidationException")
	// A second terminate of a terminated cluster is a no-op.
	if _, err := h.client.TerminateJobFlows(ctx, &awsemr.TerminateJobFlowsInput{JobFlowIds: []string{id}}); err != nil {
		t.Fatal(err)
	}
}

// TestKeepAliveOff: SetKeepJobFlowAliveWhenNoSteps(false) on a waiting
// cluster terminates it as its steps are done.
func TestKeepAliveOff(t *testing.T) {
	h := newHarness(t)
	id := h.run(t, "long", true)
	h.waitState(t, id, types.ClusterStateWaiting)
	if _, err := h.client.SetKeepJobFlowAliveWhenNoSteps(context.Background(), &awsemr.SetKeepJobFlowAliveWhenNoStepsInput{
		JobFlowIds: []string{id}, KeepJobFlowAliveWhenNoSteps: aws.Bool(false)}); err != nil {
		t.Fatal(err)
	}
	c := h.waitState(t, id, types.ClusterStateTerminated)
	if c.Status.StateChangeReason.Code != types.ClusterStateChangeReasonCodeAllStepsCompleted {
		t.Fatalf("reason = %+v", c.Status.StateChangeReason)
	}
}

func TestTerminationProtected(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	id := h.run(t, "protected", true)
	h.waitState(t, id, types.ClusterStateWaiting)
	if _, err := h.client.SetTerminationProtection(ctx, &awsemr.SetTerminationProtectionInput{JobFlowIds: []string{id}, TerminationProtected: aws.Bool(true)}); err != nil {
		t.Fatal(err)
	}
	_, err := h.client.TerminateJobFlows(ctx, &awsemr.TerminateJobFlowsInput{JobFlowIds: []string{id}})
	ae := wantCode(t, err, "ValidationException")
	if ae.ErrorMessage() != "Could not shut down one or more job flows since they are termination protected." {
		t.Fatalf("message = %q", ae.ErrorMessage())
	}
	if c := h.cluster(t, id); c.Status.State != types.ClusterStateWaiting || !*c.TerminationProtected {
		t.Fatalf("cluster = %+v", c.Status)
	}
	if _, err := h.client.SetTerminationProtection(ctx, &awsemr.SetTerminationProtectionInput{JobFlowIds: []string{id}, TerminationProtected: aws.Bool(false)}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.TerminateJobFlows(ctx, &awsemr.TerminateJobFlowsInput{JobFlowIds: []string{id}}); err != nil {
		t.Fatal(err)
	}
	h.waitState(t, id, types.ClusterStateTerminated)
}

func TestListClusters(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	var ids []string
	for i := range 53 {
		ids = append(ids, h.run(t, "c", i%2 == 0))
	}
	// Even clusters wait, odd ones terminate (no steps, no keep-alive).
	for i, id := range ids {
		if i%2 == 0 {
			h.waitState(t, id, types.ClusterStateWaiting)
		} else {
			h.waitState(t, id, types.ClusterStateTerminated)
		}
	}
	p := awsemr.NewListClustersPaginator(h.client, &awsemr.ListClustersInput{})
	var got []string
	pages := 0
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if pages == 1 && (len(out.Clusters) != 50 || out.Marker == nil) {
			t.Fatalf("first page: %d clusters, marker %v", len(out.Clusters), out.Marker)
		}
		for _, c := range out.Clusters {
			got = append(got, *c.Id)
		}
	}
	want := slices.Clone(ids)
	slices.Reverse(want)
	if pages != 2 || !slices.Equal(got, want) {
		t.Fatalf("pages %d, got %d ids (newest first?) %v", pages, len(got), got[:3])
	}
	out, err := h.client.ListClusters(ctx, &awsemr.ListClustersInput{ClusterStates: []types.ClusterState{types.ClusterStateWaiting}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Clusters) != 27 {
		t.Fatalf("waiting = %d, want 27", len(out.Clusters))
	}
	// Created between the 10th and 20th cluster's creation times.
	c10, c20 := h.cluster(t, ids[10]), h.cluster(t, ids[20])
	out, err = h.client.ListClusters(ctx, &awsemr.ListClustersInput{CreatedAfter: c10.Status.Timeline.CreationDateTime,
		CreatedBefore: c20.Status.Timeline.CreationDateTime})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Clusters) != 11 || *out.Clusters[0].Id != ids[20] || *out.Clusters[10].Id != ids[10] {
		t.Fatalf("created window = %d clusters", len(out.Clusters))
	}
	_, err = h.client.ListClusters(ctx, &awsemr.ListClustersInput{Marker: aws.String("forged")})
	wantCode(t, err, "InvalidRequestException")
	// Another region sees none of them.
	other, err := h.client.ListClusters(ctx, &awsemr.ListClustersInput{}, func(o *awsemr.Options) { o.Region = "eu-west-1" })
	if err != nil || len(other.Clusters) != 0 {
		t.Fatalf("eu-west-1: %v %v", other, err)
	}
}

func TestTags(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	id := h.run(t, "tagged", true)
	if _, err := h.client.AddTags(ctx, &awsemr.AddTagsInput{ResourceId: &id, Tags: []types.Tag{
		{Key: aws.String("team"), Value: aws.String("data")}, {Key: aws.String("env"), Value: aws.String("dev")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.AddTags(ctx, &awsemr.AddTagsInput{ResourceId: &id, Tags: []types.Tag{{Key: aws.String("env"), Value: aws.String("prod")}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.RemoveTags(ctx, &awsemr.RemoveTagsInput{ResourceId: &id, TagKeys: []string{"team"}}); err != nil {
		t.Fatal(err)
	}
	c := h.cluster(t, id)
	if len(c.Tags) != 1 || *c.Tags[0].Key != "env" || *c.Tags[0].Value != "prod" {
		t.Fatalf("tags = %+v", c.Tags)
	}
	_, err := h.client.AddTags(ctx, &awsemr.AddTagsInput{ResourceId: aws.String("j-NOPE"), Tags: []types.Tag{{Key: aws.String("a")}}})
	wantCode(t, err, "InvalidRequestException")
}

func TestInstanceFleets(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	out, err := h.client.RunJobFlow(ctx, &awsemr.RunJobFlowInput{Name: aws.String("fleet"), ReleaseLabel: aws.String("emr-7.1.0"),
		Instances: &types.JobFlowInstancesConfig{KeepJobFlowAliveWhenNoSteps: aws.Bool(true), InstanceFleets: []types.InstanceFleetConfig{
			{InstanceFleetType: types.InstanceFleetTypeMaster, TargetOnDemandCapacity: aws.Int32(1),
				InstanceTypeConfigs: []types.InstanceTypeConfig{{InstanceType: aws.String("m5.xlarge")}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	id := *out.JobFlowId
	c := h.waitState(t, id, types.ClusterStateWaiting)
	if c.InstanceCollectionType != types.InstanceCollectionTypeInstanceFleet {
		t.Fatalf("collection = %s", c.InstanceCollectionType)
	}
	_, err = h.client.ListInstanceGroups(ctx, &awsemr.ListInstanceGroupsInput{ClusterId: &id})
	wantCode(t, err, "InvalidRequestException")
	var ire *types.InvalidRequestException
	if !errorsAs(err, &ire) || ire.ErrorCode_ == nil || *ire.ErrorCode_ != "API_DOES_NOT_SUPPORT_INSTANCE_FLEET_CLUSTERS" {
		t.Fatalf("ErrorCode member = %+v", ire)
	}
	fl, err := h.client.ListInstanceFleets(ctx, &awsemr.ListInstanceFleetsInput{ClusterId: &id})
	if err != nil {
		t.Fatal(err)
	}
	if len(fl.InstanceFleets) != 1 || *fl.InstanceFleets[0].ProvisionedOnDemandCapacity != 1 ||
		*fl.InstanceFleets[0].InstanceTypeSpecifications[0].InstanceType != "m5.xlarge" {
		t.Fatalf("fleets = %+v", fl.InstanceFleets)
	}
}

func TestBootstrapActionsListed(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	out, err := h.client.RunJobFlow(ctx, &awsemr.RunJobFlowInput{Name: aws.String("boot"),
		Instances: &types.JobFlowInstancesConfig{MasterInstanceType: aws.String("m5.xlarge"), KeepJobFlowAliveWhenNoSteps: aws.Bool(true)},
		BootstrapActions: []types.BootstrapActionConfig{{Name: aws.String("deps"),
			ScriptBootstrapAction: &types.ScriptBootstrapActionConfig{Path: aws.String("s3://code/install.sh"), Args: []string{"-x"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	ba, err := h.client.ListBootstrapActions(ctx, &awsemr.ListBootstrapActionsInput{ClusterId: out.JobFlowId})
	if err != nil {
		t.Fatal(err)
	}
	if len(ba.BootstrapActions) != 1 || *ba.BootstrapActions[0].ScriptPath != "s3://code/install.sh" || ba.BootstrapActions[0].Args[0] != "-x" {
		t.Fatalf("bootstrap actions = %+v", ba.BootstrapActions)
	}
}
