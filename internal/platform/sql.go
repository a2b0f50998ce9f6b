package platform

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/tarnhq/tarn/internal/catalog"
	"github.com/tarnhq/tarn/internal/s3"
	"github.com/tarnhq/tarn/internal/sql"
)

// queryLake lets the SQL engine read lake objects as local files and
// write query results and CTAS output through the S3 service. An object
// kept as one blob file is read in place; any other (multipart) is first
// copied to copies/, named by bucket, key and ETag, so a changed object
// gets a new copy.
type queryLake struct {
	s3     *s3.Service
	blobs  string // the lake's blob directory
	copies string // materialized multipart objects
}

var (
	_ sql.Lake      = (*queryLake)(nil)
	_ sql.BatchLake = (*queryLake)(nil)
)

func (l *queryLake) LocalDirs() []string { return []string{l.blobs, l.copies} }

func (l *queryLake) Files(ctx context.Context, bucket, prefix string) ([]sql.File, error) {
	objs, err := l.s3.ListInternal(ctx, bucket, prefix)
	if errors.Is(err, s3.ErrNoSuchBucket) {
		return nil, fmt.Errorf("%w: %s", sql.ErrNoSuchBucket, bucket)
	}
	if err != nil {
		return nil, err
	}
	files := make([]sql.File, 0, len(objs))
	for _, o := range objs {
		path, info, ok, err := l.s3.LocalPath(bucket, o.Key)
		if errors.Is(err, s3.ErrNoSuchKey) {
			continue // deleted since the listing
		}
		if err != nil {
			return nil, err
		}
		if !ok {
			if path, err = l.copy(ctx, bucket, info); err != nil {
				return nil, err
			}
		}
		files = append(files, sql.File{Key: o.Key, Path: path, Size: info.Size})
	}
	return files, nil
}

// copy materializes an object that is not one file.
func (l *queryLake) copy(ctx context.Context, bucket string, info s3.ObjectInfo) (string, error) {
	sum := sha256.Sum256([]byte(bucket + "\x00" + info.Key + "\x00" + info.ETag + "\x00" + strconv.FormatInt(info.Size, 10)))
	path := filepath.Join(l.copies, hex.EncodeToString(sum[:16]))
	if st, err := os.Stat(path); err == nil && st.Size() == info.Size {
		return path, nil
	}
	rd, _, err := l.s3.OpenInternal(ctx, bucket, info.Key)
	if err != nil {
		return "", err
	}
	defer rd.Close()
	if err := os.MkdirAll(l.copies, 0o755); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(l.copies, ".part-*")
	if err != nil {
		return "", err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, io.NewSectionReader(rd, 0, rd.Size())); err != nil {
		tmp.Close()
		return "", fmt.Errorf("copy s3://%s/%s for the SQL engine: %w", bucket, info.Key, err)
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	return path, os.Rename(tmp.Name(), path)
}

func (l *queryLake) Put(ctx context.Context, bucket, key string, r io.Reader, size int64, contentType string) error {
	err := l.s3.PutObjectInternal(ctx, bucket, key, r, size, contentType)
	if errors.Is(err, s3.ErrNoSuchBucket) {
		return fmt.Errorf("%w: %s", sql.ErrNoSuchBucket, bucket)
	}
	return err
}

// PutAll commits files as one atomic multi-object put
// (s3.PutObjectsInternal): all of them are visible or none, across a
// crash too.
func (l *queryLake) PutAll(ctx context.Context, bucket string, files []sql.LocalFile) error {
	objs := make([]s3.InternalObject, len(files))
	for i, f := range files {
		fh, err := os.Open(f.Path)
		if err != nil {
			closeBodies(objs[:i])
			return err
		}
		objs[i] = s3.InternalObject{Key: f.Key, Body: fh, Size: f.Size, ContentType: f.ContentType}
	}
	defer closeBodies(objs)
	err := l.s3.PutObjectsInternal(ctx, bucket, objs)
	if errors.Is(err, s3.ErrNoSuchBucket) {
		return fmt.Errorf("%w: %s", sql.ErrNoSuchBucket, bucket)
	}
	return err
}

func closeBodies(objs []s3.InternalObject) {
	for _, o := range objs {
		if c, ok := o.Body.(io.Closer); ok {
			c.Close()
		}
	}
}

func (l *queryLake) Get(ctx context.Context, bucket, key string) (io.ReadCloser, error) {
	rd, _, err := l.s3.OpenInternal(ctx, bucket, key)
	if errors.Is(err, s3.ErrNoSuchBucket) {
		return nil, fmt.Errorf("%w: %s", sql.ErrNoSuchBucket, bucket)
	}
	if err != nil {
		return nil, err
	}
	return struct {
		io.Reader
		io.Closer
	}{io.NewSectionReader(rd, 0, rd.Size()), rd}, nil
}

// virtualView is the Glue TableType of views (Athena's CREATE VIEW).
const virtualView = "VIRTUAL_VIEW"

// queryCatalog is the Glue catalog as the SQL engine sees it.
type queryCatalog struct{ c *catalog.Service }

var _ sql.Catalog = queryCatalog{}

func (q queryCatalog) Databases(ctx context.Context, region string) ([]string, error) {
	dbs, err := q.c.ListDatabases(ctx, region)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(dbs))
	for i, d := range dbs {
		names[i] = d.Name
	}
	return names, nil
}

