package jobs

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/smithy-go"
)

func errCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

func TestJobCRUD(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	h.createJob(t, "etl", "glueetl", ".sql", "SELECT 1", func(in *glue.CreateJobInput) {
		in.DefaultArguments = map[string]string{"--database": "sales"}
		in.Tags = map[string]string{"team": "data"}
		in.MaxRetries = 2
	})
	h.createJob(t, "other", "pythonshell", ".py", "print(1)", nil)

	got, err := h.client.GetJob(ctx, &glue.GetJobInput{JobName: aws.String("etl")})
	if err != nil {
		t.Fatal(err)
	}
	j := got.Job
	if *j.Name != "etl" || *j.Command.Name != "glueetl" || j.DefaultArguments["--database"] != "sales" || j.MaxRetries != 2 ||
		*j.Timeout != DefaultTimeout || j.ExecutionProperty.MaxConcurrentRuns != 1 || j.CreatedOn == nil {
		t.Fatalf("GetJob = %+v", j)
	}
	if _, err := h.client.CreateJob(ctx, &glue.CreateJobInput{Name: aws.String("etl"), Role: aws.String("r"),
		Command: &types.JobCommand{Name: aws.String("glueetl")}}); errCode(err) != codeAlreadyExists {
		t.Fatalf("duplicate create: %v", err)
	}
	for name, in := range map[string]*glue.CreateJobInput{
		"no role":     {Name: aws.String("x"), Command: &types.JobCommand{Name: aws.String("glueetl")}},
		"no command":  {Name: aws.String("x"), Role: aws.String("r")},
		"bad command": {Name: aws.String("x"), Role: aws.String("r"), Command: &types.JobCommand{Name: aws.String("spark")}},
		"bad timeout": {Name: aws.String("x"), Role: aws.String("r"), Command: &types.JobCommand{Name: aws.String("glueetl")}, Timeout: aws.Int32(0)},
		"bad arg":     {Name: aws.String("x"), Role: aws.String("r"), Command: &types.JobCommand{Name: aws.String("glueetl")}, DefaultArguments: map[string]string{"k": "v"}},
	} {
		if _, err := h.client.CreateJob(ctx, in); err == nil {
			t.Errorf("%s: create succeeded", name)
		}
	}
	if _, err := h.client.GetJob(ctx, &glue.GetJobInput{JobName: aws.String("nope")}); errCode(err) != codeEntityNotFound {
		t.Fatalf("GetJob missing: %v", err)
	}
	list, err := h.client.ListJobs(ctx, &glue.ListJobsInput{})
	if err != nil || !slices.Equal(list.JobNames, []string{"etl", "other"}) {
		t.Fatalf("ListJobs = %v, %v", list.JobNames, err)
	}
	list, err = h.client.ListJobs(ctx, &glue.ListJobsInput{Tags: map[string]string{"team": "data"}})
	if err != nil || !slices.Equal(list.JobNames, []string{"etl"}) {
		t.Fatalf("ListJobs by tag = %v, %v", list.JobNames, err)
	}
	p1, err := h.client.GetJobs(ctx, &glue.GetJobsInput{MaxResults: aws.Int32(1)})
	if err != nil || len(p1.Jobs) != 1 || p1.NextToken == nil {
		t.Fatalf("GetJobs page 1 = %v, %v", p1, err)
	}
	p2, err := h.client.GetJobs(ctx, &glue.GetJobsInput{MaxResults: aws.Int32(1), NextToken: p1.NextToken})
	if err != nil || len(p2.Jobs) != 1 || *p2.Jobs[0].Name != "other" || p2.NextToken != nil {
		t.Fatalf("GetJobs page 2 = %v, %v", p2, err)
	}
	if _, err := h.client.GetJobs(ctx, &glue.GetJobsInput{NextToken: aws.String("forged")}); errCode(err) != codeInvalidInput {
		t.Fatalf("forged token: %v", err)
	}
	bg, err := h.client.BatchGetJobs(ctx, &glue.BatchGetJobsInput{JobNames: []string{"etl", "ghost"}})
	if err != nil || len(bg.Jobs) != 1 || !slices.Equal(bg.JobsNotFound, []string{"ghost"}) {
		t.Fatalf("BatchGetJobs = %+v, %v", bg, err)
	}
	if _, err := h.client.UpdateJob(ctx, &glue.UpdateJobInput{JobName: aws.String("etl"), JobUpdate: &types.JobUpdate{
		Role: aws.String("r2"), Command: &types.JobCommand{Name: aws.String("glueetl"), ScriptLocation: aws.String("s3://scripts/etl.sql")},
		Timeout: aws.Int32(5)}}); err != nil {
		t.Fatal(err)
	}
	got, _ = h.client.GetJob(ctx, &glue.GetJobInput{JobName: aws.String("etl")})
	if *got.Job.Role != "r2" || *got.Job.Timeout != 5 || got.Job.DefaultArguments != nil {
		t.Fatalf("after update = %+v", got.Job)
	}
	if _, err := h.client.DeleteJob(ctx, &glue.DeleteJobInput{JobName: aws.String("etl")}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.GetJob(ctx, &glue.GetJobInput{JobName: aws.String("etl")}); errCode(err) != codeEntityNotFound {
		t.Fatalf("after delete: %v", err)
	}
	if _, err := h.client.DeleteJob(ctx, &glue.DeleteJobInput{JobName: aws.String("etl")}); err != nil {
		t.Fatalf("delete missing: %v", err)
	}
	// Unimplemented operations name themselves.
	_, err = h.client.CreateSession(ctx, &glue.CreateSessionInput{Id: aws.String("s"), Role: aws.String("r"),
		Command: &types.SessionCommand{Name: aws.String("glueetl")}})
	if errCode(err) != "UnknownOperationException" || !strings.Contains(err.Error(), "CreateSession") {
		t.Fatalf("CreateSession: %v", err)
	}
	if ops := h.svc.Operations(); !slices.Contains(ops, "StartJobRun") || !slices.Contains(ops, "CreateSession") || slices.Contains(ops, "TagResource") {
		t.Fatalf("Operations = %v", ops)
	}
}

func TestSQLJobRun(t *testing.T) {
	h := newHarness(t)
	script := `-- load the day
CREATE TABLE ${db}.t AS SELECT 'a;b' AS s;   /* ; in a comment */
INSERT INTO t SELECT * FROM src WHERE day = '${day}';
`
	h.createJob(t, "load", "glueetl", ".sql", script, func(in *glue.CreateJobInput) {
		in.DefaultArguments = map[string]string{"--db": "sales", "--day": "2026-01-01", "--database": "sales", "--engine": "warehouse"}
	})
	id := h.start(t, "load", map[string]string{"--day": "2026-03-01"})
	if !strings.HasPrefix(id, "jr_") || len(id) != 67 {
		t.Fatalf("run id %q", id)
	}
	run := h.wait(t, "load", id)
	if run.JobRunState != types.JobRunStateSucceeded || run.StartedOn == nil || run.CompletedOn == nil || run.Arguments["--day"] != "2026-03-01" {
		t.Fatalf("run = %+v", run)
	}
	want := []string{"CREATE TABLE sales.t AS SELECT 'a;b' AS s", "INSERT INTO t SELECT * FROM src WHERE day = '2026-03-01'"}
	if got := h.sql.statements(); !slices.Equal(got, want) {
		t.Fatalf("statements = %q, want %q", got, want)
	}
	if r := h.sql.got[0]; r.Database != "sales" || r.Engine != "warehouse" || r.Region != "us-east-1" || r.Files != nil {
		t.Fatalf("request = %+v", r)
	}
	if out := h.logs.get(LogGroup+"/output", id); !strings.Contains(out, "statement 2: 1 rows") {
		t.Fatalf("output log = %q", out)
	}

	// A failing statement fails the run, naming it, and logs the error.
	h.createJob(t, "bad", "glueetl", ".sql", "SELECT 1; SELECT FAIL; SELECT 3", nil)
	id = h.start(t, "bad", nil)
	run = h.wait(t, "bad", id)
	if run.JobRunState != types.JobRunStateFailed || !strings.Contains(*run.ErrorMessage, "statement 2") || !strings.Contains(*run.ErrorMessage, "mismatched input") {
		t.Fatalf("failed run = %v %v", run.JobRunState, aws.ToString(run.ErrorMessage))
	}
	if e := h.logs.get(LogGroup+"/error", id); !strings.Contains(e, "statement 2") {
		t.Fatalf("error log = %q", e)
	}
	if n := len(h.sql.statements()); n != 4 {
		t.Fatalf("statements after failure ran: %d", n)
	}

	// A missing argument and a missing script fail clearly.
	h.createJob(t, "noarg", "glueetl", ".sql", "SELECT ${nope}", nil)
	run = h.wait(t, "noarg", h.start(t, "noarg", nil))
	if run.JobRunState != types.JobRunStateFailed || !strings.Contains(*run.ErrorMessage, "--nope") {
		t.Fatalf("noarg = %v %v", run.JobRunState, aws.ToString(run.ErrorMessage))
	}
	h.lake.mu.Lock()
	delete(h.lake.objs, "scripts/noarg.sql")
	h.lake.mu.Unlock()
	run = h.wait(t, "noarg", h.start(t, "noarg", nil))
	if !strings.Contains(aws.ToString(run.ErrorMessage), "does not exist") {
		t.Fatalf("missing script = %v", aws.ToString(run.ErrorMessage))
	}

	// glueetl .py without Spark Connect fails at once.
	h.createJob(t, "spark", "glueetl", ".py", "from awsglue.context import GlueContext", nil)
	run = h.wait(t, "spark", h.start(t, "spark", nil))
	if run.JobRunState != types.JobRunStateFailed || !strings.Contains(*run.ErrorMessage, "spark_connect") {
		t.Fatalf("spark = %v %v", run.JobRunState, aws.ToString(run.ErrorMessage))
	}

	runs, err := h.client.GetJobRuns(t.Context(), &glue.GetJobRunsInput{JobName: aws.String("noarg"), MaxResults: aws.Int32(1)})
	if err != nil || len(runs.JobRuns) != 1 || runs.NextToken == nil {
		t.Fatalf("GetJobRuns = %+v, %v", runs, err)
	}
	if _, err := h.client.GetJobRun(t.Context(), &glue.GetJobRunInput{JobName: aws.String("noarg"), RunId: aws.String("jr_x")}); errCode(err) != codeEntityNotFound {
		t.Fatalf("missing run: %v", err)
	}
}

func TestConcurrencyStopAndRetries(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	h.createJob(t, "slow", "glueetl", ".sql", "SELECT BLOCK", nil)
	id := h.start(t, "slow", nil)
	if _, err := h.client.StartJobRun(ctx, &glue.StartJobRunInput{JobName: aws.String("slow")}); errCode(err) != codeConcurrentRuns {
		t.Fatalf("second run: %v", err)
	}
	out, err := h.client.BatchStopJobRun(ctx, &glue.BatchStopJobRunInput{JobName: aws.String("slow"), JobRunIds: []string{id, "jr_ghost"}})
	if err != nil || len(out.SuccessfulSubmissions) != 1 || len(out.Errors) != 1 {
		t.Fatalf("BatchStopJobRun = %+v, %v", out, err)
	}
	if run := h.wait(t, "slow", id); run.JobRunState != types.JobRunStateStopped {
		t.Fatalf("stopped run = %v", run.JobRunState)
	}

	// MaxConcurrentRuns 2 admits two.
	h.createJob(t, "wide", "glueetl", ".sql", "SELECT BLOCK", func(in *glue.CreateJobInput) {
		in.ExecutionProperty = &types.ExecutionProperty{MaxConcurrentRuns: 2}
	})
	a, b := h.start(t, "wide", nil), h.start(t, "wide", nil)
	if _, err := h.client.StartJobRun(ctx, &glue.StartJobRunInput{JobName: aws.String("wide")}); errCode(err) != codeConcurrentRuns {
		t.Fatalf("third run: %v", err)
	}
	if _, err := h.client.BatchStopJobRun(ctx, &glue.BatchStopJobRunInput{JobName: aws.String("wide"), JobRunIds: []string{a, b}}); err != nil {
		t.Fatal(err)
	}
	h.waitIdle(t)

	// MaxRetries 2: three attempts, chained by PreviousRunId.
	h.createJob(t, "flaky", "glueetl", ".sql", "SELECT FAIL", func(in *glue.CreateJobInput) { in.MaxRetries = 2 })
	first := h.start(t, "flaky", nil)
	h.wait(t, "flaky", first)
	h.waitIdle(t)
	runs, err := h.client.GetJobRuns(ctx, &glue.GetJobRunsInput{JobName: aws.String("flaky")})
	if err != nil || len(runs.JobRuns) != 3 {
		t.Fatalf("runs = %d, %v", len(runs.JobRuns), err)
	}
	byAttempt := map[int32]types.JobRun{}
	for _, r := range runs.JobRuns {
		byAttempt[r.Attempt] = r
		if r.JobRunState != types.JobRunStateFailed {
			t.Fatalf("attempt %d = %v", r.Attempt, r.JobRunState)
		}
	}
	if *byAttempt[0].Id != first || *byAttempt[1].Id != first+"_attempt_1" || *byAttempt[1].PreviousRunId != first ||
		*byAttempt[2].PreviousRunId != first+"_attempt_1" {
		t.Fatalf("attempts = %+v", byAttempt)
	}
}

func TestTimeout(t *testing.T) {
	h := newHarness(t)
	h.close()
	h.minute = 50 * 1e6 // a "minute" of 50ms
	h.open(t)
	h.createJob(t, "slow", "glueetl", ".sql", "SELECT BLOCK", func(in *glue.CreateJobInput) { in.Timeout = aws.Int32(1) })
	run := h.wait(t, "slow", h.start(t, "slow", nil))
	if run.JobRunState != types.JobRunStateTimeout || !strings.Contains(aws.ToString(run.ErrorMessage), "timed out") {
		t.Fatalf("run = %v %v", run.JobRunState, aws.ToString(run.ErrorMessage))
	}
}

func TestRestartDuringRunFails(t *testing.T) {
	h := newHarness(t)
	h.createJob(t, "slow", "glueetl", ".sql", "SELECT BLOCK", nil)
	id := h.start(t, "slow", nil)
	// A crash: the record says RUNNING and no process finishes it.
	h.svc.mu.Lock()
	rec, err := h.svc.loadRun("us-east-1", "slow", id)
	h.svc.mu.Unlock()
	if err != nil {
		t.Fatal(err)
	}
	h.restart(t) // Stop ends the live run FAILED (tarn stopped)
	run := h.wait(t, "slow", id)
	if run.JobRunState != types.JobRunStateFailed || *run.ErrorMessage != msgInterrupted {
		t.Fatalf("after stop = %v %v", run.JobRunState, aws.ToString(run.ErrorMessage))
	}
	rec.Run.JobRunState = stateRunning
	rec.Run.ErrorMessage = nil
	if err := h.svc.saveRun(rec); err != nil {
		t.Fatal(err)
	}
	h.restart(t) // Start finds the crash's RUNNING record
	run = h.wait(t, "slow", id)
	if run.JobRunState != types.JobRunStateFailed || *run.ErrorMessage != msgInterrupted || run.CompletedOn == nil {
		t.Fatalf("after crash = %v %v", run.JobRunState, aws.ToString(run.ErrorMessage))
	}
}

func TestTagsByARN(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	h.createJob(t, "a", "glueetl", ".sql", "SELECT 1", func(in *glue.CreateJobInput) { in.Tags = map[string]string{"k": "v"} })
	arn := "arn:aws:glue:us-east-1:000000000000:job/a"
	if !OwnsTagARN(arn) || !OwnsTagARN("arn:aws:glue:us-east-1:000000000000:workflow/w") || OwnsTagARN("arn:aws:glue:us-east-1:000000000000:crawler/c") {
		t.Fatal("OwnsTagARN")
	}
	if _, err := h.client.TagResource(ctx, &glue.TagResourceInput{ResourceArn: aws.String(arn), TagsToAdd: map[string]string{"team": "x"}}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.UntagResource(ctx, &glue.UntagResourceInput{ResourceArn: aws.String(arn), TagsToRemove: []string{"k"}}); err != nil {
		t.Fatal(err)
	}
	got, err := h.client.GetTags(ctx, &glue.GetTagsInput{ResourceArn: aws.String(arn)})
	if err != nil || len(got.Tags) != 1 || got.Tags["team"] != "x" {
		t.Fatalf("GetTags = %v, %v", got, err)
	}
	l, _ := h.client.ListJobs(ctx, &glue.ListJobsInput{Tags: map[string]string{"team": "x"}})
	if !slices.Equal(l.JobNames, []string{"a"}) {
		t.Fatalf("ListJobs by new tag = %v", l.JobNames)
	}
	if _, err := h.client.GetTags(ctx, &glue.GetTagsInput{ResourceArn: aws.String("arn:aws:glue:us-east-1:000000000000:job/ghost")}); errCode(err) != codeEntityNotFound {
		t.Fatalf("missing job: %v", err)
	}
}
