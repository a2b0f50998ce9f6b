package sql

import (
	"context"
	"errors"
	"fmt"
)

// ExecInput is one statement run in-process, for Glue and EMR jobs.
type ExecInput struct {
	Region         string // "" means Options.Region
	Database       string // "" means default
	WorkGroup      string // "" means primary
	OutputLocation string // s3://... for the result; "" means the work group's
	Query          string
	// Files, when non-nil, is asked about every lake object a table of the
	// query would read; only the objects it accepts are read (job
	// bookmarks). It is called from the query's goroutine.
	Files func(bucket, key string) bool
}

// ExecOutput is how an in-process query ended.
type ExecOutput struct {
	QueryExecutionID string
	Rows             int64 // rows of the result
	UpdateCount      int64 // rows written by CTAS / INSERT
}

// ErrQueryFailed is wrapped by Exec when the query ran and failed; the
// message is Athena's StateChangeReason.
var ErrQueryFailed = errors.New("sql: query failed")

// Exec runs in.Query as an Athena query — validated, queued, recorded in
// the query history like StartQueryExecution — and waits for it to end.
// If ctx ends first the query is cancelled and ctx's error returned.
func (s *Service) Exec(ctx context.Context, in ExecInput) (ExecOutput, error) {
	region := in.Region
	if region == "" {
		region = s.region
	}
	req := &startQueryExecutionInput{QueryString: in.Query, WorkGroup: in.WorkGroup,
		QueryExecutionContext: &queryExecutionContext{Database: in.Database}}
	if in.OutputLocation != "" {
		req.ResultConfiguration = &resultConfiguration{OutputLocation: in.OutputLocation}
	}
	done := make(chan struct{})
	out, err := s.start(region, req, func(id string) {
		s.waiters[id] = done
		if in.Files != nil {
			s.only[id] = in.Files
		}
	})
	if err != nil {
		return ExecOutput{}, err
	}
	id := out.QueryExecutionId
	select {
	case <-done:
	case <-ctx.Done():
		s.cancel(id)
		return ExecOutput{QueryExecutionID: id}, ctx.Err()
	}
	r, err := s.query(region, id)
	if err != nil {
		return ExecOutput{QueryExecutionID: id}, err
	}
	res := ExecOutput{QueryExecutionID: id, Rows: r.Rows, UpdateCount: r.UpdateCount}
	switch r.State {
	case stateSucceeded:
		return res, nil
	case stateFailed:
		return res, fmt.Errorf("%w: %s", ErrQueryFailed, r.Reason)
	default:
		return res, fmt.Errorf("%w: query %s ended %s", ErrQueryFailed, id, r.State)
	}
}

// wake tells an in-process caller waiting on id that its run ended, and
// forgets the run's file filter.
func (s *Service) wake(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.only, id)
	if ch, ok := s.waiters[id]; ok {
		close(ch)
		delete(s.waiters, id)
	}
}

// fileFilter is the Files filter of query id, nil if it has none.
func (s *Service) fileFilter(id string) func(bucket, key string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.only[id]
}
