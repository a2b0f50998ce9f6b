package jobs

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

func (h *harness) workflowRun(t testing.TB, wf, id string) *types.WorkflowRun {
	t.Helper()
	out, err := h.client.GetWorkflowRun(t.Context(), &glue.GetWorkflowRunInput{Name: aws.String(wf), RunId: aws.String(id), IncludeGraph: aws.Bool(true)})
	if err != nil {
		t.Fatal(err)
	}
	return out.Run
}

func TestWorkflowRunGraph(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	h.crawlers.add("raw")
	h.crawlers.now = h.clock.now
	for _, j := range []string{"a", "b", "c"} {
		h.createJob(t, j, "glueetl", ".sql", "SELECT ${x}", func(in *glue.CreateJobInput) {
			in.DefaultArguments = map[string]string{"--x": "1"}
		})
	}
	if _, err := h.client.CreateWorkflow(ctx, &glue.CreateWorkflowInput{Name: aws.String("wf"), DefaultRunProperties: map[string]string{"p": "1"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.CreateWorkflow(ctx, &glue.CreateWorkflowInput{Name: aws.String("wf")}); errCode(err) != codeAlreadyExists {
		t.Fatalf("duplicate workflow: %v", err)
	}
	if _, err := h.client.StartWorkflowRun(ctx, &glue.StartWorkflowRunInput{Name: aws.String("wf")}); errCode(err) != codeIllegalWorkflow {
		t.Fatalf("run without a start trigger: %v", err)
	}
	wf := aws.String("wf")
	h.createTrigger(t, &glue.CreateTriggerInput{Name: aws.String("start"), WorkflowName: wf, Type: types.TriggerTypeOnDemand, Actions: jobAction("a", nil)})
	h.createTrigger(t, &glue.CreateTriggerInput{Name: aws.String("after-a"), WorkflowName: wf, Type: types.TriggerTypeConditional, StartOnCreation: true,
		Predicate: &types.Predicate{Conditions: []types.Condition{{JobName: aws.String("a"), State: types.JobRunStateSucceeded}}},
		Actions:   []types.Action{{JobName: aws.String("b")}, {CrawlerName: aws.String("raw")}}})
	h.createTrigger(t, &glue.CreateTriggerInput{Name: aws.String("join"), WorkflowName: wf, Type: types.TriggerTypeConditional, StartOnCreation: true,
		Predicate: &types.Predicate{Logical: types.LogicalAnd, Conditions: []types.Condition{
			{JobName: aws.String("b"), State: types.JobRunStateSucceeded}, {CrawlerName: aws.String("raw"), CrawlState: types.CrawlStateSucceeded}}},
		Actions: jobAction("c", nil)})

	// A run of a outside the workflow does not drive the workflow's triggers.
	h.wait(t, "a", h.start(t, "a", nil))
	h.waitIdle(t)
	if n := len(h.runs(t, "b")); n != 0 {
		t.Fatalf("b ran %d times outside a workflow run", n)
	}

	out, err := h.client.StartWorkflowRun(ctx, &glue.StartWorkflowRunInput{Name: wf, RunProperties: map[string]string{"q": "2"}})
	if err != nil {
		t.Fatal(err)
	}
	id := *out.RunId
	h.waitIdle(t)
	run := h.workflowRun(t, "wf", id)
	if run.Status != types.WorkflowRunStatusRunning || run.Statistics.RunningActions != 1 || run.Statistics.SucceededActions != 2 {
		t.Fatalf("waiting on the crawl: %v %+v", run.Status, run.Statistics)
	}
	h.crawlers.finish("raw", "SUCCEEDED", time.Time{})
	h.svc.tick()
	h.waitIdle(t)
	run = h.workflowRun(t, "wf", id)
	if run.Status != types.WorkflowRunStatusCompleted || run.CompletedOn == nil || run.Statistics.TotalActions != 4 || run.Statistics.SucceededActions != 4 {
		t.Fatalf("run = %v %+v", run.Status, run.Statistics)
	}
	c := h.runs(t, "c")
	if len(c) != 1 || c[0].Arguments["--WORKFLOW_RUN_ID"] != id || c[0].Arguments["--WORKFLOW_NAME"] != "wf" {
		t.Fatalf("c runs = %+v", c)
	}
	var nodes []string
	for _, n := range run.Graph.Nodes {
		nodes = append(nodes, string(n.Type)+":"+*n.Name)
		if n.Type == types.NodeTypeJob && (n.JobDetails == nil || len(n.JobDetails.JobRuns) != 1) {
			t.Errorf("job node %s has runs %+v", *n.Name, n.JobDetails)
		}
	}
	slices.Sort(nodes)
	if want := []string{"CRAWLER:raw", "JOB:a", "JOB:b", "JOB:c", "TRIGGER:after-a", "TRIGGER:join", "TRIGGER:start"}; !slices.Equal(nodes, want) {
		t.Fatalf("nodes = %v", nodes)
	}
	if len(run.Graph.Edges) != 7 {
		t.Fatalf("edges = %d", len(run.Graph.Edges))
	}
	props, err := h.client.GetWorkflowRunProperties(ctx, &glue.GetWorkflowRunPropertiesInput{Name: wf, RunId: aws.String(id)})
	if err != nil || props.RunProperties["p"] != "1" || props.RunProperties["q"] != "2" {
		t.Fatalf("properties = %v, %v", props, err)
	}
	if _, err := h.client.PutWorkflowRunProperties(ctx, &glue.PutWorkflowRunPropertiesInput{Name: wf, RunId: aws.String(id), RunProperties: map[string]string{"q": "3"}}); err != nil {
		t.Fatal(err)
	}
	props, _ = h.client.GetWorkflowRunProperties(ctx, &glue.GetWorkflowRunPropertiesInput{Name: wf, RunId: aws.String(id)})
	if props.RunProperties["q"] != "3" {
		t.Fatalf("after put = %v", props.RunProperties)
	}

	// A failing first job ends the run COMPLETED with one failed action.
	if _, err := h.client.UpdateJob(ctx, &glue.UpdateJobInput{JobName: aws.String("a"), JobUpdate: &types.JobUpdate{
		DefaultArguments: map[string]string{"--x": "FAIL"}}}); err != nil {
		t.Fatal(err)
	}
	out, err = h.client.StartWorkflowRun(ctx, &glue.StartWorkflowRunInput{Name: wf})
	if err != nil {
		t.Fatal(err)
	}
	h.waitIdle(t)
	run = h.workflowRun(t, "wf", *out.RunId)
	if run.Status != types.WorkflowRunStatusCompleted || run.Statistics.TotalActions != 1 || run.Statistics.FailedActions != 1 || *run.PreviousRunId != id {
		t.Fatalf("failed run = %v %+v", run.Status, run.Statistics)
	}

	got, err := h.client.GetWorkflow(ctx, &glue.GetWorkflowInput{Name: wf, IncludeGraph: aws.Bool(true)})
	if err != nil || got.Workflow.LastRun == nil || *got.Workflow.LastRun.WorkflowRunId != *out.RunId || len(got.Workflow.Graph.Nodes) != 7 {
		t.Fatalf("GetWorkflow = %+v, %v", got.Workflow, err)
	}
	runs, err := h.client.GetWorkflowRuns(ctx, &glue.GetWorkflowRunsInput{Name: wf})
	if err != nil || len(runs.Runs) != 2 {
		t.Fatalf("GetWorkflowRuns = %d, %v", len(runs.Runs), err)
	}
	lw, err := h.client.ListWorkflows(ctx, &glue.ListWorkflowsInput{})
	if err != nil || !slices.Equal(lw.Workflows, []string{"wf"}) {
		t.Fatalf("ListWorkflows = %v, %v", lw, err)
	}
	bg, err := h.client.BatchGetWorkflows(ctx, &glue.BatchGetWorkflowsInput{Names: []string{"wf", "ghost"}})
	if err != nil || len(bg.Workflows) != 1 || !slices.Equal(bg.MissingWorkflows, []string{"ghost"}) {
		t.Fatalf("BatchGetWorkflows = %+v, %v", bg, err)
	}
	if _, err := h.client.UpdateWorkflow(ctx, &glue.UpdateWorkflowInput{Name: wf, Description: aws.String("d")}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.DeleteWorkflow(ctx, &glue.DeleteWorkflowInput{Name: wf}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.GetTrigger(ctx, &glue.GetTriggerInput{Name: aws.String("start")}); errCode(err) != codeEntityNotFound {
		t.Fatalf("trigger after workflow delete: %v", err)
	}
}

func TestWorkflowRunSurvivesRestart(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	h.createJob(t, "slow", "glueetl", ".sql", "SELECT BLOCK", nil)
	if _, err := h.client.CreateWorkflow(ctx, &glue.CreateWorkflowInput{Name: aws.String("wf"), MaxConcurrentRuns: aws.Int32(1)}); err != nil {
		t.Fatal(err)
	}
	h.createTrigger(t, &glue.CreateTriggerInput{Name: aws.String("go"), WorkflowName: aws.String("wf"), Type: types.TriggerTypeOnDemand, Actions: jobAction("slow", nil)})
	out, err := h.client.StartWorkflowRun(ctx, &glue.StartWorkflowRunInput{Name: aws.String("wf")})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.StartWorkflowRun(ctx, &glue.StartWorkflowRunInput{Name: aws.String("wf")}); errCode(err) != codeConcurrentRuns {
		t.Fatalf("second concurrent workflow run: %v", err)
	}
	h.restart(t)
	run := h.workflowRun(t, "wf", *out.RunId)
	if run.Status != types.WorkflowRunStatusCompleted || run.Statistics.FailedActions != 1 {
		t.Fatalf("after restart = %v %+v", run.Status, run.Statistics)
	}
	jr := run.Graph.Nodes
	for _, n := range jr {
		if n.Type == types.NodeTypeJob && (len(n.JobDetails.JobRuns) != 1 || *n.JobDetails.JobRuns[0].ErrorMessage != msgInterrupted) {
			t.Fatalf("job node = %+v", n.JobDetails)
		}
	}
}
