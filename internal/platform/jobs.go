package platform

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/tarnhq/tarn/internal/catalog"
	"github.com/tarnhq/tarn/internal/jobs"
	"github.com/tarnhq/tarn/internal/jobs/emr"
	"github.com/tarnhq/tarn/internal/logs"
	"github.com/tarnhq/tarn/internal/s3"
	"github.com/tarnhq/tarn/internal/sql"
	"github.com/tarnhq/tarn/internal/warehouse"
)

// maxScript bounds a job script or step file read from the lake.
const maxScript = 16 << 20

// jobsSQL runs Glue job and EMR step statements: on the Athena engine
// (as in-process queries that show in Athena's history, results under
// s3://aws-glue-assets-ACCOUNT-REGION/... as Glue's own temp dir would be)
// or, for Glue jobs with --engine warehouse, on the warehouse.
type jobsSQL struct {
	athena    *sql.Service
	warehouse *warehouse.Service
	output    func(region string) string
}

func (j jobsSQL) exec(ctx context.Context, region, database, engine, statement string, files func(bucket, key string) bool) (string, int64, error) {
	switch engine {
	case "", "athena":
		out, err := j.athena.Exec(ctx, sql.ExecInput{Region: region, Database: database, OutputLocation: j.output(region),
			Query: statement, Files: files})
		rows := out.Rows
		if out.UpdateCount > 0 {
			rows = out.UpdateCount
		}
		return out.QueryExecutionID, rows, err
	case "warehouse":
		if files != nil {
			return "", 0, errors.New("job bookmarks apply to lake tables read on the athena engine, not to the warehouse")
		}
		db := database
		if db == "default" {
			db = ""
		}
		n, err := j.warehouse.Exec(ctx, db, statement)
		return "", n, err
	}
	return "", 0, fmt.Errorf("unknown engine %q (athena or warehouse)", engine)
}

// glueSQL is jobsSQL as Glue jobs call it.
type glueSQL struct{ jobsSQL }

func (g glueSQL) Exec(ctx context.Context, r jobs.SQLRequest) (jobs.SQLResult, error) {
	id, n, err := g.exec(ctx, r.Region, r.Database, r.Engine, r.Statement, r.Files)
	return jobs.SQLResult{QueryID: id, Rows: n}, err
}

// emrSQL is jobsSQL as EMR steps call it.
type emrSQL struct{ jobsSQL }

func (e emrSQL) Exec(ctx context.Context, r emr.SQLRequest) (emr.SQLResult, error) {
	id, n, err := e.exec(ctx, r.Region, r.Database, r.Engine, r.Statement, nil)
	return emr.SQLResult{QueryID: id, Rows: n}, err
}

// jobsLake reads scripts from and writes step logs into the lake.
type jobsLake struct{ s3 *s3.Service }

func (l jobsLake) Get(ctx context.Context, bucket, key string) ([]byte, error) {
	rd, info, err := l.s3.OpenInternal(ctx, bucket, key)
	if errors.Is(err, s3.ErrNoSuchKey) || errors.Is(err, s3.ErrNoSuchBucket) {
		return nil, fmt.Errorf("%w: s3://%s/%s", jobs.ErrNoSuchObject, bucket, key)
	}
	if err != nil {
		return nil, err
	}
	defer rd.Close()
	if info.Size > maxScript {
		return nil, fmt.Errorf("s3://%s/%s is %d bytes, over tarn's %d for a script", bucket, key, info.Size, maxScript)
	}
	return io.ReadAll(io.NewSectionReader(rd, 0, rd.Size()))
}

func (l jobsLake) Put(ctx context.Context, bucket, key string, body []byte) error {
	return l.s3.PutObjectInternal(ctx, bucket, key, bytes.NewReader(body), int64(len(body)), "application/octet-stream")
}

// jobLogs writes Glue run output into CloudWatch Logs.
type jobLogs struct{ logs *logs.Service }

func (l jobLogs) Put(ctx context.Context, region, group, stream string, lines []jobs.LogLine) error {
	evs := make([]logs.Event, len(lines))
	for i, ln := range lines {
		evs[i] = logs.Event{Time: ln.Time, Message: ln.Message}
	}
	return l.logs.Put(ctx, region, group, stream, evs)
}

// jobCrawlers lets Glue triggers and workflows start and watch crawlers.
type jobCrawlers struct{ c *catalog.Service }

func (j jobCrawlers) StartCrawler(ctx context.Context, region, name string) error {
	return j.c.StartCrawler(ctx, region, name)
}

func (j jobCrawlers) CrawlerStatus(ctx context.Context, region, name string) (jobs.CrawlerStatus, error) {
	c, err := j.c.CrawlerState(ctx, region, name)
	if err != nil {
		return jobs.CrawlerStatus{}, err
	}
	st := jobs.CrawlerStatus{State: c.State}
	if c.LastCrawl != nil {
		st.LastCrawl = c.LastCrawl.Status
		if c.LastCrawl.StartTime != nil {
			st.LastCrawlStarted = time.Time(*c.LastCrawl.StartTime)
		}
	}
	return st, nil
}
