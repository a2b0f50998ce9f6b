package jobs

import (
	"slices"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

func (h *harness) runs(t testing.TB, job string) []types.JobRun {
	t.Helper()
	out, err := h.client.GetJobRuns(t.Context(), &glue.GetJobRunsInput{JobName: aws.String(job)})
	if err != nil {
		t.Fatal(err)
	}
	return out.JobRuns
}

func (h *harness) createTrigger(t testing.TB, in *glue.CreateTriggerInput) {
	t.Helper()
	if _, err := h.client.CreateTrigger(t.Context(), in); err != nil {
		t.Fatal(err)
	}
}

func jobAction(job string, args map[string]string) []types.Action {
	return []types.Action{{JobName: aws.String(job), Arguments: args}}
}

func TestTriggerCRUD(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	h.createJob(t, "a", "glueetl", ".sql", "SELECT 1", nil)
	h.createJob(t, "b", "glueetl", ".sql", "SELECT 1", nil)
	h.createTrigger(t, &glue.CreateTriggerInput{Name: aws.String("nightly"), Type: types.TriggerTypeScheduled,
		Schedule: aws.String("cron(0 2 * * ? *)"), Actions: jobAction("a", nil), Tags: map[string]string{"k": "v"}})
	h.createTrigger(t, &glue.CreateTriggerInput{Name: aws.String("after-a"), Type: types.TriggerTypeConditional, StartOnCreation: true,
		Predicate: &types.Predicate{Conditions: []types.Condition{{JobName: aws.String("a"), State: types.JobRunStateSucceeded, LogicalOperator: types.LogicalOperatorEquals}}},
		Actions:   jobAction("b", nil)})
	bad := map[string]*glue.CreateTriggerInput{
		"bad cron":     {Name: aws.String("x"), Type: types.TriggerTypeScheduled, Schedule: aws.String("cron(0 2 * * *)"), Actions: jobAction("a", nil)},
		"event":        {Name: aws.String("x"), Type: types.TriggerTypeEvent, Actions: jobAction("a", nil)},
		"missing job":  {Name: aws.String("x"), Type: types.TriggerTypeOnDemand, Actions: jobAction("ghost", nil)},
		"no actions":   {Name: aws.String("x"), Type: types.TriggerTypeOnDemand},
		"no predicate": {Name: aws.String("x"), Type: types.TriggerTypeConditional, Actions: jobAction("a", nil)},
		"duplicate":    {Name: aws.String("nightly"), Type: types.TriggerTypeOnDemand, Actions: jobAction("a", nil)},
	}
	for name, in := range bad {
		if _, err := h.client.CreateTrigger(ctx, in); err == nil {
			t.Errorf("%s: created", name)
		}
	}
	got, err := h.client.GetTrigger(ctx, &glue.GetTriggerInput{Name: aws.String("nightly")})
	if err != nil || got.Trigger.State != types.TriggerStateCreated || *got.Trigger.Schedule != "cron(0 2 * * ? *)" {
		t.Fatalf("GetTrigger = %+v, %v", got, err)
	}
	got, _ = h.client.GetTrigger(ctx, &glue.GetTriggerInput{Name: aws.String("after-a")})
	if got.Trigger.State != types.TriggerStateActivated || got.Trigger.Predicate.Logical != types.LogicalAnd {
		t.Fatalf("conditional = %+v", got.Trigger)
	}
	gt, err := h.client.GetTriggers(ctx, &glue.GetTriggersInput{DependentJobName: aws.String("b")})
	if err != nil || len(gt.Triggers) != 1 || *gt.Triggers[0].Name != "after-a" {
		t.Fatalf("GetTriggers = %+v, %v", gt, err)
	}
	lt, err := h.client.ListTriggers(ctx, &glue.ListTriggersInput{Tags: map[string]string{"k": "v"}})
	if err != nil || !slices.Equal(lt.TriggerNames, []string{"nightly"}) {
		t.Fatalf("ListTriggers = %+v, %v", lt, err)
	}
	bg, err := h.client.BatchGetTriggers(ctx, &glue.BatchGetTriggersInput{TriggerNames: []string{"nightly", "ghost"}})
	if err != nil || len(bg.Triggers) != 1 || !slices.Equal(bg.TriggersNotFound, []string{"ghost"}) {
		t.Fatalf("BatchGetTriggers = %+v, %v", bg, err)
	}
	up, err := h.client.UpdateTrigger(ctx, &glue.UpdateTriggerInput{Name: aws.String("nightly"), TriggerUpdate: &types.TriggerUpdate{Schedule: aws.String("cron(30 3 * * ? *)")}})
	if err != nil || *up.Trigger.Schedule != "cron(30 3 * * ? *)" || *up.Trigger.Actions[0].JobName != "a" {
		t.Fatalf("UpdateTrigger = %+v, %v", up, err)
	}
	if _, err := h.client.StartTrigger(ctx, &glue.StartTriggerInput{Name: aws.String("nightly")}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.StopTrigger(ctx, &glue.StopTriggerInput{Name: aws.String("nightly")}); err != nil {
		t.Fatal(err)
	}
	got, _ = h.client.GetTrigger(ctx, &glue.GetTriggerInput{Name: aws.String("nightly")})
	if got.Trigger.State != types.TriggerStateDeactivated {
		t.Fatalf("after stop = %v", got.Trigger.State)
	}
	if _, err := h.client.DeleteTrigger(ctx, &glue.DeleteTriggerInput{Name: aws.String("nightly")}); err != nil {
		t.Fatal(err)
	}
	if _, err := h.client.GetTrigger(ctx, &glue.GetTriggerInput{Name: aws.String("nightly")}); errCode(err) != codeEntityNotFound {
		t.Fatalf("after delete: %v", err)
	}
}

func TestScheduledTriggerFiresOncePerSlot(t *testing.T) {
	h := newHarness(t)
	h.createJob(t, "a", "glueetl", ".sql", "SELECT ${slot}", nil)
	h.createTrigger(t, &glue.CreateTriggerInput{Name: aws.String("every5"), Type: types.TriggerTypeScheduled, StartOnCreation: true,
		Schedule: aws.String("cron(0/5 * * * ? *)"), Actions: jobAction("a", map[string]string{"--slot": "s"})})
	base := h.clock.now()
	steps := []struct {
		at      time.Duration
		restart bool
		fired   bool
	}{
		{0, false, false},
		{4 * time.Minute, false, false},
		{5 * time.Minute, false, true},
		{5*time.Minute + 30*time.Second, false, false},
		{7 * time.Minute, true, false},  // restart: the 11:05 slot does not fire again
		{21 * time.Minute, false, true}, // three missed slots fire once
		{21 * time.Minute, true, false},
		{25 * time.Minute, false, true},
	}
	want := 0
	for i, st := range steps {
		if st.restart {
			h.waitIdle(t)
			h.restart(t)
		}
		h.clock.set(base.Add(st.at))
		fired := h.svc.tick()
		if got := len(fired) == 1; got != st.fired {
			t.Fatalf("step %d at +%v: fired %v, want %v", i, st.at, fired, st.fired)
		}
		if st.fired {
			want++
		}
		h.waitIdle(t)
	}
	runs := h.runs(t, "a")
	if len(runs) != want {
		t.Fatalf("runs = %d, want %d", len(runs), want)
	}
	if r := runs[0]; aws.ToString(r.TriggerName) != "every5" || r.JobRunState != types.JobRunStateSucceeded || r.Arguments["--slot"] != "s" {
		t.Fatalf("run = %+v %v", r, aws.ToString(r.ErrorMessage))
	}
}

func TestConditionalTriggers(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	h.createJob(t, "a", "glueetl", ".sql", "SELECT ${x}", func(in *glue.CreateJobInput) {
		in.DefaultArguments = map[string]string{"--x": "1"}
	})
	h.createJob(t, "b", "glueetl", ".sql", "SELECT 1", nil)
	h.createJob(t, "c", "glueetl", ".sql", "SELECT 1", nil)
	h.createJob(t, "on-fail", "glueetl", ".sql", "SELECT 1", nil)
	h.createTrigger(t, &glue.CreateTriggerInput{Name: aws.String("a-ok"), Type: types.TriggerTypeConditional, StartOnCreation: true,
		Predicate: &types.Predicate{Conditions: []types.Condition{{JobName: aws.String("a"), State: types.JobRunStateSucceeded}}},
		Actions:   jobAction("b", map[string]string{"--from": "a"})})
	h.createTrigger(t, &glue.CreateTriggerInput{Name: aws.String("a-and-b"), Type: types.TriggerTypeConditional, StartOnCreation: true,
		Predicate: &types.Predicate{Logical: types.LogicalAnd, Conditions: []types.Condition{
			{JobName: aws.String("a"), State: types.JobRunStateSucceeded}, {JobName: aws.String("b"), State: types.JobRunStateSucceeded}}},
		Actions: jobAction("c", nil)})
	h.createTrigger(t, &glue.CreateTriggerInput{Name: aws.String("a-fail"), Type: types.TriggerTypeConditional, StartOnCreation: true,
		Predicate: &types.Predicate{Logical: types.LogicalAny, Conditions: []types.Condition{
			{JobName: aws.String("a"), State: types.JobRunStateFailed}, {JobName: aws.String("a"), State: types.JobRunStateTimeout}}},
		Actions: jobAction("on-fail", nil)})

	first := h.start(t, "a", nil)
	h.wait(t, "a", first)
	h.waitIdle(t)
	b := h.runs(t, "b")
	if len(b) != 1 || aws.ToString(b[0].TriggerName) != "a-ok" || b[0].Arguments["--from"] != "a" ||
		len(b[0].PredecessorRuns) != 1 || *b[0].PredecessorRuns[0].RunId != first {
		t.Fatalf("b runs = %+v", b)
	}
	if c := h.runs(t, "c"); len(c) != 1 || aws.ToString(c[0].TriggerName) != "a-and-b" {
		t.Fatalf("c runs = %+v", c)
	}
	if n := len(h.runs(t, "on-fail")); n != 0 {
		t.Fatalf("on-fail ran %d times after a success", n)
	}
	h.wait(t, "a", h.start(t, "a", map[string]string{"--x": "FAIL"}))
	h.waitIdle(t)
	if n := len(h.runs(t, "on-fail")); n != 1 {
		t.Fatalf("on-fail ran %d times after a failure", n)
	}
	if n := len(h.runs(t, "b")); n != 1 {
		t.Fatalf("b ran %d times", n)
	}
	// A deactivated trigger does not fire.
	if _, err := h.client.StopTrigger(ctx, &glue.StopTriggerInput{Name: aws.String("a-ok")}); err != nil {
		t.Fatal(err)
	}
	h.wait(t, "a", h.start(t, "a", nil))
	h.waitIdle(t)
	if n := len(h.runs(t, "b")); n != 1 {
		t.Fatalf("b ran %d times after its trigger stopped", n)
	}
}

func TestCrawlerTriggers(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	h.crawlers.add("raw")
	h.crawlers.now = h.clock.now
	h.createJob(t, "after-crawl", "glueetl", ".sql", "SELECT 1", nil)
	h.createTrigger(t, &glue.CreateTriggerInput{Name: aws.String("crawl-now"), Type: types.TriggerTypeOnDemand,
		Actions: []types.Action{{CrawlerName: aws.String("raw")}}})
	h.createTrigger(t, &glue.CreateTriggerInput{Name: aws.String("crawled"), Type: types.TriggerTypeConditional, StartOnCreation: true,
		Predicate: &types.Predicate{Conditions: []types.Condition{{CrawlerName: aws.String("raw"), CrawlState: types.CrawlStateSucceeded}}},
		Actions:   jobAction("after-crawl", nil)})
	if _, err := h.client.CreateTrigger(ctx, &glue.CreateTriggerInput{Name: aws.String("x"), Type: types.TriggerTypeOnDemand,
		Actions: []types.Action{{CrawlerName: aws.String("ghost")}}}); errCode(err) != codeEntityNotFound {
		t.Fatalf("missing crawler: %v", err)
	}
	h.clock.add(time.Minute)
	if _, err := h.client.StartTrigger(ctx, &glue.StartTriggerInput{Name: aws.String("crawl-now")}); err != nil {
		t.Fatal(err)
	}
	if got := h.crawlers.startedList(); !slices.Equal(got, []string{"raw"}) {
		t.Fatalf("crawlers started = %v", got)
	}
	h.svc.tick() // still running: nothing
	if n := len(h.runs(t, "after-crawl")); n != 0 {
		t.Fatalf("ran %d before the crawl ended", n)
	}
	h.crawlers.finish("raw", "SUCCEEDED", time.Time{})
	h.svc.tick()
	h.waitIdle(t)
	h.svc.tick() // the same crawl fires once
	h.waitIdle(t)
	h.restart(t)
	h.svc.tick() // also across a restart
	h.waitIdle(t)
	if n := len(h.runs(t, "after-crawl")); n != 1 {
		t.Fatalf("after-crawl ran %d times, want 1", n)
	}
	// A failed crawl does not satisfy SUCCEEDED.
	h.clock.add(time.Minute)
	h.crawlers.finish("raw", "FAILED", h.clock.now())
	h.svc.tick()
	h.waitIdle(t)
	if n := len(h.runs(t, "after-crawl")); n != 1 {
		t.Fatalf("after-crawl ran %d times after a failed crawl", n)
	}
}
