package sql

import (
	"context"
	"strings"

	"github.com/tarnhq/tarn/internal/awsjson"
)

func nqKey(region, id string) string { return region + "/nq/" + id }

func (s *Service) createNamedQuery(ctx context.Context, in *createNamedQueryInput) (*struct {
	NamedQueryId string `json:"NamedQueryId"`
}, error) {
	region := s.regionOf(ctx)
	type out = struct {
		NamedQueryId string `json:"NamedQueryId"`
	}
	switch {
	case len(in.Name) < 1 || len(in.Name) > 128:
		return nil, errValidation("name", in.Name, "Member must have length less than or equal to 128")
	case len(in.Database) < 1 || len(in.Database) > 255:
		return nil, errValidation("database", in.Database, "Member must have length greater than or equal to 1")
	case len(in.QueryString) < 1 || len(in.QueryString) > maxQueryLength:
		return nil, errValidation("queryString", in.QueryString, "Member must have length greater than or equal to 1")
	}
	wg := in.WorkGroup
	if wg == "" {
		wg = primaryWG
	}
	if _, err := s.workGroup(region, wg); err != nil {
		return nil, err
	}
	if in.ClientRequestToken != "" {
		if b, err := s.meta.Get([]byte(region + "/nt/" + in.ClientRequestToken)); err == nil {
			return &out{NamedQueryId: string(b)}, nil
		}
	}
	nq := namedQueryShape{Name: in.Name, Description: in.Description, Database: in.Database, QueryString: in.QueryString,
		NamedQueryId: newID(), WorkGroup: wg}
	if err := s.setJSON(nqKey(region, nq.NamedQueryId), nq); err != nil {
		return nil, err
	}
	if in.ClientRequestToken != "" {
		if err := s.meta.Set([]byte(region+"/nt/"+in.ClientRequestToken), []byte(nq.NamedQueryId)); err != nil {
			return nil, err
		}
	}
	return &out{NamedQueryId: nq.NamedQueryId}, nil
}

func (s *Service) namedQuery(region, id string) (*namedQueryShape, error) {
	nq := &namedQueryShape{}
	found, err := s.getJSON(nqKey(region, id), nq)
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, errNamedQueryNotFound(id)
	}
	return nq, nil
}

func (s *Service) getNamedQuery(ctx context.Context, in *namedQueryIDInput) (*struct {
	NamedQuery namedQueryShape `json:"NamedQuery"`
}, error) {
	nq, err := s.namedQuery(s.regionOf(ctx), in.NamedQueryId)
	if err != nil {
		return nil, err
	}
	return &struct {
		NamedQuery namedQueryShape `json:"NamedQuery"`
	}{*nq}, nil
}

func (s *Service) deleteNamedQuery(ctx context.Context, in *namedQueryIDInput) (*struct{}, error) {
	region := s.regionOf(ctx)
	if _, err := s.namedQuery(region, in.NamedQueryId); err != nil {
		return nil, err
	}
	return &struct{}{}, s.meta.Delete([]byte(nqKey(region, in.NamedQueryId)))
}

func (s *Service) listNamedQueries(ctx context.Context, in *pageInput) (*struct {
	NamedQueryIds []string `json:"NamedQueryIds"`
	NextToken     string   `json:"NextToken,omitempty"`
}, error) {
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
	out := &struct {
		NamedQueryIds []string `json:"NamedQueryIds"`
		NextToken     string   `json:"NextToken,omitempty"`
	}{NamedQueryIds: []string{}}
	prefix := region + "/nq/"
	start := prefix
	if in.NextToken != "" {
		k, err := decodeToken(in.NextToken)
		if err != nil || !strings.HasPrefix(k, prefix) {
			return nil, errBadToken()
		}
		start = k
	}
	err := s.scanFrom(prefix, start, func(key string, v []byte) (bool, error) {
		nq := namedQueryShape{}
		if err := jsonUnmarshal(v, &nq); err != nil {
			return false, err
		}
		if nq.WorkGroup != wg {
			return true, nil
		}
		if len(out.NamedQueryIds) == max {
			out.NextToken = encodeToken(key)
			return false, nil
		}
		out.NamedQueryIds = append(out.NamedQueryIds, nq.NamedQueryId)
		return true, nil
	})
	return out, err
}

func (s *Service) batchGetNamedQuery(ctx context.Context, in *batchGetNamedQueryInput) (*struct {
	NamedQueries             []namedQueryShape         `json:"NamedQueries"`
	UnprocessedNamedQueryIds []unprocessedNamedQueryID `json:"UnprocessedNamedQueryIds"`
}, error) {
	if len(in.NamedQueryIds) < 1 || len(in.NamedQueryIds) > 50 {
		return nil, errValidation("namedQueryIds", in.NamedQueryIds, "Member must have length less than or equal to 50")
	}
	region := s.regionOf(ctx)
	out := &struct {
		NamedQueries             []namedQueryShape         `json:"NamedQueries"`
		UnprocessedNamedQueryIds []unprocessedNamedQueryID `json:"UnprocessedNamedQueryIds"`
	}{NamedQueries: []namedQueryShape{}, UnprocessedNamedQueryIds: []unprocessedNamedQueryID{}}
	for _, id := range in.NamedQueryIds {
		nq, err := s.namedQuery(region, id)
		if err != nil {
			ae, ok := err.(*awsjson.Error)
			if !ok {
				return nil, err
			}
			out.UnprocessedNamedQueryIds = append(out.UnprocessedNamedQueryIds, unprocessedNamedQueryID{NamedQueryId: id, ErrorCode: ae.Code, ErrorMessage: ae.Message})
			continue
		}
		out.NamedQueries = append(out.NamedQueries, *nq)
	}
	return out, nil
}

type updateNamedQueryInput struct {
	NamedQueryId string  `json:"NamedQueryId"`
	Name         string  `json:"Name"`
	QueryString  string  `json:"QueryString"`
	Description  *string `json:"Description"`
}

func (s *Service) updateNamedQuery(ctx context.Context, in *updateNamedQueryInput) (*struct{}, error) {
	region := s.regionOf(ctx)
	switch {
	case len(in.Name) < 1 || len(in.Name) > 128:
		return nil, errValidation("name", in.Name, "Member must have length less than or equal to 128")
	case len(in.QueryString) < 1 || len(in.QueryString) > maxQueryLength:
		return nil, errValidation("queryString", in.QueryString, "Member must have length greater than or equal to 1")
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	nq, err := s.namedQuery(region, in.NamedQueryId)
	if err != nil {
		return nil, err
	}
	nq.Name, nq.QueryString = in.Name, in.QueryString
	if in.Description != nil {
		nq.Description = *in.Description
	}
	return &struct{}{}, s.setJSON(nqKey(region, nq.NamedQueryId), nq)
}
