package warehouse

import "github.com/tarnhq/tarn/internal/table"

// The lake-table shapes are internal/table's, shared with Athena.
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

// Catalog is the part of the Glue Data Catalog external schemas read:
// table.Reader (a missing table or database wraps ErrTableNotFound or
// ErrDatabaseNotFound).
type Catalog = table.Reader

// Lake is the object store COPY reads and UNLOAD writes (a missing
// bucket wraps ErrNoSuchBucket).
type Lake = table.Files

// Sentinels a Lake or Catalog implementation wraps.
var (
	ErrNoSuchBucket     = table.ErrNoSuchBucket
	ErrTableNotFound    = table.ErrTableNotFound
	ErrDatabaseNotFound = table.ErrDatabaseNotFound
)
