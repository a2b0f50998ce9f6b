package jobs

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/tarnhq/tarn/internal/kv"
)

// jobRecord is a stored job.
type jobRecord struct {
	Region string            `json:"region"`
	Job    Job               `json:"job"`
	Tags   map[string]string `json:"tags,omitempty"`
}

func (s *Service) loadJob(region, name string) (*jobRecord, error) {
	rec, err := kv.GetJSON[jobRecord](s.meta, keyJob(region, name))
	if isNotFound(err) {
		return nil, errNotFound("Job %s not found", name)
	}
	return rec, err
}

// validateJob checks a job definition before anything is written.
func validateJob(j *Job) error {
	if err := validName("name", j.Name); err != nil {
		return err
	}
	if j.Role == "" {
		return errRequired("role")
	}
	if j.Command == nil {
		return errRequired("command")
	}
	switch j.Command.Name {
	case "glueetl", "pythonshell", "gluestreaming", "glueray":
	default:
		return errInvalid("Command name %q is not valid; use glueetl, pythonshell, gluestreaming or glueray.", j.Command.Name)
	}
	if j.MaxRetries < 0 || j.MaxRetries > 10 {
		return errInvalid("MaxRetries must be between 0 and 10.")
	}
	if j.Timeout != nil && *j.Timeout < 1 {
		return errInvalid("Timeout must be at least 1 minute.")
	}
	if j.ExecutionProperty != nil && j.ExecutionProperty.MaxConcurrentRuns < 0 {
		return errInvalid("MaxConcurrentRuns must not be negative.")
	}
	for k := range j.DefaultArguments {
		if !strings.HasPrefix(k, "--") {
			return errInvalid("Argument key %q must start with --.", k)
		}
	}
	return nil
}

// withDefaults fills what Glue fills on create.
func withDefaults(j *Job) {
	if j.Timeout == nil {
		j.Timeout = ptr(int32(DefaultTimeout))
	}
	if j.ExecutionProperty == nil || j.ExecutionProperty.MaxConcurrentRuns == 0 {
		j.ExecutionProperty = &ExecutionProperty{MaxConcurrentRuns: 1}
	}
	if j.Command.Name == "pythonshell" && j.Command.PythonVersion == "" {
		j.Command.PythonVersion = "3.9"
	}
	if j.JobMode == "" {
		j.JobMode = "SCRIPT"
	}
}

type createJobInput struct {
	Job
	Tags map[string]string `json:"Tags"`
}

type nameOutput struct {
	Name string `json:"Name"`
}

func (s *Service) opCreateJob(ctx context.Context, in *createJobInput) (*nameOutput, error) {
	j := in.Job
	if err := validateJob(&j); err != nil {
		return nil, err
	}
	if err := validTags(in.Tags); err != nil {
		return nil, err
	}
	withDefaults(&j)
	now := s.ts(s.now())
	j.CreatedOn, j.LastModifiedOn = now, now
	region := s.regionOf(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.meta.Get(keyJob(region, j.Name)); err == nil {
		return nil, errExists("%s already exists.", j.Name)
	} else if !isNotFound(err) {
		return nil, err
	}
	if err := putJSON(s.meta, keyJob(region, j.Name), &jobRecord{Region: region, Job: j, Tags: in.Tags}); err != nil {
		return nil, err
	}
	return &nameOutput{Name: j.Name}, nil
}

type jobNameInput struct {
	JobName string `json:"JobName"`
}

type getJobOutput struct {
	Job *Job `json:"Job"`
}

func (s *Service) opGetJob(ctx context.Context, in *jobNameInput) (*getJobOutput, error) {
	if err := validName("jobName", in.JobName); err != nil {
		return nil, err
	}
	rec, err := s.loadJob(s.regionOf(ctx), in.JobName)
	if err != nil {
		return nil, err
	}
	return &getJobOutput{Job: &rec.Job}, nil
}

type pageInput struct {
	NextToken  string            `json:"NextToken"`
	MaxResults *int32            `json:"MaxResults"`
	Tags       map[string]string `json:"Tags"`
}

type getJobsOutput struct {
	Jobs      []Job  `json:"Jobs"`
	NextToken string `json:"NextToken,omitempty"`
}

func (s *Service) opGetJobs(ctx context.Context, in *pageInput) (*getJobsOutput, error) {
	out := &getJobsOutput{Jobs: []Job{}}
	prefix := kv.KeyPrefix('j', s.regionOf(ctx))
	next, err := page(s.meta, prefix, in.NextToken, pageLimit(in.MaxResults, 100, 1000), func(_, v []byte) (bool, error) {
		var rec jobRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return false, err
		}
		out.Jobs = append(out.Jobs, rec.Job)
		return true, nil
	})
	out.NextToken = next
	return out, err
}

