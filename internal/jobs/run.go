package jobs

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"sort"
	"strings"
	"time"

	"github.com/tarnhq/tarn/internal/kv"
)

// runRecord is one stored job run attempt.
type runRecord struct {
	Region string `json:"region"`
	Run    JobRun `json:"run"`
	// Merged is DefaultArguments, then the run's Arguments, then
	// NonOverridableArguments: what the script sees.
	Merged map[string]string `json:"merged,omitempty"`
	// WorkflowName and WorkflowRunID tie the run to a workflow run.
	WorkflowName  string `json:"workflowName,omitempty"`
	WorkflowRunID string `json:"workflowRunId,omitempty"`
	// FirstID is the id of the run's first attempt (retries are
	// <FirstID>_attempt_<n>).
	FirstID string `json:"firstId,omitempty"`
	// Created (real-clock nanoseconds) orders runs that share a StartedOn.
	Created int64 `json:"created,omitempty"`
}

func (r *runRecord) startOrder() (time.Time, int64) { return r.Run.StartedOn.Time(), r.Created }

// newestFirst sorts job or workflow runs by StartedOn, newest first;
// among runs that share one, the later Created comes first.
func newestFirst[R interface{ startOrder() (time.Time, int64) }](runs []R) {
	sort.SliceStable(runs, func(i, j int) bool {
		a, ac := runs[i].startOrder()
		b, bc := runs[j].startOrder()
		if !a.Equal(b) {
			return a.After(b)
		}
		return ac > bc
	})
}

// activeRun is a run executing in this process.
type activeRun struct {
	region, job, id string
	cancel          context.CancelFunc
	// reason is why the run was cancelled: stateStopped (BatchStopJobRun)
	// or "" (shutdown or timeout). Guarded by Service.mu.
	reason string
}

// stop asks the run to end with state; the caller holds Service.mu.
func (a *activeRun) stop(state string) {
	if a.reason == "" {
		a.reason = state
	}
	a.cancel()
}

func runKey(region, job, id string) string { return region + "\x00" + job + "\x00" + id }

// msgInterrupted is the ErrorMessage of runs tarn's stop or crash ended.
const msgInterrupted = "tarn stopped during the run; the run did not finish"

// runSpec is what starts a run.
type runSpec struct {
	region, job   string
	args          map[string]string
	timeout       *int32
	trigger       string
	workflow      string
	workflowRunID string
	attempt       int32
	previousID    string
	firstID       string
	predecessors  []Predecessor
}

// startRunLocked creates the run record (STARTING, synced) and starts
// it. The caller holds s.mu.
func (s *Service) startRunLocked(sp runSpec) (*runRecord, error) {
	if s.stopping() {
		return nil, errInvalid("tarn is stopping; no new job runs start")
	}
	jr, err := s.loadJob(sp.region, sp.job)
	if err != nil {
		return nil, err
	}
	job := jr.Job
	limit := int32(1)
	if job.ExecutionProperty != nil && job.ExecutionProperty.MaxConcurrentRuns > 0 {
		limit = job.ExecutionProperty.MaxConcurrentRuns
	}
	n := int32(0)
	for _, a := range s.active {
		if a.region == sp.region && a.job == sp.job {
			n++
		}
	}
	if n >= limit {
		return nil, errConcurrentRuns("Concurrent runs exceeded for %s", sp.job)
	}
	for k := range sp.args {
		if !strings.HasPrefix(k, "--") {
			return nil, errInvalid("Argument key %q must start with --.", k)
		}
	}
	merged := map[string]string{}
	maps.Copy(merged, job.DefaultArguments)
	maps.Copy(merged, sp.args)
	maps.Copy(merged, job.NonOverridableArguments)
	args := sp.args
	if sp.workflow != "" {
		// Glue adds these to the run's arguments too.
		args = maps.Clone(sp.args)
		if args == nil {
			args = map[string]string{}
		}
		args["--WORKFLOW_NAME"], merged["--WORKFLOW_NAME"] = sp.workflow, sp.workflow
		args["--WORKFLOW_RUN_ID"], merged["--WORKFLOW_RUN_ID"] = sp.workflowRunID, sp.workflowRunID
	}
	timeout := job.Timeout
	if sp.timeout != nil {
		if *sp.timeout < 1 {
			return nil, errInvalid("Timeout must be at least 1 minute.")
		}
		timeout = sp.timeout
	}
	if timeout == nil {
		timeout = ptr(int32(DefaultTimeout))
	}
	id := newRunID()
	first := id
	if sp.attempt > 0 {
		first = sp.firstID
		id = fmt.Sprintf("%s_attempt_%d", sp.firstID, sp.attempt)
	}
	now := s.ts(s.now())
	rec := &runRecord{Region: sp.region, Merged: merged, Created: time.Now().UnixNano(), WorkflowName: sp.workflow, WorkflowRunID: sp.workflowRunID, FirstID: first,
		Run: JobRun{Id: id, Attempt: sp.attempt, JobName: sp.job, JobMode: job.JobMode, StartedOn: now, LastModifiedOn: now,
			JobRunState: stateStarting, Arguments: args, PredecessorRuns: sp.predecessors, Timeout: timeout,
			MaxCapacity: job.MaxCapacity, WorkerType: job.WorkerType, NumberOfWorkers: job.NumberOfWorkers,
			AllocatedCapacity: job.AllocatedCapacity, LogGroupName: LogGroup, GlueVersion: job.GlueVersion,
			ExecutionClass: job.ExecutionClass, SecurityConfiguration: job.SecurityConfiguration}}
	if sp.previousID != "" {
		rec.Run.PreviousRunId = ptr(sp.previousID)
	}
	if sp.trigger != "" {
		rec.Run.TriggerName = ptr(sp.trigger)
	}
	if err := s.saveRun(rec); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(s.baseCtx, time.Duration(*timeout)*s.minute)
	a := &activeRun{region: sp.region, job: sp.job, id: id, cancel: cancel}
	s.active[runKey(sp.region, sp.job, id)] = a
	s.wg.Add(1)
	go s.execute(ctx, a, rec, job)
	return rec, nil
}

