package jobs

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"maps"
	"sort"
	"strings"
	"time"

	"github.com/tarnhq/tarn/internal/kv"
)

// workflowRecord is a stored workflow.
type workflowRecord struct {
	Region   string            `json:"region"`
	Workflow Workflow          `json:"workflow"`
	Tags     map[string]string `json:"tags,omitempty"`
}

// workflowRunRecord is a stored workflow run: what its triggers started.
type workflowRunRecord struct {
	Region string          `json:"region"`
	Run    WorkflowRun     `json:"run"`
	Fired  map[string]bool `json:"fired,omitempty"` // triggers fired in this run
	Jobs   []wfJob         `json:"jobs,omitempty"`
	Crawls []wfCrawl       `json:"crawls,omitempty"`
	// Created (real-clock nanoseconds) orders runs that share a StartedOn.
	Created int64 `json:"created,omitempty"`
}

func (r *workflowRunRecord) startOrder() (time.Time, int64) {
	return r.Run.StartedOn.Time(), r.Created
}

type wfJob struct {
	Job   string `json:"job"`
	RunID string `json:"runId,omitempty"` // latest attempt; "" when it could not start
	State string `json:"state"`
	Error string `json:"error,omitempty"`
}

type wfCrawl struct {
	Crawler string    `json:"crawler"`
	Started time.Time `json:"started"`
	State   string    `json:"state"` // RUNNING, then the crawl's end state
}

func (s *Service) loadWorkflow(region, name string) (*workflowRecord, error) {
	rec, err := kv.GetJSON[workflowRecord](s.meta, keyWorkflow(region, name))
	if isNotFound(err) {
		return nil, errNotFound("Workflow %s not found", name)
	}
	return rec, err
}

func (s *Service) loadWorkflowRun(region, wf, id string) (*workflowRunRecord, error) {
	rec, err := kv.GetJSON[workflowRunRecord](s.meta, keyWorkflowRun(region, wf, id))
	if isNotFound(err) {
		return nil, errNotFound("Workflow run %s of %s not found", id, wf)
	}
	return rec, err
}

func (s *Service) saveWorkflowRun(wr *workflowRunRecord) error {
	return putJSON(s.meta, keyWorkflowRun(wr.Region, wr.Run.Name, wr.Run.WorkflowRunId), wr)
}

// workflowTriggers returns the triggers of a workflow, by name.
func (s *Service) workflowTriggers(region, wf string) ([]*triggerRecord, error) {
	all, err := kv.ScanJSON[triggerRecord](s.meta, kv.KeyPrefix('t', region))
	if err != nil {
		return nil, err
	}
	var out []*triggerRecord
	for _, t := range all {
		if str(t.Trigger.WorkflowName) == wf {
			out = append(out, t)
		}
	}
	return out, nil
}

// workflowRuns returns a workflow's runs, newest first.
func (s *Service) workflowRuns(region, wf string) ([]*workflowRunRecord, error) {
	runs, err := kv.ScanJSON[workflowRunRecord](s.meta, kv.KeyPrefix('x', region, wf))
	if err != nil {
		return nil, err
	}
	newestFirst(runs)
	return runs, nil
}

// startWorkflowRunLocked begins a run of wf and fires its start trigger:
// only, the given one (a schedule or StartTrigger fired it), else every
// ON_DEMAND and SCHEDULED trigger of the workflow.
func (s *Service) startWorkflowRunLocked(ctx context.Context, region, wf string, props map[string]string, only *triggerRecord) (*workflowRunRecord, error) {
	rec, err := s.loadWorkflow(region, wf)
	if err != nil {
		return nil, err
	}
	trs, err := s.workflowTriggers(region, wf)
	if err != nil {
		return nil, err
	}
	var starts []*triggerRecord
	if only != nil {
		starts = []*triggerRecord{only}
	} else {
		for _, t := range trs {
			if t.Trigger.Type == typeOnDemand || t.Trigger.Type == typeScheduled {
				starts = append(starts, t)
			}
		}
	}
	if len(starts) == 0 {
		return nil, errIllegalWorkflow("Workflow %s has no starting trigger (ON_DEMAND or SCHEDULED)", wf)
	}
	runs, err := s.workflowRuns(region, wf)
	if err != nil {
		return nil, err
	}
	if m := rec.Workflow.MaxConcurrentRuns; m != nil && *m > 0 {
		n := int32(0)
		for _, r := range runs {
			if r.Run.Status == wfRunning || r.Run.Status == wfStopping {
				n++
			}
		}
		if n >= *m {
			return nil, errConcurrentRuns("Concurrent runs exceeded for workflow %s", wf)
		}
	}
	run := WorkflowRun{Name: wf, WorkflowRunId: "wr_" + randomHex(32), StartedOn: s.ts(s.now()), Status: wfRunning,
		WorkflowRunProperties: map[string]string{}}
	maps.Copy(run.WorkflowRunProperties, rec.Workflow.DefaultRunProperties)
	maps.Copy(run.WorkflowRunProperties, props)
	if len(runs) > 0 {
		run.PreviousRunId = ptr(runs[0].Run.WorkflowRunId)
	}
	wr := &workflowRunRecord{Region: region, Run: run, Fired: map[string]bool{}, Created: time.Now().UnixNano()}
	if err := s.saveWorkflowRun(wr); err != nil {
		return nil, err
	}
	for _, t := range starts {
		if err := s.fireLocked(ctx, t, wr, nil); err != nil {
			s.log.Warn("jobs: workflow start trigger", "workflow", wf, "trigger", t.Trigger.Name, "err", err)
		}
	}
	return wr, s.settleWorkflowRunLocked(ctx, wr)
}

