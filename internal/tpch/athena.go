package tpch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	attypes "github.com/aws/aws-sdk-go-v2/service/athena/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// AthenaOptions configure NewAthena.
type AthenaOptions struct {
	Name           string // engine name; "" means "athena"
	Database       string // query context database; "" means "tpch"
	OutputLocation string // s3://bucket/prefix/ for results (required unless the work group has one)
	WorkGroup      string // "" means the primary work group
}

// Athena runs the Trino form of each query through the Athena API, as a
// user would: StartQueryExecution, GetQueryExecution until the query
// ends, then every page of GetQueryResults. It works with any Athena
// endpoint the client points at (tarn's or AWS's). Safe for concurrent
// use.
type Athena struct {
	c *athena.Client
	o AthenaOptions
}

var _ Engine = (*Athena)(nil)

// NewAthena returns an Engine over client.
func NewAthena(client *athena.Client, o AthenaOptions) *Athena {
	if o.Name == "" {
		o.Name = "athena"
	}
	if o.Database == "" {
		o.Database = "tpch"
	}
	return &Athena{c: client, o: o}
}

// Name is the name in AthenaOptions.
func (a *Athena) Name() string { return a.o.Name }

// ErrQueryFailed is wrapped by Athena.Run when the query ends FAILED or
// CANCELLED; the message carries Athena's StateChangeReason.
var ErrQueryFailed = errors.New("tpch: athena query failed")

// Run runs q.Trino and returns the number of result rows (without the
// header row Athena sends first for a SELECT).
func (a *Athena) Run(ctx context.Context, q Query) (int, error) {
	_, n, err := a.exec(ctx, q.Trino, true)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", q.Name, err)
	}
	return n, nil
}

// Exec runs one statement (DDL such as CREATE EXTERNAL TABLE) and waits
// for it to succeed.
func (a *Athena) Exec(ctx context.Context, sql string) error {
	_, _, err := a.exec(ctx, sql, false)
	return err
}

func (a *Athena) exec(ctx context.Context, sql string, read bool) (string, int, error) {
	in := &athena.StartQueryExecutionInput{QueryString: aws.String(sql),
		QueryExecutionContext: &attypes.QueryExecutionContext{Database: aws.String(a.o.Database)}}
	if a.o.OutputLocation != "" {
		in.ResultConfiguration = &attypes.ResultConfiguration{OutputLocation: aws.String(a.o.OutputLocation)}
	}
	if a.o.WorkGroup != "" {
		in.WorkGroup = aws.String(a.o.WorkGroup)
	}
	st, err := a.c.StartQueryExecution(ctx, in)
	if err != nil {
		return "", 0, err
	}
	id := aws.ToString(st.QueryExecutionId)
	// Poll every 2 ms: a client backing off (as SDK waiters do) would
	// measure its own sleeps, not the engine.
	const wait = 2 * time.Millisecond
	for {
		out, err := a.c.GetQueryExecution(ctx, &athena.GetQueryExecutionInput{QueryExecutionId: aws.String(id)})
		if err != nil {
			return id, 0, err
		}
		s := out.QueryExecution.Status
		switch s.State {
		case attypes.QueryExecutionStateSucceeded:
			if !read {
				return id, 0, nil
			}
			n, err := a.countResults(ctx, id)
			return id, n, err
		case attypes.QueryExecutionStateFailed, attypes.QueryExecutionStateCancelled:
			return id, 0, fmt.Errorf("%w: %s %s", ErrQueryFailed, s.State, aws.ToString(s.StateChangeReason))
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			a.c.StopQueryExecution(context.Background(), &athena.StopQueryExecutionInput{QueryExecutionId: aws.String(id)})
			return id, 0, ctx.Err()
		case <-t.C:
		}
	}
}

// countResults reads every page of the results and counts the data rows.
func (a *Athena) countResults(ctx context.Context, id string) (int, error) {
	p := athena.NewGetQueryResultsPaginator(a.c, &athena.GetQueryResultsInput{
		QueryExecutionId: aws.String(id), MaxResults: aws.Int32(1000)})
	n, first := 0, true
	for p.HasMorePages() {
		page, err := p.NextPage(ctx)
		if err != nil {
			return n, err
		}
		rows := page.ResultSet.Rows
		if first && len(rows) > 0 {
			rows = rows[1:] // the header row
		}
		first = false
		n += len(rows)
	}
	return n, nil
}

// UploadParquet creates bucket if needed and uploads the Parquet files of
// dir under prefix, one prefix per table (prefix/lineitem/lineitem-000.parquet).
func UploadParquet(ctx context.Context, c *s3.Client, dir, bucket, prefix string) error {
	_, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(bucket)})
	var owned *s3types.BucketAlreadyOwnedByYou
	var exists *s3types.BucketAlreadyExists
	if err != nil && !errors.As(err, &owned) && !errors.As(err, &exists) {
		return fmt.Errorf("tpch: create bucket %s: %w", bucket, err)
	}
	for _, t := range tableDefs {
		files, err := filepath.Glob(filepath.Join(dir, t.Name, "*.parquet"))
		if err != nil {
			return err
		}
		for _, f := range files {
			if err := putFile(ctx, c, f, bucket, strings.TrimPrefix(prefix+"/"+t.Name+"/"+filepath.Base(f), "/")); err != nil {
				return err
			}
		}
	}
	return nil
}

func putFile(ctx context.Context, c *s3.Client, path, bucket, key string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	_, err = c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(bucket), Key: aws.String(key),
		Body: f, ContentLength: aws.Int64(st.Size())})
	if err != nil {
		return fmt.Errorf("tpch: put s3://%s/%s: %w", bucket, key, err)
	}
	return nil
}

// CreateAthenaTables creates a's database and, through Athena DDL, the
// eight tables over the Parquet files under location (s3://bucket/prefix,
// as UploadParquet laid them out), replacing tables of the same names.
func CreateAthenaTables(ctx context.Context, a *Athena, location string) error {
	if err := a.Exec(ctx, "CREATE DATABASE IF NOT EXISTS "+a.o.Database); err != nil {
		return fmt.Errorf("tpch: create database: %w", err)
	}
	location = strings.TrimSuffix(location, "/")
	for _, t := range tableDefs {
		if err := a.Exec(ctx, "DROP TABLE IF EXISTS "+t.Name); err != nil {
			return fmt.Errorf("tpch: drop %s: %w", t.Name, err)
		}
		if err := a.Exec(ctx, t.CreateExternalTable(location+"/"+t.Name+"/")); err != nil {
			return fmt.Errorf("tpch: create %s: %w", t.Name, err)
		}
	}
	return nil
}
