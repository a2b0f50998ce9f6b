package sql

import (
	"context"
	"regexp"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/engine"
)

var statementName = regexp.MustCompile(`^[a-zA-Z_][a-zA-Z0-9_@:]{0,255}$`)

func psKey(region, wg, name string) string { return region + "/ps/" + wg + "/" + name }

func (s *Service) preparedStatement(region, wg, name string) (*preparedStatementShape, error) {
	ps := &preparedStatementShape{}
	found, err := s.getJSON(psKey(region, wg, name), ps)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, errPreparedNotFound(name, wg)
	}
	return ps, nil
}

// How putPrepared treats an existing statement.
const (
	putCreate = iota // it must not exist
	putUpdate        // it must exist
	putUpsert        // either (the PREPARE statement)
)

func (s *Service) putPrepared(ctx context.Context, region string, in *preparedStatementInput, mode int) (*struct{}, error) {
	if !statementName.MatchString(in.StatementName) {
		return nil, errValidation("statementName", in.StatementName, "Member must satisfy regular expression pattern: [a-zA-Z_][a-zA-Z0-9_@:]{1,256}")
	}
	if len(in.QueryStatement) < 1 || len(in.QueryStatement) > maxQueryLength {
		return nil, errValidation("queryStatement", in.QueryStatement, "Member must have length greater than or equal to 1")
	}
	if _, err := s.workGroup(region, in.WorkGroup); err != nil {
		return nil, err
	}
	if stmts, err := engine.Split(in.QueryStatement); err != nil || len(stmts) != 1 {
		return nil, errInvalid("Only one sql statement is allowed")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err := s.preparedStatement(region, in.WorkGroup, in.StatementName)
	switch {
	case mode == putCreate && err == nil:
		return nil, errPreparedExists(in.StatementName)
	case mode == putUpdate && err != nil:
		return nil, err
	}
	ps := preparedStatementShape{StatementName: in.StatementName, QueryStatement: in.QueryStatement, WorkGroupName: in.WorkGroup,
		Description: in.Description, LastModifiedTime: awsjson.Timestamp(s.now())}
	return &struct{}{}, s.setJSON(psKey(region, in.WorkGroup, in.StatementName), ps)
}

func (s *Service) createPreparedStatement(ctx context.Context, in *preparedStatementInput) (*struct{}, error) {
	return s.putPrepared(ctx, s.regionOf(ctx), in, putCreate)
}

func (s *Service) updatePreparedStatement(ctx context.Context, in *preparedStatementInput) (*struct{}, error) {
	return s.putPrepared(ctx, s.regionOf(ctx), in, putUpdate)
}

func (s *Service) getPreparedStatement(ctx context.Context, in *preparedStatementInput) (*struct {
	PreparedStatement preparedStatementShape `json:"PreparedStatement"`
}, error) {
	ps, err := s.preparedStatement(s.regionOf(ctx), in.WorkGroup, in.StatementName)
	if err != nil {
		return nil, err
	}
	return &struct {
		PreparedStatement preparedStatementShape `json:"PreparedStatement"`
	}{*ps}, nil
}

func (s *Service) deletePreparedStatement(ctx context.Context, in *preparedStatementInput) (*struct{}, error) {
	region := s.regionOf(ctx)
	if _, err := s.preparedStatement(region, in.WorkGroup, in.StatementName); err != nil {
		return nil, err
	}
	return &struct{}{}, s.meta.Delete([]byte(psKey(region, in.WorkGroup, in.StatementName)))
}

func (s *Service) listPreparedStatements(ctx context.Context, in *pageInput) (*struct {
	PreparedStatements []preparedStatementSummary `json:"PreparedStatements"`
	NextToken          string                     `json:"NextToken,omitempty"`
}, error) {
	region := s.regionOf(ctx)
	if _, err := s.workGroup(region, in.WorkGroup); err != nil {
		return nil, err
	}
	max := in.MaxResults
	if max == 0 {
		max = 50
	}
	if max < 0 || max > 50 {
		return nil, errValidation("maxResults", max, "Member must have value less than or equal to 50")
	}
	start, err := pageStart(in.NextToken, "ps")
	if err != nil {
		return nil, err
	}
	out := &struct {
		PreparedStatements []preparedStatementSummary `json:"PreparedStatements"`
		NextToken          string                     `json:"NextToken,omitempty"`
	}{PreparedStatements: []preparedStatementSummary{}}
	i := 0
	err = s.scan(region+"/ps/"+in.WorkGroup+"/", func(_ string, v []byte) (bool, error) {
		defer func() { i++ }()
		if i < start {
			return true, nil
		}
		if len(out.PreparedStatements) == max {
			out.NextToken = pageToken("ps", i)
			return false, nil
		}
		ps := preparedStatementShape{}
		if err := jsonUnmarshal(v, &ps); err != nil {
			return false, err
		}
		out.PreparedStatements = append(out.PreparedStatements, preparedStatementSummary{StatementName: ps.StatementName, LastModifiedTime: ps.LastModifiedTime})
		return true, nil
	})
	return out, err
}

type batchGetPreparedStatementInput struct {
	PreparedStatementNames []string `json:"PreparedStatementNames"`
	WorkGroup              string   `json:"WorkGroup"`
}

type unprocessedPreparedStatementName struct {
	StatementName string `json:"StatementName"`
	ErrorCode     string `json:"ErrorCode"`
	ErrorMessage  string `json:"ErrorMessage"`
}

func (s *Service) batchGetPreparedStatement(ctx context.Context, in *batchGetPreparedStatementInput) (*struct {
	PreparedStatements                []preparedStatementShape           `json:"PreparedStatements"`
	UnprocessedPreparedStatementNames []unprocessedPreparedStatementName `json:"UnprocessedPreparedStatementNames"`
}, error) {
	if len(in.PreparedStatementNames) < 1 || len(in.PreparedStatementNames) > 50 {
		return nil, errValidation("preparedStatementNames", in.PreparedStatementNames, "Member must have length less than or equal to 50")
	}
	region := s.regionOf(ctx)
	if _, err := s.workGroup(region, in.WorkGroup); err != nil {
		return nil, err
	}
	out := &struct {
		PreparedStatements                []preparedStatementShape           `json:"PreparedStatements"`
		UnprocessedPreparedStatementNames []unprocessedPreparedStatementName `json:"UnprocessedPreparedStatementNames"`
	}{PreparedStatements: []preparedStatementShape{}, UnprocessedPreparedStatementNames: []unprocessedPreparedStatementName{}}
	for _, name := range in.PreparedStatementNames {
		ps, err := s.preparedStatement(region, in.WorkGroup, name)
		if err != nil {
			ae, ok := err.(*awsjson.Error)
			if !ok {
				return nil, err
			}
			out.UnprocessedPreparedStatementNames = append(out.UnprocessedPreparedStatementNames,
				unprocessedPreparedStatementName{StatementName: name, ErrorCode: ae.Code, ErrorMessage: ae.Message})
			continue
		}
		out.PreparedStatements = append(out.PreparedStatements, *ps)
	}
	return out, nil
}
