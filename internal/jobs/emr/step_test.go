package emr

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsemr "github.com/aws/aws-sdk-go-v2/service/emr"
	"github.com/aws/aws-sdk-go-v2/service/emr/types"
)

func TestSubstitutionAndForms(t *testing.T) {
	h := newHarness(t)
	h.lake.put("s3://scripts/q.sql", `-- a comment; not a statement
INSERT INTO ${db}.t SELECT ';' AS semi, '${hivevar:day}' AS day; /* block; comment */
SELECT '${hiveconf:mode}', '${unknown}', '${env:HOME}'`)
	h.lake.put("s3://scripts/h.q", "SET hivevar:x=fromset;\nSET hive.exec.dynamic.partition=true;\nUSE sales;\nSELECT '${x}', '${OUT}'")
	id := h.run(t, "forms", false,
		sqlStep("file", "", "spark-sql", "--master", "yarn", "--conf", "spark.x=1", "-d", "db=lake", "--hivevar", "day=2026-03-01",
			"--hiveconf", "mode=fast", "--database", "web", "-f", "s3://scripts/q.sql"),
		sqlStep("hive-script", "", "hive-script", "--run-hive-script", "--args", "-f", "s3://scripts/h.q", "-d", "OUT=s3://out/x=1"),
		sqlStep("hive -e", "", "hive", "--hivevar=n=7", "-e", "SELECT ${n}"),
		sqlStep("spark-sql -e", "", "spark-sql", "-S", "-database", "db2", "-e", "SELECT 1;"),
	)
	h.waitState(t, id, types.ClusterStateTerminated)
	want := []string{
		"INSERT INTO lake.t SELECT ';' AS semi, '2026-03-01' AS day",
		"SELECT 'fast', '${unknown}', '${env:HOME}'",
		"SELECT 'fromset', 's3://out/x=1'",
		"SELECT 7",
		"SELECT 1",
	}
	if got := h.fake.statements(); !slices.Equal(got, want) {
		t.Fatalf("statements:\n%q\nwant\n%q", got, want)
	}
	dbs := []string{}
	for _, r := range h.fake.got {
		dbs = append(dbs, r.Database)
		if r.Engine != "athena" || r.Region != "us-east-1" {
			t.Fatalf("request = %+v", r)
		}
	}
	if !slices.Equal(dbs, []string{"web", "web", "sales", "default", "db2"}) {
		t.Fatalf("databases = %q", dbs)
	}
}

