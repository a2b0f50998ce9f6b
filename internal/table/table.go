// Package table is how tarn's SQL engines (Athena in internal/sql, the
// warehouse's external schemas in internal/warehouse) see a lake table:
// its catalog definition and its files. Services declare their Catalog
// and Lake interfaces over these shapes, so one platform adapter over the
// Glue catalog and the S3 service serves them all.
package table

import (
	"context"
	"errors"
	"io"
)

// Column is a table column; Type is a Hive/Glue type string such as
// "string", "bigint", "decimal(10,2)", "array<string>".
type Column struct {
	Name    string
	Type    string
	Comment string
}

// Partition is one Hive partition: its values in PartitionKeys order and
// its location (s3://bucket/prefix/).
type Partition struct {
	Values   []string
	Location string
}

// Table formats.
const (
	FormatParquet = "parquet"
	FormatCSV     = "csv"
	FormatJSON    = "json"
)

// Def is a catalog table as a query engine needs it.
type Def struct {
	Database      string
	Name          string
	Columns       []Column
	PartitionKeys []Column
	Location      string // s3://bucket/prefix/
	Format        string // FormatParquet, FormatCSV or FormatJSON
	Delimiter     string // CSV field delimiter; "" means ","
	SkipHeader    int    // skip.header.line.count
	Partitions    []Partition
	Parameters    map[string]string
	CreateTime    int64 // Unix seconds; 0 when unknown
	// ViewSQL, when set, makes this a view (Glue TableType VIRTUAL_VIEW):
	// its query in Athena's dialect; Columns are its result columns and
	// there is no Location.
	ViewSQL string
}

// Sentinels Catalog and Lake implementations wrap: a missing table or
// database, a name that exists already, a missing bucket.
var (
	ErrTableNotFound    = errors.New("table: table not found")
	ErrDatabaseNotFound = errors.New("table: database not found")
	ErrExists           = errors.New("table: already exists")
	ErrNoSuchBucket     = errors.New("table: no such bucket")
)

// Reader is the read side of the catalog. Table and Tables return the
// partitions too. Implementations are safe for concurrent use.
type Reader interface {
	Table(ctx context.Context, region, db, name string) (*Def, error)
	Tables(ctx context.Context, region, db string) ([]Def, error)
}

// File is one lake object: its key, a local path an engine may read
// (inside one of the lake's LocalDirs) and its size.
type File struct {
	Key  string
	Path string
	Size int64
}

// Files is the read and write side of the lake an engine needs. Files
// lists the objects under prefix in key order (a missing bucket wraps
// ErrNoSuchBucket); Put stores an object durably, as an S3 PUT;
// LocalDirs are the directories Files' paths live in.
type Files interface {
	Files(ctx context.Context, bucket, prefix string) ([]File, error)
	Put(ctx context.Context, bucket, key string, r io.Reader, size int64, contentType string) error
	LocalDirs() []string
}
