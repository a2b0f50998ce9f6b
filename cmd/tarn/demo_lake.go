package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tarnhq/tarn/internal/config"
	"github.com/tarnhq/tarn/internal/sample"
)

// lakeFile is one object the demo writes.
type lakeFile struct {
	dataset, day, key string
	body              []byte
	rows              int
}

// lakeFiles lays the sample out as Hive-partitioned JSON-lines files.
func lakeFiles(events []sample.Event, orders []sample.Order, perFile int) []lakeFile {
	var files []lakeFile
	for _, part := range sample.PartitionByDay(events, perFile) {
		for i, rows := range part.Parts {
			files = append(files, lakeFile{dataset: "clickstream", day: part.Day, rows: len(rows),
				key:  fmt.Sprintf("clickstream/dt=%s/part-%d.json", part.Day, i),
				body: sample.JSONLines(rows)})
		}
	}
	byDay := map[string][]sample.Order{}
	for _, o := range orders {
		d := o.TS.UTC().Format("2006-01-02")
		byDay[d] = append(byDay[d], o)
	}
	days := make([]string, 0, len(byDay))
	for d := range byDay {
		days = append(days, d)
	}
	sort.Strings(days)
	for _, d := range days {
		files = append(files, lakeFile{dataset: "orders", day: d, rows: len(byDay[d]),
			key: fmt.Sprintf("orders/dt=%s/part-0.json", d), body: sample.JSONLines(byDay[d])})
	}
	return files
}

// lastDay is the latest day of the files (they are laid out by day).
func lastDay(files []lakeFile) string {
	last := ""
	for _, f := range files {
		last = max(last, f.day)
	}
	return last
}

// lakeClient talks to the demo's tarn through the real S3 API.
type lakeClient struct{ s3 *s3.Client }

func newLakeClient(endpoint string, cfg config.Config) *lakeClient {
	return &lakeClient{s3: s3.New(s3.Options{
		Region:       cfg.Region,
		BaseEndpoint: aws.String(endpoint),
		UsePathStyle: true,
		Credentials:  credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, ""),
	})}
}

const uploadWorkers = 4

// upload PUTs every file into the raw bucket, several at a time.
func (l *lakeClient) upload(ctx context.Context, out io.Writer, files []lakeFile) error {
	var total int64
	for _, f := range files {
		total += int64(len(f.body))
	}
	bar := newProgress(out, "upload", total, humanBytes)
	work := make(chan lakeFile)
	errs := make(chan error, uploadWorkers)
	var wg sync.WaitGroup
	for range uploadWorkers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for f := range work {
				_, err := l.s3.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(demoBucket),
					Key: aws.String(f.key), Body: bytes.NewReader(f.body), ContentType: aws.String("application/x-ndjson")})
				if err != nil {
					errs <- fmt.Errorf("put s3://%s/%s: %w", demoBucket, f.key, err)
					return
				}
				bar.Add(int64(len(f.body)))
			}
		}()
	}
	var firstErr error
feed:
	for _, f := range files {
		select {
		case work <- f:
		case firstErr = <-errs:
			break feed
		}
	}
	close(work)
	wg.Wait()
	bar.Finish()
	if firstErr == nil && len(errs) > 0 {
		firstErr = <-errs
	}
	return firstErr
}

// datasetSummary is what the lake holds under one top-level prefix.
type datasetSummary struct {
	name       string
	partitions map[string]bool
	files      int
	rows       int
	bytes      int64
}

// verify lists the bucket, reads every object back and checks it is
// byte-identical to what was uploaded; it returns the inventory by dataset.
// Only the raw datasets' prefixes are listed; other stages check theirs.
func (l *lakeClient) verify(ctx context.Context, out io.Writer, files []lakeFile) ([]datasetSummary, error) {
	want := map[string]lakeFile{}
	for _, f := range files {
		want[f.key] = f
	}
	bar := newProgress(out, "verify", int64(len(files)), countUnit("files"))
	defer bar.Finish()
	byName := map[string]*datasetSummary{}
	pages := s3.NewListObjectsV2Paginator(l.s3, &s3.ListObjectsV2Input{Bucket: aws.String(demoBucket), MaxKeys: aws.Int32(100)})
	seen := 0
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return nil, fmt.Errorf("list s3://%s: %w", demoBucket, err)
		}
		for _, obj := range page.Contents {
			key := aws.ToString(obj.Key)
			if !strings.HasPrefix(key, "clickstream/") && !strings.HasPrefix(key, "orders/") {
				continue // the other stages' outputs, checked there
			}
			f, ok := want[key]
			if !ok {
				return nil, fmt.Errorf("unexpected object s3://%s/%s", demoBucket, key)
			}
			if err := l.checkObject(ctx, f); err != nil {
				return nil, err
			}
			seen++
			bar.Add(1)
			ds := byName[f.dataset]
			if ds == nil {
				ds = &datasetSummary{name: f.dataset, partitions: map[string]bool{}}
				byName[f.dataset] = ds
			}
			ds.partitions[f.day] = true
			ds.files++
			ds.rows += f.rows
			ds.bytes += aws.ToInt64(obj.Size)
		}
	}
	if seen != len(files) {
		return nil, fmt.Errorf("lake lists %d objects, uploaded %d", seen, len(files))
	}
	var inv []datasetSummary
	for _, ds := range byName {
		inv = append(inv, *ds)
	}
	sort.Slice(inv, func(i, j int) bool { return inv[i].name < inv[j].name })
	return inv, nil
}

func (l *lakeClient) checkObject(ctx context.Context, f lakeFile) error {
	got, err := l.s3.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(demoBucket), Key: aws.String(f.key)})
	if err != nil {
		return fmt.Errorf("get s3://%s/%s: %w", demoBucket, f.key, err)
	}
	defer got.Body.Close()
	body, err := io.ReadAll(got.Body)
	if err != nil {
		return fmt.Errorf("read s3://%s/%s: %w", demoBucket, f.key, err)
	}
	if !bytes.Equal(body, f.body) {
		return fmt.Errorf("s3://%s/%s reads back differently (%d bytes, want %d)", demoBucket, f.key, len(body), len(f.body))
	}
	if n := strings.Count(string(body), "\n"); n != f.rows {
		return fmt.Errorf("s3://%s/%s has %d rows, want %d", demoBucket, f.key, n, f.rows)
	}
	return nil
}