func (q queryCatalog) CreateDatabase(ctx context.Context, region, name string) error {
	err := q.c.CreateDatabase(ctx, region, catalog.Database{Name: name})
	if errors.Is(err, catalog.ErrAlreadyExists) {
		return fmt.Errorf("%w: database %s", sql.ErrExists, name)
	}
	return err
}

func (q queryCatalog) DropDatabase(ctx context.Context, region, name string) error {
	err := q.c.DeleteDatabase(ctx, region, name)
	if errors.Is(err, catalog.ErrNotFound) {
		return fmt.Errorf("%w: %s", sql.ErrDatabaseNotFound, name)
	}
	return err
}

func (q queryCatalog) Table(ctx context.Context, region, db, name string) (*sql.TableDef, error) {
	t, err := q.c.GetTable(ctx, region, db, name)
	if err != nil {
		return nil, q.notFound(ctx, region, db, name, err)
	}
	def, err := q.tableDef(ctx, region, db, t)
	if err != nil {
		return nil, err
	}
	return &def, nil
}

func (q queryCatalog) Tables(ctx context.Context, region, db string) ([]sql.TableDef, error) {
	ts, err := q.c.ListTables(ctx, region, db)
	if err != nil {
		return nil, q.notFound(ctx, region, db, "", err)
	}
	defs := make([]sql.TableDef, 0, len(ts))
	for i := range ts {
		def, err := q.tableDef(ctx, region, db, &ts[i])
		if err != nil {
			return nil, err
		}
		defs = append(defs, def)
	}
	return defs, nil
}

// notFound maps the catalog's one "not found" to the database's or the
// table's.
func (q queryCatalog) notFound(ctx context.Context, region, db, table string, err error) error {
	if !errors.Is(err, catalog.ErrNotFound) {
		return err
	}
	if _, derr := q.c.GetDatabase(ctx, region, db); errors.Is(derr, catalog.ErrNotFound) || table == "" {
		return fmt.Errorf("%w: %s", sql.ErrDatabaseNotFound, db)
	}
	return fmt.Errorf("%w: %s.%s", sql.ErrTableNotFound, db, table)
}

func (q queryCatalog) tableDef(ctx context.Context, region, db string, t *catalog.Table) (sql.TableDef, error) {
	def := sql.TableDef{Database: db, Name: t.Name, Format: t.Format(), Parameters: t.Parameters,
		PartitionKeys: sqlColumns(nil, t.PartitionKeys)}
	if t.TableType == virtualView {
		def.ViewSQL, def.Format = t.ViewOriginalText, ""
	}
	if sd := t.StorageDescriptor; sd != nil {
		def.Location, def.Columns = sd.Location, sqlColumns(nil, sd.Columns)
	}
	if def.Format == sql.FormatCSV {
		o := t.CSVOptions()
		def.Delimiter, def.SkipHeader = o.Delimiter, o.SkipHeader
	}
	if t.CreateTime != nil {
		def.CreateTime = t.CreateTime.Time().Unix()
	}
	if len(t.PartitionKeys) == 0 {
		return def, nil
	}
	parts, err := q.c.GetPartitions(ctx, region, db, t.Name)
	if err != nil {
		return def, err
	}
	for _, p := range parts {
		loc := ""
		if p.StorageDescriptor != nil {
			loc = p.StorageDescriptor.Location
		}
		def.Partitions = append(def.Partitions, sql.PartitionDef{Values: p.Values, Location: loc})
	}
	return def, nil
}

