package catalog

import (
	"context"
)

type createTableInput struct {
	CatalogId    string      `json:"CatalogId"`
	DatabaseName string      `json:"DatabaseName"`
	TableInput   *TableInput `json:"TableInput"`
}

func (s *Service) opCreateTable(ctx context.Context, in *createTableInput) (*struct{}, error) {
	if in.TableInput == nil {
		return nil, errRequired("tableInput")
	}
	return nil, s.CreateTable(ctx, s.regionOf(ctx), in.DatabaseName, in.TableInput.table())
}

type tableNameInput struct {
	CatalogId    string `json:"CatalogId"`
	DatabaseName string `json:"DatabaseName"`
	Name         string `json:"Name"`
}

type getTableOutput struct {
	Table *Table `json:"Table"`
}

func (s *Service) opGetTable(ctx context.Context, in *tableNameInput) (*getTableOutput, error) {
	t, err := s.GetTable(ctx, s.regionOf(ctx), in.DatabaseName, in.Name)
	if err != nil {
		return nil, err
	}
	return &getTableOutput{Table: t}, nil
}

type getTablesInput struct {
	CatalogId    string `json:"CatalogId"`
	DatabaseName string `json:"DatabaseName"`
	Expression   string `json:"Expression"`
	MaxResults   *int   `json:"MaxResults"`
	NextToken    string `json:"NextToken"`
}

type getTablesOutput struct {
	TableList []Table `json:"TableList"`
	NextToken string  `json:"NextToken,omitempty"`
}

func (s *Service) opGetTables(ctx context.Context, in *getTablesInput) (*getTablesOutput, error) {
	db, err := validName("databaseName", in.DatabaseName)
	if err != nil {
		return nil, err
	}
	limit, err := pageSize("maxResults", in.MaxResults, maxTablesPage)
	if err != nil {
		return nil, err
	}
	re, err := namePattern(in.Expression)
	if err != nil {
		return nil, err
	}
	region := s.regionOf(ctx)
	if err := s.requireDatabase(region, db); err != nil {
		return nil, err
	}
	out := &getTablesOutput{TableList: []Table{}}
	out.NextToken, err = s.listTables(region, db, re, in.NextToken, limit, &out.TableList)
	if err != nil {
		return nil, err
	}
	return out, nil
}

type updateTableInput struct {
	CatalogId    string      `json:"CatalogId"`
	DatabaseName string      `json:"DatabaseName"`
	TableInput   *TableInput `json:"TableInput"`
	SkipArchive  *bool       `json:"SkipArchive"`
	VersionId    string      `json:"VersionId"`
	Force        bool        `json:"Force"`
}

func (s *Service) opUpdateTable(ctx context.Context, in *updateTableInput) (*struct{}, error) {
	if in.TableInput == nil {
		return nil, errRequired("tableInput")
	}
	skip := in.SkipArchive != nil && *in.SkipArchive
	return nil, s.updateTable(s.regionOf(ctx), in.DatabaseName, in.TableInput.table(), in.VersionId, skip)
}

func (s *Service) opDeleteTable(ctx context.Context, in *tableNameInput) (*struct{}, error) {
	return nil, s.DeleteTable(ctx, s.regionOf(ctx), in.DatabaseName, in.Name)
}

type batchDeleteTableInput struct {
	CatalogId      string   `json:"CatalogId"`
	DatabaseName   string   `json:"DatabaseName"`
	TablesToDelete []string `json:"TablesToDelete"`
}

type batchDeleteTableOutput struct {
	Errors []TableError `json:"Errors"`
}

