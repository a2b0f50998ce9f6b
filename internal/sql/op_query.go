package sql

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/tarnhq/tarn/internal/awsjson"
)

// newID returns a UUID (version 4), the shape of Athena's ids.
func newID() string {
	var b [16]byte
	rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

const maxQueryLength = 262144

func (s *Service) startQueryExecution(ctx context.Context, in *startQueryExecutionInput) (*startQueryExecutionOutput, error) {
	return s.start(s.regionOf(ctx), in, nil)
}

// start validates and queues a query; queued, if non-nil, is called with
// the new id under s.mu just before the id reaches the workers.
func (s *Service) start(region string, in *startQueryExecutionInput, queued func(id string)) (*startQueryExecutionOutput, error) {
	if len(in.QueryString) < 1 || len(in.QueryString) > maxQueryLength {
		return nil, errValidation("queryString", in.QueryString, fmt.Sprintf("Member must have length less than or equal to %d", maxQueryLength))
	}
	if in.ClientRequestToken != "" && (len(in.ClientRequestToken) < 32 || len(in.ClientRequestToken) > 128) {
		return nil, errValidation("clientRequestToken", in.ClientRequestToken, "Member must have length greater than or equal to 32")
	}
	if in.ClientRequestToken != "" {
		if b, err := s.meta.Get([]byte(region + "/qt/" + in.ClientRequestToken)); err == nil {
			return &startQueryExecutionOutput{QueryExecutionId: string(b)}, nil
		}
	}
	wgName := in.WorkGroup
	if wgName == "" {
		wgName = primaryWG
	}
	wg, err := s.workGroup(region, wgName)
	if err != nil {
		return nil, err
	}
	if wg.State == "DISABLED" {
		return nil, errWorkGroupDisabled(wgName)
	}
	out := ""
	if in.ResultConfiguration != nil {
		out = in.ResultConfiguration.OutputLocation
	}
	if rc := wg.Configuration.ResultConfiguration; rc != nil && rc.OutputLocation != "" &&
		(out == "" || wg.Configuration.EnforceWorkGroupConfiguration != nil && *wg.Configuration.EnforceWorkGroupConfiguration) {
		out = rc.OutputLocation
	}
	if out == "" {
		return nil, errNoOutputLocation()
	}
	if _, _, err := parseS3(out); err != nil {
		return nil, errInvalid("outputLocation is not a valid S3 path: %s", out)
	}
	db, cat := "default", awsDataCatalog
	if c := in.QueryExecutionContext; c != nil {
		if c.Database != "" {
			db = c.Database
		}
		if c.Catalog != "" {
			cat = c.Catalog
		}
	}
	if !strings.EqualFold(cat, awsDataCatalog) {
		return nil, errCatalogNotFound(cat)
	}
	r := &queryRecord{ID: newID(), Region: region, Query: in.QueryString, WorkGroup: wgName, Database: strings.ToLower(db),
		Catalog: cat, OutputLocation: out, Params: in.ExecutionParameters, State: stateQueued, Submitted: s.now().UnixMilli()}
	r.StatementType, r.SubstatementType = statementType(in.QueryString)
	s.mu.Lock()
	if len(s.queue) == cap(s.queue) {
		s.mu.Unlock()
		return nil, awsjson.Errorf("TooManyRequestsException", "Too many queries are queued; retry later")
	}
	if err := s.putQuery(r, in.ClientRequestToken, true); err != nil {
		s.mu.Unlock()
		return nil, err
	}
	s.queries[r.ID] = r
	if queued != nil {
		queued(r.ID)
	}
	s.queue <- r.ID
	s.mu.Unlock()
	return &startQueryExecutionOutput{QueryExecutionId: r.ID}, nil
}

func (s *Service) getQueryExecution(ctx context.Context, in *queryExecutionIDInput) (*getQueryExecutionOutput, error) {
	if in.QueryExecutionId == "" {
		return nil, errValidation("queryExecutionId", "", "Member must not be null")
	}
	r, err := s.query(s.regionOf(ctx), in.QueryExecutionId)
	if err != nil {
		return nil, err
	}
	return &getQueryExecutionOutput{QueryExecution: s.shape(r)}, nil
}

// shape renders a record as the API's QueryExecution.
func (s *Service) shape(r *queryRecord) queryExecutionShape {
	q := queryExecutionShape{QueryExecutionId: r.ID, Query: r.Query, StatementType: r.StatementType,
		SubstatementType: r.SubstatementType, WorkGroup: r.WorkGroup,
		ResultConfiguration:   resultConfiguration{OutputLocation: r.ResultLocation},
		QueryExecutionContext: queryExecutionContext{Database: r.Database, Catalog: r.Catalog},
		EngineVersion:         engineVersion{SelectedEngineVersion: "AUTO", EffectiveEngineVersion: engineVersionV3},
		ExecutionParameters:   r.Params}
	if q.ResultConfiguration.OutputLocation == "" {
		q.ResultConfiguration.OutputLocation = strings.TrimSuffix(r.OutputLocation, "/") + "/" + r.ID + ".csv"
	}
	q.Status = queryExecutionStatus{State: r.State, StateChangeReason: r.Reason,
		SubmissionDateTime: awsjson.Timestamp(msTime(r.Submitted)), AthenaError: r.Error}
	if r.Completed != 0 {
		t := awsjson.Timestamp(msTime(r.Completed))
		q.Status.CompletionDateTime = &t
	}
	st := &q.Statistics
	now := s.now().UnixMilli()
	end := r.Completed
	if end == 0 {
		end = now
	}
	st.TotalExecutionTimeInMillis = end - r.Submitted
	switch {
	case r.Started != 0:
		st.QueryQueueTimeInMillis = r.Started - r.Submitted
		st.EngineExecutionTimeInMillis = end - r.Started
	case r.State == stateQueued:
		st.QueryQueueTimeInMillis = end - r.Submitted
	}
	st.DataScannedInBytes = r.Scanned
	return q
}

func (s *Service) stopQueryExecution(ctx context.Context, in *queryExecutionIDInput) (*struct{}, error) {
	region := s.regionOf(ctx)
	if _, err := s.query(region, in.QueryExecutionId); err != nil {
		return nil, err
	}
	if err := s.cancel(in.QueryExecutionId); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

// cancel ends query id: a queued one is CANCELLED at once, a running one
// is interrupted (its worker records CANCELLED). A finished one is left.
func (s *Service) cancel(id string) error {
	queued := false
	_, err := s.update(id, func(r *queryRecord) bool {
		switch r.State {
		case stateQueued:
			s.finish(r, stateCancelled, nil)
			queued = true
			return true
		case stateRunning:
			if cancel, ok := s.running[r.ID]; ok {
				cancel() // the worker records CANCELLED when DuckDB stops
			}
		}
		return false
	})
	if queued {
		s.wake(id)
	}
	if err != nil && !errors.Is(err, ErrInvalidRequest) { // not cached: already finished
		return err
	}
	return nil
}

func (s *Service) listQueryExecutions(ctx context.Context, in *listInput) (*listQueryExecutionsOutput, error) {
	region := s.regionOf(ctx)
	max := in.MaxResults
	if max == 0 {
		max = 50
	}
	if max < 0 || max > 50 {
		return nil, errValidation("maxResults", max, "Member must have value less than or equal to 50")
	}
	wg := in.WorkGroup
	if wg == "" {
		wg = primaryWG
	}
	if _, err := s.workGroup(region, wg); err != nil {
		return nil, err
	}
	prefix := region + "/qw/" + wg + "/"
	out := &listQueryExecutionsOutput{QueryExecutionIds: []string{}}
	start := prefix
	if in.NextToken != "" {
		k, err := decodeToken(in.NextToken)
		if err != nil || !strings.HasPrefix(k, prefix) {
			return nil, errBadToken()
		}
		start = k
	}
	err := s.scanFrom(prefix, start, func(key string, _ []byte) (bool, error) {
		if len(out.QueryExecutionIds) == max {
			out.NextToken = encodeToken(key)
			return false, nil
		}
		out.QueryExecutionIds = append(out.QueryExecutionIds, key[strings.LastIndexByte(key, '/')+1:])
		return true, nil
	})
	return out, err
}

func (s *Service) batchGetQueryExecution(ctx context.Context, in *batchGetQueryExecutionInput) (*batchGetQueryExecutionOutput, error) {
	if len(in.QueryExecutionIds) < 1 || len(in.QueryExecutionIds) > 50 {
		return nil, errValidation("queryExecutionIds", in.QueryExecutionIds, "Member must have length less than or equal to 50")
	}
	region := s.regionOf(ctx)
	out := &batchGetQueryExecutionOutput{QueryExecutions: []queryExecutionShape{}, UnprocessedQueryExecutionIds: []unprocessedQueryExecutionID{}}
	for _, id := range in.QueryExecutionIds {
		r, err := s.query(region, id)
		if err != nil {
			var ae *awsjson.Error
			if !errors.As(err, &ae) {
				return nil, err
			}
			out.UnprocessedQueryExecutionIds = append(out.UnprocessedQueryExecutionIds,
				unprocessedQueryExecutionID{QueryExecutionId: id, ErrorCode: ae.Code, ErrorMessage: ae.Message})
			continue
		}
		out.QueryExecutions = append(out.QueryExecutions, s.shape(r))
	}
	return out, nil
}

// statementType is Athena's StatementType and SubstatementType of q.
func statementType(q string) (string, string) {
	stmts, err := splitOne(q)
	if err != nil || len(stmts) == 0 {
		return "DML", "SELECT"
	}
	w := func(i int) string {
		if i < len(stmts) {
			return stmts[i].Upper()
		}
		return ""
	}
	switch w(0) {
	case "SELECT", "WITH", "VALUES", "TABLE", "(":
		return "DML", "SELECT"
	case "INSERT":
		return "DML", "INSERT"
	case "UNLOAD":
		return "DML", "UNLOAD"
	case "EXPLAIN":
		return "UTILITY", "EXPLAIN"
	case "SHOW":
		return "UTILITY", "SHOW_" + w(1)
	case "DESCRIBE", "DESC":
		return "UTILITY", "DESCRIBE"
	case "PREPARE", "DEALLOCATE":
		return "UTILITY", w(0)
	case "EXECUTE":
		return "DML", "EXECUTE"
	case "CREATE":
		for i := 1; i < len(stmts); i++ {
			if stmts[i].Is("AS") && w(1) == "TABLE" {
				return "DDL", "CREATE_TABLE_AS_SELECT"
			}
		}
		if w(1) == "EXTERNAL" {
			return "DDL", "CREATE_TABLE"
		}
		if w(1) == "OR" {
			return "DDL", "CREATE_VIEW"
		}
		return "DDL", "CREATE_" + w(1)
	case "DROP", "ALTER", "MSCK":
		return "DDL", w(0) + "_" + w(1)
	}
	return "DML", "SELECT"
}
