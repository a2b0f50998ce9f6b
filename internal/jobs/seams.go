package jobs

import (
	"context"
	"errors"
	"time"
)

// ErrNoSuchObject is what a Lake's Get wraps when the object is missing.
var ErrNoSuchObject = errors.New("jobs: no such object")

// SQLRequest is one statement of a SQL job, arguments already substituted.
type SQLRequest struct {
	Region, Database string
	// Engine is "athena" (the lake through the Glue catalog; the default)
	// or "warehouse" (the Redshift-style warehouse).
	Engine    string
	Statement string
	// Files, when non-nil, is asked about every lake object the statement
	// would read; only objects it answers true for may be read. Bookmarks
	// use it. It is safe for concurrent use.
	Files func(bucket, key string) bool
}

// SQLResult is what one statement did.
type SQLResult struct {
	QueryID string
	Rows    int64
}

// SQLRunner runs the statements of SQL jobs. Exec must honour ctx (a
// run's timeout and BatchStopJobRun cancel it).
type SQLRunner interface {
	Exec(ctx context.Context, req SQLRequest) (SQLResult, error)
}

// Lake reads job scripts.
type Lake interface {
	// Get returns the object's bytes; its error wraps ErrNoSuchObject when
	// the object does not exist.
	Get(ctx context.Context, bucket, key string) ([]byte, error)
}

// LogLine is one log event.
type LogLine struct {
	Time    time.Time
	Message string
}

// LogWriter receives run output: group /aws-glue/jobs/output or
// /aws-glue/jobs/error, stream = the JobRunId. It creates the group and
// stream when missing.
type LogWriter interface {
	Put(ctx context.Context, region, group, stream string, lines []LogLine) error
}

// CrawlerStatus is what a trigger needs to know of a crawler.
type CrawlerStatus struct {
	State            string    // READY | RUNNING | STOPPING
	LastCrawl        string    // SUCCEEDED | FAILED | CANCELLED | "" (never crawled)
	LastCrawlStarted time.Time // start of the last crawl; zero if none
}

// Crawlers starts and watches Glue crawlers for triggers and workflows.
type Crawlers interface {
	StartCrawler(ctx context.Context, region, name string) error
	CrawlerStatus(ctx context.Context, region, name string) (CrawlerStatus, error)
}
