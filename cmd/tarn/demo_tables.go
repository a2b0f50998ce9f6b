package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	ddbtypes "github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/aws/aws-sdk-go-v2/service/kinesis"
	kntypes "github.com/aws/aws-sdk-go-v2/service/kinesis/types"

	"github.com/tarnhq/tarn/internal/config"
	"github.com/tarnhq/tarn/internal/sample"
)

// The real-time stage's tables. The demo owns them: a rerun on a kept
// --data directory deletes and recreates them.
const (
	demoViewsTable    = "shop-product-views" // product_id → views, category
	demoSessionsTable = "shop-user-sessions" // user_id → latest session_id, last_ts, last_event
	tablesReadLimit   = 1000                 // GetRecords page
	tablesIdlePoll    = 20 * time.Millisecond
	tablesTimeout     = 120 * time.Second
)

// tablesClient is the real-time stage: a consumer of the Kinesis stream
// (one reader per shard, as a KCL worker would run) that keeps per-product
// view counters and each user's latest session in DynamoDB.
type tablesClient struct {
	ddb     *dynamodb.Client
	kinesis *kinesis.Client
}

func newTablesClient(endpoint string, cfg config.Config) *tablesClient {
	creds := credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, "")
	return &tablesClient{
		ddb:     dynamodb.New(dynamodb.Options{Region: cfg.Region, BaseEndpoint: aws.String(endpoint), Credentials: creds}),
		kinesis: kinesis.New(kinesis.Options{Region: cfg.Region, BaseEndpoint: aws.String(endpoint), Credentials: creds}),
	}
}

// tablesSummary is what the real-time stage reports.
type tablesSummary struct {
	records, updates int
	took             time.Duration
	topProducts      []productViews
	products, users  int
	viewsMatch       bool // every counter equals the sample's product_view count
	sessionsMatch    int  // users whose latest session equals the sample's
}

type productViews struct {
	id, category string
	views        int64
}

// setup drops the demo's tables if an earlier run left them and creates
// them again (on-demand capacity, as a real-time state store would run).
func (c *tablesClient) setup(ctx context.Context) error {
	for _, name := range []string{demoViewsTable, demoSessionsTable} {
		var nf *ddbtypes.ResourceNotFoundException
		if _, err := c.ddb.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)}); err == nil {
			if err := dynamodb.NewTableNotExistsWaiter(c.ddb, fastTableNotExists).Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 30*time.Second); err != nil {
				return fmt.Errorf("wait for old table %s to go: %w", name, err)
			}
		} else if !errors.As(err, &nf) {
			return fmt.Errorf("delete old table %s: %w", name, err)
		}
	}
	for name, key := range map[string]string{demoViewsTable: "product_id", demoSessionsTable: "user_id"} {
		if _, err := c.ddb.CreateTable(ctx, &dynamodb.CreateTableInput{
			TableName:            aws.String(name),
			AttributeDefinitions: []ddbtypes.AttributeDefinition{{AttributeName: aws.String(key), AttributeType: ddbtypes.ScalarAttributeTypeS}},
			KeySchema:            []ddbtypes.KeySchemaElement{{AttributeName: aws.String(key), KeyType: ddbtypes.KeyTypeHash}},
			BillingMode:          ddbtypes.BillingModePayPerRequest,
		}); err != nil {
			return fmt.Errorf("create table %s: %w", name, err)
		}
		if err := dynamodb.NewTableExistsWaiter(c.ddb, fastTableExists).Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, 30*time.Second); err != nil {
			return fmt.Errorf("wait for table %s: %w", name, err)
		}
	}
	return nil
}

// The SDK's table waiters poll every 20 s; a table here turns ACTIVE in
// milliseconds.
func fastTableExists(o *dynamodb.TableExistsWaiterOptions)       { o.MinDelay = 20 * time.Millisecond }
func fastTableNotExists(o *dynamodb.TableNotExistsWaiterOptions) { o.MinDelay = 20 * time.Millisecond }

// consume reads every shard of the demo stream from its start until total
// records have been applied, one goroutine per shard. It returns how many
// records it read and how many DynamoDB writes it made.
func (c *tablesClient) consume(ctx context.Context, out io.Writer, total int) (records, updates int, err error) {
	shards, err := c.kinesis.ListShards(ctx, &kinesis.ListShardsInput{StreamName: aws.String(demoStream)})
	if err != nil {
		return 0, 0, fmt.Errorf("list shards of %s: %w", demoStream, err)
	}
	bar := newProgress(out, "tables", int64(total), countUnit("records"))
	defer bar.Finish()
	ctx, cancel := context.WithTimeout(ctx, tablesTimeout)
	defer cancel()
	var mu sync.Mutex
	var wg sync.WaitGroup
	var applied atomic.Int64 // records applied so far, over all shards
	errs := make(chan error, len(shards.Shards))
	done := func() bool { return applied.Load() >= int64(total) }
	progressed := func(n int) {
		applied.Add(int64(n))
		bar.Add(int64(n))
	}
	for _, sh := range shards.Shards {
		wg.Add(1)
		go func(shardID string) {
			defer wg.Done()
			n, u, err := c.consumeShard(ctx, shardID, done, progressed)
			mu.Lock()
			records += n
			updates += u
			mu.Unlock()
			if err != nil {
				errs <- err
				cancel()
			}
		}(aws.ToString(sh.ShardId))
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return records, updates, err
	}
	if records < total {
		return records, updates, fmt.Errorf("real-time stage read %d of %d records in %s", records, total, tablesTimeout)
	}
	return records, updates, nil
}