func (s *Service) saveRun(rec *runRecord) error {
	return putJSON(s.meta, keyRun(rec.Region, rec.Run.JobName, rec.Run.Id), rec)
}

func (s *Service) loadRun(region, job, id string) (*runRecord, error) {
	rec, err := kv.GetJSON[runRecord](s.meta, keyRun(region, job, id))
	if isNotFound(err) {
		return nil, errNotFound("Job Run %s not found for job %s", id, job)
	}
	return rec, err
}

// execute runs one attempt to its end, then records the outcome, starts
// a retry or tells triggers and workflows.
func (s *Service) execute(ctx context.Context, a *activeRun, rec *runRecord, job Job) {
	defer s.wg.Done()
	defer a.cancel()
	began := s.now()
	s.mu.Lock()
	if a.reason == "" && ctx.Err() == nil {
		rec.Run.JobRunState = stateRunning
		rec.Run.LastModifiedOn = s.ts(s.now())
		if err := s.saveRun(rec); err != nil {
			s.log.Error("jobs: save run", "run", rec.Run.Id, "err", err)
		}
	}
	s.mu.Unlock()

	bm, runErr := s.prepareBookmark(rec)
	if runErr == nil {
		runErr = s.runScript(ctx, rec, job, bm)
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.active, runKey(a.region, a.job, a.id))
	state, msg := stateSucceeded, ""
	switch {
	case a.reason == stateStopped:
		state = stateStopped
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		state, msg = stateTimeout, fmt.Sprintf("Job run timed out after %d minutes (the job's Timeout)", *rec.Run.Timeout)
	case s.stopping() && ctx.Err() != nil:
		state, msg = stateFailed, msgInterrupted
	case runErr != nil:
		state, msg = stateFailed, runErr.Error()
	}
	if msg != "" {
		rec.Run.ErrorMessage = ptr(msg)
		s.logErr(rec, msg)
	}
	end := s.now()
	rec.Run.JobRunState = state
	rec.Run.CompletedOn, rec.Run.LastModifiedOn = s.ts(end), s.ts(end)
	rec.Run.ExecutionTime = int32(end.Sub(began).Round(time.Second) / time.Second)
	if _, err := s.meta.Get(keyJob(rec.Region, rec.Run.JobName)); err != nil {
		return // the job was deleted during the run; its runs went with it
	}
	if err := s.saveRun(rec); err != nil {
		s.log.Error("jobs: save run", "run", rec.Run.Id, "err", err)
		return
	}
	if state == stateSucceeded && bm != nil && bm.commit {
		if err := s.commitBookmark(rec, bm); err != nil {
			s.log.Error("jobs: commit bookmark", "run", rec.Run.Id, "err", err)
		}
	}
	if (state == stateFailed || state == stateTimeout) && rec.Run.Attempt < job.MaxRetries && !s.stopping() {
		retry := runSpec{region: rec.Region, job: rec.Run.JobName, args: rec.Run.Arguments, timeout: rec.Run.Timeout,
			trigger: str(rec.Run.TriggerName), workflow: rec.WorkflowName, workflowRunID: rec.WorkflowRunID,
			attempt: rec.Run.Attempt + 1, previousID: rec.Run.Id, firstID: rec.FirstID, predecessors: rec.Run.PredecessorRuns}
		if next, err := s.startRunLocked(retry); err == nil {
			s.retried(rec, next)
			return
		} else {
			s.log.Error("jobs: retry", "run", rec.Run.Id, "err", err)
		}
	}
	s.jobRunEndedLocked(rec)
}

