package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"strconv"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	attypes "github.com/aws/aws-sdk-go-v2/service/athena/types"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	gltypes "github.com/aws/aws-sdk-go-v2/service/glue/types"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tarnhq/tarn/internal/config"
	"github.com/tarnhq/tarn/internal/sample"
)

// The analytics stage's names. The demo owns them: a rerun on a kept
// --data directory drops and recreates them.
const (
	demoDatabase     = "shop"
	demoCrawler      = "shop-raw-crawler"
	demoCuratedPfx   = "curated/"
	demoResultsPfx   = "athena-results/"
	demoDailySales   = "daily_sales"
	demoLiveTable    = "clickstream_live" // what Firehose delivered
	analyticsTimeout = 120 * time.Second
	analyticsPoll    = 20 * time.Millisecond
)

// analyticsClient drives the analytics stage through the Glue and Athena
// APIs.
type analyticsClient struct {
	glue   *glue.Client
	athena *athena.Client
	s3     *s3.Client
}

func newAnalyticsClient(endpoint string, cfg config.Config, s3c *s3.Client) *analyticsClient {
	creds := credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, "")
	return &analyticsClient{
		glue:   glue.New(glue.Options{Region: cfg.Region, BaseEndpoint: aws.String(endpoint), Credentials: creds}),
		athena: athena.New(athena.Options{Region: cfg.Region, BaseEndpoint: aws.String(endpoint), Credentials: creds}),
		s3:     s3c,
	}
}

// analyticsSummary is what the analytics stage reports: the crawl, each
// decision question with its answer, and the curated table.
type analyticsSummary struct {
	tables, partitions int
	crawlTook          time.Duration
	answers            []answer
	curatedFiles       int
	curatedRows        int64
}

// answer is one Athena query and its result (header row first).
type answer struct {
	question string
	rows     [][]string
	took     time.Duration
	scanned  int64
}

// catalog runs the demo stack's crawler over the raw zone.
func (c *analyticsClient) catalog(ctx context.Context, s *analyticsSummary) error {
	start := time.Now()
	if _, err := c.glue.StartCrawler(ctx, &glue.StartCrawlerInput{Name: aws.String(demoCrawler)}); err != nil {
		return fmt.Errorf("start crawler: %w", err)
	}
	for deadline := time.Now().Add(analyticsTimeout); ; {
		cr, err := c.glue.GetCrawler(ctx, &glue.GetCrawlerInput{Name: aws.String(demoCrawler)})
		if err != nil {
			return fmt.Errorf("get crawler: %w", err)
		}
		if cr.Crawler.State == gltypes.CrawlerStateReady && cr.Crawler.LastCrawl != nil {
			if st := cr.Crawler.LastCrawl.Status; st != gltypes.LastCrawlStatusSucceeded {
				return fmt.Errorf("crawl %s: %s", st, aws.ToString(cr.Crawler.LastCrawl.ErrorMessage))
			}
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("crawler still %s after %s", cr.Crawler.State, analyticsTimeout)
		}
		if err := sleepCtx(ctx, analyticsPoll); err != nil {
			return err
		}
	}
	s.crawlTook = time.Since(start)
	for _, t := range []string{"clickstream", "orders"} {
		parts, err := c.glue.GetPartitions(ctx, &glue.GetPartitionsInput{DatabaseName: aws.String(demoDatabase), TableName: aws.String(t)})
		if err != nil {
			return fmt.Errorf("the crawler made no table %s: %w", t, err)
		}
		s.tables++
		s.partitions += len(parts.Partitions)
	}
	return nil
}

