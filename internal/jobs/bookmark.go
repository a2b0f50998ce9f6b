package jobs

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"sync"

	"github.com/tarnhq/tarn/internal/kv"
)

// Bookmarks: with --job-bookmark-option job-bookmark-enable, a SQL job's
// statements read only lake objects no earlier SUCCEEDED run of the job
// read (objects are known by bucket and key: an object rewritten under
// the same key counts as processed). The objects a run reads are added to
// the bookmark in the write that ends the run SUCCEEDED, never otherwise.
// job-bookmark-pause filters the same way but commits nothing;
// job-bookmark-disable (the default) reads everything.

const (
	bookmarkEnable  = "job-bookmark-enable"
	bookmarkDisable = "job-bookmark-disable"
	bookmarkPause   = "job-bookmark-pause"
)

// bookmarkRecord is a job's stored bookmark.
type bookmarkRecord struct {
	Version       int32           `json:"version"`
	Run           int32           `json:"run"`
	Attempt       int32           `json:"attempt"`
	RunID         string          `json:"runId,omitempty"`
	PreviousRunID string          `json:"previousRunId,omitempty"`
	Files         map[string]bool `json:"files,omitempty"` // "bucket/key"
}

// bookmarkRun filters one run's reads and collects what it accepted.
type bookmarkRun struct {
	commit bool
	seen   map[string]bool // read-only after prepare

	mu       sync.Mutex
	accepted map[string]bool
}

func (b *bookmarkRun) accept(bucket, key string) bool {
	k := bucket + "/" + key
	if b.seen[k] {
		return false
	}
	b.mu.Lock()
	b.accepted[k] = true
	b.mu.Unlock()
	return true
}

// prepareBookmark returns the run's filter, nil when bookmarks are off.
func (s *Service) prepareBookmark(rec *runRecord) (*bookmarkRun, error) {
	opt := rec.Merged["--job-bookmark-option"]
	switch opt {
	case "", bookmarkDisable:
		return nil, nil
	case bookmarkEnable, bookmarkPause:
	default:
		return nil, fmt.Errorf("--job-bookmark-option %q is not %s, %s or %s", opt, bookmarkEnable, bookmarkDisable, bookmarkPause)
	}
	bm, err := s.loadBookmark(rec.Region, rec.Run.JobName)
	if err != nil {
		return nil, err
	}
	return &bookmarkRun{commit: opt == bookmarkEnable, seen: bm.Files, accepted: map[string]bool{}}, nil
}

func (s *Service) loadBookmark(region, job string) (*bookmarkRecord, error) {
	bm, err := kv.GetJSON[bookmarkRecord](s.meta, keyBookmark(region, job))
	if isNotFound(err) {
		return &bookmarkRecord{Files: map[string]bool{}}, nil
	}
	if err != nil {
		return nil, err
	}
	if bm.Files == nil {
		bm.Files = map[string]bool{}
	}
	return bm, nil
}

// commitBookmark adds the run's accepted objects; the caller holds s.mu.
func (s *Service) commitBookmark(rec *runRecord, b *bookmarkRun) error {
	bm, err := s.loadBookmark(rec.Region, rec.Run.JobName)
	if err != nil {
		return err
	}
	b.mu.Lock()
	for k := range b.accepted {
		bm.Files[k] = true
	}
	b.mu.Unlock()
	bm.PreviousRunID, bm.RunID = bm.RunID, rec.Run.Id
	bm.Version++
	bm.Run++
	bm.Attempt = rec.Run.Attempt
	return putJSON(s.meta, keyBookmark(rec.Region, rec.Run.JobName), bm)
}

func (bm *bookmarkRecord) entry(job string) *JobBookmarkEntry {
	files := make([]string, 0, len(bm.Files))
	for k := range bm.Files {
		files = append(files, "s3://"+k)
	}
	sort.Strings(files)
	doc, _ := json.Marshal(map[string]any{"jobName": job, "version": bm.Version, "run": bm.Run, "attempt": bm.Attempt, "files": files})
	e := &JobBookmarkEntry{JobName: job, Version: bm.Version, Run: bm.Run, Attempt: bm.Attempt, JobBookmark: ptr(string(doc))}
	if bm.RunID != "" {
		e.RunId = ptr(bm.RunID)
	}
	if bm.PreviousRunID != "" {
		e.PreviousRunId = ptr(bm.PreviousRunID)
	}
	return e
}

type bookmarkInput struct {
	JobName string  `json:"JobName"`
	Version *int32  `json:"Version"`
	RunId   *string `json:"RunId"`
}

type bookmarkOutput struct {
	JobBookmarkEntry *JobBookmarkEntry `json:"JobBookmarkEntry"`
}

func (s *Service) opGetJobBookmark(ctx context.Context, in *bookmarkInput) (*bookmarkOutput, error) {
	if err := validName("jobName", in.JobName); err != nil {
		return nil, err
	}
	region := s.regionOf(ctx)
	if _, err := s.loadJob(region, in.JobName); err != nil {
		return nil, err
	}
	bm, err := kv.GetJSON[bookmarkRecord](s.meta, keyBookmark(region, in.JobName))
	if isNotFound(err) {
		return nil, errNotFound("Continuation for job %s not found", in.JobName)
	}
	if err != nil {
		return nil, err
	}
	return &bookmarkOutput{JobBookmarkEntry: bm.entry(in.JobName)}, nil
}

// opResetJobBookmark forgets every processed object (a RunId is
// accepted, but tarn always resets to the beginning).
func (s *Service) opResetJobBookmark(ctx context.Context, in *bookmarkInput) (*bookmarkOutput, error) {
	if err := validName("jobName", in.JobName); err != nil {
		return nil, err
	}
	region := s.regionOf(ctx)
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, err := s.loadJob(region, in.JobName); err != nil {
		return nil, err
	}
	bm, err := s.loadBookmark(region, in.JobName)
	if err != nil {
		return nil, err
	}
	bm.Files = map[string]bool{}
	bm.Version++
	if err := putJSON(s.meta, keyBookmark(region, in.JobName), bm); err != nil {
		return nil, err
	}
	return &bookmarkOutput{JobBookmarkEntry: bm.entry(in.JobName)}, nil
}
