package warehouse

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
	"github.com/tarnhq/tarn/internal/pgwire"
)

// parseS3 splits s3://bucket/prefix.
func parseS3(u string) (bucket, prefix string, err error) {
	rest, ok := strings.CutPrefix(u, "s3://")
	if !ok {
		return "", "", pgwire.Errorf(pgwire.CodeInvalidParameterValue, "Invalid S3 path %q: it must start with s3://", u)
	}
	bucket, prefix, _ = strings.Cut(rest, "/")
	if bucket == "" {
		return "", "", pgwire.Errorf(pgwire.CodeInvalidParameterValue, "Invalid S3 path %q: no bucket", u)
	}
	return bucket, prefix, nil
}

// lakeFiles lists the data files under an s3:// location: folder
// markers and empty objects are skipped.
func (s *Service) lakeFiles(ctx context.Context, location string) ([]File, error) {
	if s.opts.Lake == nil {
		return nil, pgwire.Errorf(pgwire.CodeFeatureNotSupported, "this warehouse has no lake configured")
	}
	bucket, prefix, err := parseS3(location)
	if err != nil {
		return nil, err
	}
	files, err := s.opts.Lake.Files(ctx, bucket, prefix)
	if errors.Is(err, ErrNoSuchBucket) {
		return nil, &pgwire.Error{Code: pgwire.CodeInternalError, Message: fmt.Sprintf("S3ServiceException:The specified bucket does not exist,Status 404,Error NoSuchBucket,Bucket %s", bucket)}
	}
	if err != nil {
		return nil, err
	}
	out := files[:0:0]
	for _, f := range files {
		if strings.HasSuffix(f.Key, "/") || f.Size == 0 || strings.HasSuffix(f.Key, "_$folder$") {
			continue
		}
		base := f.Key[strings.LastIndex(f.Key, "/")+1:]
		if strings.HasPrefix(base, "_") || strings.HasPrefix(base, ".") {
			continue // _SUCCESS, .crc and friends
		}
		out = append(out, f)
	}
	return out, nil
}

// pathList is a DuckDB list literal of local file paths.
func pathList(files []File) string {
	q := make([]string, len(files))
	for i, f := range files {
		q[i] = engine.Quote(f.Path)
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// hiveType maps a Glue (Hive) column type to DuckDB's.
func hiveType(t string) string {
	l := strings.ToLower(strings.TrimSpace(t))
	switch {
	case l == "string" || strings.HasPrefix(l, "varchar") || strings.HasPrefix(l, "char"):
		return "VARCHAR"
	case l == "int" || l == "integer":
		return "INTEGER"
	case l == "bigint" || l == "long":
		return "BIGINT"
	case l == "smallint":
		return "SMALLINT"
	case l == "tinyint":
		return "TINYINT"
	case l == "double":
		return "DOUBLE"
	case l == "float":
		return "FLOAT"
	case l == "boolean":
		return "BOOLEAN"
	case l == "date":
		return "DATE"
	case l == "timestamp":
		return "TIMESTAMP"
	case l == "binary":
		return "BLOB"
	case strings.HasPrefix(l, "decimal"):
		return strings.ToUpper(l)
	}
	return "" // nested: as the reader gives it
}