// decisionQueries are the questions the stage answers, in Athena's SQL
// (Trino's dialect) over the crawled tables.
var decisionQueries = []struct{ question, sql string }{
	{"conversion funnel (sessions reaching each step)", `
SELECT count(DISTINCT session_id) AS sessions,
       count(DISTINCT CASE WHEN event_type = 'product_view' THEN session_id END) AS viewed,
       count(DISTINCT CASE WHEN event_type = 'add_to_cart' THEN session_id END) AS carted,
       count(DISTINCT CASE WHEN event_type = 'checkout' THEN session_id END) AS checked_out,
       count(DISTINCT CASE WHEN event_type = 'purchase' THEN session_id END) AS purchased
FROM clickstream`},
	{"revenue by day", `
SELECT dt, count(*) AS orders, round(sum(total), 2) AS revenue
FROM orders GROUP BY dt ORDER BY dt`},
	{"revenue by category (order lines joined to the viewed catalog)", `
WITH categories AS (
  SELECT DISTINCT product_id, category FROM clickstream
  WHERE event_type = 'product_view')
SELECT c.category, sum(line.quantity) AS units, round(sum(line.quantity * line.unit_price), 2) AS revenue
FROM orders o CROSS JOIN UNNEST(o.items) AS t(line)
JOIN categories c ON c.product_id = line.product_id
GROUP BY c.category ORDER BY revenue DESC`},
	{"the streamed copy (Firehose's Parquet) against the batch upload", `
SELECT count(*) AS streamed_events, count(DISTINCT l.event_id) AS distinct_ids,
       count_if(b.event_id IS NULL) AS missing_in_batch
FROM clickstream_live l LEFT JOIN clickstream b ON b.event_id = l.event_id`},
	{"top products (views and add-to-cart rate)", `
SELECT product_id, count_if(event_type = 'product_view') AS views,
       round(100.0 * count_if(event_type = 'add_to_cart') / count_if(event_type = 'product_view'), 1) AS cart_rate_pct
FROM clickstream WHERE product_id IS NOT NULL
GROUP BY product_id ORDER BY views DESC, product_id LIMIT 5`},
}

// answerQuestions runs the decision queries, then a CTAS that writes the
// curated daily sales table as partitioned Parquet, and reads it back.
func (c *analyticsClient) answerQuestions(ctx context.Context, s *analyticsSummary) error {
	// Firehose wrote new dt= folders: register them as partitions.
	if _, err := c.run(ctx, "MSCK REPAIR TABLE "+demoLiveTable); err != nil {
		return fmt.Errorf("MSCK REPAIR TABLE %s: %w", demoLiveTable, err)
	}
	for _, q := range decisionQueries {
		a, err := c.run(ctx, q.sql)
		if err != nil {
			return fmt.Errorf("%s: %w", q.question, err)
		}
		a.question = q.question
		s.answers = append(s.answers, a)
	}
	ctas := fmt.Sprintf(`
CREATE TABLE %s WITH (format = 'PARQUET', external_location = 's3://%s/%s%s/') AS
SELECT dt, country, count(*) AS orders, round(sum(total), 2) AS revenue
FROM orders GROUP BY dt, country ORDER BY dt, country`, demoDailySales, demoBucket, demoCuratedPfx, demoDailySales)
	if _, err := c.run(ctx, ctas); err != nil {
		return fmt.Errorf("CTAS %s: %w", demoDailySales, err)
	}
	a, err := c.run(ctx, "SELECT count(*) AS rows, sum(orders) AS orders FROM "+demoDailySales)
	if err != nil {
		return fmt.Errorf("read %s: %w", demoDailySales, err)
	}
	if len(a.rows) == 2 {
		s.curatedRows, _ = strconv.ParseInt(a.rows[1][0], 10, 64)
	}
	objs, err := c.s3.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String(demoBucket), Prefix: aws.String(demoCuratedPfx + demoDailySales + "/")})
	if err != nil {
		return err
	}
	s.curatedFiles = len(objs.Contents)
	return nil
}

// run runs one query in the demo database and fetches every result row.
func (c *analyticsClient) run(ctx context.Context, sql string) (answer, error) {
	var a answer
	start, err := c.athena.StartQueryExecution(ctx, &athena.StartQueryExecutionInput{QueryString: aws.String(sql),
		QueryExecutionContext: &attypes.QueryExecutionContext{Database: aws.String(demoDatabase)},
		ResultConfiguration:   &attypes.ResultConfiguration{OutputLocation: aws.String("s3://" + demoBucket + "/" + demoResultsPfx)}})
	if err != nil {
		return a, err
	}
	for deadline := time.Now().Add(analyticsTimeout); ; {
		q, err := c.athena.GetQueryExecution(ctx, &athena.GetQueryExecutionInput{QueryExecutionId: start.QueryExecutionId})
		if err != nil {
			return a, err
		}
		st := q.QueryExecution.Status
		if st.State == attypes.QueryExecutionStateSucceeded {
			if stats := q.QueryExecution.Statistics; stats != nil {
				a.took = time.Duration(aws.ToInt64(stats.TotalExecutionTimeInMillis)) * time.Millisecond
				a.scanned = aws.ToInt64(stats.DataScannedInBytes)
			}
			break
		}
		if st.State == attypes.QueryExecutionStateFailed || st.State == attypes.QueryExecutionStateCancelled {
			return a, fmt.Errorf("query %s: %s", st.State, aws.ToString(st.StateChangeReason))
		}
		if time.Now().After(deadline) {
			return a, fmt.Errorf("query still %s after %s", st.State, analyticsTimeout)
		}
		if err := sleepCtx(ctx, analyticsPoll); err != nil {
			return a, err
		}
	}
	pages := athena.NewGetQueryResultsPaginator(c.athena, &athena.GetQueryResultsInput{QueryExecutionId: start.QueryExecutionId})
	for pages.HasMorePages() {
		page, err := pages.NextPage(ctx)
		if err != nil {
			return a, err
		}
		for _, r := range page.ResultSet.Rows {
			row := make([]string, len(r.Data))
			for i, d := range r.Data {
				row[i] = aws.ToString(d.VarCharValue)
			}
			a.rows = append(a.rows, row)
		}
	}
	return a, nil
}

