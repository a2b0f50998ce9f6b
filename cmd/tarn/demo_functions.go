package main

import (
	"context"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tarnhq/tarn/internal/config"
)

// The functions stage's names. The demo owns them: a rerun on a kept
// --data directory deletes and recreates them.
const (
	demoEnrichFn   = "shop-enrich"     // Kinesis → enriched counters and sessions
	demoFilesFn    = "shop-file-log"   // S3 ObjectCreated → the lake's arrival log
	demoFilesTable = "shop-lake-files" // key → size, etag, event time
	demoStatsTable = "shop-pipeline-stats"
	enrichBatch    = 500
	functionsWait  = 120 * time.Second
)

// functionsClient watches the functions stage through the DynamoDB and
// CloudWatch Logs APIs (the demo stack made the functions and triggers).
type functionsClient struct {
	ddb  *dynamodb.Client
	logs *cloudwatchlogs.Client
}

func newFunctionsClient(endpoint string, cfg config.Config, ddb *dynamodb.Client) *functionsClient {
	creds := credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, "")
	return &functionsClient{
		logs: cloudwatchlogs.New(cloudwatchlogs.Options{Region: cfg.Region, BaseEndpoint: aws.String(endpoint), Credentials: creds}),
		ddb:  ddb,
	}
}

// await waits until the enrich function has handled records records and
// the file log has recorded files objects, per the stats table.
func (c *functionsClient) await(ctx context.Context, out io.Writer, records, files int) error {
	bar := newProgress(out, "functions", int64(records+files), countUnit("events"))
	defer bar.Finish()
	ctx, cancel := context.WithTimeout(ctx, functionsWait)
	defer cancel()
	var shown int64
	for {
		got, err := c.handled(ctx)
		if err != nil {
			return err
		}
		n := min(got["enrich"], int64(records)) + min(got["files"], int64(files))
		bar.Add(n - shown)
		shown = n
		if got["enrich"] >= int64(records) && got["files"] >= int64(files) {
			return nil
		}
		if err := sleepCtx(ctx, lakePoll); err != nil {
			return fmt.Errorf("functions handled %d of %d records and %d of %d files: %w",
				got["enrich"], records, got["files"], files, err)
		}
	}
}

// handled reads the stats table: events handled per stage.
func (c *functionsClient) handled(ctx context.Context) (map[string]int64, error) {
	res, err := c.ddb.Scan(ctx, &dynamodb.ScanInput{TableName: aws.String(demoStatsTable), ConsistentRead: aws.Bool(true)})
	if err != nil {
		return nil, fmt.Errorf("scan %s: %w", demoStatsTable, err)
	}
	m := map[string]int64{}
	for _, item := range res.Items {
		m[str(item["stage"])], _ = strconv.ParseInt(str(item["handled"]), 10, 64)
	}
	return m, nil
}

// functionStats is one function's invocations as its REPORT log lines
// tell them.
type functionStats struct {
	name                    string
	invocations, cold, errs int
	p50, p99, max           time.Duration
}

// stats reads the functions' REPORT lines from CloudWatch Logs.
func (c *functionsClient) stats(ctx context.Context) ([]functionStats, error) {
	var all []functionStats
	for _, name := range []string{demoEnrichFn, demoFilesFn} {
		s := functionStats{name: name}
		var durs []time.Duration
		pages := cloudwatchlogs.NewFilterLogEventsPaginator(c.logs, &cloudwatchlogs.FilterLogEventsInput{
			LogGroupName: aws.String("/aws/lambda/" + name), FilterPattern: aws.String(`"REPORT RequestId:"`)})
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			if err != nil {
				return nil, fmt.Errorf("logs of %s: %w", name, err)
			}
			for _, e := range page.Events {
				d, cold, failed := parseReport(aws.ToString(e.Message))
				s.invocations++
				durs = append(durs, d)
				if cold {
					s.cold++
				}
				if failed {
					s.errs++
				}
			}
		}
		if len(durs) > 0 {
			sort.Slice(durs, func(i, j int) bool { return durs[i] < durs[j] })
			s.p50, s.p99, s.max = durs[len(durs)/2], durs[len(durs)*99/100], durs[len(durs)-1]
		}
		all = append(all, s)
	}
	return all, nil
}

// parseReport reads a Lambda REPORT line: its Duration, whether it has an
// Init Duration (a cold start), and whether it reports a Status (Lambda
// adds one for timeouts and runtime failures).
func parseReport(line string) (d time.Duration, cold, failed bool) {
	for _, f := range strings.Split(line, "\t") {
		k, v, _ := strings.Cut(strings.TrimSpace(f), ": ")
		switch k {
		case "Duration":
			ms, _ := strconv.ParseFloat(strings.TrimSuffix(v, " ms"), 64)
			d = time.Duration(ms * float64(time.Millisecond))
		case "Init Duration":
			cold = true
		case "Status":
			failed = true
		}
	}
	return d, cold, failed
}

// printFunctions prints the functions stage's numbers.
func printFunctions(w io.Writer, fs []functionStats, files int) {
	fmt.Fprintf(w, "\nFunctions (Lambda, provided.al2023 runtime: aws-lambda-go handlers in this binary):\n")
	for _, s := range fs {
		trigger := "Kinesis " + demoStream + " (event source mapping, batches <= " + strconv.Itoa(enrichBatch) + ")"
		if s.name == demoFilesFn {
			trigger = fmt.Sprintf("S3 ObjectCreated on s3://%s/%s (%d files logged in %s)", demoBucket, streamDataPfx, files, demoFilesTable)
		}
		fmt.Fprintf(w, "  %-14s %s\n", s.name, trigger)
		fmt.Fprintf(w, "  %-14s %d invocations (%d cold), %d errors, duration p50 %s p99 %s max %s\n", "",
			s.invocations, s.cold, s.errs, s.p50.Round(10*time.Microsecond), s.p99.Round(10*time.Microsecond), s.max.Round(10*time.Microsecond))
	}
}

// countFiles counts the items of the lake's arrival log.
func countFiles(ctx context.Context, ddb *dynamodb.Client) (int, error) {
	n := 0
	pages := dynamodb.NewScanPaginator(ddb, &dynamodb.ScanInput{TableName: aws.String(demoFilesTable), Select: ddbtypes.SelectCount})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return 0, fmt.Errorf("scan %s: %w", demoFilesTable, err)
		}
		n += int(page.Count)
	}
	return n, nil
}
