package catalog

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// fileSchema is what a crawl learns from one file.
type fileSchema struct {
	format      string // "csv" | "json" | "parquet"
	compression string // "none" | "gzip"
	cols        []hfield
	csv         csvInfo // format "csv" only
	jsonPaths   []string
	// records is the number of records sampled (exact for Parquet);
	// sampled the uncompressed bytes they took, 0 when unknown.
	records int64
	sampled int64
	exact   bool // records is the file's whole count
}

// errUnclassified means a file is none of the formats tarn infers.
var errUnclassified = errors.New("catalog: file format not recognised")

// inferFile classifies and samples one file: Parquet by its footer, CSV
// and JSON (optionally gzip-compressed) from a bounded prefix.
func inferFile(ctx context.Context, lake Lake, bucket, key string, lim SampleLimits) (*fileSchema, error) {
	f, err := lake.Open(ctx, bucket, key)
	if err != nil {
		return nil, fmt.Errorf("open s3://%s/%s: %w", bucket, key, err)
	}
	defer f.Close()
	name := strings.ToLower(path.Base(key))
	size := f.Size()
	var head [4]byte
	n, _ := f.ReadAt(head[:], 0)
	if (n == 4 && string(head[:]) == "PAR1") || strings.HasSuffix(name, ".parquet") || strings.HasSuffix(name, ".parq") {
		return inferParquet(f, size)
	}
	var r io.Reader = io.NewSectionReader(f, 0, size)
	fs := &fileSchema{compression: "none"}
	if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b) || strings.HasSuffix(name, ".gz") {
		gz, err := gzip.NewReader(r)
		if err != nil {
			return nil, fmt.Errorf("gzip s3://%s/%s: %w", bucket, key, err)
		}
		defer gz.Close()
		r, fs.compression = gz, "gzip"
		name = strings.TrimSuffix(name, ".gz")
	}
	sample, truncated, err := readSample(r, lim.Bytes)
	if err != nil {
		return nil, fmt.Errorf("read s3://%s/%s: %w", bucket, key, err)
	}
	ext := path.Ext(name)
	trimmed := bytes.TrimLeft(sample, " \t\r\n\ufeff")
	looksJSON := len(trimmed) > 0 && (trimmed[0] == '{' || trimmed[0] == '[')
	switch {
	case ext == ".json" || ext == ".jsonl" || ext == ".ndjson" || (looksJSON && ext != ".csv" && ext != ".tsv"):
		if err := inferJSON(fs, sample, truncated, lim.Rows); err == nil {
			return fs, nil
		} else if ext == ".json" || ext == ".jsonl" || ext == ".ndjson" {
			return nil, err
		}
	}
	if err := inferCSV(fs, sample, truncated, lim.Rows); err != nil {
		return nil, err
	}
	return fs, nil
}

// readSample reads up to limit bytes; truncated reports more remained.
func readSample(r io.Reader, limit int64) ([]byte, bool, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return nil, false, err
	}
	if int64(len(b)) > limit {
		return b[:limit], true, nil
	}
	return b, false, nil
}
