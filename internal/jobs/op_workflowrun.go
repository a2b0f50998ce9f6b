package jobs

import (
	"context"
	"maps"
)

type startWorkflowRunInput struct {
	Name          string            `json:"Name"`
	RunProperties map[string]string `json:"RunProperties"`
}

type runIDOutput struct {
	RunId string `json:"RunId"`
}

func (s *Service) opStartWorkflowRun(ctx context.Context, in *startWorkflowRunInput) (*runIDOutput, error) {
	if err := validName("name", in.Name); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	wr, err := s.startWorkflowRunLocked(ctx, s.regionOf(ctx), in.Name, in.RunProperties, nil)
	if err != nil {
		return nil, err
	}
	return &runIDOutput{RunId: wr.Run.WorkflowRunId}, nil
}

type workflowRunInput struct {
	Name          string            `json:"Name"`
	RunId         string            `json:"RunId"`
	IncludeGraph  bool              `json:"IncludeGraph"`
	RunProperties map[string]string `json:"RunProperties"`
}

type workflowRunOutput struct {
	Run *WorkflowRun `json:"Run"`
}

func (s *Service) workflowRunArgs(ctx context.Context, in *workflowRunInput) (*workflowRunRecord, error) {
	if err := validName("name", in.Name); err != nil {
		return nil, err
	}
	if in.RunId == "" {
		return nil, errRequired("runId")
	}
	return s.loadWorkflowRun(s.regionOf(ctx), in.Name, in.RunId)
}

func (s *Service) opGetWorkflowRun(ctx context.Context, in *workflowRunInput) (*workflowRunOutput, error) {
	wr, err := s.workflowRunArgs(ctx, in)
	if err != nil {
		return nil, err
	}
	run := wr.Run
	if in.IncludeGraph {
		if run.Graph, err = s.graph(wr.Region, in.Name, wr); err != nil {
			return nil, err
		}
	}
	return &workflowRunOutput{Run: &run}, nil
}

type getWorkflowRunsInput struct {
	Name         string `json:"Name"`
	IncludeGraph *bool  `json:"IncludeGraph"`
	NextToken    string `json:"NextToken"`
	MaxResults   *int32 `json:"MaxResults"`
}

type getWorkflowRunsOutput struct {
	Runs      []WorkflowRun `json:"Runs"`
	NextToken string        `json:"NextToken,omitempty"`
}

// opGetWorkflowRuns lists runs newest first; IncludeGraph defaults to true
// as in Glue. The token is an offset into that order.
func (s *Service) opGetWorkflowRuns(ctx context.Context, in *getWorkflowRunsInput) (*getWorkflowRunsOutput, error) {
	if err := validName("name", in.Name); err != nil {
		return nil, err
	}
	region := s.regionOf(ctx)
	if _, err := s.loadWorkflow(region, in.Name); err != nil {
		return nil, err
	}
	runs, err := s.workflowRuns(region, in.Name)
	if err != nil {
		return nil, err
	}
	runs, next, err := offsetPage(runs, in.NextToken, pageLimit(in.MaxResults, 100, 1000))
	if err != nil {
		return nil, err
	}
	out := &getWorkflowRunsOutput{Runs: []WorkflowRun{}, NextToken: next}
	for _, wr := range runs {
		run := wr.Run
		if in.IncludeGraph == nil || *in.IncludeGraph {
			if run.Graph, err = s.graph(region, in.Name, wr); err != nil {
				return nil, err
			}
		}
		out.Runs = append(out.Runs, run)
	}
	return out, nil
}

// opStopWorkflowRun stops the run's active job runs; the run ends STOPPED
// when they have.
func (s *Service) opStopWorkflowRun(ctx context.Context, in *workflowRunInput) (*struct{}, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	wr, err := s.workflowRunArgs(ctx, in)
	if err != nil {
		return nil, err
	}
	if wr.Run.Status != wfRunning {
		return nil, errIllegalWorkflow("Workflow run %s is %s, not RUNNING", in.RunId, wr.Run.Status)
	}
	wr.Run.Status = wfStopping
	for _, j := range wr.Jobs {
		if a, ok := s.active[runKey(wr.Region, j.Job, j.RunID)]; ok {
			a.stop(stateStopped)
		}
	}
	return nil, s.settleWorkflowRunLocked(ctx, wr)
}

type runPropertiesOutput struct {
	RunProperties map[string]string `json:"RunProperties"`
}

func (s *Service) opGetWorkflowRunProperties(ctx context.Context, in *workflowRunInput) (*runPropertiesOutput, error) {
	wr, err := s.workflowRunArgs(ctx, in)
	if err != nil {
		return nil, err
	}
	p := wr.Run.WorkflowRunProperties
	if p == nil {
		p = map[string]string{}
	}
	return &runPropertiesOutput{RunProperties: p}, nil
}

func (s *Service) opPutWorkflowRunProperties(ctx context.Context, in *workflowRunInput) (*struct{}, error) {
	if len(in.RunProperties) == 0 {
		return nil, errRequired("runProperties")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	wr, err := s.workflowRunArgs(ctx, in)
	if err != nil {
		return nil, err
	}
	if wr.Run.WorkflowRunProperties == nil {
		wr.Run.WorkflowRunProperties = map[string]string{}
	}
	maps.Copy(wr.Run.WorkflowRunProperties, in.RunProperties)
	return nil, s.saveWorkflowRun(wr)
}
