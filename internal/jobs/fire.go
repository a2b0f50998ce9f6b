package jobs

import (
	"context"
	"errors"
	"time"

	"github.com/tarnhq/tarn/internal/kv"
)

// Firing and events. A trigger fires by starting its actions: job runs
// (with the action's Arguments and Timeout) and crawls. A trigger of a
// workflow fires inside a workflow run; fired outside one (its schedule,
// StartTrigger) it begins a new run. Every function here runs with s.mu
// held; crawler calls are made under it (the Crawlers seam never calls
// back into this package).

// fireLocked starts tr's actions, in workflow run wr (nil: none, or a new
// one for a workflow trigger). preds are the runs that satisfied it.
func (s *Service) fireLocked(ctx context.Context, tr *triggerRecord, wr *workflowRunRecord, preds []Predecessor) error {
	t := &tr.Trigger
	if t.WorkflowName != nil && wr == nil {
		_, err := s.startWorkflowRunLocked(ctx, tr.Region, *t.WorkflowName, nil, tr)
		return err
	}
	if wr != nil {
		if wr.Fired == nil {
			wr.Fired = map[string]bool{}
		}
		wr.Fired[t.Name] = true
	}
	var firstErr error
	for _, a := range t.Actions {
		switch {
		case a.JobName != nil:
			sp := runSpec{region: tr.Region, job: *a.JobName, args: a.Arguments, timeout: a.Timeout, trigger: t.Name, predecessors: preds}
			if wr != nil {
				sp.workflow, sp.workflowRunID = wr.Run.Name, wr.Run.WorkflowRunId
			}
			rec, err := s.startRunLocked(sp)
			if err != nil {
				s.log.Warn("jobs: trigger could not start job", "trigger", t.Name, "job", *a.JobName, "err", err)
				if wr != nil {
					wr.Jobs = append(wr.Jobs, wfJob{Job: *a.JobName, State: stateError, Error: err.Error()})
				}
				firstErr = errors.Join(firstErr, err)
				continue
			}
			if wr != nil {
				wr.Jobs = append(wr.Jobs, wfJob{Job: *a.JobName, RunID: rec.Run.Id, State: stateRunning})
			}
		case a.CrawlerName != nil:
			err := errors.New("tarn has no crawlers")
			if s.opts.Crawlers != nil {
				err = s.opts.Crawlers.StartCrawler(ctx, tr.Region, *a.CrawlerName)
			}
			if err != nil {
				s.log.Warn("jobs: trigger could not start crawler", "trigger", t.Name, "crawler", *a.CrawlerName, "err", err)
				if wr != nil {
					wr.Crawls = append(wr.Crawls, wfCrawl{Crawler: *a.CrawlerName, Started: s.now().UTC(), State: "ERROR"})
				}
				firstErr = errors.Join(firstErr, err)
				continue
			}
			if wr != nil {
				wr.Crawls = append(wr.Crawls, wfCrawl{Crawler: *a.CrawlerName, Started: s.now().UTC(), State: "RUNNING"})
			}
		}
	}
	if wr != nil {
		if err := s.settleWorkflowRunLocked(ctx, wr); err != nil {
			return err
		}
	}
	return firstErr
}

// event is a job run or crawl that ended.
type event struct {
	job, crawler string
	state        string // JobRunState or CrawlState
	pred         *Predecessor
}

// preds is what a trigger that ev fires records as its run's
// Predecessors: ev.pred, if any.
func (ev event) preds() []Predecessor {
	if ev.pred == nil {
		return nil
	}
	return []Predecessor{*ev.pred}
}

func (c *Condition) matches(ev event) bool {
	if ev.job != "" {
		return str(c.JobName) == ev.job && c.State == ev.state
	}
	return str(c.CrawlerName) == ev.crawler && c.CrawlState == ev.state
}

