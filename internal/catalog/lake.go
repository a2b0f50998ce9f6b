package catalog

import (
	"context"
	"io"
	"time"
)

// Lake is what crawlers read: the platform implements it over tarn's S3
// service. Safe for concurrent use.
type Lake interface {
	// List returns every object under prefix of bucket, in key order. An
	// unknown bucket is an error.
	List(ctx context.Context, bucket, prefix string) ([]Object, error)
	// Open opens one object for random access; the caller closes it.
	Open(ctx context.Context, bucket, key string) (File, error)
}

// Object is one listed object.
type Object struct {
	Key          string
	Size         int64
	LastModified time.Time
}

// File is an open object.
type File interface {
	io.ReaderAt
	io.Closer
	Size() int64
}

// SampleLimits bound what a crawl reads of each file.
type SampleLimits struct {
	// Bytes is how much of a CSV or JSON file (after decompression) is
	// read to infer its schema; 0 means DefaultSampleBytes.
	Bytes int64
	// Rows is how many records of a CSV or JSON file are inspected; 0
	// means DefaultSampleRows.
	Rows int
	// FilesPerFolder is how many files of one folder are inspected (the
	// first ones in key order; all are counted); 0 means
	// DefaultSampleFiles.
	FilesPerFolder int
}

// Sampling defaults.
const (
	DefaultSampleBytes = 1 << 20
	DefaultSampleRows  = 1000
	DefaultSampleFiles = 100
)

func (l SampleLimits) withDefaults() SampleLimits {
	if l.Bytes <= 0 {
		l.Bytes = DefaultSampleBytes
	}
	if l.Rows <= 0 {
		l.Rows = DefaultSampleRows
	}
	if l.FilesPerFolder <= 0 {
		l.FilesPerFolder = DefaultSampleFiles
	}
	return l
}
