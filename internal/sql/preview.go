package sql

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
)

// Preview's errors: the object does not exist, or DuckDB cannot read it
// as Parquet.
var (
	ErrNoSuchObject = errors.New("sql: no such object")
	ErrNotParquet   = errors.New("sql: not a readable Parquet object")
)

// maxPreviewRows bounds Preview's limit.
const maxPreviewRows = 1000

// Preview reads the first limit rows of one Parquet object of the lake
// on the sandboxed engine (the web console's object preview), with the
// columns' DuckDB types. Values are as database/sql scans them.
func (s *Service) Preview(ctx context.Context, bucket, key string, limit int) (cols, types []string, rows [][]any, err error) {
	if limit <= 0 || limit > maxPreviewRows {
		limit = maxPreviewRows
	}
	files, err := s.lake.Files(ctx, bucket, key)
	if err != nil {
		return nil, nil, nil, err
	}
	path := ""
	for _, f := range files {
		if f.Key == key {
			path = f.Path
		}
	}
	if path == "" {
		return nil, nil, nil, fmt.Errorf("%w: s3://%s/%s", ErrNoSuchObject, bucket, key)
	}
	r, err := s.eng.Query(ctx, fmt.Sprintf("SELECT * FROM read_parquet(%s) LIMIT %d", engine.Quote(path), limit))
	if err != nil {
		return nil, nil, nil, fmt.Errorf("%w: s3://%s/%s: %v", ErrNotParquet, bucket, key, err)
	}
	defer r.Close()
	cts, err := r.ColumnTypes()
	if err != nil {
		return nil, nil, nil, err
	}
	for _, c := range cts {
		cols = append(cols, c.Name())
		types = append(types, strings.ToLower(c.DatabaseTypeName()))
	}
	for r.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := r.Scan(ptrs...); err != nil {
			return nil, nil, nil, err
		}
		rows = append(rows, vals)
	}
	return cols, types, rows, r.Err()
}