func sqlColumns(dst []sql.Column, cols []catalog.Column) []sql.Column {
	for _, c := range cols {
		dst = append(dst, sql.Column{Name: c.Name, Type: c.Type, Comment: c.Comment})
	}
	return dst
}

func (q queryCatalog) CreateTable(ctx context.Context, region string, def sql.TableDef) error {
	sd := storageOf(def, def.Location)
	for _, c := range def.Columns {
		sd.Columns = append(sd.Columns, catalog.Column{Name: c.Name, Type: c.Type, Comment: c.Comment})
	}
	t := catalog.Table{Name: def.Name, TableType: "EXTERNAL_TABLE", StorageDescriptor: sd, Parameters: def.Parameters}
	if def.ViewSQL != "" {
		// Views keep their Athena SQL as the view text; they have columns
		// but no location or format.
		sd.Location, sd.InputFormat, sd.OutputFormat, sd.SerdeInfo = "", "", "", nil
		t.TableType, t.ViewOriginalText, t.ViewExpandedText = virtualView, def.ViewSQL, "/* Presto View */"
	}
	for _, c := range def.PartitionKeys {
		t.PartitionKeys = append(t.PartitionKeys, catalog.Column{Name: c.Name, Type: c.Type, Comment: c.Comment})
	}
	if t.Parameters == nil {
		t.Parameters = map[string]string{}
	}
	if def.Format != "" {
		t.Parameters["classification"] = def.Format
	}
	if def.SkipHeader > 0 {
		t.Parameters["skip.header.line.count"] = strconv.Itoa(def.SkipHeader)
	}
	err := q.c.CreateTable(ctx, region, def.Database, t)
	switch {
	case errors.Is(err, catalog.ErrAlreadyExists):
		return fmt.Errorf("%w: table %s.%s", sql.ErrExists, def.Database, def.Name)
	case err != nil:
		return q.notFound(ctx, region, def.Database, "", err)
	}
	if len(def.Partitions) > 0 {
		return q.AddPartitions(ctx, region, def.Database, def.Name, def.Partitions)
	}
	return nil
}

// storageOf is the StorageDescriptor Athena writes for a table (or a
// partition at location) of def's format.
func storageOf(def sql.TableDef, location string) *catalog.StorageDescriptor {
	sd := &catalog.StorageDescriptor{Location: location, NumberOfBuckets: -1}
	switch def.Format {
	case sql.FormatParquet:
		sd.InputFormat, sd.OutputFormat = catalog.ParquetInputFormat, catalog.ParquetOutputFormat
		sd.SerdeInfo = &catalog.SerDeInfo{SerializationLibrary: catalog.ParquetSerDe, Parameters: map[string]string{"serialization.format": "1"}}
	case sql.FormatJSON:
		sd.InputFormat, sd.OutputFormat = catalog.TextInputFormat, catalog.TextOutputFormat
		sd.SerdeInfo = &catalog.SerDeInfo{SerializationLibrary: catalog.OpenXJSONSerDe}
	default:
		delim := def.Delimiter
		if delim == "" {
			delim = ","
		}
		sd.InputFormat, sd.OutputFormat = catalog.TextInputFormat, catalog.TextOutputFormat
		sd.SerdeInfo = &catalog.SerDeInfo{SerializationLibrary: catalog.LazySimpleSerDe,
			Parameters: map[string]string{"field.delim": delim, "serialization.format": delim}}
	}
	return sd
}

func (q queryCatalog) DropTable(ctx context.Context, region, db, name string) error {
	if err := q.c.DeleteTable(ctx, region, db, name); err != nil {
		return q.notFound(ctx, region, db, name, err)
	}
	return nil
}

func (q queryCatalog) AddPartitions(ctx context.Context, region, db, table string, parts []sql.PartitionDef) error {
	t, err := q.c.GetTable(ctx, region, db, table)
	if err != nil {
		return q.notFound(ctx, region, db, table, err)
	}
	def := sql.TableDef{Format: t.Format()}
	if def.Format == sql.FormatCSV {
		def.Delimiter = t.CSVOptions().Delimiter
	}
	cps := make([]catalog.Partition, len(parts))
	for i, p := range parts {
		sd := storageOf(def, p.Location)
		if t.StorageDescriptor != nil {
			sd.Columns = t.StorageDescriptor.Columns
		}
		cps[i] = catalog.Partition{Values: p.Values, StorageDescriptor: sd}
	}
	return q.c.AddPartitions(ctx, region, db, table, cps)
}
