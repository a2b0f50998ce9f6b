package catalog

import (
	"context"
	"hash/fnv"
	"strings"
)

type createPartitionInput struct {
	CatalogId      string          `json:"CatalogId"`
	DatabaseName   string          `json:"DatabaseName"`
	TableName      string          `json:"TableName"`
	PartitionInput *PartitionInput `json:"PartitionInput"`
}

func (s *Service) opCreatePartition(ctx context.Context, in *createPartitionInput) (*struct{}, error) {
	db, table, err := validDBTable(in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	if in.PartitionInput == nil {
		return nil, errRequired("partitionInput")
	}
	errs, err := s.createPartitions(s.regionOf(ctx), db, table, []PartitionInput{*in.PartitionInput}, false)
	if err != nil {
		return nil, err
	}
	return nil, errs[0]
}

type batchCreatePartitionInput struct {
	CatalogId          string           `json:"CatalogId"`
	DatabaseName       string           `json:"DatabaseName"`
	TableName          string           `json:"TableName"`
	PartitionInputList []PartitionInput `json:"PartitionInputList"`
}

type partitionErrorsOutput struct {
	Errors []PartitionError `json:"Errors"`
}

func (s *Service) opBatchCreatePartition(ctx context.Context, in *batchCreatePartitionInput) (*partitionErrorsOutput, error) {
	db, table, err := validDBTable(in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	if len(in.PartitionInputList) > maxBatchPartition {
		return nil, errMaxResults("partitionInputList", len(in.PartitionInputList), maxBatchPartition)
	}
	errs, err := s.createPartitions(s.regionOf(ctx), db, table, in.PartitionInputList, false)
	if err != nil {
		return nil, err
	}
	out := &partitionErrorsOutput{Errors: []PartitionError{}}
	for i, e := range errs {
		if e != nil {
			out.Errors = append(out.Errors, PartitionError{PartitionValues: in.PartitionInputList[i].Values, ErrorDetail: errorDetail(e)})
		}
	}
	return out, nil
}

type partitionValuesInput struct {
	CatalogId       string   `json:"CatalogId"`
	DatabaseName    string   `json:"DatabaseName"`
	TableName       string   `json:"TableName"`
	PartitionValues []string `json:"PartitionValues"`
}

type getPartitionOutput struct {
	Partition *Partition `json:"Partition"`
}

func (s *Service) opGetPartition(ctx context.Context, in *partitionValuesInput) (*getPartitionOutput, error) {
	db, table, err := validDBTable(in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	p, err := s.getPartition(s.regionOf(ctx), db, table, in.PartitionValues)
	if err != nil {
		return nil, err
	}
	return &getPartitionOutput{Partition: p}, nil
}

type segment struct {
	SegmentNumber int `json:"SegmentNumber"`
	TotalSegments int `json:"TotalSegments"`
}

type getPartitionsInput struct {
	CatalogId           string   `json:"CatalogId"`
	DatabaseName        string   `json:"DatabaseName"`
	TableName           string   `json:"TableName"`
	Expression          string   `json:"Expression"`
	ExcludeColumnSchema bool     `json:"ExcludeColumnSchema"`
	MaxResults          *int     `json:"MaxResults"`
	NextToken           string   `json:"NextToken"`
	Segment             *segment `json:"Segment"`
}

type getPartitionsOutput struct {
	Partitions []Partition `json:"Partitions"`
	NextToken  string      `json:"NextToken,omitempty"`
}

func (s *Service) opGetPartitions(ctx context.Context, in *getPartitionsInput) (*getPartitionsOutput, error) {
	db, table, err := validDBTable(in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	limit, err := pageSize("maxResults", in.MaxResults, maxPartitionsPage)
	if err != nil {
		return nil, err
	}
	if g := in.Segment; g != nil && (g.TotalSegments < 1 || g.TotalSegments > 10 || g.SegmentNumber < 0 || g.SegmentNumber >= g.TotalSegments) {
		return nil, errInvalid("Invalid segment: SegmentNumber %d of TotalSegments %d.", g.SegmentNumber, g.TotalSegments)
	}
	region := s.regionOf(ctx)
	t, err := s.getTable(region, db, table)
	if err != nil {
		return nil, err
	}
	var f *partFilter
	if strings.TrimSpace(in.Expression) != "" {
		if f, err = compilePartFilter(in.Expression, t.PartitionKeys); err != nil {
			return nil, err
		}
	}
	if g := in.Segment; g != nil && g.TotalSegments > 1 {
		f = segmentFilter(f, t.PartitionKeys, g.SegmentNumber, g.TotalSegments)
	}
	out := &getPartitionsOutput{Partitions: []Partition{}}
	out.NextToken, err = s.listPartitions(region, db, table, f, in.NextToken, limit, &out.Partitions)
	if err != nil {
		return nil, err
	}
	if in.ExcludeColumnSchema {
		for i := range out.Partitions {
			if sd := out.Partitions[i].StorageDescriptor; sd != nil {
				sd.Columns = nil
			}
		}
	}
	return out, nil
}

// segmentFilter keeps the partitions whose values hash to segment n of
// total (and match f): disjoint segments that cover the table.
func segmentFilter(f *partFilter, keys []Column, n, total int) *partFilter {
	return &partFilter{keys: keys, root: segNode{f: f, n: n, total: total}}
}

type segNode struct {
	f        *partFilter
	n, total int
}

func (segNode) String() string { return "segment" }

func (n segNode) match(values []string) bool {
	h := fnv.New32a()
	for _, v := range values {
		h.Write([]byte(v))
		h.Write([]byte{0})
	}
	return int(h.Sum32()%uint32(n.total)) == n.n && (n.f == nil || n.f.match(values))
}

type batchGetPartitionInput struct {
	CatalogId       string               `json:"CatalogId"`
	DatabaseName    string               `json:"DatabaseName"`
	TableName       string               `json:"TableName"`
	PartitionsToGet []PartitionValueList `json:"PartitionsToGet"`
}

type batchGetPartitionOutput struct {
	Partitions      []Partition          `json:"Partitions"`
	UnprocessedKeys []PartitionValueList `json:"UnprocessedKeys"`
}

func (s *Service) opBatchGetPartition(ctx context.Context, in *batchGetPartitionInput) (*batchGetPartitionOutput, error) {
	db, table, err := validDBTable(in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	if len(in.PartitionsToGet) > maxBatchGet {
		return nil, errMaxResults("partitionsToGet", len(in.PartitionsToGet), maxBatchGet)
	}
	region := s.regionOf(ctx)
	if _, err := s.getTable(region, db, table); err != nil {
		return nil, err
	}
	out := &batchGetPartitionOutput{Partitions: []Partition{}, UnprocessedKeys: []PartitionValueList{}}
	for _, v := range in.PartitionsToGet {
		p, err := s.getPartition(region, db, table, v.Values)
		if err == nil {
			out.Partitions = append(out.Partitions, *p)
		} else if _, ok := asAWS(err); !ok {
			return nil, err
		} // a missing partition is simply absent from the answer, as in Glue
	}
	return out, nil
}

type updatePartitionInput struct {
	CatalogId          string          `json:"CatalogId"`
	DatabaseName       string          `json:"DatabaseName"`
	TableName          string          `json:"TableName"`
	PartitionValueList []string        `json:"PartitionValueList"`
	PartitionInput     *PartitionInput `json:"PartitionInput"`
}

func (s *Service) opUpdatePartition(ctx context.Context, in *updatePartitionInput) (*struct{}, error) {
	db, table, err := validDBTable(in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	if in.PartitionInput == nil {
		return nil, errRequired("partitionInput")
	}
	return nil, s.updatePartition(s.regionOf(ctx), db, table, in.PartitionValueList, *in.PartitionInput)
}

type batchUpdatePartitionInput struct {
	CatalogId    string `json:"CatalogId"`
	DatabaseName string `json:"DatabaseName"`
	TableName    string `json:"TableName"`
	Entries      []struct {
		PartitionValueList []string        `json:"PartitionValueList"`
		PartitionInput     *PartitionInput `json:"PartitionInput"`
	} `json:"Entries"`
}

func (s *Service) opBatchUpdatePartition(ctx context.Context, in *batchUpdatePartitionInput) (*partitionErrorsOutput, error) {
	db, table, err := validDBTable(in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	if len(in.Entries) > maxBatchPartition {
		return nil, errMaxResults("entries", len(in.Entries), maxBatchPartition)
	}
	region := s.regionOf(ctx)
	if _, err := s.getTable(region, db, table); err != nil {
		return nil, err
	}
	out := &partitionErrorsOutput{Errors: []PartitionError{}}
	for _, e := range in.Entries {
		if e.PartitionInput == nil {
			return nil, errRequired("entries.member.partitionInput")
		}
		if err := s.updatePartition(region, db, table, e.PartitionValueList, *e.PartitionInput); err != nil {
			out.Errors = append(out.Errors, PartitionError{PartitionValues: e.PartitionValueList, ErrorDetail: errorDetail(err)})
		}
	}
	return out, nil
}

func (s *Service) opDeletePartition(ctx context.Context, in *partitionValuesInput) (*struct{}, error) {
	db, table, err := validDBTable(in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	errs, err := s.deletePartitions(s.regionOf(ctx), db, table, [][]string{in.PartitionValues})
	if err != nil {
		return nil, err
	}
	return nil, errs[0]
}

type batchDeletePartitionInput struct {
	CatalogId          string               `json:"CatalogId"`
	DatabaseName       string               `json:"DatabaseName"`
	TableName          string               `json:"TableName"`
	PartitionsToDelete []PartitionValueList `json:"PartitionsToDelete"`
}

func (s *Service) opBatchDeletePartition(ctx context.Context, in *batchDeletePartitionInput) (*partitionErrorsOutput, error) {
	db, table, err := validDBTable(in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	if len(in.PartitionsToDelete) > maxBatchDeletePartitions {
		return nil, errMaxResults("partitionsToDelete", len(in.PartitionsToDelete), maxBatchDeletePartitions)
	}
	lists := make([][]string, len(in.PartitionsToDelete))
	for i, p := range in.PartitionsToDelete {
		lists[i] = p.Values
	}
	errs, err := s.deletePartitions(s.regionOf(ctx), db, table, lists)
	if err != nil {
		return nil, err
	}
	out := &partitionErrorsOutput{Errors: []PartitionError{}}
	for i, e := range errs {
		if e != nil {
			out.Errors = append(out.Errors, PartitionError{PartitionValues: lists[i], ErrorDetail: errorDetail(e)})
		}
	}
	return out, nil
}
