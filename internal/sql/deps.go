package sql

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

// PartitionDef is one Hive partition: its values in PartitionKeys order
// and its location (s3://bucket/prefix/).
type PartitionDef struct {
	Values   []string
	Location string
}

// Table formats.
const (
	FormatParquet = "parquet"
	FormatCSV     = "csv"
	FormatJSON    = "json"
)

// TableDef is a catalog table as the query engine needs it.
type TableDef struct {
	Database      string
	Name          string
	Columns       []Column
	PartitionKeys []Column
	Location      string // s3://bucket/prefix/
	Format        string // FormatParquet, FormatCSV or FormatJSON
	Delimiter     string // CSV field delimiter; "" means ","
	SkipHeader    int    // skip.header.line.count
	Partitions    []PartitionDef
	Parameters    map[string]string
	CreateTime    int64 // Unix seconds; 0 when unknown
	// ViewSQL, when set, makes this a view (Glue TableType VIRTUAL_VIEW):
	// its query in Athena's dialect; Columns are its result columns and
	// there is no Location.
	ViewSQL string
}

// ErrTableNotFound and ErrDatabaseNotFound are wrapped by Catalog
// implementations; ErrExists by CreateTable and CreateDatabase.
var (
	ErrTableNotFound    = errors.New("sql: table not found")
	ErrDatabaseNotFound = errors.New("sql: database not found")
	ErrExists           = errors.New("sql: already exists")
)

// Catalog is the part of the Glue Data Catalog Athena uses. Table and
// Tables return the partitions too. Implementations are safe for
// concurrent use.
type Catalog interface {
	Databases(ctx context.Context, region string) ([]string, error)
	CreateDatabase(ctx context.Context, region, name string) error
	DropDatabase(ctx context.Context, region, name string) error
	Table(ctx context.Context, region, db, name string) (*TableDef, error)
	Tables(ctx context.Context, region, db string) ([]TableDef, error)
	CreateTable(ctx context.Context, region string, t TableDef) error
	DropTable(ctx context.Context, region, db, name string) error
	AddPartitions(ctx context.Context, region, db, table string, parts []PartitionDef) error
}

// File is one lake object: its key, a local path DuckDB may read (inside
// one of Lake.LocalDirs) and its size.
type File struct {
	Key  string
	Path string
	Size int64
}

// ErrNoSuchBucket is wrapped by Lake implementations for a missing bucket.
var ErrNoSuchBucket = errors.New("sql: no such bucket")

// Lake is the object store. Files lists the objects under prefix in key
// order; Put stores an object (durably, as an S3 PUT); Get opens one.
type Lake interface {
	Files(ctx context.Context, bucket, prefix string) ([]File, error)
	Put(ctx context.Context, bucket, key string, r io.Reader, size int64, contentType string) error
	Get(ctx context.Context, bucket, key string) (io.ReadCloser, error)
	// LocalDirs are the directories Files' paths live in; the engine may
	// read them.
	LocalDirs() []string
}