// satisfied reports whether predicate p holds once ev happened, with
// stateOf giving the latest state of the other conditions' jobs and
// crawlers ("" unknown).
func satisfied(p *Predicate, ev event, stateOf func(c *Condition) string) bool {
	if p == nil {
		return false
	}
	hit := false
	for i := range p.Conditions {
		if p.Conditions[i].matches(ev) {
			hit = true
		}
	}
	if !hit {
		return false
	}
	if p.Logical == "ANY" {
		return true
	}
	for i := range p.Conditions {
		c := &p.Conditions[i]
		if c.matches(ev) {
			continue
		}
		want := c.State
		if c.CrawlerName != nil {
			want = c.CrawlState
		}
		if stateOf(c) != want {
			return false
		}
	}
	return true
}

// retried records in the workflow run that rec's next attempt replaced it.
func (s *Service) retried(rec, next *runRecord) {
	if rec.WorkflowRunID == "" {
		return
	}
	wr, err := s.loadWorkflowRun(rec.Region, rec.WorkflowName, rec.WorkflowRunID)
	if err != nil {
		return
	}
	for i := range wr.Jobs {
		if wr.Jobs[i].RunID == rec.Run.Id {
			wr.Jobs[i].RunID = next.Run.Id
		}
	}
	if err := s.saveWorkflowRun(wr); err != nil {
		s.log.Error("jobs: save workflow run", "err", err)
	}
}

// jobRunEndedLocked handles a final attempt's end.
func (s *Service) jobRunEndedLocked(rec *runRecord) {
	ctx := s.baseCtx
	ev := event{job: rec.Run.JobName, state: rec.Run.JobRunState, pred: &Predecessor{JobName: rec.Run.JobName, RunId: rec.Run.Id}}
	if rec.WorkflowRunID != "" {
		wr, err := s.loadWorkflowRun(rec.Region, rec.WorkflowName, rec.WorkflowRunID)
		if err != nil {
			s.log.Warn("jobs: workflow run of a job run", "run", rec.Run.Id, "err", err)
			return
		}
		for i := range wr.Jobs {
			if wr.Jobs[i].RunID == rec.Run.Id {
				wr.Jobs[i].State = rec.Run.JobRunState
			}
		}
		s.workflowEventLocked(ctx, wr, ev)
		return
	}
	s.globalEventLocked(ctx, rec.Region, ev)
}

// globalEventLocked fires the activated conditional triggers outside
// workflows that ev satisfies. For AND, another condition's job counts
// with the state of its latest finished run, a crawler with its last crawl.
func (s *Service) globalEventLocked(ctx context.Context, region string, ev event) {
	trs, err := kv.ScanJSON[triggerRecord](s.meta, kv.KeyPrefix('t', region))
	if err != nil {
		s.log.Error("jobs: list triggers", "err", err)
		return
	}
	stateOf := func(c *Condition) string {
		if c.JobName != nil {
			runs, err := s.jobRuns(region, *c.JobName)
			if err != nil {
				return ""
			}
			for _, r := range runs {
				if terminal(r.Run.JobRunState) {
					return r.Run.JobRunState
				}
			}
			return ""
		}
		if s.opts.Crawlers == nil {
			return ""
		}
		st, err := s.opts.Crawlers.CrawlerStatus(ctx, region, *c.CrawlerName)
		if err != nil || st.State != "READY" {
			return ""
		}
		return st.LastCrawl
	}
	for _, tr := range trs {
		t := &tr.Trigger
		if t.WorkflowName != nil || t.Type != typeConditional || t.State != trigActivated {
			continue
		}
		if !satisfied(t.Predicate, ev, stateOf) {
			continue
		}
		if err := s.fireLocked(ctx, tr, nil, ev.preds()); err != nil {
			s.log.Warn("jobs: conditional trigger", "trigger", t.Name, "err", err)
		}
	}
}