func TestActionOnFailure(t *testing.T) {
	cases := []struct {
		name       string
		keep       bool
		protect    bool
		aof        types.ActionOnFailure
		cluster    types.ClusterState
		code       types.ClusterStateChangeReasonCode
		msg        string
		after      types.StepState
		statements int
	}{
		{"continue/keep", true, false, types.ActionOnFailureContinue, types.ClusterStateWaiting, "", "Cluster ready after last step completed.", types.StepStateCompleted, 4},
		{"continue/auto", false, false, types.ActionOnFailureContinue, types.ClusterStateTerminated, types.ClusterStateChangeReasonCodeAllStepsCompleted, "Steps completed with errors", types.StepStateCompleted, 4},
		{"cancel-and-wait/keep", true, false, types.ActionOnFailureCancelAndWait, types.ClusterStateWaiting, "", "Cluster ready after last step failed.", types.StepStateCancelled, 3},
		{"cancel-and-wait/auto", false, false, types.ActionOnFailureCancelAndWait, types.ClusterStateTerminated, types.ClusterStateChangeReasonCodeAllStepsCompleted, "Steps completed with errors", types.StepStateCancelled, 3},
		{"terminate", true, false, types.ActionOnFailureTerminateCluster, types.ClusterStateTerminatedWithErrors, types.ClusterStateChangeReasonCodeStepFailure, "Shut down as step failed", types.StepStateCancelled, 3},
		{"terminate-job-flow", false, false, types.ActionOnFailureTerminateJobFlow, types.ClusterStateTerminatedWithErrors, types.ClusterStateChangeReasonCodeStepFailure, "Shut down as step failed", types.StepStateCancelled, 3},
		{"terminate/protected", true, true, types.ActionOnFailureTerminateCluster, types.ClusterStateWaiting, "", "Cluster ready after last step failed.", types.StepStateCancelled, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t)
			ctx := context.Background()
			// A blocking first step holds the cluster so protection is
			// set before the failing step runs.
			id := h.run(t, "f", tc.keep, sqlStep("gate", types.ActionOnFailureContinue, "spark-sql", "-e", "SELECT BLOCK"))
			<-h.fake.entered
			if tc.protect {
				if _, err := h.client.SetTerminationProtection(ctx, &awsemr.SetTerminationProtectionInput{JobFlowIds: []string{id}, TerminationProtected: aws.Bool(true)}); err != nil {
					t.Fatal(err)
				}
			}
			out, err := h.client.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: &id, Steps: []types.StepConfig{
				sqlStep("bad", tc.aof, "spark-sql", "-e", "SELECT 2; SELECT FAIL FROM nowhere; SELECT 3"),
				sqlStep("after", types.ActionOnFailureContinue, "spark-sql", "-e", "SELECT 4")}})
			if err != nil {
				t.Fatal(err)
			}
			close(h.fake.release)
			c := h.waitState(t, id, tc.cluster)
			if c.Status.StateChangeReason.Code != tc.code || aws.ToString(c.Status.StateChangeReason.Message) != tc.msg {
				t.Fatalf("reason = %s %q", c.Status.StateChangeReason.Code, aws.ToString(c.Status.StateChangeReason.Message))
			}
			bad := h.step(t, id, out.StepIds[0])
			fd := bad.Status.FailureDetails
			if bad.Status.State != types.StepStateFailed || fd == nil || *fd.Reason != "Statement 2 of 3 failed" ||
				!strings.Contains(*fd.Message, "SELECT FAIL FROM nowhere") || !strings.Contains(*fd.Message, "boom: table not found") {
				t.Fatalf("failed step = %+v %+v", bad.Status, fd)
			}
			if got := h.step(t, id, out.StepIds[1]).Status.State; got != tc.after {
				t.Fatalf("next step = %s, want %s", got, tc.after)
			}
			if n := len(h.fake.statements()); n != tc.statements {
				t.Fatalf("statements run = %d, want %d", n, tc.statements)
			}
		})
	}
}

func TestCancelSteps(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	id := h.run(t, "c", true,
		sqlStep("blocker", types.ActionOnFailureContinue, "spark-sql", "-e", "SELECT BLOCK"),
		sqlStep("p1", types.ActionOnFailureContinue, "spark-sql", "-e", "SELECT 'p1'"),
		sqlStep("p2", types.ActionOnFailureContinue, "spark-sql", "-e", "SELECT 'p2'"))
	<-h.fake.entered
	ids := h.stepIDs(t, id)
	out, err := h.client.CancelSteps(ctx, &awsemr.CancelStepsInput{ClusterId: &id, StepIds: []string{ids[1], "s-NOTASTEP00000"}})
	if err != nil {
		t.Fatal(err)
	}
	if l := out.CancelStepsInfoList; len(l) != 2 || l[0].Status != types.CancelStepsRequestStatusSubmitted || l[1].Status != types.CancelStepsRequestStatusFailed {
		t.Fatalf("info = %+v", l)
	}
	if st := h.step(t, id, ids[1]); st.Status.State != types.StepStateCancelled {
		t.Fatalf("p1 = %s", st.Status.State)
	}
	// Cancelling the running step interrupts it; the next one runs.
	out, err = h.client.CancelSteps(ctx, &awsemr.CancelStepsInput{ClusterId: &id, StepIds: []string{ids[0]},
		StepCancellationOption: types.StepCancellationOptionTerminateProcess})
	if err != nil || out.CancelStepsInfoList[0].Status != types.CancelStepsRequestStatusSubmitted {
		t.Fatalf("cancel running: %+v %v", out, err)
	}
	h.waitStep(t, id, ids[0], types.StepStateCancelled)
	h.waitStep(t, id, ids[2], types.StepStateCompleted)
	h.waitState(t, id, types.ClusterStateWaiting)
	if got := h.fake.statements(); !slices.Equal(got, []string{"SELECT BLOCK", "SELECT 'p2'"}) {
		t.Fatalf("statements = %q", got)
	}
	// A completed step cannot be cancelled.
	out, err = h.client.CancelSteps(ctx, &awsemr.CancelStepsInput{ClusterId: &id, StepIds: []string{ids[2]}})
	if err != nil || out.CancelStepsInfoList[0].Status != types.CancelStepsRequestStatusFailed {
		t.Fatalf("cancel completed: %+v %v", out, err)
	}
}

