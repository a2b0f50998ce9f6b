package stack

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/glue"
)

// fakeGlueJobs serves the Glue job and trigger operations Apply calls
// (Get/Create/Update of Job and Trigger) from memory, in the JSON 1.1
// shapes, so jobs and triggers are tested before tarn's jobs service is
// wired in. It keeps the operations it saw.
type fakeGlueJobs struct {
	mu       sync.Mutex
	jobs     map[string]map[string]any
	triggers map[string]map[string]any
	ops      []string
}

func (f *fakeGlueJobs) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	op := strings.TrimPrefix(r.Header.Get("X-Amz-Target"), "AWSGlue.")
	var in map[string]any
	json.NewDecoder(r.Body).Decode(&in)
	f.mu.Lock()
	defer f.mu.Unlock()
	f.ops = append(f.ops, op)
	reply := func(v any) {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		json.NewEncoder(w).Encode(v)
	}
	notFound := func() {
		w.Header().Set("Content-Type", "application/x-amz-json-1.1")
		w.WriteHeader(400)
		json.NewEncoder(w).Encode(map[string]string{"__type": "EntityNotFoundException", "message": "not found"})
	}
	switch op {
	case "GetJob":
		if j, ok := f.jobs[in["JobName"].(string)]; ok {
			reply(map[string]any{"Job": j})
		} else {
			notFound()
		}
	case "CreateJob":
		f.jobs[in["Name"].(string)] = in
		reply(map[string]any{"Name": in["Name"]})
	case "UpdateJob":
		u := in["JobUpdate"].(map[string]any)
		u["Name"] = in["JobName"]
		f.jobs[in["JobName"].(string)] = u
		reply(map[string]any{"JobName": in["JobName"]})
	case "GetTrigger":
		if tr, ok := f.triggers[in["Name"].(string)]; ok {
			reply(map[string]any{"Trigger": tr})
		} else {
			notFound()
		}
	case "CreateTrigger":
		f.triggers[in["Name"].(string)] = in
		reply(map[string]any{"Name": in["Name"]})
	case "UpdateTrigger":
		tr := f.triggers[in["Name"].(string)]
		for k, v := range in["TriggerUpdate"].(map[string]any) {
			tr[k] = v
		}
		reply(map[string]any{"Trigger": tr})
	default:
		w.WriteHeader(400)
		json.NewEncoder(w).Encode(map[string]string{"__type": "UnknownOperationException", "message": op})
	}
}

func TestJobsAndTriggers(t *testing.T) {
	fake := &fakeGlueJobs{jobs: map[string]map[string]any{}, triggers: map[string]map[string]any{}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	c := Clients{Glue: glue.NewFromConfig(aws.Config{Region: "us-east-1", BaseEndpoint: aws.String(srv.URL),
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")})}
	src := `jobs:
  - name: daily
    command: {name: pythonshell, script_location: "s3://b/daily.py"}
    default_arguments: {"--day": today}
    max_retries: RETRIES
triggers:
  - name: nightly
    type: SCHEDULED
    schedule: @SCHED@
    actions: [{job_name: daily}]
`
	parse := func(retries, schedule string) *Stack {
		s, err := Parse("tarn.yaml", []byte(strings.NewReplacer("RETRIES", retries, "@SCHED@", schedule).Replace(src)))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	ctx := context.Background()
	for _, tc := range []struct {
		retries, schedule string
		want              []string
	}{
		{"1", "cron(0 2 * * ? *)", []string{"+ create job daily", "+ create trigger nightly"}},
		{"1", "cron(0 2 * * ? *)", []string{"= job daily (unchanged)", "= trigger nightly (unchanged)"}},
		{"2", "cron(0 3 * * ? *)", []string{"~ update job daily (max_retries 1 → 2)", "~ update trigger nightly (schedule cron(0 2 * * ? *) → cron(0 3 * * ? *))"}},
		{"2", "cron(0 3 * * ? *)", []string{"= job daily (unchanged)", "= trigger nightly (unchanged)"}},
	} {
		changes, err := Apply(ctx, parse(tc.retries, tc.schedule), c, nil)
		if err != nil {
			t.Fatal(err)
		}
		for i, ch := range changes {
			if i >= len(tc.want) || ch.String() != tc.want[i] {
				t.Errorf("change %d = %q, want %v", i, ch.String(), tc.want)
			}
		}
	}
	if got := fake.jobs["daily"]["Command"].(map[string]any)["Name"]; got != "pythonshell" {
		t.Errorf("stored command name %v", got)
	}
	// A type change is reported, not made.
	s := parse("2", "cron(0 3 * * ? *)")
	s.Triggers[0].Type = "ON_DEMAND"
	changes, err := Plan(ctx, s, c)
	if err != nil || changes[1].String() != "! trigger nightly needs replace (type); left as is" {
		t.Errorf("type change: %v %v", changes, err)
	}
}
