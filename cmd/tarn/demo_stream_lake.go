package main

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	_ "github.com/duckdb/duckdb-go/v2" // reads the delivered Parquet back
)

// awaitLake polls the lake until every event id in want (which it
// empties) has been delivered under stream/, checking each object once
// (objects are immutable): every line is an event put, none twice, each in
// the partition of its own date, and nothing lands under the error prefix.
// It returns the summary and when the last record became readable.
func (c *streamClient) awaitLake(ctx context.Context, out io.Writer, want map[string]bool) (streamSummary, time.Time, error) {
	var s streamSummary
	bar := newProgress(out, "delivery", int64(len(want)), countUnit("records"))
	defer bar.Finish()
	seen := map[string]bool{}
	parts := map[string]bool{}
	total := len(want)
	deadline := time.Now().Add(deliverTimeout)
	tick := time.NewTicker(lakePoll)
	defer tick.Stop()
	for {
		pages := s3.NewListObjectsV2Paginator(c.s3, &s3.ListObjectsV2Input{Bucket: aws.String(demoBucket), Prefix: aws.String(streamPrefix)})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				return s, time.Time{}, fmt.Errorf("list s3://%s/%s: %w", demoBucket, streamPrefix, err)
			}
			for _, obj := range page.Contents {
				key := aws.ToString(obj.Key)
				if seen[key] {
					continue
				}
				seen[key] = true
				body, err := c.get(ctx, key)
				if err != nil {
					return s, time.Time{}, err
				}
				if strings.HasPrefix(key, streamErrorPfx) {
					first, _, _ := strings.Cut(string(body), "\n")
					return s, time.Time{}, fmt.Errorf("firehose wrote failed records to s3://%s/%s: %.300s", demoBucket, key, first)
				}
				dt, n, err := checkStreamObject(key, body, want)
				if err != nil {
					return s, time.Time{}, err
				}
				parts[dt] = true
				s.files++
				s.bytes += int64(len(body))
				bar.Add(int64(n))
			}
		}
		if len(want) == 0 {
			s.parts = len(parts)
			return s, time.Now(), nil
		}
		if time.Now().After(deadline) {
			return s, time.Time{}, fmt.Errorf("delivery timed out after %s: %d of %d records readable under s3://%s/%s",
				deliverTimeout, total-len(want), total, demoBucket, streamDataPfx)
		}
		select {
		case <-tick.C:
		case <-ctx.Done():
			return s, time.Time{}, ctx.Err()
		}
	}
}

// checkStreamObject checks a delivered object is a Parquet file of events
// still pending in want (and removes them), each from the date its dt=
// partition names; it returns the date and the number of records.
func checkStreamObject(key string, body []byte, want map[string]bool) (string, int, error) {
	rest, ok := strings.CutPrefix(key, streamDataPfx+"dt=")
	dt, _, ok2 := strings.Cut(rest, "/")
	if !ok || !ok2 || len(dt) != 10 || !strings.HasSuffix(key, ".parquet") {
		return "", 0, fmt.Errorf("unexpected object s3://%s/%s", demoBucket, key)
	}
	recs, err := parquetEvents(body)
	if err != nil {
		return "", 0, fmt.Errorf("s3://%s/%s: %w", demoBucket, key, err)
	}
	for _, r := range recs {
		switch {
		case r.day != dt:
			return "", 0, fmt.Errorf("s3://%s/%s holds an event of %s", demoBucket, key, r.day)
		case !want[r.id]:
			return "", 0, fmt.Errorf("s3://%s/%s: event %q was not put or is delivered twice", demoBucket, key, r.id)
		}
		delete(want, r.id)
	}
	return dt, len(recs), nil
}

type deliveredEvent struct{ id, day string }

// parquetEvents reads the event ids and days of a delivered Parquet file
// with an in-process DuckDB, as any Parquet reader would.
func parquetEvents(body []byte) ([]deliveredEvent, error) {
	f, err := os.CreateTemp("", "tarn-demo-*.parquet")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	if _, err := f.Write(body); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, err
	}
	defer db.Close()
	rows, err := db.Query(`SELECT event_id, strftime(ts, '%Y-%m-%d') FROM read_parquet(?)`, f.Name())
	if err != nil {
		return nil, fmt.Errorf("not a Parquet file of events: %w", err)
	}
	defer rows.Close()
	var out []deliveredEvent
	for rows.Next() {
		var e deliveredEvent
		if err := rows.Scan(&e.id, &e.day); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func (c *streamClient) get(ctx context.Context, key string) ([]byte, error) {
	got, err := c.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(demoBucket), Key: aws.String(key)})
	if err != nil {
		return nil, fmt.Errorf("get s3://%s/%s: %w", demoBucket, key, err)
	}
	defer got.Body.Close()
	body, err := io.ReadAll(got.Body)
	if err != nil {
		return nil, fmt.Errorf("read s3://%s/%s: %w", demoBucket, key, err)
	}
	return body, nil
}

// deletePrefix removes every object under prefix (an earlier run's output).
func (c *streamClient) deletePrefix(ctx context.Context, prefix string) error {
	pages := s3.NewListObjectsV2Paginator(c.s3, &s3.ListObjectsV2Input{Bucket: aws.String(demoBucket), Prefix: aws.String(prefix)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("list s3://%s/%s: %w", demoBucket, prefix, err)
		}
		if len(page.Contents) == 0 {
			continue
		}
		ids := make([]s3types.ObjectIdentifier, len(page.Contents))
		for i, o := range page.Contents {
			ids[i] = s3types.ObjectIdentifier{Key: o.Key}
		}
		if _, err := c.s3.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String(demoBucket),
			Delete: &s3types.Delete{Objects: ids, Quiet: aws.Bool(true)}}); err != nil {
			return fmt.Errorf("delete old objects under s3://%s/%s: %w", demoBucket, prefix, err)
		}
	}
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