func TestTerminateCancelsSteps(t *testing.T) {
	h := newHarness(t)
	id := h.run(t, "t", true,
		sqlStep("blocker", types.ActionOnFailureContinue, "spark-sql", "-e", "SELECT BLOCK"),
		sqlStep("pending", types.ActionOnFailureContinue, "spark-sql", "-e", "SELECT 2"))
	<-h.fake.entered
	if _, err := h.client.TerminateJobFlows(context.Background(), &awsemr.TerminateJobFlowsInput{JobFlowIds: []string{id}}); err != nil {
		t.Fatal(err)
	}
	h.waitState(t, id, types.ClusterStateTerminated)
	for _, sid := range h.stepIDs(t, id) {
		if st := h.step(t, id, sid); st.Status.State != types.StepStateCancelled {
			t.Fatalf("step %s = %s", *st.Name, st.Status.State)
		}
	}
}

func TestListSteps(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	id := h.run(t, "many", true, sqlStep("blocker", types.ActionOnFailureContinue, "spark-sql", "-e", "SELECT BLOCK"))
	<-h.fake.entered
	var cfgs []types.StepConfig
	for range 55 {
		cfgs = append(cfgs, sqlStep("s", types.ActionOnFailureContinue, "spark-sql", "-e", "SELECT 1"))
	}
	added, err := h.client.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: &id, Steps: cfgs})
	if err != nil {
		t.Fatal(err)
	}
	p := awsemr.NewListStepsPaginator(h.client, &awsemr.ListStepsInput{ClusterId: &id})
	var got []string
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) == 0 && len(out.Steps) != 50 {
			t.Fatalf("first page = %d", len(out.Steps))
		}
		for _, s := range out.Steps {
			got = append(got, *s.Id)
		}
	}
	if len(got) != 56 || got[0] != added.StepIds[54] || got[54] != added.StepIds[0] {
		t.Fatalf("newest first: %d steps", len(got))
	}
	running, err := h.client.ListSteps(ctx, &awsemr.ListStepsInput{ClusterId: &id, StepStates: []types.StepState{types.StepStateRunning}})
	if err != nil || len(running.Steps) != 1 || *running.Steps[0].Name != "blocker" {
		t.Fatalf("running = %+v %v", running, err)
	}
	some, err := h.client.ListSteps(ctx, &awsemr.ListStepsInput{ClusterId: &id, StepIds: added.StepIds[3:5]})
	if err != nil || len(some.Steps) != 2 || *some.Steps[0].Id != added.StepIds[4] {
		t.Fatalf("by id = %+v %v", some, err)
	}
	// The active-step limit is 256 (1 running + 55 pending here).
	var more []types.StepConfig
	for range 201 {
		more = append(more, sqlStep("s", types.ActionOnFailureContinue, "spark-sql", "-e", "SELECT 1"))
	}
	_, err = h.client.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: &id, Steps: more})
	wantCode(t, err, "ValidationException")
	if _, err := h.client.AddJobFlowSteps(ctx, &awsemr.AddJobFlowStepsInput{JobFlowId: &id, Steps: more[:200]}); err != nil {
		t.Fatal(err)
	}
	close(h.fake.release)
	h.waitFor(t, "all steps done", func() bool {
		out, err := h.client.ListSteps(ctx, &awsemr.ListStepsInput{ClusterId: &id, StepStates: []types.StepState{types.StepStatePending, types.StepStateRunning}})
		return err == nil && len(out.Steps) == 0
	})
	_, err = h.client.ListSteps(ctx, &awsemr.ListStepsInput{ClusterId: &id, Marker: aws.String("bm90LWEtbWFya2Vy")})
	wantCode(t, err, "InvalidRequestException")
}

