package sql

import (
	"context"
	"io"

	"github.com/tarnhq/tarn/internal/table"
)

// The lake-table shapes are internal/table's, shared with the warehouse.
type (
	Column       = table.Column
	PartitionDef = table.Partition
	TableDef     = table.Def
	File         = table.File
)

// Table formats.
const (
	FormatParquet = table.FormatParquet
	FormatCSV     = table.FormatCSV
	FormatJSON    = table.FormatJSON
)

// ErrTableNotFound and ErrDatabaseNotFound are wrapped by Catalog
// implementations; ErrExists by CreateTable and CreateDatabase;
// ErrNoSuchBucket by Lake implementations for a missing bucket.
var (
	ErrTableNotFound    = table.ErrTableNotFound
	ErrDatabaseNotFound = table.ErrDatabaseNotFound
	ErrExists           = table.ErrExists
	ErrNoSuchBucket     = table.ErrNoSuchBucket
)

// Catalog is the part of the Glue Data Catalog Athena uses. Table and
// Tables return the partitions too. Implementations are safe for
// concurrent use.
type Catalog interface {
	table.Reader
	Databases(ctx context.Context, region string) ([]string, error)
	CreateDatabase(ctx context.Context, region, name string) error
	DropDatabase(ctx context.Context, region, name string) error
	CreateTable(ctx context.Context, region string, t TableDef) error
	DropTable(ctx context.Context, region, db, name string) error
	AddPartitions(ctx context.Context, region, db, table string, parts []PartitionDef) error
}

// Lake is the object store: table.Files, and Get opens one object (query
// results are read back from the lake).
type Lake interface {
	table.Files
	Get(ctx context.Context, bucket, key string) (io.ReadCloser, error)
}

// LocalFile is one file of BatchLake.PutAll: the bytes of the local file
// at Path (Size of them) become the object Key. ContentType "" means the
// store's default.
type LocalFile struct {
	Key         string
	Path        string
	Size        int64
	ContentType string
}

// BatchLake is an optional ability of a Lake: PutAll stores every file
// under bucket atomically. After it returns nil all the objects are
// visible; after an error, or a crash at any moment, either all of them
// or none are (a crash may leave all of them although PutAll never
// returned). It wraps ErrNoSuchBucket for a missing bucket. CTAS, INSERT
// INTO and UNLOAD commit their files with it when the Lake has it, else
// one Put per file (see intent.go for what that costs after a crash).
type BatchLake interface {
	PutAll(ctx context.Context, bucket string, files []LocalFile) error
}
