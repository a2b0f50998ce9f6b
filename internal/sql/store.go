package sql

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/tarnhq/tarn/internal/kv"
)

// Keys in Meta (every key starts with the region):
//
//	<region>/q/<id>                 queryRecord JSON
//	<region>/qt/<token>             id of the query a ClientRequestToken started
//	<region>/qw/<wg>/<rev-ms>/<id>  "" — ListQueryExecutions index, newest first
//	<region>/wg/<name>              workGroupRecord JSON
//	<region>/nq/<id>                namedQueryShape JSON
//	<region>/nt/<token>             id of the named query a token created
//	<region>/ps/<wg>/<name>         preparedStatementShape JSON

// Query states.
const (
	stateQueued    = "QUEUED"
	stateRunning   = "RUNNING"
	stateSucceeded = "SUCCEEDED"
	stateFailed    = "FAILED"
	stateCancelled = "CANCELLED"
)

// queryRecord is one query execution, durable across restarts.
type queryRecord struct {
	ID               string       `json:"id"`
	Region           string       `json:"region"`
	Query            string       `json:"query"`
	WorkGroup        string       `json:"wg"`
	Database         string       `json:"db"`
	Catalog          string       `json:"catalog"`
	OutputLocation   string       `json:"out"`    // s3://bucket/prefix/ the request or work group gave
	ResultLocation   string       `json:"result"` // s3://... of the result file
	StatementType    string       `json:"type"`
	SubstatementType string       `json:"subtype"`
	Params           []string     `json:"params,omitempty"`
	State            string       `json:"state"`
	Reason           string       `json:"reason,omitempty"`
	Error            *athenaError `json:"error,omitempty"`
	Submitted        int64        `json:"submitted"` // Unix ms
	Started          int64        `json:"started"`
	Completed        int64        `json:"completed"`
	Scanned          int64        `json:"scanned"`
	Columns          []colInfo    `json:"cols,omitempty"`
	Header           bool         `json:"header"` // the result file starts with a header row
	UpdateCount      int64        `json:"updates"`
	Rows             int64        `json:"rows"`
}

func (r *queryRecord) terminal() bool {
	return r.State == stateSucceeded || r.State == stateFailed || r.State == stateCancelled
}

func qKey(region, id string) []byte { return []byte(region + "/q/" + id) }

func qwKey(region, wg string, submitted int64, id string) []byte {
	return []byte(fmt.Sprintf("%s/qw/%s/%016x/%s", region, wg, uint64(1<<62-submitted), id))
}

// putQuery stores r (a copy is made by marshalling); with index it also
// writes the list index and the token entry, atomically.
func (s *Service) putQuery(r *queryRecord, token string, index bool) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	if !index {
		return s.meta.Set(qKey(r.Region, r.ID), b)
	}
	batch := s.meta.DB().NewBatch()
	batch.Set(s.meta, qKey(r.Region, r.ID), b)
	batch.Set(s.meta, qwKey(r.Region, r.WorkGroup, r.Submitted, r.ID), nil)
	if token != "" {
		batch.Set(s.meta, []byte(r.Region+"/qt/"+token), []byte(r.ID))
	}
	return batch.Commit()
}

// query returns the record of id (a snapshot copy), or errQueryNotFound.
func (s *Service) query(region, id string) (*queryRecord, error) {
	s.mu.Lock()
	if r, ok := s.queries[id]; ok && r.Region == region {
		c := *r
		s.mu.Unlock()
		return &c, nil
	}
	s.mu.Unlock()
	b, err := s.meta.Get(qKey(region, id))
	if errors.Is(err, kv.ErrNotFound) {
		return nil, errQueryNotFound(id)
	}
	if err != nil {
		return nil, err
	}
	r := &queryRecord{}
	if err := json.Unmarshal(b, r); err != nil {
		return nil, err
	}
	return r, nil
}

// update applies fn to the cached record of id under the lock and
// persists it. fn returns false to leave the record unchanged.
func (s *Service) update(id string, fn func(r *queryRecord) bool) (*queryRecord, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.queries[id]
	if !ok {
		return nil, errQueryNotFound(id)
	}
	if !fn(r) {
		c := *r
		return &c, nil
	}
	if err := s.putQuery(r, "", false); err != nil {
		return nil, err
	}
	c := *r
	if r.terminal() {
		delete(s.queries, id) // Pebble holds it from now on
	}
	return &c, nil
}

// recover fails the queries a previous process left RUNNING (their work
// died with it) and returns those left QUEUED, to queue again.
func (s *Service) recover() ([]*queryRecord, error) {
	it, err := s.meta.Iter(nil, nil)
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var stale, queued []*queryRecord
	for ok := it.First(); ok; ok = it.Next() {
		if _, rest, _ := strings.Cut(string(it.Key()), "/"); !strings.HasPrefix(rest, "q/") {
			continue
		}
		v, err := it.Value()
		if err != nil {
			return nil, err
		}
		r := &queryRecord{}
		switch {
		case json.Unmarshal(v, r) != nil || r.terminal():
		case r.State == stateQueued:
			queued = append(queued, r)
		default:
			stale = append(stale, r)
		}
	}
	for _, r := range stale {
		r.Reason = "Query was interrupted: tarn restarted while it was " + strings.ToLower(r.State)
		r.State, r.Completed = stateFailed, s.now().UnixMilli()
		r.Error = &athenaError{ErrorCategory: 1, ErrorType: 100, Retryable: true, ErrorMessage: r.Reason}
		if err := s.putQuery(r, "", false); err != nil {
			return nil, err
		}
	}
	sort.Slice(queued, func(i, j int) bool { return queued[i].Submitted < queued[j].Submitted })
	return queued, nil
}

// getJSON reads key into v; found is false when it is missing.
func (s *Service) getJSON(key string, v any) (bool, error) {
	b, err := s.meta.Get([]byte(key))
	if errors.Is(err, kv.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return true, json.Unmarshal(b, v)
}

func (s *Service) setJSON(key string, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return s.meta.Set([]byte(key), b)
}

// scan calls fn for each key (relative to the space) with prefix, in order.
func (s *Service) scan(prefix string, fn func(key string, v []byte) (bool, error)) error {
	it, err := s.meta.Iter([]byte(prefix), prefixEnd([]byte(prefix)))
	if err != nil {
		return err
	}
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			return err
		}
		more, err := fn(string(it.Key()), v)
		if err != nil || !more {
			return err
		}
	}
	return nil
}

func prefixEnd(p []byte) []byte {
	end := append([]byte(nil), p...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}
