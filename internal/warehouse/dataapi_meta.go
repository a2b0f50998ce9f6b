package warehouse

import (
	"context"
	"sort"
	"strconv"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/pgwire"
)

// The Data API's catalog operations, answered from DuckDB's
// information_schema and, for external schemas, the Glue catalog.

type metaInput struct {
	Database          string `json:"Database"`
	ConnectedDatabase string `json:"ConnectedDatabase"`
	ClusterIdentifier string `json:"ClusterIdentifier"`
	WorkgroupName     string `json:"WorkgroupName"`
	DbUser            string `json:"DbUser"`
	SecretArn         string `json:"SecretArn"`
	SchemaPattern     string `json:"SchemaPattern"`
	TablePattern      string `json:"TablePattern"`
	Schema            string `json:"Schema"`
	Table             string `json:"Table"`
	MaxResults        int32  `json:"MaxResults"`
	NextToken         string `json:"NextToken"`
}

type tableMember struct {
	Name   string `json:"name"`
	Schema string `json:"schema"`
	Type   string `json:"type"`
}

type listDatabasesOutput struct {
	Databases []string `json:"Databases"`
	NextToken string   `json:"NextToken,omitempty"`
}

type listSchemasOutput struct {
	Schemas   []string `json:"Schemas"`
	NextToken string   `json:"NextToken,omitempty"`
}

type listTablesOutput struct {
	Tables    []tableMember `json:"Tables"`
	NextToken string        `json:"NextToken,omitempty"`
}

type describeTableOutput struct {
	ColumnList []columnMetadata `json:"ColumnList"`
	TableName  string           `json:"TableName,omitempty"`
	NextToken  string           `json:"NextToken,omitempty"`
}

// hiddenSchemas are never listed.
var hiddenSchemas = map[string]bool{"pg_catalog": true, "information_schema": true, "pg_internal": true, "main": true}

// likeMatch is SQL LIKE with % and _ ("" matches everything).
func likeMatch(pattern, s string) bool {
	if pattern == "" {
		return true
	}
	var match func(p, s string) bool
	match = func(p, s string) bool {
		for len(p) > 0 {
			switch p[0] {
			case '%':
				for i := 0; i <= len(s); i++ {
					if match(p[1:], s[i:]) {
						return true
					}
				}
				return false
			case '_':
				if s == "" {
					return false
				}
			default:
				if s == "" || p[0] != s[0] {
					return false
				}
			}
			p, s = p[1:], s[1:]
		}
		return s == ""
	}
	return match(pattern, s)
}

// page cuts a list by MaxResults and an offset NextToken.
func page[T any](all []T, max int32, token string) ([]T, string, error) {
	start := 0
	if token != "" {
		n, err := strconv.Atoi(token)
		if err != nil || n < 0 || n > len(all) {
			return nil, "", errValidation("Invalid NextToken.")
		}
		start = n
	}
	end := len(all)
	if max > 0 && start+int(max) < end {
		end = start + int(max)
	}
	next := ""
	if end < len(all) {
		next = strconv.Itoa(end)
	}
	return all[start:end], next, nil
}

func (s *Service) checkMeta(in *metaInput) error {
	if err := checkTarget(in.ClusterIdentifier, in.WorkgroupName, in.Database); err != nil {
		return err
	}
	if in.Database != DefaultDatabase {
		return &awsjson.Error{Code: "DatabaseConnectionException", Status: 500, Message: "FATAL: database \"" + in.Database + "\" does not exist"}
	}
	return nil
}

func (s *Service) listDatabases(ctx context.Context, in *metaInput) (*listDatabasesOutput, error) {
	if err := checkTarget(in.ClusterIdentifier, in.WorkgroupName, in.Database); err != nil {
		return nil, err
	}
	dbs, next, err := page([]string{DefaultDatabase}, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &listDatabasesOutput{Databases: dbs, NextToken: next}, nil
}

func (s *Service) schemas(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT DISTINCT schema_name FROM information_schema.schemata ORDER BY 1")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		if !hiddenSchemas[n] {
			out = append(out, n)
		}
	}
	s.mu.Lock()
	for n := range s.external {
		out = append(out, n)
	}
	s.mu.Unlock()
	sort.Strings(out)
	return out, rows.Err()
}

func (s *Service) listSchemas(ctx context.Context, in *metaInput) (*listSchemasOutput, error) {
	if err := s.checkMeta(in); err != nil {
		return nil, err
	}
	all, err := s.schemas(ctx)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, n := range all {
		if likeMatch(in.SchemaPattern, n) {
			out = append(out, n)
		}
	}
	res, next, err := page(out, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &listSchemasOutput{Schemas: append([]string{}, res...), NextToken: next}, nil
}

func (s *Service) listTables(ctx context.Context, in *metaInput) (*listTablesOutput, error) {
	if err := s.checkMeta(in); err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, "SELECT table_schema, table_name, table_type FROM information_schema.tables ORDER BY 1, 2")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var all []tableMember
	for rows.Next() {
		var m tableMember
		if err := rows.Scan(&m.Schema, &m.Name, &m.Type); err != nil {
			return nil, err
		}
		if m.Type == "BASE TABLE" {
			m.Type = "TABLE"
		}
		if !hiddenSchemas[m.Schema] && likeMatch(in.SchemaPattern, m.Schema) && likeMatch(in.TablePattern, m.Name) {
			all = append(all, m)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	s.mu.Lock()
	ext := make(map[string]extSchema, len(s.external))
	for n, e := range s.external {
		ext[n] = e
	}
	s.mu.Unlock()
	if s.opts.Catalog != nil {
		for n, e := range ext {
			if !likeMatch(in.SchemaPattern, n) {
				continue
			}
			tds, err := s.opts.Catalog.Tables(ctx, e.Region, e.Database)
			if err != nil {
				continue
			}
			for _, td := range tds {
				if likeMatch(in.TablePattern, td.Name) {
					all = append(all, tableMember{Schema: n, Name: td.Name, Type: "EXTERNAL TABLE"})
				}
			}
		}
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].Schema != all[j].Schema {
			return all[i].Schema < all[j].Schema
		}
		return all[i].Name < all[j].Name
	})
	res, next, err := page(all, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	return &listTablesOutput{Tables: append([]tableMember{}, res...), NextToken: next}, nil
}

func (s *Service) describeTable(ctx context.Context, in *metaInput) (*describeTableOutput, error) {
	if err := s.checkMeta(in); err != nil {
		return nil, err
	}
	schema := in.Schema
	if schema == "" {
		schema = "public"
	}
	out := &describeTableOutput{ColumnList: []columnMetadata{}}
	if in.Table == "" {
		return out, nil
	}
	out.TableName = schema + "." + in.Table
	se, err := s.newSession(ctx, "awsuser", DefaultDatabase, 0)
	if err != nil {
		return nil, err
	}
	defer se.Close()
	st, err := se.Prepare(ctx, "SELECT * FROM "+quoteName(schema)+"."+quoteName(in.Table)+" LIMIT 0", nil)
	if err != nil {
		if pe, ok := err.(*pgwire.Error); ok && pe.Code == pgwire.CodeUndefinedTable {
			return out, nil // AWS answers an empty column list
		}
		return nil, err
	}
	var cols []columnMetadata
	for _, c := range st.Describe().Columns {
		m := colMeta(c)
		m.SchemaName, m.TableName = schema, in.Table
		cols = append(cols, m)
	}
	res, next, err := page(cols, in.MaxResults, in.NextToken)
	if err != nil {
		return nil, err
	}
	out.ColumnList, out.NextToken = append(out.ColumnList, res...), next
	return out, nil
}
