package emr

import (
	"context"
	"fmt"
	"strconv"
	"time"
)

// Step states and ActionOnFailure values, as EMR names them.
const (
	stepPending   = "PENDING"
	stepRunning   = "RUNNING"
	stepCompleted = "COMPLETED"
	stepCancelled = "CANCELLED"
	stepFailed    = "FAILED"

	onFailTerminateJobFlow = "TERMINATE_JOB_FLOW"
	onFailTerminate        = "TERMINATE_CLUSTER"
	onFailCancelAndWait    = "CANCEL_AND_WAIT"
	onFailContinue         = "CONTINUE"

	stepsPage = 50
)

var stepStates = map[string]bool{stepPending: true, "CANCEL_PENDING": true, stepRunning: true, stepCompleted: true,
	stepCancelled: true, stepFailed: true, "INTERRUPTED": true}

func activeStep(state string) bool {
	return state == stepPending || state == stepRunning || state == "CANCEL_PENDING"
}

// validStep checks a StepConfig as the model constrains it; field is the
// list's name ("steps") for messages.
func validStep(sc *StepConfig, field string, i int) error {
	f := fmt.Sprintf("%s.%d.member", field, i+1)
	if sc.Name == nil {
		return errRequired(f + ".name")
	}
	if len(*sc.Name) > maxNameLen {
		return errConstraint(f+".name", *sc.Name, "Member must have length less than or equal to 256")
	}
	if sc.HadoopJarStep == nil {
		return errRequired(f + ".hadoopJarStep")
	}
	if sc.HadoopJarStep.Jar == nil {
		return errRequired(f + ".hadoopJarStep.jar")
	}
	switch sc.ActionOnFailure {
	case "", onFailTerminateJobFlow, onFailTerminate, onFailCancelAndWait, onFailContinue:
	default:
		return errConstraint(f+".actionOnFailure", sc.ActionOnFailure,
			"Member must satisfy enum value set: [TERMINATE_JOB_FLOW, TERMINATE_CLUSTER, CANCEL_AND_WAIT, CONTINUE]")
	}
	return nil
}

// newStep is a PENDING step for sc. ActionOnFailure defaults to
// TERMINATE_CLUSTER, as in the EMR API.
func newStep(sc *StepConfig, seq int64, now time.Time) stepRecord {
	props := map[string]string{}
	for _, kv := range sc.HadoopJarStep.Properties {
		props[kv.Key] = kv.Value
	}
	aof := sc.ActionOnFailure
	if aof == "" {
		aof = onFailTerminate
	}
	args := sc.HadoopJarStep.Args
	if args == nil {
		args = []string{}
	}
	return stepRecord{Seq: seq, Step: Step{Id: newID("s-"), Name: *sc.Name, ActionOnFailure: aof,
		Config: HadoopStepConfig{Jar: *sc.HadoopJarStep.Jar, Args: args, MainClass: sc.HadoopJarStep.MainClass, Properties: props},
		Status: StepStatus{State: stepPending, Timeline: StepTimeline{CreationDateTime: ts(now)}}}}
}

type addStepsInput struct {
	JobFlowId        *string      `json:"JobFlowId"`
	Steps            []StepConfig `json:"Steps"`
	ExecutionRoleArn string       `json:"ExecutionRoleArn"`
}

type addStepsOutput struct {
	StepIds []string `json:"StepIds"`
}