func TestLogURI(t *testing.T) {
	h := newHarness(t)
	ctx := context.Background()
	out, err := h.client.RunJobFlow(ctx, &awsemr.RunJobFlowInput{Name: aws.String("logs"), LogUri: aws.String("s3://logs/emr/"),
		Instances: &types.JobFlowInstancesConfig{MasterInstanceType: aws.String("m5.xlarge")},
		Steps: []types.StepConfig{
			sqlStep("ok", types.ActionOnFailureContinue, "spark-sql", "-e", "SELECT 1"),
			sqlStep("bad", types.ActionOnFailureContinue, "spark-sql", "-e", "SELECT FAIL")}})
	if err != nil {
		t.Fatal(err)
	}
	id := *out.JobFlowId
	h.waitState(t, id, types.ClusterStateTerminated)
	ids := h.stepIDs(t, id)
	dir := "s3://logs/emr/" + id + "/steps/"
	if s := h.lake.gunzip(t, dir+ids[0]+"/stdout.gz"); !strings.Contains(s, "SELECT 1;") || !strings.Contains(s, "OK: query q-1, 1 rows") {
		t.Fatalf("stdout = %q", s)
	}
	bad := h.step(t, id, ids[1])
	if *bad.Status.FailureDetails.LogFile != dir+ids[1]+"/stderr.gz" {
		t.Fatalf("LogFile = %s", *bad.Status.FailureDetails.LogFile)
	}
	if s := h.lake.gunzip(t, dir+ids[1]+"/stderr.gz"); !strings.Contains(s, "boom: table not found") {
		t.Fatalf("stderr = %q", s)
	}
}

// TestRestartMidStep: tarn stops while a step runs; after Start the step
// is FAILED (tarn stopped), its ActionOnFailure applies and the pending
// steps resume.
func TestRestartMidStep(t *testing.T) {
	h := newHarness(t)
	id := h.run(t, "r", false,
		sqlStep("long", types.ActionOnFailureContinue, "spark-sql", "-e", "SELECT BLOCK"),
		sqlStep("next", types.ActionOnFailureContinue, "spark-sql", "-e", "SELECT 'next'"))
	<-h.fake.entered
	h.reopen(t)
	c := h.waitState(t, id, types.ClusterStateTerminated)
	if *c.Status.StateChangeReason.Message != "Steps completed with errors" {
		t.Fatalf("reason = %+v", c.Status.StateChangeReason)
	}
	ids := h.stepIDs(t, id)
	long := h.step(t, id, ids[0])
	if long.Status.State != types.StepStateFailed || !strings.Contains(*long.Status.FailureDetails.Message, "tarn stopped") {
		t.Fatalf("long = %+v", long.Status)
	}
	if st := h.step(t, id, ids[1]); st.Status.State != types.StepStateCompleted {
		t.Fatalf("next = %s", st.Status.State)
	}
	if got := h.fake.statements(); !slices.Equal(got, []string{"SELECT BLOCK", "SELECT 'next'"}) {
		t.Fatalf("statements = %q", got)
	}
}

func TestRestartTerminateOnFailure(t *testing.T) {
	h := newHarness(t)
	id := h.run(t, "r", true,
		sqlStep("long", types.ActionOnFailureTerminateCluster, "spark-sql", "-e", "SELECT BLOCK"),
		sqlStep("next", types.ActionOnFailureContinue, "spark-sql", "-e", "SELECT 2"))
	<-h.fake.entered
	h.reopen(t)
	c := h.waitState(t, id, types.ClusterStateTerminatedWithErrors)
	if c.Status.StateChangeReason.Code != types.ClusterStateChangeReasonCodeStepFailure {
		t.Fatalf("reason = %+v", c.Status.StateChangeReason)
	}
	if st := h.step(t, id, h.stepIDs(t, id)[1]); st.Status.State != types.StepStateCancelled {
		t.Fatalf("next = %s", st.Status.State)
	}
}

// TestDurable: a finished cluster and its steps read back the same after
// a restart.
func TestDurable(t *testing.T) {
	h := newHarness(t)
	id := h.run(t, "d", true, sqlStep("s", "", "spark-sql", "-e", "SELECT 1"))
	h.waitState(t, id, types.ClusterStateWaiting)
	before, steps := h.cluster(t, id), h.stepIDs(t, id)
	h.reopen(t)
	after := h.waitState(t, id, types.ClusterStateWaiting)
	if *after.Name != *before.Name || !after.Status.Timeline.ReadyDateTime.Equal(*before.Status.Timeline.ReadyDateTime) ||
		!slices.Equal(h.stepIDs(t, id), steps) {
		t.Fatalf("after restart: %+v", after)
	}
}