type listJobsOutput struct {
	JobNames  []string `json:"JobNames"`
	NextToken string   `json:"NextToken,omitempty"`
}

func (s *Service) opListJobs(ctx context.Context, in *pageInput) (*listJobsOutput, error) {
	out := &listJobsOutput{JobNames: []string{}}
	prefix := kv.KeyPrefix('j', s.regionOf(ctx))
	next, err := page(s.meta, prefix, in.NextToken, pageLimit(in.MaxResults, 100, 1000), func(_, v []byte) (bool, error) {
		var rec jobRecord
		if err := json.Unmarshal(v, &rec); err != nil {
			return false, err
		}
		if !tagsMatch(rec.Tags, in.Tags) {
			return false, nil
		}
		out.JobNames = append(out.JobNames, rec.Job.Name)
		return true, nil
	})
	out.NextToken = next
	return out, err
}

type batchGetJobsInput struct {
	JobNames []string `json:"JobNames"`
}

type batchGetJobsOutput struct {
	Jobs         []Job    `json:"Jobs"`
	JobsNotFound []string `json:"JobsNotFound"`
}

func (s *Service) opBatchGetJobs(ctx context.Context, in *batchGetJobsInput) (*batchGetJobsOutput, error) {
	if len(in.JobNames) == 0 {
		return nil, errRequired("jobNames")
	}
	if len(in.JobNames) > 25 {
		return nil, errInvalid("At most 25 job names may be given.")
	}
	out := &batchGetJobsOutput{Jobs: []Job{}, JobsNotFound: []string{}}
	region := s.regionOf(ctx)
	for _, n := range in.JobNames {
		rec, err := s.loadJob(region, n)
		if err != nil {
			out.JobsNotFound = append(out.JobsNotFound, n)
			continue
		}
		out.Jobs = append(out.Jobs, rec.Job)
	}
	return out, nil
}

type updateJobInput struct {
	JobName   string `json:"JobName"`
	JobUpdate *Job   `json:"JobUpdate"`
}

type jobNameOutput struct {
	JobName string `json:"JobName"`
}

// opUpdateJob replaces the definition, as Glue does: members not given
// are reset to their defaults.
func (s *Service) opUpdateJob(ctx context.Context, in *updateJobInput) (*jobNameOutput, error) {
	if err := validName("jobName", in.JobName); err != nil {
		return nil, err
	}
	if in.JobUpdate == nil {
		return nil, errRequired("jobUpdate")
	}
	region := s.regionOf(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	rec, err := s.loadJob(region, in.JobName)
	if err != nil {
		return nil, err
	}
	j := *in.JobUpdate
	j.Name = rec.Job.Name
	if j.Role == "" {
		j.Role = rec.Job.Role
	}
	if j.Command == nil {
		j.Command = rec.Job.Command
	}
	if err := validateJob(&j); err != nil {
		return nil, err
	}
	withDefaults(&j)
	j.CreatedOn, j.LastModifiedOn = rec.Job.CreatedOn, s.ts(s.now())
	rec.Job = j
	if err := putJSON(s.meta, keyJob(region, j.Name), rec); err != nil {
		return nil, err
	}
	return &jobNameOutput{JobName: j.Name}, nil
}

// opDeleteJob removes the job, its runs and its bookmark; deleting a job
// that does not exist succeeds, as in Glue. Active runs are stopped.
func (s *Service) opDeleteJob(ctx context.Context, in *jobNameInput) (*jobNameOutput, error) {
	if err := validName("jobName", in.JobName); err != nil {
		return nil, err
	}
	region := s.regionOf(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.active {
		if a.region == region && a.job == in.JobName {
			a.stop(stateStopped)
		}
	}
	b := s.db.NewBatch()
	defer b.Close()
	b.Delete(s.meta, keyJob(region, in.JobName))
	b.Delete(s.meta, keyBookmark(region, in.JobName))
	deletePrefix(b, s.meta, kv.KeyPrefix('r', region, in.JobName))
	if err := b.Commit(); err != nil {
		return nil, err
	}
	return &jobNameOutput{JobName: in.JobName}, nil
}