func (s *Service) opAddJobFlowSteps(ctx context.Context, in *addStepsInput) (*addStepsOutput, error) {
	if in.JobFlowId == nil {
		return nil, errRequired("jobFlowId")
	}
	if in.Steps == nil {
		return nil, errRequired("steps")
	}
	for i := range in.Steps {
		if err := validStep(&in.Steps[i], "steps", i); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.lookup(s.regionOf(ctx), *in.JobFlowId)
	if c == nil {
		return nil, errJobFlowNotFound(*in.JobFlowId)
	}
	if ended(c.rec.Cluster.Status.State) {
		return nil, errFinished()
	}
	active := 0
	for _, st := range c.steps {
		if activeStep(st.Step.Status.State) {
			active++
		}
	}
	if active+len(in.Steps) > maxActiveSteps {
		return nil, errValidation("Maximum number of active steps(State = 'Running', 'Pending' or 'Cancel_Pending') for cluster exceeded.")
	}
	rec := c.rec
	now := s.now()
	steps := make([]stepRecord, len(in.Steps))
	out := &addStepsOutput{StepIds: make([]string, len(in.Steps))}
	for i := range in.Steps {
		steps[i] = newStep(&in.Steps[i], rec.NextStep, now)
		rec.NextStep++
		out.StepIds[i] = steps[i].Step.Id
	}
	if err := s.commit(c, rec, steps...); err != nil {
		return nil, s.internal("AddJobFlowSteps", err)
	}
	c.nudge()
	return out, nil
}

type listStepsInput struct {
	ClusterId  *string  `json:"ClusterId"`
	StepStates []string `json:"StepStates"`
	StepIds    []string `json:"StepIds"`
	Marker     string   `json:"Marker"`
}

type listStepsOutput struct {
	Steps  []Step `json:"Steps"`
	Marker string `json:"Marker,omitempty"`
}

// ListSteps answers newest first, 50 a page; the Marker is the seq of the
// last step answered.
func (s *Service) opListSteps(ctx context.Context, in *listStepsInput) (*listStepsOutput, error) {
	if in.ClusterId == nil {
		return nil, errRequired("clusterId")
	}
	states := map[string]bool{}
	for i, st := range in.StepStates {
		if !stepStates[st] {
			return nil, errConstraint("stepStates."+strconv.Itoa(i+1)+".member", st,
				"Member must satisfy enum value set: [PENDING, CANCEL_PENDING, RUNNING, COMPLETED, CANCELLED, FAILED, INTERRUPTED]")
		}
		states[st] = true
	}
	ids := map[string]bool{}
	for _, id := range in.StepIds {
		ids[id] = true
	}
	after, err := decodeMarker(in.Marker, "s")
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	c := s.lookup(s.regionOf(ctx), *in.ClusterId)
	if c == nil {
		s.mu.Unlock()
		return nil, errClusterNotFound(*in.ClusterId)
	}
	steps := make([]stepRecord, len(c.steps))
	for i, st := range c.steps {
		steps[i] = *st
	}
	s.mu.Unlock()
	out := &listStepsOutput{Steps: []Step{}}
	var last int64
	for i := len(steps) - 1; i >= 0; i-- {
		st := steps[i]
		if after > 0 && st.Seq >= after ||
			len(states) > 0 && !states[st.Step.Status.State] || len(ids) > 0 && !ids[st.Step.Id] {
			continue
		}
		if len(out.Steps) == stepsPage {
			out.Marker = encodeMarker("s", last)
			break
		}
		out.Steps = append(out.Steps, st.Step)
		last = st.Seq
	}
	return out, nil
}

type describeStepInput struct {
	ClusterId *string `json:"ClusterId"`
	StepId    *string `json:"StepId"`
}

type describeStepOutput struct {
	Step Step `json:"Step"`
}

func (s *Service) opDescribeStep(ctx context.Context, in *describeStepInput) (*describeStepOutput, error) {
	if in.ClusterId == nil {
		return nil, errRequired("clusterId")
	}
	if in.StepId == nil {
		return nil, errRequired("stepId")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.lookup(s.regionOf(ctx), *in.ClusterId)
	if c == nil {
		return nil, errClusterNotFound(*in.ClusterId)
	}
	for _, st := range c.steps {
		if st.Step.Id == *in.StepId {
			return &describeStepOutput{Step: st.Step}, nil
		}
	}
	return nil, errStepNotFound(*in.StepId)
}

type cancelStepsInput struct {
	ClusterId              *string  `json:"ClusterId"`
	StepIds                []string `json:"StepIds"`
	StepCancellationOption string   `json:"StepCancellationOption"`
}

type cancelStepsOutput struct {
	CancelStepsInfoList []CancelStepsInfo `json:"CancelStepsInfoList"`
}

// CancelSteps cancels PENDING steps at once; a RUNNING step is
// interrupted (its SQL context is cancelled) and ends CANCELLED. Any
// other step answers Status FAILED with the reason.
func (s *Service) opCancelSteps(ctx context.Context, in *cancelStepsInput) (*cancelStepsOutput, error) {
	if in.ClusterId == nil {
		return nil, errRequired("clusterId")
	}
	if in.StepIds == nil {
		return nil, errRequired("stepIds")
	}
	switch in.StepCancellationOption {
	case "", "SEND_INTERRUPT", "TERMINATE_PROCESS":
	default:
		return nil, errConstraint("stepCancellationOption", in.StepCancellationOption, "Member must satisfy enum value set: [SEND_INTERRUPT, TERMINATE_PROCESS]")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c := s.lookup(s.regionOf(ctx), *in.ClusterId)
	if c == nil {
		return nil, errClusterNotFound(*in.ClusterId)
	}
	out := &cancelStepsOutput{CancelStepsInfoList: []CancelStepsInfo{}}
	now := s.now()
	var changed []stepRecord
	for _, id := range in.StepIds {
		info := CancelStepsInfo{StepId: id, Status: "FAILED"}
		var st *stepRecord
		for _, x := range c.steps {
			if x.Step.Id == id {
				st = x
			}
		}
		switch {
		case st == nil:
			info.Reason = fmt.Sprintf("Step id '%s' is not valid.", id)
		case st.Step.Status.State == stepPending:
			v := *st
			v.Step.Status.State = stepCancelled
			v.Step.Status.Timeline.EndDateTime = ts(now)
			changed = append(changed, v)
			info.Status = "SUBMITTED"
		case st.Step.Status.State == stepRunning && c.run != nil && c.run.seq == st.Seq:
			c.run.why = "cancel"
			c.run.cancel()
			info.Status = "SUBMITTED"
		default:
			info.Reason = fmt.Sprintf("Step %s is in state %s and cannot be cancelled.", id, st.Step.Status.State)
		}
		out.CancelStepsInfoList = append(out.CancelStepsInfoList, info)
	}
	if len(changed) > 0 {
		if err := s.commit(c, c.rec, changed...); err != nil {
			return nil, s.internal("CancelSteps", err)
		}
	}
	c.nudge()
	return out, nil
}