// recoverRuns ends every run a previous process left unfinished.
func (s *Service) recoverRuns(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	runs, err := kv.ScanJSON[runRecord](s.meta, []byte{'r', 0})
	if err != nil {
		return err
	}
	now := s.ts(s.now())
	for _, rec := range runs {
		if terminal(rec.Run.JobRunState) {
			continue
		}
		rec.Run.JobRunState = stateFailed
		rec.Run.ErrorMessage = ptr(msgInterrupted)
		rec.Run.CompletedOn, rec.Run.LastModifiedOn = now, now
		if err := s.saveRun(rec); err != nil {
			return err
		}
		s.logErr(rec, msgInterrupted)
	}
	return s.recoverWorkflowRunsLocked()
}

func (s *Service) logOut(rec *runRecord, lines ...string) { s.writeLog(rec, LogGroup+"/output", lines) }
func (s *Service) logErr(rec *runRecord, lines ...string) { s.writeLog(rec, LogGroup+"/error", lines) }

func (s *Service) writeLog(rec *runRecord, group string, lines []string) {
	if s.opts.Logs == nil || len(lines) == 0 {
		return
	}
	now := s.now()
	ll := make([]LogLine, len(lines))
	for i, l := range lines {
		ll[i] = LogLine{Time: now, Message: l}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := s.opts.Logs.Put(ctx, rec.Region, group, rec.Run.Id, ll); err != nil {
		s.log.Warn("jobs: write run log", "run", rec.Run.Id, "group", group, "err", err)
	}
}

// runScript reads the job's script and runs it by kind.
func (s *Service) runScript(ctx context.Context, rec *runRecord, job Job, bm *bookmarkRun) error {
	if job.Command == nil || job.Command.ScriptLocation == "" {
		return errors.New("the job has no Command.ScriptLocation")
	}
	bucket, key, err := parseS3(job.Command.ScriptLocation)
	if err != nil {
		return err
	}
	isSQL := strings.HasSuffix(strings.ToLower(key), ".sql")
	isPy := strings.HasSuffix(strings.ToLower(key), ".py")
	kind := job.Command.Name
	switch {
	case isSQL && (kind == "glueetl" || kind == "gluestreaming" || kind == "pythonshell"):
	case isPy && kind == "pythonshell":
	case isPy && (kind == "glueetl" || kind == "gluestreaming"):
		if s.opts.SparkConnect == "" {
			return errors.New("this glueetl job needs a Spark engine: tarn runs PySpark scripts through Spark Connect; configure spark_connect (a sc://host:port URL) to run them")
		}
	default:
		return fmt.Errorf("tarn runs %s jobs whose script is .sql or .py, not %s", kind, job.Command.ScriptLocation)
	}
	if s.opts.Lake == nil {
		return errors.New("tarn has no lake to read the job's script from")
	}
	script, err := s.opts.Lake.Get(ctx, bucket, key)
	if errors.Is(err, ErrNoSuchObject) {
		return fmt.Errorf("the script %s does not exist", job.Command.ScriptLocation)
	}
	if err != nil {
		return fmt.Errorf("read script %s: %w", job.Command.ScriptLocation, err)
	}
	if isSQL {
		return s.runSQL(ctx, rec, string(script), bm)
	}
	return s.runPython(ctx, rec, job, key, script)
}

// parseS3 splits s3://bucket/key.
func parseS3(loc string) (bucket, key string, err error) {
	rest, ok := strings.CutPrefix(loc, "s3://")
	if !ok {
		rest, ok = strings.CutPrefix(loc, "s3a://")
	}
	b, k, found := strings.Cut(rest, "/")
	if !ok || !found || b == "" || k == "" {
		return "", "", fmt.Errorf("script location %q is not s3://bucket/key", loc)
	}
	return b, k, nil
}