func (c *tablesClient) consumeShard(ctx context.Context, shardID string, done func() bool, progressed func(int)) (records, updates int, err error) {
	it, err := c.kinesis.GetShardIterator(ctx, &kinesis.GetShardIteratorInput{StreamName: aws.String(demoStream),
		ShardId: aws.String(shardID), ShardIteratorType: kntypes.ShardIteratorTypeTrimHorizon})
	if err != nil {
		return 0, 0, fmt.Errorf("shard iterator %s: %w", shardID, err)
	}
	iter := it.ShardIterator
	for iter != nil {
		res, err := c.kinesis.GetRecords(ctx, &kinesis.GetRecordsInput{ShardIterator: iter, Limit: aws.Int32(tablesReadLimit)})
		if err != nil {
			return records, updates, fmt.Errorf("GetRecords %s: %w", shardID, err)
		}
		iter = res.NextShardIterator
		if len(res.Records) == 0 {
			// Caught up: the stage ends when all shards together have
			// read every record the producer put.
			if done() {
				return records, updates, nil
			}
			if err := sleepCtx(ctx, tablesIdlePoll); err != nil {
				return records, updates, err
			}
			continue
		}
		u, err := c.apply(ctx, res.Records)
		updates += u
		if err != nil {
			return records, updates, err
		}
		records += len(res.Records)
		progressed(len(res.Records))
	}
	return records, updates, nil
}

// apply folds one page of records into the tables: one ADD per product
// viewed in the page, and one conditional SET per user, which only moves a
// user's latest session forward in time (pages of different shards
// interleave, so a write may arrive late and must not win).
func (c *tablesClient) apply(ctx context.Context, recs []kntypes.Record) (updates int, err error) {
	views := map[string]*productViews{}
	latest := map[string]*sample.Event{}
	for _, r := range recs {
		e, err := parseEvent(r.Data)
		if err != nil {
			return updates, err
		}
		if e.Type == "product_view" {
			pv := views[e.ProductID]
			if pv == nil {
				pv = &productViews{id: e.ProductID, category: e.Category}
				views[e.ProductID] = pv
			}
			pv.views++
		}
		if l := latest[e.UserID]; l == nil || e.TS.After(l.TS) {
			latest[e.UserID] = e
		}
	}
	for _, pv := range views {
		if _, err := c.ddb.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:                 aws.String(demoViewsTable),
			Key:                       map[string]ddbtypes.AttributeValue{"product_id": &ddbtypes.AttributeValueMemberS{Value: pv.id}},
			UpdateExpression:          aws.String("ADD #views :n SET category = :c"),
			ExpressionAttributeNames:  map[string]string{"#views": "views"},
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{":n": num(pv.views), ":c": &ddbtypes.AttributeValueMemberS{Value: pv.category}},
		}); err != nil {
			return updates, fmt.Errorf("count views of %s: %w", pv.id, err)
		}
		updates++
	}
	for user, e := range latest {
		_, err := c.ddb.UpdateItem(ctx, &dynamodb.UpdateItemInput{
			TableName:           aws.String(demoSessionsTable),
			Key:                 map[string]ddbtypes.AttributeValue{"user_id": &ddbtypes.AttributeValueMemberS{Value: user}},
			UpdateExpression:    aws.String("SET session_id = :s, last_ts = :t, last_event = :e, device = :d"),
			ConditionExpression: aws.String("attribute_not_exists(last_ts) OR last_ts < :t"),
			ExpressionAttributeValues: map[string]ddbtypes.AttributeValue{
				":s": &ddbtypes.AttributeValueMemberS{Value: e.SessionID}, ":t": num(e.TS.UnixMilli()),
				":e": &ddbtypes.AttributeValueMemberS{Value: e.Type}, ":d": &ddbtypes.AttributeValueMemberS{Value: e.Device}},
		})
		var ccf *ddbtypes.ConditionalCheckFailedException
		if err != nil && !errors.As(err, &ccf) {
			return updates, fmt.Errorf("latest session of %s: %w", user, err)
		}
		updates++
	}
	return updates, nil
}

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
	fmt.Fprintf(w, "\nReal time: Kinesis %s -> consumer (one reader per shard) -> DynamoDB %s, %s\n",
		demoStream, demoViewsTable, demoSessionsTable)
	rate := 0.0
	if s.took > 0 {
		rate = float64(s.records) / s.took.Seconds()
	}
	fmt.Fprintf(w, "  applied      %d records in %s (%.0f records/s), %d UpdateItem calls\n",
		s.records, s.took.Round(time.Millisecond), rate, s.updates)
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

// runTables is the real-time stage: the consumer applies the clickstream
// (already in the Kinesis stream) to the tables, then the tables are read
// back and checked against the sample.
func runTables(ctx context.Context, out io.Writer, c *tablesClient, events []sample.Event, stage func(string, func() error) error) (tablesSummary, error) {
	var s tablesSummary
	if err := stage("tables-set", func() error { return c.setup(ctx) }); err != nil {
		return s, err
	}
	start := time.Now()
	if err := stage("tables", func() error {
		var err error
		s.records, s.updates, err = c.consume(ctx, out, len(events))
		return err
	}); err != nil {
		return s, err
	}
	s.took = time.Since(start)
	if err := stage("tables-chk", func() error { return c.check(ctx, events, &s) }); err != nil {
		return s, err
	}
	if !s.viewsMatch {
		return s, fmt.Errorf("the view counters in %s differ from the sample's product_view counts", demoViewsTable)
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