// workflowEventLocked fires the workflow's conditional triggers that ev
// satisfies within run wr (each at most once per run), then settles it.
func (s *Service) workflowEventLocked(ctx context.Context, wr *workflowRunRecord, ev event) {
	trs, err := s.workflowTriggers(wr.Region, wr.Run.Name)
	if err != nil {
		s.log.Error("jobs: list triggers", "err", err)
		return
	}
	stateOf := func(c *Condition) string {
		st := ""
		if c.JobName != nil {
			for _, j := range wr.Jobs {
				if j.Job == *c.JobName && terminal(j.State) {
					st = j.State
				}
			}
			return st
		}
		for _, cr := range wr.Crawls {
			if cr.Crawler == *c.CrawlerName && cr.State != "RUNNING" {
				st = cr.State
			}
		}
		return st
	}
	for _, tr := range trs {
		t := &tr.Trigger
		// Inside a workflow a CREATED conditional trigger fires too (tarn
		// is lenient here); a DEACTIVATED one does not.
		if t.Type != typeConditional || t.State == trigDeactivated || wr.Fired[t.Name] || wr.Run.Status != wfRunning {
			continue
		}
		if !satisfied(t.Predicate, ev, stateOf) {
			continue
		}
		if err := s.fireLocked(ctx, tr, wr, ev.preds()); err != nil {
			s.log.Warn("jobs: workflow trigger", "trigger", t.Name, "err", err)
		}
	}
	if err := s.settleWorkflowRunLocked(ctx, wr); err != nil {
		s.log.Error("jobs: save workflow run", "err", err)
	}
}

// crawlWatch is the last crawl triggers saw of a crawler.
type crawlWatch struct {
	LastStarted time.Time `json:"lastStarted"`
}

// pollCrawlersLocked turns finished crawls into events: crawls of running
// workflow runs, and crawls of crawlers that activated conditional
// triggers outside workflows watch. A crawler first seen is only
// recorded; its later crawls are events. The watch is saved before the
// event fires, so a crawl fires once across restarts.
func (s *Service) pollCrawlersLocked(ctx context.Context) {
	if s.opts.Crawlers == nil {
		return
	}
	wrs, err := kv.ScanJSON[workflowRunRecord](s.meta, []byte{'x', 0})
	if err != nil {
		s.log.Error("jobs: list workflow runs", "err", err)
		return
	}
	for _, wr := range wrs {
		if wr.Run.Status != wfRunning {
			continue
		}
		for i := range wr.Crawls {
			cr := &wr.Crawls[i]
			if cr.State != "RUNNING" {
				continue
			}
			st, err := s.opts.Crawlers.CrawlerStatus(ctx, wr.Region, cr.Crawler)
			if err != nil {
				cr.State = "ERROR"
			} else if st.State == "READY" && st.LastCrawl != "" && !st.LastCrawlStarted.Before(cr.Started.Add(-time.Second)) {
				cr.State = st.LastCrawl
			} else {
				continue
			}
			s.workflowEventLocked(ctx, wr, event{crawler: cr.Crawler, state: cr.State})
		}
	}
	trs, err := kv.ScanJSON[triggerRecord](s.meta, []byte{'t', 0})
	if err != nil {
		return
	}
	type rc struct{ region, name string }
	watched := map[rc]time.Time{} // earliest activation of a watching trigger
	for _, tr := range trs {
		t := &tr.Trigger
		if t.WorkflowName != nil || t.Type != typeConditional || t.State != trigActivated || t.Predicate == nil {
			continue
		}
		for _, c := range t.Predicate.Conditions {
			if c.CrawlerName != nil {
				k := rc{tr.Region, *c.CrawlerName}
				if at, ok := watched[k]; !ok || tr.ScheduleBase.Before(at) {
					watched[k] = tr.ScheduleBase
				}
			}
		}
	}
	for w, since := range watched {
		st, err := s.opts.Crawlers.CrawlerStatus(ctx, w.region, w.name)
		if err != nil || st.State != "READY" || st.LastCrawl == "" {
			continue
		}
		seen, err := kv.GetJSON[crawlWatch](s.meta, keyCrawlWatch(w.region, w.name))
		if err != nil && !isNotFound(err) {
			continue
		}
		if seen == nil {
			seen = &crawlWatch{LastStarted: since}
		}
		if !st.LastCrawlStarted.After(seen.LastStarted) {
			continue
		}
		if err := putJSON(s.meta, keyCrawlWatch(w.region, w.name), crawlWatch{LastStarted: st.LastCrawlStarted}); err != nil {
			continue
		}
		s.globalEventLocked(ctx, w.region, event{crawler: w.name, state: st.LastCrawl})
	}
}