// stats counts a run's actions.
func (wr *workflowRunRecord) stats() *WorkflowRunStatistics {
	st := &WorkflowRunStatistics{}
	count := func(state string) {
		st.TotalActions++
		switch state {
		case stateSucceeded:
			st.SucceededActions++
		case stateFailed:
			st.FailedActions++
		case stateTimeout:
			st.TimeoutActions++
		case stateStopped, "CANCELLED":
			st.StoppedActions++
		case stateError:
			st.ErroredActions++
		case stateWaiting:
			st.WaitingActions++
		default:
			st.RunningActions++
		}
	}
	for _, j := range wr.Jobs {
		count(j.State)
	}
	for _, c := range wr.Crawls {
		count(c.State)
	}
	return st
}

// settleWorkflowRunLocked updates the run's statistics, completes it when
// nothing runs any more, and saves it.
func (s *Service) settleWorkflowRunLocked(ctx context.Context, wr *workflowRunRecord) error {
	st := wr.stats()
	wr.Run.Statistics = st
	if st.RunningActions == 0 && (wr.Run.Status == wfRunning || wr.Run.Status == wfStopping) {
		if wr.Run.Status == wfStopping {
			wr.Run.Status = wfStopped
		} else {
			wr.Run.Status = wfCompleted
		}
		wr.Run.CompletedOn = s.ts(s.now())
	}
	return s.saveWorkflowRun(wr)
}

// recoverWorkflowRunsLocked settles workflow runs after recoverRuns
// failed their unfinished job runs.
func (s *Service) recoverWorkflowRunsLocked() error {
	wrs, err := kv.ScanJSON[workflowRunRecord](s.meta, []byte{'x', 0})
	if err != nil {
		return err
	}
	for _, wr := range wrs {
		if wr.Run.Status != wfRunning && wr.Run.Status != wfStopping {
			continue
		}
		for i := range wr.Jobs {
			j := &wr.Jobs[i]
			if terminal(j.State) || j.RunID == "" {
				continue
			}
			if rec, err := s.loadRun(wr.Region, j.Job, j.RunID); err == nil {
				j.State = rec.Run.JobRunState
			} else {
				j.State = stateFailed
			}
		}
		if err := s.settleWorkflowRunLocked(context.Background(), wr); err != nil {
			return err
		}
	}
	return nil
}

// nodeID is a graph node's UniqueId: stable per kind and name.
func nodeID(kind, name string) string {
	h := sha256.Sum256([]byte(kind + "\x00" + name))
	return "wnode_" + hex.EncodeToString(h[:20])
}

// graph builds a workflow's graph from its triggers; with wr, job and
// crawler nodes carry that run's job runs and crawls.
func (s *Service) graph(region, wf string, wr *workflowRunRecord) (*WorkflowGraph, error) {
	trs, err := s.workflowTriggers(region, wf)
	if err != nil {
		return nil, err
	}
	g := &WorkflowGraph{Nodes: []Node{}, Edges: []Edge{}}
	seen := map[string]bool{}
	add := func(kind, name string) string {
		id := nodeID(kind, name)
		if seen[id] {
			return id
		}
		seen[id] = true
		n := Node{Type: kind, Name: name, UniqueId: id}
		switch kind {
		case "JOB":
			n.JobDetails = &JobNodeDetails{}
			if wr != nil {
				for _, j := range wr.Jobs {
					if j.Job != name || j.RunID == "" {
						continue
					}
					if rec, err := s.loadRun(region, j.Job, j.RunID); err == nil {
						n.JobDetails.JobRuns = append(n.JobDetails.JobRuns, rec.Run)
					}
				}
			}
		case "CRAWLER":
			n.CrawlerDetails = &CrawlerNodeDetails{}
			if wr != nil {
				for _, c := range wr.Crawls {
					if c.Crawler == name {
						n.CrawlerDetails.Crawls = append(n.CrawlerDetails.Crawls, Crawl{State: c.State, StartedOn: s.ts(c.Started)})
					}
				}
			}
		}
		g.Nodes = append(g.Nodes, n)
		return id
	}
	for _, tr := range trs {
		t := tr.Trigger
		tid := nodeID("TRIGGER", t.Name)
		seen[tid] = true
		g.Nodes = append(g.Nodes, Node{Type: "TRIGGER", Name: t.Name, UniqueId: tid, TriggerDetails: &TriggerNodeDetails{Trigger: &t}})
		for _, a := range t.Actions {
			kind, name := "JOB", str(a.JobName)
			if a.CrawlerName != nil {
				kind, name = "CRAWLER", *a.CrawlerName
			}
			g.Edges = append(g.Edges, Edge{SourceId: tid, DestinationId: add(kind, name)})
		}
		if t.Predicate != nil {
			for _, c := range t.Predicate.Conditions {
				kind, name := "JOB", str(c.JobName)
				if c.CrawlerName != nil {
					kind, name = "CRAWLER", *c.CrawlerName
				}
				g.Edges = append(g.Edges, Edge{SourceId: add(kind, name), DestinationId: tid})
			}
		}
	}
	sort.SliceStable(g.Nodes, func(i, j int) bool {
		if g.Nodes[i].Type != g.Nodes[j].Type {
			return strings.Compare(g.Nodes[i].Type, g.Nodes[j].Type) > 0
		}
		return g.Nodes[i].Name < g.Nodes[j].Name
	})
	return g, nil
}
