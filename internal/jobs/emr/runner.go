package emr

import (
	"context"
	"time"
)

// The runner: one goroutine per live cluster, started by RunJobFlow (or
// Start for clusters a restart found live), drives the cluster's state
// machine and runs its steps in order, one at a time:
//
//	STARTING → BOOTSTRAPPING → WAITING ⇄ RUNNING (a step runs)
//	         → TERMINATING → TERMINATED | TERMINATED_WITH_ERRORS
//
// Every transition is one durable commit under s.mu; a step's work runs
// with s.mu released. A cluster without KeepJobFlowAliveWhenNoSteps
// terminates (ALL_STEPS_COMPLETED) once no step is pending.

// spawn starts c's runner unless it has one. Called with s.mu held.
func (s *Service) spawn(c *cluster) {
	if c.live || s.stopping() {
		return
	}
	c.live = true
	s.wg.Add(1)
	go s.runCluster(c)
}

func (s *Service) runCluster(c *cluster) {
	defer s.wg.Done()
	for {
		job, next := s.advance(c)
		switch next {
		case nextExit:
			return
		case nextAgain:
			continue
		case nextRun:
			res := s.execute(c, job)
			s.settle(c, job, res)
		case nextWait:
			t := time.NewTimer(s.poll)
			select {
			case <-c.wake:
			case <-s.stopCh:
			case <-t.C:
			}
			t.Stop()
		}
	}
}

type next int

const (
	nextExit next = iota
	nextAgain
	nextRun
	nextWait
)

// job is a step handed to execute: a copy of its record, the cluster's
// region and LogUri, and the context that cancels it.
type job struct {
	ctx     context.Context
	step    Step
	seq     int64
	region  string
	cluster string
	logURI  string
}

// advance makes c's next transition and says what the runner does next.
func (s *Service) advance(c *cluster) (*job, next) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopping() {
		c.live = false
		return nil, nextExit
	}
	rec, now := c.rec, s.now()
	var steps []stepRecord
	var out next
	var j *job
	switch rec.Cluster.Status.State {
	case stateStarting:
		rec = withNodes(withState(rec, stateBootstrapping, "", msgBootstrapping), "BOOTSTRAPPING", now)
		out = nextAgain
	case stateBootstrapping:
		rec = withNodes(withState(rec, stateWaiting, "", msgReady), "RUNNING", now)
		rec.Cluster.Status.Timeline.ReadyDateTime = ts(now)
		out = nextAgain
	case stateTerminating:
		steps = cancelPending(c, now)
		final := stateTerminated
		if rec.WithErrors {
			final = stateTerminatedErr
		}
		rec.Cluster.Status.State = final
		rec.Cluster.Status.Timeline.EndDateTime = ts(now)
		rec = withNodes(rec, "ENDED", now)
		out = nextExit
	case stateRunning, stateWaiting:
		var pending *stepRecord
		for _, st := range c.steps {
			if st.Step.Status.State == stepPending {
				pending = st
				break
			}
		}
		switch {
		case pending != nil:
			st := *pending
			st.Step.Status.State = stepRunning
			st.Step.Status.Timeline.StartDateTime = ts(now)
			steps = append(steps, st)
			rec = withState(rec, stateRunning, "", msgRunningStep)
			ctx, cancel := context.WithCancel(s.baseCtx)
			c.run = &runningStep{seq: st.Seq, cancel: cancel}
			j = &job{ctx: ctx, step: st.Step, seq: st.Seq, region: rec.Region, cluster: rec.Cluster.Id, logURI: rec.Cluster.LogUri}
			out = nextRun
		case rec.Cluster.AutoTerminate:
			msg := msgStepsDone
			if rec.StepFailed {
				msg = msgStepsDoneErrors
			}
			rec = withState(rec, stateTerminating, reasonAllSteps, msg)
			out = nextAgain
		case rec.Cluster.Status.State == stateRunning:
			msg := msgReadyAfterStep
			if last := lastFinished(c); last != nil && last.Step.Status.State == stepFailed {
				msg = msgReadyAfterFail
			}
			rec = withState(rec, stateWaiting, "", msg)
			out = nextWait
		default:
			return nil, nextWait
		}
	default: // terminated: nothing to drive
		c.live = false
		return nil, nextExit
	}
	if err := s.commit(c, rec, steps...); err != nil {
		s.log.Error("emr: cluster transition not saved; retrying", "cluster", rec.Cluster.Id, "err", err)
		if c.run != nil {
			c.run.cancel()
			c.run = nil
		}
		return nil, nextWait
	}
	if out == nextExit {
		c.live = false
	}
	return j, out
}

