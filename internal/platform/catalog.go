package platform

import (
	"context"
	"errors"
	"fmt"

	"github.com/tarnhq/tarn/internal/blob"
	"github.com/tarnhq/tarn/internal/catalog"
	"github.com/tarnhq/tarn/internal/columnar"
	"github.com/tarnhq/tarn/internal/firehose"
	"github.com/tarnhq/tarn/internal/s3"
)

// crawlerLake lets the catalog's crawlers read the lake through the S3
// service.
type crawlerLake struct{ s3 *s3.Service }

var _ catalog.Lake = crawlerLake{}

func (l crawlerLake) List(ctx context.Context, bucket, prefix string) ([]catalog.Object, error) {
	objs, err := l.s3.ListInternal(ctx, bucket, prefix)
	if err != nil {
		return nil, err
	}
	out := make([]catalog.Object, len(objs))
	for i, o := range objs {
		out[i] = catalog.Object{Key: o.Key, Size: o.Size, LastModified: o.LastModified}
	}
	return out, nil
}

func (l crawlerLake) Open(ctx context.Context, bucket, key string) (catalog.File, error) {
	rd, _, err := l.s3.OpenInternal(ctx, bucket, key)
	if err != nil {
		return nil, err
	}
	return blobFile{rd}, nil
}

// blobFile is an open object as a catalog.File.
type blobFile struct{ blob.Reader }

// catalogSchemas resolves Firehose's data-format-conversion schemas from
// Glue tables (SchemaConfiguration), with the column types the columnar
// writer supports.
type catalogSchemas struct{ c *catalog.Service }

var _ firehose.SchemaSource = catalogSchemas{}

func (s catalogSchemas) TableSchema(ctx context.Context, ref firehose.SchemaRef) (columnar.Schema, error) {
	t, err := s.c.GetTable(ctx, ref.Region, ref.DatabaseName, ref.TableName)
	if errors.Is(err, catalog.ErrNotFound) {
		return nil, fmt.Errorf("%w: %s: %w", firehose.ErrSchemaNotFound, ref, err)
	}
	if err != nil {
		return nil, err
	}
	if t.StorageDescriptor == nil || len(t.StorageDescriptor.Columns) == 0 {
		return nil, fmt.Errorf("glue table %s has no columns", ref)
	}
	schema := make(columnar.Schema, 0, len(t.StorageDescriptor.Columns))
	for _, c := range t.StorageDescriptor.Columns {
		typ, ok := columnar.ParseType(c.Type)
		if !ok {
			return nil, fmt.Errorf("glue table %s: column %s has type %s, which tarn's Parquet conversion does not support (string, int, bigint, double, boolean, timestamp, date)", ref, c.Name, c.Type)
		}
		schema = append(schema, columnar.Column{Name: c.Name, Type: typ})
	}
	return schema, nil
}
