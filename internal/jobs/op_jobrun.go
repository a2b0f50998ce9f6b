package jobs

import (
	"context"

	"github.com/tarnhq/tarn/internal/kv"
)

type startJobRunInput struct {
	JobName   string            `json:"JobName"`
	JobRunId  *string           `json:"JobRunId"`
	Arguments map[string]string `json:"Arguments"`
	Timeout   *int32            `json:"Timeout"`
}

type startJobRunOutput struct {
	JobRunId string `json:"JobRunId"`
}

func (s *Service) opStartJobRun(ctx context.Context, in *startJobRunInput) (*startJobRunOutput, error) {
	if err := validName("jobName", in.JobName); err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.startRunLocked(runSpec{region: s.regionOf(ctx), job: in.JobName, args: in.Arguments, timeout: in.Timeout})
	if err != nil {
		return nil, err
	}
	return &startJobRunOutput{JobRunId: rec.Run.Id}, nil
}

type getJobRunInput struct {
	JobName string `json:"JobName"`
	RunId   string `json:"RunId"`
}

type getJobRunOutput struct {
	JobRun *JobRun `json:"JobRun"`
}

func (s *Service) opGetJobRun(ctx context.Context, in *getJobRunInput) (*getJobRunOutput, error) {
	if err := validName("jobName", in.JobName); err != nil {
		return nil, err
	}
	if in.RunId == "" {
		return nil, errRequired("runId")
	}
	rec, err := s.loadRun(s.regionOf(ctx), in.JobName, in.RunId)
	if err != nil {
		return nil, err
	}
	return &getJobRunOutput{JobRun: &rec.Run}, nil
}

// GetJobRun returns a run (for the platform and tests).
func (s *Service) GetJobRun(ctx context.Context, region, job, id string) (*JobRun, error) {
	if region == "" {
		region = s.region
	}
	rec, err := s.loadRun(region, job, id)
	if err != nil {
		return nil, err
	}
	return &rec.Run, nil
}

type getJobRunsInput struct {
	JobName    string `json:"JobName"`
	NextToken  string `json:"NextToken"`
	MaxResults *int32 `json:"MaxResults"`
}

type getJobRunsOutput struct {
	JobRuns   []JobRun `json:"JobRuns"`
	NextToken string   `json:"NextToken,omitempty"`
}

// opGetJobRuns lists the job's runs newest first. The token is the
// offset into that order (runs are few per job).
func (s *Service) opGetJobRuns(ctx context.Context, in *getJobRunsInput) (*getJobRunsOutput, error) {
	if err := validName("jobName", in.JobName); err != nil {
		return nil, err
	}
	region := s.regionOf(ctx)
	if _, err := s.loadJob(region, in.JobName); err != nil {
		return nil, err
	}
	runs, err := s.jobRuns(region, in.JobName)
	if err != nil {
		return nil, err
	}
	runs, next, err := offsetPage(runs, in.NextToken, pageLimit(in.MaxResults, 100, 200))
	if err != nil {
		return nil, err
	}
	out := &getJobRunsOutput{JobRuns: []JobRun{}, NextToken: next}
	for _, r := range runs {
		out.JobRuns = append(out.JobRuns, r.Run)
	}
	return out, nil
}

// jobRuns returns the job's runs newest first.
func (s *Service) jobRuns(region, job string) ([]*runRecord, error) {
	runs, err := kv.ScanJSON[runRecord](s.meta, kv.KeyPrefix('r', region, job))
	if err != nil {
		return nil, err
	}
	newestFirst(runs)
	return runs, nil
}

type batchStopInput struct {
	JobName   string   `json:"JobName"`
	JobRunIds []string `json:"JobRunIds"`
}

type batchStopSuccess struct {
	JobName  string `json:"JobName"`
	JobRunId string `json:"JobRunId"`
}

type errorDetail struct {
	ErrorCode    string `json:"ErrorCode"`
	ErrorMessage string `json:"ErrorMessage"`
}

type batchStopError struct {
	JobName     string      `json:"JobName"`
	JobRunId    string      `json:"JobRunId"`
	ErrorDetail errorDetail `json:"ErrorDetail"`
}

type batchStopOutput struct {
	SuccessfulSubmissions []batchStopSuccess `json:"SuccessfulSubmissions"`
	Errors                []batchStopError   `json:"Errors"`
}

// opBatchStopJobRun moves each active run to STOPPING; it ends STOPPED
// once its script is killed or its statement cancelled.
func (s *Service) opBatchStopJobRun(ctx context.Context, in *batchStopInput) (*batchStopOutput, error) {
	if err := validName("jobName", in.JobName); err != nil {
		return nil, err
	}
	if len(in.JobRunIds) == 0 || len(in.JobRunIds) > 25 {
		return nil, errInvalid("JobRunIds must hold 1 to 25 ids.")
	}
	region := s.regionOf(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	out := &batchStopOutput{SuccessfulSubmissions: []batchStopSuccess{}, Errors: []batchStopError{}}
	for _, id := range in.JobRunIds {
		a, ok := s.active[runKey(region, in.JobName, id)]
		if !ok {
			msg := "Job Run " + id + " not found"
			code := codeEntityNotFound
			if rec, err := s.loadRun(region, in.JobName, id); err == nil {
				code, msg = codeInvalidInput, "Job Run "+id+" is "+rec.Run.JobRunState+" and cannot be stopped"
			}
			out.Errors = append(out.Errors, batchStopError{JobName: in.JobName, JobRunId: id, ErrorDetail: errorDetail{ErrorCode: code, ErrorMessage: msg}})
			continue
		}
		if rec, err := s.loadRun(region, in.JobName, id); err == nil && !terminal(rec.Run.JobRunState) {
			rec.Run.JobRunState = stateStopping
			rec.Run.LastModifiedOn = s.ts(s.now())
			if err := s.saveRun(rec); err != nil {
				return nil, err
			}
		}
		a.stop(stateStopped)
		out.SuccessfulSubmissions = append(out.SuccessfulSubmissions, batchStopSuccess{JobName: in.JobName, JobRunId: id})
	}
	return out, nil
}