// lastFinished is the last step (by seq) that ran and ended, or nil.
func lastFinished(c *cluster) *stepRecord {
	for i := len(c.steps) - 1; i >= 0; i-- {
		if st := c.steps[i]; st.Step.Status.Timeline.StartDateTime != nil && st.Step.Status.Timeline.EndDateTime != nil {
			return st
		}
	}
	return nil
}

// cancelPending returns c's PENDING steps as CANCELLED records.
func cancelPending(c *cluster, now time.Time) []stepRecord {
	var out []stepRecord
	for _, st := range c.steps {
		if st.Step.Status.State == stepPending {
			v := *st
			v.Step.Status.State = stepCancelled
			v.Step.Status.Timeline.EndDateTime = ts(now)
			out = append(out, v)
		}
	}
	return out
}

// result is how a step's work ended.
type result struct {
	err     error          // nil: COMPLETED
	failure FailureDetails // for a FAILED step
}

// settle records the end of j's step and applies its ActionOnFailure. A
// step cut short by Stop stays RUNNING; the next Start fails it.
func (s *Service) settle(c *cluster, j *job, res result) {
	s.mu.Lock()
	defer s.mu.Unlock()
	run := c.run
	c.run = nil
	if run != nil {
		run.cancel()
	}
	if s.stopping() && res.err != nil && (run == nil || run.why == "") {
		return
	}
	now := s.now()
	st := c.step(j.seq)
	st.Step.Status.Timeline.EndDateTime = ts(now)
	rec := c.rec
	var steps []stepRecord
	switch {
	case res.err == nil:
		st.Step.Status.State = stepCompleted
		steps = []stepRecord{st}
	case run != nil && run.why != "":
		st.Step.Status.State = stepCancelled
		steps = []stepRecord{st}
	default:
		fd := res.failure
		st.Step.Status.State = stepFailed
		st.Step.Status.FailureDetails = &fd
		rec, steps = applyFailure(c, rec, st, now)
	}
	if err := s.commit(c, rec, steps...); err != nil {
		s.log.Error("emr: step result not saved", "cluster", rec.Cluster.Id, "step", st.Step.Id, "err", err)
	}
}

// applyFailure applies the ActionOnFailure of the FAILED step st:
// CONTINUE goes on with the next step; CANCEL_AND_WAIT cancels the
// pending steps (the cluster then waits, or terminates if it
// auto-terminates); TERMINATE_CLUSTER (and TERMINATE_JOB_FLOW) cancels
// them and terminates the cluster with STEP_FAILURE, unless it is
// termination protected, when it acts as CANCEL_AND_WAIT (as in EMR).
func applyFailure(c *cluster, rec clusterRecord, st stepRecord, now time.Time) (clusterRecord, []stepRecord) {
	rec.StepFailed = true
	steps := []stepRecord{st}
	switch st.Step.ActionOnFailure {
	case onFailContinue:
		return rec, steps
	case onFailCancelAndWait:
	default: // TERMINATE_CLUSTER, TERMINATE_JOB_FLOW
		if !rec.Cluster.TerminationProtected && !ended(rec.Cluster.Status.State) {
			rec = withState(rec, stateTerminating, reasonStepFailure, msgStepFailure)
			rec.WithErrors = true
		}
	}
	for _, p := range cancelPending(c, now) {
		if p.Seq != st.Seq {
			steps = append(steps, p)
		}
	}
	return rec, steps
}

// recover settles a cluster a crash left live: a RUNNING step becomes
// FAILED (tarn stopped during it) and its ActionOnFailure applies.
// Called with s.mu held, before the runner starts.
func (s *Service) recover(c *cluster) error {
	now := s.now()
	for _, p := range c.steps {
		if p.Step.Status.State != stepRunning {
			continue
		}
		st := *p
		st.Step.Status.State = stepFailed
		st.Step.Status.Timeline.EndDateTime = ts(now)
		st.Step.Status.FailureDetails = &FailureDetails{Reason: "tarn stopped",
			Message: "tarn stopped while this step was running; the step was interrupted and did not finish"}
		rec, steps := applyFailure(c, c.rec, st, now)
		if err := s.commit(c, rec, steps...); err != nil {
			return err
		}
	}
	return nil
}