// checkAnswers compares the funnel and the revenue with what the sample
// says, so the demo fails loudly if SQL over the lake is wrong.
func checkAnswers(s *analyticsSummary, events []sample.Event, orders []sample.Order) error {
	sessions := map[string]bool{}
	purchased := map[string]bool{}
	for i := range events {
		sessions[events[i].SessionID] = true
		if events[i].Type == "purchase" {
			purchased[events[i].SessionID] = true
		}
	}
	f := s.answers[0].rows
	if len(f) != 2 || f[1][0] != strconv.Itoa(len(sessions)) || f[1][4] != strconv.Itoa(len(purchased)) {
		return fmt.Errorf("the funnel over the lake %v disagrees with the sample (%d sessions, %d purchasing)", f, len(sessions), len(purchased))
	}
	var revenue, got float64
	for _, o := range orders {
		revenue += o.Total
	}
	for _, r := range s.answers[1].rows[1:] {
		v, err := strconv.ParseFloat(r[2], 64)
		if err != nil {
			return fmt.Errorf("revenue by day: %v", r)
		}
		got += v
	}
	if math.Abs(got-revenue) > 0.01*float64(len(s.answers[1].rows)) {
		return fmt.Errorf("revenue over the lake %.2f, the sample's %.2f", got, revenue)
	}
	n := strconv.Itoa(len(events))
	if l := s.answers[3].rows; len(l) != 2 || l[1][0] != n || l[1][1] != n || l[1][2] != "0" {
		return fmt.Errorf("the streamed copy %v is not the %s events of the batch upload", l, n)
	}
	return nil
}

// runAnalytics is the analytics stage.
func runAnalytics(ctx context.Context, c *analyticsClient, events []sample.Event, orders []sample.Order, stage func(string, func() error) error, afterCrawl func() error) (analyticsSummary, error) {
	var s analyticsSummary
	if err := stage("crawl", func() error { return c.catalog(ctx, &s) }); err != nil {
		return s, err
	}
	if err := afterCrawl(); err != nil {
		return s, err
	}
	if err := stage("athena", func() error { return c.answerQuestions(ctx, &s) }); err != nil {
		return s, err
	}
	return s, checkAnswers(&s, events, orders)
}

// printAnalytics prints the crawl, the answers and the curated table.
func printAnalytics(w io.Writer, s *analyticsSummary) {
	fmt.Fprintf(w, "\nAnalytics: Glue crawler %s -> database %s (%d tables, %d partitions, crawled in %s) -> Athena\n",
		demoCrawler, demoDatabase, s.tables, s.partitions, s.crawlTook.Round(time.Millisecond))
	for _, a := range s.answers {
		fmt.Fprintf(w, "\n  %s   [%s, %s scanned]\n", a.question, a.took.Round(time.Millisecond), humanBytes(a.scanned))
		printRows(w, a.rows, 8)
	}
	files := "files"
	if s.curatedFiles == 1 {
		files = "file"
	}
	fmt.Fprintf(w, "\n  curated      CTAS %s.%s: %d rows as Parquet in %d %s under s3://%s/%s%s/\n",
		demoDatabase, demoDailySales, s.curatedRows, s.curatedFiles, files, demoBucket, demoCuratedPfx, demoDailySales)
}

// printRows prints a result set as an aligned table, at most max data rows.
func printRows(w io.Writer, rows [][]string, limit int) {
	if len(rows) == 0 {
		return
	}
	widths := make([]int, len(rows[0]))
	for _, r := range rows {
		for i, v := range r {
			if i < len(widths) {
				widths[i] = max(widths[i], len(v))
			}
		}
	}
	for n, r := range rows {
		if n > limit {
			fmt.Fprintf(w, "    ... %d more rows\n", len(rows)-n)
			break
		}
		fmt.Fprint(w, "   ")
		for i, v := range r {
			fmt.Fprintf(w, " %-*s", widths[i], v)
		}
		fmt.Fprintln(w)
	}
}
