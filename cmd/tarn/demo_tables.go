package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"

	"github.com/tarnhq/tarn/internal/config"
	"github.com/tarnhq/tarn/internal/sample"
)

// The real-time stage's tables (declared in the demo stack; a rerun on a
// kept --data directory deletes them first).
const (
	demoViewsTable    = "shop-product-views" // product_id → views, name, category, list price
	demoSessionsTable = "shop-user-sessions" // user_id → latest session_id, last_ts, last_event
)

// tablesClient creates and checks the real-time stage's DynamoDB tables:
// per-product view counters and each user's latest session (kept by the
// enrich function), the lake's file log and the pipeline's stats.
type tablesClient struct {
	ddb *dynamodb.Client
}

func newTablesClient(endpoint string, cfg config.Config) *tablesClient {
	creds := credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, "")
	return &tablesClient{ddb: dynamodb.New(dynamodb.Options{Region: cfg.Region, BaseEndpoint: aws.String(endpoint), Credentials: creds})}
}

// tablesSummary is what the real-time stage reports.
type tablesSummary struct {
	records         int
	took            time.Duration
	files           int // items of the lake's file log
	functions       []functionStats
	topProducts     []productViews
	products, users int
	viewsMatch      bool // every counter equals the sample's product_view count
	sessionsMatch   int  // users whose latest session equals the sample's
}

type productViews struct {
	id, category string
	views        int64
}

// demoTables are the real-time stage's tables (the reset deletes them).
var demoTables = []string{demoViewsTable, demoSessionsTable, demoFilesTable, demoStatsTable}

// The SDK's table waiter polls every 20 s; a table here goes in
// milliseconds.
func fastTableNotExists(o *dynamodb.TableNotExistsWaiterOptions) { o.MinDelay = 20 * time.Millisecond }

func num(n int64) *ddbtypes.AttributeValueMemberN {
	return &ddbtypes.AttributeValueMemberN{Value: strconv.FormatInt(n, 10)}
}

// check reads both tables back (Scan, all pages) and compares them with
// what the sample says they must hold.
func (c *tablesClient) check(ctx context.Context, events []sample.Event, s *tablesSummary) error {
	wantViews := map[string]int64{}
	wantSession := map[string]*sample.Event{}
	for i := range events {
		e := &events[i]
		if e.Type == "product_view" {
			wantViews[e.ProductID]++
		}
		if l := wantSession[e.UserID]; l == nil || e.TS.After(l.TS) {
			wantSession[e.UserID] = e
		}
	}
	var all []productViews
	s.viewsMatch = true
	err := c.scan(ctx, demoViewsTable, func(item map[string]ddbtypes.AttributeValue) {
		pv := productViews{id: str(item["product_id"]), category: str(item["category"])}
		pv.views, _ = strconv.ParseInt(str(item["views"]), 10, 64)
		if wantViews[pv.id] != pv.views {
			s.viewsMatch = false
		}
		all = append(all, pv)
	})
	if err != nil {
		return err
	}
	if len(all) != len(wantViews) {
		s.viewsMatch = false
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].views != all[j].views {
			return all[i].views > all[j].views
		}
		return all[i].id < all[j].id
	})
	s.products, s.topProducts = len(all), all[:min(5, len(all))]
	return c.scan(ctx, demoSessionsTable, func(item map[string]ddbtypes.AttributeValue) {
		s.users++
		if w := wantSession[str(item["user_id"])]; w != nil && w.SessionID == str(item["session_id"]) {
			s.sessionsMatch++
		}
	})
}

func (c *tablesClient) scan(ctx context.Context, table string, fn func(map[string]ddbtypes.AttributeValue)) error {
	pages := dynamodb.NewScanPaginator(c.ddb, &dynamodb.ScanInput{TableName: aws.String(table)})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return fmt.Errorf("scan %s: %w", table, err)
		}
		for _, item := range page.Items {
			fn(item)
		}
	}
	return nil
}

func str(v ddbtypes.AttributeValue) string {
	switch v := v.(type) {
	case *ddbtypes.AttributeValueMemberS:
		return v.Value
	case *ddbtypes.AttributeValueMemberN:
		return v.Value
	}
	return ""
}

// printTables prints the real-time stage's numbers.
func printTables(w io.Writer, s *tablesSummary) {
	printFunctions(w, s.functions, s.files)
	fmt.Fprintf(w, "\nReal time: Kinesis %s -> Lambda %s -> DynamoDB %s, %s\n",
		demoStream, demoEnrichFn, demoViewsTable, demoSessionsTable)
	fmt.Fprintf(w, "  applied      %d records, all of them %s after the lake delivery finished\n",
		s.records, s.took.Round(time.Millisecond))
	match := "equal the sample's product_view counts"
	if !s.viewsMatch {
		match = "DIFFER from the sample's product_view counts"
	}
	fmt.Fprintf(w, "  counters     %d products, views %s\n", s.products, match)
	fmt.Fprintf(w, "  sessions     %d users; latest session as in the sample for %d\n", s.users, s.sessionsMatch)
	fmt.Fprintf(w, "  most viewed  ")
	for i, p := range s.topProducts {
		if i > 0 {
			fmt.Fprintf(w, ", ")
		}
		fmt.Fprintf(w, "%s (%s) %d", p.id, p.category, p.views)
	}
	fmt.Fprintln(w)
}

// runFunctions is the real-time stage: once the stream stage has put the
// clickstream, the enrich function (fed by its event source mapping) and
// the file log (fed by the lake's notifications) work through it; then
// the tables are read back and checked against the sample and the lake.
func runFunctions(ctx context.Context, out io.Writer, fc *functionsClient, tc *tablesClient, events []sample.Event, files int, stage func(string, func() error) error) (tablesSummary, error) {
	s := tablesSummary{records: len(events)}
	start := time.Now()
	if err := stage("functions", func() error { return fc.await(ctx, out, len(events), files) }); err != nil {
		return s, err
	}
	s.took = time.Since(start)
	if err := stage("tables-chk", func() error {
		if err := tc.check(ctx, events, &s); err != nil {
			return err
		}
		var err error
		if s.files, err = countFiles(ctx, tc.ddb); err != nil {
			return err
		}
		s.functions, err = fc.stats(ctx)
		return err
	}); err != nil {
		return s, err
	}
	if !s.viewsMatch {
		return s, fmt.Errorf("the view counters in %s differ from the sample's product_view counts", demoViewsTable)
	}
	if s.files != files {
		return s, fmt.Errorf("the file log %s holds %d files; Firehose delivered %d", demoFilesTable, s.files, files)
	}
	return s, nil
}

// parseEvent decodes one clickstream record (an event's JSON).
func parseEvent(data []byte) (*sample.Event, error) {
	e := new(sample.Event)
	if err := json.Unmarshal(data, e); err != nil {
		return nil, fmt.Errorf("clickstream record is not an event: %w: %.200s", err, data)
	}
	return e, nil
}
