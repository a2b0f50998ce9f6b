package jobs

import (
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

func TestBookmarks(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	h.createJob(t, "inc", "glueetl", ".sql", "READ lake/in/; SELECT ${fail}", func(in *glue.CreateJobInput) {
		in.DefaultArguments = map[string]string{"--job-bookmark-option": "job-bookmark-enable", "--fail": "1"}
	})
	h.lake.put("lake", "in/a.csv", "1")
	h.lake.put("lake", "in/b.csv", "2")
	if _, err := h.client.GetJobBookmark(ctx, &glue.GetJobBookmarkInput{JobName: aws.String("inc")}); errCode(err) != codeEntityNotFound {
		t.Fatalf("bookmark before any run: %v", err)
	}
	run := h.wait(t, "inc", h.start(t, "inc", nil))
	if run.JobRunState != types.JobRunStateSucceeded {
		t.Fatalf("run 1 = %v %v", run.JobRunState, aws.ToString(run.ErrorMessage))
	}
	h.lake.put("lake", "in/c.csv", "3")
	// A failed run reads c but commits nothing.
	run = h.wait(t, "inc", h.start(t, "inc", map[string]string{"--fail": "FAIL"}))
	if run.JobRunState != types.JobRunStateFailed {
		t.Fatalf("run 2 = %v", run.JobRunState)
	}
	// Pause reads c and commits nothing either.
	h.wait(t, "inc", h.start(t, "inc", map[string]string{"--job-bookmark-option": "job-bookmark-pause"}))
	run = h.wait(t, "inc", h.start(t, "inc", nil))
	if run.JobRunState != types.JobRunStateSucceeded {
		t.Fatalf("run 4 = %v", run.JobRunState)
	}
	// Then nothing new.
	h.wait(t, "inc", h.start(t, "inc", nil))
	// Disabled reads everything.
	h.wait(t, "inc", h.start(t, "inc", map[string]string{"--job-bookmark-option": "job-bookmark-disable"}))
	want := [][]string{{"in/a.csv", "in/b.csv"}, {"in/c.csv"}, {"in/c.csv"}, {"in/c.csv"}, nil, {"in/a.csv", "in/b.csv", "in/c.csv"}}
	if got := h.sql.reads(); !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("reads = %q, want %q", got, want)
	}
	bm, err := h.client.GetJobBookmark(ctx, &glue.GetJobBookmarkInput{JobName: aws.String("inc")})
	if err != nil {
		t.Fatal(err)
	}
	e := bm.JobBookmarkEntry
	if e.Run != 3 || e.Version != 3 || !strings.Contains(*e.JobBookmark, "s3://lake/in/c.csv") || e.RunId == nil {
		t.Fatalf("bookmark = %+v %s", e, aws.ToString(e.JobBookmark))
	}
	if _, err := h.client.ResetJobBookmark(ctx, &glue.ResetJobBookmarkInput{JobName: aws.String("inc")}); err != nil {
		t.Fatal(err)
	}
	h.restart(t) // bookmarks are durable
	h.wait(t, "inc", h.start(t, "inc", nil))
	if got := h.sql.reads(); !slices.Equal(got[len(got)-1], []string{"in/a.csv", "in/b.csv", "in/c.csv"}) {
		t.Fatalf("after reset read %q", got[len(got)-1])
	}
	run = h.wait(t, "inc", h.start(t, "inc", map[string]string{"--job-bookmark-option": "sometimes"}))
	if run.JobRunState != types.JobRunStateFailed || !strings.Contains(*run.ErrorMessage, "job-bookmark-option") {
		t.Fatalf("bad option = %v %v", run.JobRunState, aws.ToString(run.ErrorMessage))
	}
}
