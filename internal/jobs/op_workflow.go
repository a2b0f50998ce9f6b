package jobs

import (
	"context"
	"encoding/json"

	"github.com/tarnhq/tarn/internal/kv"
)

type createWorkflowInput struct {
	Name                 string            `json:"Name"`
	Description          *string           `json:"Description"`
	DefaultRunProperties map[string]string `json:"DefaultRunProperties"`
	MaxConcurrentRuns    *int32            `json:"MaxConcurrentRuns"`
	Tags                 map[string]string `json:"Tags"`
}

func (s *Service) opCreateWorkflow(ctx context.Context, in *createWorkflowInput) (*nameOutput, error) {
	if err := validName("name", in.Name); err != nil {
		return nil, err
	}
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}
	if in.MaxConcurrentRuns != nil && *in.MaxConcurrentRuns < 0 {
		return nil, errInvalid("MaxConcurrentRuns must not be negative.")
	}
	region := s.regionOf(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.meta.Get(keyWorkflow(region, in.Name)); err == nil {
		return nil, errExists("Workflow %s already exists.", in.Name)
	} else if !isNotFound(err) {
		return nil, err
	}
	now := s.ts(s.now())
	rec := &workflowRecord{Region: region, Tags: in.Tags, Workflow: Workflow{Name: in.Name, Description: in.Description,
		DefaultRunProperties: in.DefaultRunProperties, MaxConcurrentRuns: in.MaxConcurrentRuns, CreatedOn: now, LastModifiedOn: now}}
	if err := putJSON(s.meta, keyWorkflow(region, in.Name), rec); err != nil {
		return nil, err
	}
	return &nameOutput{Name: in.Name}, nil
}

type getWorkflowInput struct {
	Name         string `json:"Name"`
	IncludeGraph bool   `json:"IncludeGraph"`
}

type getWorkflowOutput struct {
	Workflow *Workflow `json:"Workflow"`
}

// view is the workflow as GetWorkflow answers it.
func (s *Service) view(rec *workflowRecord, graph bool) (*Workflow, error) {
	w := rec.Workflow
	runs, err := s.workflowRuns(rec.Region, w.Name)
	if err != nil {
		return nil, err
	}
	if len(runs) > 0 {
		last := runs[0].Run
		if graph {
			if last.Graph, err = s.graph(rec.Region, w.Name, runs[0]); err != nil {
				return nil, err
			}
		}
		w.LastRun = &last
	}
	if graph {
		if w.Graph, err = s.graph(rec.Region, w.Name, nil); err != nil {
			return nil, err
		}
	}
	return &w, nil
}

func (s *Service) opGetWorkflow(ctx context.Context, in *getWorkflowInput) (*getWorkflowOutput, error) {
	if err := validName("name", in.Name); err != nil {
		return nil, err
	}
	rec, err := s.loadWorkflow(s.regionOf(ctx), in.Name)
	if err != nil {
		return nil, err
	}
	w, err := s.view(rec, in.IncludeGraph)
	if err != nil {
		return nil, err
	}
	return &getWorkflowOutput{Workflow: w}, nil
}

type listWorkflowsOutput struct {
	Workflows []string `json:"Workflows"`
	NextToken string   `json:"NextToken,omitempty"`
}

func (s *Service) opListWorkflows(ctx context.Context, in *pageInput) (*listWorkflowsOutput, error) {
	out := &listWorkflowsOutput{Workflows: []string{}}
	next, err := page(s.meta, kv.KeyPrefix('w', s.regionOf(ctx)), in.NextToken, pageLimit(in.MaxResults, 25, 25), func(_, v []byte) (bool, error) {
		var rec workflowRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return false, err
		}
		out.Workflows = append(out.Workflows, rec.Workflow.Name)
		return true, nil
	})
	out.NextToken = next
	return out, err
}

type batchGetWorkflowsInput struct {
	Names        []string `json:"Names"`
	IncludeGraph bool     `json:"IncludeGraph"`
}

type batchGetWorkflowsOutput struct {
	Workflows        []Workflow `json:"Workflows"`
	MissingWorkflows []string   `json:"MissingWorkflows"`
}

func (s *Service) opBatchGetWorkflows(ctx context.Context, in *batchGetWorkflowsInput) (*batchGetWorkflowsOutput, error) {
	if len(in.Names) == 0 || len(in.Names) > 25 {
		return nil, errInvalid("Names must hold 1 to 25 names.")
	}
	out := &batchGetWorkflowsOutput{Workflows: []Workflow{}, MissingWorkflows: []string{}}
	region := s.regionOf(ctx)
	for _, n := range in.Names {
		rec, err := s.loadWorkflow(region, n)
		if err != nil {
			out.MissingWorkflows = append(out.MissingWorkflows, n)
			continue
		}
		w, err := s.view(rec, in.IncludeGraph)
		if err != nil {
			return nil, err
		}
		out.Workflows = append(out.Workflows, *w)
	}
	return out, nil
}

func (s *Service) opUpdateWorkflow(ctx context.Context, in *createWorkflowInput) (*nameOutput, error) {
	if err := validName("name", in.Name); err != nil {
		return nil, err
	}
	region := s.regionOf(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.loadWorkflow(region, in.Name)
	if err != nil {
		return nil, err
	}
	w := &rec.Workflow
	if in.Description != nil {
		w.Description = in.Description
	}
	if in.DefaultRunProperties != nil {
		w.DefaultRunProperties = in.DefaultRunProperties
	}
	if in.MaxConcurrentRuns != nil {
		w.MaxConcurrentRuns = in.MaxConcurrentRuns
	}
	w.LastModifiedOn = s.ts(s.now())
	if err := putJSON(s.meta, keyWorkflow(region, in.Name), rec); err != nil {
		return nil, err
	}
	return &nameOutput{Name: in.Name}, nil
}

// opDeleteWorkflow deletes the workflow, its triggers and its runs (not
// its jobs or crawlers); a missing workflow is not an error.
func (s *Service) opDeleteWorkflow(ctx context.Context, in *getWorkflowInput) (*nameOutput, error) {
	if err := validName("name", in.Name); err != nil {
		return nil, err
	}
	region := s.regionOf(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	trs, err := s.workflowTriggers(region, in.Name)
	if err != nil {
		return nil, err
	}
	b := s.db.NewBatch()
	defer b.Close()
	b.Delete(s.meta, keyWorkflow(region, in.Name))
	for _, t := range trs {
		b.Delete(s.meta, keyTrigger(region, t.Trigger.Name))
	}
	deletePrefix(b, s.meta, kv.KeyPrefix('x', region, in.Name))
	if err := b.Commit(); err != nil {
		return nil, err
	}
	return &nameOutput{Name: in.Name}, nil
}