func (s *Service) opBatchDeleteTable(ctx context.Context, in *batchDeleteTableInput) (*batchDeleteTableOutput, error) {
	db, err := validName("databaseName", in.DatabaseName)
	if err != nil {
		return nil, err
	}
	if len(in.TablesToDelete) > maxBatchDelete {
		return nil, errMaxResults("tablesToDelete", len(in.TablesToDelete), maxBatchDelete)
	}
	region := s.regionOf(ctx)
	if err := s.requireDatabase(region, db); err != nil {
		return nil, err
	}
	out := &batchDeleteTableOutput{Errors: []TableError{}}
	for _, name := range in.TablesToDelete {
		if err := s.DeleteTable(ctx, region, db, name); err != nil {
			out.Errors = append(out.Errors, TableError{TableName: name, ErrorDetail: errorDetail(err)})
		}
	}
	return out, nil
}

type tableVersionsInput struct {
	CatalogId    string `json:"CatalogId"`
	DatabaseName string `json:"DatabaseName"`
	TableName    string `json:"TableName"`
	MaxResults   *int   `json:"MaxResults"`
	NextToken    string `json:"NextToken"`
	VersionId    string `json:"VersionId"`
}

type getTableVersionsOutput struct {
	TableVersions []TableVersion `json:"TableVersions"`
	NextToken     string         `json:"NextToken,omitempty"`
}

func (s *Service) opGetTableVersions(ctx context.Context, in *tableVersionsInput) (*getTableVersionsOutput, error) {
	db, name, err := validDBTable(in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	limit, err := pageSize("maxResults", in.MaxResults, maxVersionsPage)
	if err != nil {
		return nil, err
	}
	vs, next, err := s.tableVersions(s.regionOf(ctx), db, name, in.NextToken, limit)
	if err != nil {
		return nil, err
	}
	return &getTableVersionsOutput{TableVersions: vs, NextToken: next}, nil
}

type getTableVersionOutput struct {
	TableVersion *TableVersion `json:"TableVersion"`
}

func (s *Service) opGetTableVersion(ctx context.Context, in *tableVersionsInput) (*getTableVersionOutput, error) {
	db, name, err := validDBTable(in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	region := s.regionOf(ctx)
	if in.VersionId == "" { // the current version
		t, err := s.getTable(region, db, name)
		if err != nil {
			return nil, err
		}
		return &getTableVersionOutput{TableVersion: &TableVersion{Table: t, VersionId: t.VersionId}}, nil
	}
	v, err := s.tableVersion(region, db, name, in.VersionId)
	if err != nil {
		return nil, err
	}
	return &getTableVersionOutput{TableVersion: v}, nil
}

func (s *Service) opDeleteTableVersion(ctx context.Context, in *tableVersionsInput) (*struct{}, error) {
	db, name, err := validDBTable(in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	if in.VersionId == "" {
		return nil, errRequired("versionId")
	}
	return nil, s.deleteTableVersion(s.regionOf(ctx), db, name, in.VersionId)
}

type batchDeleteTableVersionInput struct {
	CatalogId    string   `json:"CatalogId"`
	DatabaseName string   `json:"DatabaseName"`
	TableName    string   `json:"TableName"`
	VersionIds   []string `json:"VersionIds"`
}

type tableVersionError struct {
	TableName   string       `json:"TableName,omitempty"`
	VersionId   string       `json:"VersionId,omitempty"`
	ErrorDetail *ErrorDetail `json:"ErrorDetail,omitempty"`
}

type batchDeleteTableVersionOutput struct {
	Errors []tableVersionError `json:"Errors"`
}

func (s *Service) opBatchDeleteTableVersion(ctx context.Context, in *batchDeleteTableVersionInput) (*batchDeleteTableVersionOutput, error) {
	db, name, err := validDBTable(in.DatabaseName, in.TableName)
	if err != nil {
		return nil, err
	}
	if len(in.VersionIds) > maxBatchDelete {
		return nil, errMaxResults("versionIds", len(in.VersionIds), maxBatchDelete)
	}
	out := &batchDeleteTableVersionOutput{Errors: []tableVersionError{}}
	for _, v := range in.VersionIds {
		if err := s.deleteTableVersion(s.regionOf(ctx), db, name, v); err != nil {
			out.Errors = append(out.Errors, tableVersionError{TableName: name, VersionId: v, ErrorDetail: errorDetail(err)})
		}
	}
	return out, nil
}
