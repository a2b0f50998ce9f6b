package catalog

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/glue"
	"github.com/aws/aws-sdk-go-v2/service/glue/types"
)

func gz(t testing.TB, s string) []byte {
	var b bytes.Buffer
	w := gzip.NewWriter(&b)
	w.Write([]byte(s))
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// seedLake writes a small raw zone: Hive-partitioned JSON (one file
// gzipped), a CSV folder with a _SUCCESS marker, Parquet in non-Hive
// folders, and an excluded tmp folder.
func seedLake(t testing.TB, l *dirLake) {
	l.put(t, "lake", "raw/clicks/dt=2024-01-01/part-0.json", []byte(`{"user":"u1","page":"/a","ms":12}`+"\n"+`{"user":"u2","page":"/b","ms":40}`+"\n"))
	l.put(t, "lake", "raw/clicks/dt=2024-01-02/part-0.json.gz", gz(t, `{"user":"u3","page":"/c","ms":7}`+"\n"))
	l.put(t, "lake", "raw/orders/orders.csv", []byte("order_id,amount,placed\n1,9.5,2024-01-01\n2,12,2024-01-02\n"))
	l.put(t, "lake", "raw/orders/_SUCCESS", nil)
	l.copyFixture(t, "lake", "raw/products/2024/01/p.parquet", "primitives.parquet")
	l.copyFixture(t, "lake", "raw/products/2024/02/p.parquet", "primitives.parquet")
	l.put(t, "lake", "raw/tmp/scratch.csv", []byte("a,b\n1,2\n"))
	l.put(t, "lake", "raw/orders/notes.txt.crc", []byte("x"))
}

func (h *harness) crawl(t testing.TB, name string) *types.Crawler {
	t.Helper()
	if _, err := h.client.StartCrawler(t.Context(), &glue.StartCrawlerInput{Name: aws.String(name)}); err != nil {
		t.Fatal(err)
	}
	h.waitCrawls()
	out, err := h.client.GetCrawler(t.Context(), &glue.GetCrawlerInput{Name: aws.String(name)})
	if err != nil {
		t.Fatal(err)
	}
	return out.Crawler
}

func (h *harness) metrics(t testing.TB, name string) types.CrawlerMetrics {
	t.Helper()
	out, err := h.client.GetCrawlerMetrics(t.Context(), &glue.GetCrawlerMetricsInput{CrawlerNameList: []string{name}})
	if err != nil || len(out.CrawlerMetricsList) != 1 {
		t.Fatalf("GetCrawlerMetrics = %+v, %v", out, err)
	}
	return out.CrawlerMetricsList[0]
}

func columns(t *Table) string {
	var parts []string
	for _, c := range t.StorageDescriptor.Columns {
		parts = append(parts, c.Name+":"+c.Type)
	}
	return strings.Join(parts, ",")
}

func TestCrawler(t *testing.T) {
	h := newHarness(t)
	ctx, c := t.Context(), h.client
	seedLake(t, h.lake)
	_, err := c.CreateCrawler(ctx, &glue.CreateCrawlerInput{Name: aws.String("raw"), Role: aws.String("arn:aws:iam::000000000000:role/glue"),
		DatabaseName: aws.String("rawdb"), TablePrefix: aws.String("raw_"),
		Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://lake/raw"), Exclusions: []string{"tmp/**"}}}}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.CreateCrawler(ctx, &glue.CreateCrawlerInput{Name: aws.String("raw"), Role: aws.String("r"), Targets: &types.CrawlerTargets{}})
	wantCode(t, err, "AlreadyExistsException")

	cr := h.crawl(t, "raw")
	if cr.State != types.CrawlerStateReady || cr.LastCrawl.Status != types.LastCrawlStatusSucceeded {
		t.Fatalf("crawler = %+v, last %+v", cr, cr.LastCrawl)
	}
	if m := h.metrics(t, "raw"); m.TablesCreated != 3 || m.TablesUpdated != 0 {
		t.Fatalf("metrics = %+v", m)
	}
	tables, err := h.svc.ListTables(ctx, "", "rawdb")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, t := range tables {
		names = append(names, t.Name)
	}
	if fmt.Sprint(names) != "[raw_clicks raw_orders raw_products]" {
		t.Fatalf("tables = %v", names)
	}
	clicks, orders, products := &tables[0], &tables[1], &tables[2]
	if got := columns(clicks); got != "user:string,page:string,ms:int" {
		t.Errorf("clicks columns = %s", got)
	}
	if clicks.Format() != "json" || clicks.PartitionKeys[0].Name != "dt" || clicks.StorageDescriptor.Location != "s3://lake/raw/clicks/" ||
		clicks.Parameters["classification"] != "json" || clicks.TableType != "EXTERNAL_TABLE" || clicks.Parameters["UPDATED_BY_CRAWLER"] != "raw" {
		t.Errorf("clicks = %+v", clicks)
	}
	if got := columns(orders); got != "order_id:bigint,amount:double,placed:date" {
		t.Errorf("orders columns = %s", got)
	}
	if o := orders.CSVOptions(); orders.Format() != "csv" || o.Delimiter != "," || o.SkipHeader != 1 ||
		orders.StorageDescriptor.SerdeInfo.SerializationLibrary != LazySimpleSerDe || orders.Parameters["recordCount"] != "2" {
		t.Errorf("orders = %+v, %+v", orders, o)
	}
	if products.Format() != "parquet" || len(products.PartitionKeys) != 2 || products.PartitionKeys[1].Name != "partition_1" ||
		!strings.HasPrefix(columns(products), "id:int,big:bigint,small:smallint") {
		t.Errorf("products = %+v %s", products, columns(products))
	}
	parts, err := h.svc.GetPartitions(ctx, "", "rawdb", "raw_clicks")
	if err != nil || len(parts) != 2 || parts[1].Values[0] != "2024-01-02" || parts[1].StorageDescriptor.Parameters["compressionType"] != "gzip" ||
		parts[1].StorageDescriptor.Location != "s3://lake/raw/clicks/dt=2024-01-02/" {
		t.Fatalf("clicks partitions = %+v, %v", parts, err)
	}
	pp, _ := h.svc.GetPartitions(ctx, "", "rawdb", "raw_products")
	if len(pp) != 2 || fmt.Sprint(pp[0].Values) != "[2024 01]" {
		t.Fatalf("products partitions = %+v", pp)
	}

	// Re-crawl: a new partition with a new column is added
	// (UPDATE_IN_DATABASE is the default).
	h.lake.put(t, "lake", "raw/clicks/dt=2024-01-03/part-0.json", []byte(`{"user":"u4","page":"/d","ms":3000000000,"referrer":"x"}`+"\n"))
	h.crawl(t, "raw")
	if m := h.metrics(t, "raw"); m.TablesCreated != 0 || m.TablesUpdated != 1 || m.LastRuntimeSeconds < 0 {
		t.Fatalf("metrics after re-crawl = %+v", m)
	}
	tb, _ := h.svc.GetTable(ctx, "", "rawdb", "raw_clicks")
	if got := columns(tb); got != "user:string,page:string,ms:bigint,referrer:string" || tb.VersionId != "1" {
		t.Fatalf("clicks after re-crawl = %s (version %s)", got, tb.VersionId)
	}
	if parts, _ := h.svc.GetPartitions(ctx, "", "rawdb", "raw_clicks"); len(parts) != 3 {
		t.Fatalf("clicks partitions after re-crawl = %d", len(parts))
	}

	// LOG only logs.
	if _, err := c.UpdateCrawler(ctx, &glue.UpdateCrawlerInput{Name: aws.String("raw"),
		SchemaChangePolicy: &types.SchemaChangePolicy{UpdateBehavior: types.UpdateBehaviorLog, DeleteBehavior: types.DeleteBehaviorLog}}); err != nil {
		t.Fatal(err)
	}
	h.lake.put(t, "lake", "raw/clicks/dt=2024-01-04/part-0.json", []byte(`{"user":"u5","page":"/e","ms":1,"campaign":"c"}`+"\n"))
	h.crawl(t, "raw")
	tb, _ = h.svc.GetTable(ctx, "", "rawdb", "raw_clicks")
	if parts, _ := h.svc.GetPartitions(ctx, "", "rawdb", "raw_clicks"); len(parts) != 3 || strings.Contains(columns(tb), "campaign") {
		t.Fatalf("LOG changed the table: %s, %d partitions", columns(tb), len(parts))
	}
	if m := h.metrics(t, "raw"); m.TablesUpdated != 0 || m.TablesCreated != 0 {
		t.Fatalf("metrics under LOG = %+v", m)
	}

	// DELETE_FROM_DATABASE drops tables whose folder is gone.
	if _, err := c.UpdateCrawler(ctx, &glue.UpdateCrawlerInput{Name: aws.String("raw"),
		SchemaChangePolicy: &types.SchemaChangePolicy{UpdateBehavior: types.UpdateBehaviorUpdateInDatabase, DeleteBehavior: types.DeleteBehaviorDeleteFromDatabase}}); err != nil {
		t.Fatal(err)
	}
	if err := os.RemoveAll(filepath.Join(h.lake.root, "lake", "raw", "orders")); err != nil {
		t.Fatal(err)
	}
	h.crawl(t, "raw")
	if m := h.metrics(t, "raw"); m.TablesDeleted != 1 || m.TablesUpdated != 1 {
		t.Fatalf("metrics after delete = %+v", m)
	}
	if _, err := h.svc.GetTable(ctx, "", "rawdb", "raw_orders"); err == nil {
		t.Fatal("raw_orders survived DELETE_FROM_DATABASE")
	}
	cr = h.crawl(t, "raw")
	if cr.Version != 3 || cr.SchemaChangePolicy.DeleteBehavior != types.DeleteBehaviorDeleteFromDatabase {
		t.Fatalf("crawler = %+v", cr)
	}
	m := h.metrics(t, "raw")
	if m.TablesCreated+m.TablesUpdated+m.TablesDeleted != 0 || m.MedianRuntimeSeconds < 0 {
		t.Fatalf("metrics of an idle re-crawl = %+v", m)
	}
}

func TestCrawlerTargetFolderIsTable(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	h.lake.copyFixture(t, "lake", "events/a.parquet", "events_v1.parquet")
	h.lake.copyFixture(t, "lake", "events/b.parquet", "events_v2.parquet")
	h.lake.put(t, "lake", "logs/2024/x.csv", []byte("k|v\na|1\n"))
	h.lake.put(t, "lake", "logs/2025/x.csv", []byte("k|v\nb|2\n"))
	if _, err := h.client.CreateCrawler(ctx, &glue.CreateCrawlerInput{Name: aws.String("c"), Role: aws.String("r"), DatabaseName: aws.String("d"),
		Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://lake/events/")}, {Path: aws.String("s3://lake/logs/")}}}}); err != nil {
		t.Fatal(err)
	}
	h.crawl(t, "c")
	ev, err := h.svc.GetTable(ctx, "", "d", "events")
	if err != nil || columns(ev) != "id:bigint,kind:string,value:double" || len(ev.PartitionKeys) != 0 || ev.Parameters["recordCount"] != "2" {
		t.Fatalf("events = %+v, %v", ev, err)
	}
	logs, err := h.svc.GetTable(ctx, "", "d", "logs")
	if err != nil || columns(logs) != "k:string,v:bigint" || logs.PartitionKeys[0].Name != "partition_0" || logs.CSVOptions().Delimiter != "|" {
		t.Fatalf("logs = %+v, %v", logs, err)
	}
}

func TestCrawlerStop(t *testing.T) {
	h := newHarness(t)
	ctx, c := t.Context(), h.client
	seedLake(t, h.lake)
	gate, entered := make(chan struct{}), make(chan struct{})
	h.lake.listing, h.lake.entered = gate, entered
	defer close(gate)
	if _, err := c.CreateCrawler(ctx, &glue.CreateCrawlerInput{Name: aws.String("c"), Role: aws.String("r"), DatabaseName: aws.String("d"),
		Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://lake/raw/")}}}}); err != nil {
		t.Fatal(err)
	}
	_, err := c.StopCrawler(ctx, &glue.StopCrawlerInput{Name: aws.String("c")})
	wantCode(t, err, "CrawlerNotRunningException")
	if _, err := c.StartCrawler(ctx, &glue.StartCrawlerInput{Name: aws.String("c")}); err != nil {
		t.Fatal(err)
	}
	<-entered
	_, err = c.StartCrawler(ctx, &glue.StartCrawlerInput{Name: aws.String("c")})
	wantCode(t, err, "CrawlerRunningException")
	_, err = c.UpdateCrawler(ctx, &glue.UpdateCrawlerInput{Name: aws.String("c"), Description: aws.String("x")})
	wantCode(t, err, "CrawlerRunningException")
	if m := h.metrics(t, "c"); !m.StillEstimating {
		t.Fatalf("metrics while running = %+v", m)
	}
	got, _ := c.GetCrawler(ctx, &glue.GetCrawlerInput{Name: aws.String("c")})
	if got.Crawler.State != types.CrawlerStateRunning {
		t.Fatalf("state = %s", got.Crawler.State)
	}
	if _, err := c.StopCrawler(ctx, &glue.StopCrawlerInput{Name: aws.String("c")}); err != nil {
		t.Fatal(err)
	}
	h.waitCrawls()
	got, _ = c.GetCrawler(ctx, &glue.GetCrawlerInput{Name: aws.String("c")})
	if got.Crawler.State != types.CrawlerStateReady || got.Crawler.LastCrawl.Status != types.LastCrawlStatusCancelled {
		t.Fatalf("after stop: %s, %+v", got.Crawler.State, got.Crawler.LastCrawl)
	}
	if _, err := c.DeleteCrawler(ctx, &glue.DeleteCrawlerInput{Name: aws.String("c")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.GetCrawler(ctx, &glue.GetCrawlerInput{Name: aws.String("c")})
	wantCode(t, err, "EntityNotFoundException")
}

func TestCrawlerValidationAndListing(t *testing.T) {
	h := newHarness(t)
	ctx, c := t.Context(), h.client
	s3 := &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://b/p/")}}}
	for _, in := range []*glue.CreateCrawlerInput{
		{Name: aws.String("x"), Role: aws.String("r"), Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("/local")}}}},
		{Name: aws.String("x"), Role: aws.String("r"), Targets: s3, Schedule: aws.String("rate(5 minutes)")},
		{Name: aws.String("x"), Role: aws.String("r"), Targets: s3, Schedule: aws.String("cron(0 12 * * * *)")},
		{Name: aws.String("x"), Role: aws.String("r"), Targets: &types.CrawlerTargets{JdbcTargets: []types.JdbcTarget{{ConnectionName: aws.String("c")}}}},
		{Name: aws.String("x"), Role: aws.String("r"), Targets: s3, RecrawlPolicy: &types.RecrawlPolicy{RecrawlBehavior: types.RecrawlBehaviorCrawlNewFoldersOnly}},
	} {
		_, err := c.CreateCrawler(ctx, in)
		wantCode(t, err, "InvalidInputException")
	}
	for i := range 3 {
		if _, err := c.CreateCrawler(ctx, &glue.CreateCrawlerInput{Name: aws.String(fmt.Sprintf("c%d", i)), Role: aws.String("r"), Targets: s3,
			Schedule: aws.String("cron(0/30 * * * ? *)")}); err != nil {
			t.Fatal(err)
		}
	}
	var names []string
	p := glue.NewListCrawlersPaginator(c, &glue.ListCrawlersInput{MaxResults: aws.Int32(2)})
	for p.HasMorePages() {
		out, err := p.NextPage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		names = append(names, out.CrawlerNames...)
	}
	if fmt.Sprint(names) != "[c0 c1 c2]" {
		t.Fatalf("ListCrawlers = %v", names)
	}
	all, err := c.GetCrawlers(ctx, &glue.GetCrawlersInput{})
	if err != nil || len(all.Crawlers) != 3 || all.Crawlers[0].Schedule.State != types.ScheduleStateScheduled ||
		all.Crawlers[0].SchemaChangePolicy.UpdateBehavior != types.UpdateBehaviorUpdateInDatabase {
		t.Fatalf("GetCrawlers = %+v, %v", all, err)
	}
	bg, err := c.BatchGetCrawlers(ctx, &glue.BatchGetCrawlersInput{CrawlerNames: []string{"c1", "zz"}})
	if err != nil || len(bg.Crawlers) != 1 || fmt.Sprint(bg.CrawlersNotFound) != "[zz]" {
		t.Fatalf("BatchGetCrawlers = %+v, %v", bg, err)
	}
	if _, err := c.StopCrawlerSchedule(ctx, &glue.StopCrawlerScheduleInput{CrawlerName: aws.String("c1")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.StopCrawlerSchedule(ctx, &glue.StopCrawlerScheduleInput{CrawlerName: aws.String("c1")})
	wantCode(t, err, "SchedulerNotRunningException")
	if _, err := c.StartCrawlerSchedule(ctx, &glue.StartCrawlerScheduleInput{CrawlerName: aws.String("c1")}); err != nil {
		t.Fatal(err)
	}
	_, err = c.StartCrawlerSchedule(ctx, &glue.StartCrawlerScheduleInput{CrawlerName: aws.String("c1")})
	wantCode(t, err, "SchedulerRunningException")
	ms, err := c.GetCrawlerMetrics(ctx, &glue.GetCrawlerMetricsInput{})
	if err != nil || len(ms.CrawlerMetricsList) != 3 {
		t.Fatalf("GetCrawlerMetrics = %+v, %v", ms, err)
	}
}

func TestCrawlerScheduler(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	h.lake.put(t, "lake", "data/x.csv", []byte("a,b\n1,2\n"))
	if _, err := h.client.CreateCrawler(ctx, &glue.CreateCrawlerInput{Name: aws.String("noon"), Role: aws.String("r"), DatabaseName: aws.String("d"),
		Schedule: aws.String("cron(0 12 * * ? *)"),
		Targets:  &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://lake/data/")}}}}); err != nil {
		t.Fatal(err)
	}
	fired := func(at time.Time) string {
		h.clock.set(at)
		got := h.svc.tick()
		h.waitCrawls()
		sort.Strings(got)
		return fmt.Sprint(got)
	}
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	if got := fired(day.Add(11*time.Hour + 59*time.Minute)); got != "[]" {
		t.Fatalf("11:59 fired %s", got)
	}
	if got := fired(day.Add(12*time.Hour + 30*time.Second)); got != "[noon]" {
		t.Fatalf("12:00 fired %s", got)
	}
	if got := fired(day.Add(12*time.Hour + 40*time.Second)); got != "[]" {
		t.Fatalf("12:00 fired twice: %s", got)
	}
	h.reopen(t)
	if got := fired(day.Add(12*time.Hour + 50*time.Second)); got != "[]" {
		t.Fatalf("12:00 fired again after restart: %s", got)
	}
	// Three days down: the missed slots fire once.
	if got := fired(day.AddDate(0, 0, 3).Add(13 * time.Hour)); got != "[noon]" {
		t.Fatalf("catch-up fired %s", got)
	}
	if got := fired(day.AddDate(0, 0, 3).Add(14 * time.Hour)); got != "[]" {
		t.Fatalf("catch-up fired twice: %s", got)
	}
	cr, _ := h.client.GetCrawler(ctx, &glue.GetCrawlerInput{Name: aws.String("noon")})
	if cr.Crawler.LastCrawl.Status != types.LastCrawlStatusSucceeded {
		t.Fatalf("last crawl = %+v", cr.Crawler.LastCrawl)
	}
	if _, err := h.svc.GetTable(ctx, "", "d", "data"); err != nil {
		t.Fatal(err)
	}
}

func TestCrawlerRecoveredAfterCrash(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	if _, err := h.client.CreateCrawler(ctx, &glue.CreateCrawlerInput{Name: aws.String("c"), Role: aws.String("r"), DatabaseName: aws.String("d"),
		Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://lake/x/")}}}}); err != nil {
		t.Fatal(err)
	}
	rec, err := h.svc.loadCrawler(DefaultRegion, "c")
	if err != nil {
		t.Fatal(err)
	}
	rec.Crawler.State, rec.RunStart = stateRunning, h.clock.now()
	if err := h.svc.saveCrawler(rec); err != nil { // as a crash mid-crawl leaves it
		t.Fatal(err)
	}
	h.reopen(t)
	cr, err := h.client.GetCrawler(ctx, &glue.GetCrawlerInput{Name: aws.String("c")})
	if err != nil || cr.Crawler.State != types.CrawlerStateReady || cr.Crawler.LastCrawl.Status != types.LastCrawlStatusFailed {
		t.Fatalf("recovered crawler = %+v, %v", cr, err)
	}
	// A crawl of a missing bucket fails with the lake's error.
	cr2 := h.crawl(t, "c")
	if cr2.LastCrawl.Status != types.LastCrawlStatusFailed || cr2.LastCrawl.ErrorMessage == nil {
		t.Fatalf("crawl of a missing bucket = %+v", cr2.LastCrawl)
	}
}

func TestCrawlerConfiguration(t *testing.T) {
	h := newHarness(t)
	ctx, c := t.Context(), h.client
	h.lake.put(t, "lake", "t/dt=1/a.json", []byte(`{"a":1,"b":"x"}`+"\n"))
	h.lake.put(t, "lake", "t/dt=2/a.json", []byte(`{"a":2,"b":"y","c":true}`+"\n"))
	_, err := c.CreateCrawler(ctx, &glue.CreateCrawlerInput{Name: aws.String("c"), Role: aws.String("r"), DatabaseName: aws.String("d"),
		Configuration: aws.String("{not json"), Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://lake/t/")}}}})
	wantCode(t, err, "InvalidInputException")
	cfg := `{"Version":1.0,"CrawlerOutput":{"Partitions":{"AddOrUpdateBehavior":"InheritFromTable"},"Tables":{"AddOrUpdateBehavior":"MergeNewColumns"}}}`
	if _, err := c.CreateCrawler(ctx, &glue.CreateCrawlerInput{Name: aws.String("c"), Role: aws.String("r"), DatabaseName: aws.String("d"),
		Configuration: aws.String(cfg), Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://lake/t/")}}}}); err != nil {
		t.Fatal(err)
	}
	h.crawl(t, "c")
	parts, _ := h.svc.GetPartitions(ctx, "", "d", "t")
	if len(parts) != 2 || len(parts[0].StorageDescriptor.Columns) != 3 {
		t.Fatalf("partitions do not inherit the table's columns: %+v", parts)
	}
	// b disappears from the data: MergeNewColumns keeps it.
	if err := os.RemoveAll(filepath.Join(h.lake.root, "lake", "t")); err != nil {
		t.Fatal(err)
	}
	h.lake.put(t, "lake", "t/dt=3/a.json", []byte(`{"a":3,"d":1.5}`+"\n"))
	h.crawl(t, "c")
	tb, _ := h.svc.GetTable(ctx, "", "d", "t")
	if got := columns(tb); got != "a:int,b:string,c:boolean,d:double" {
		t.Fatalf("columns with MergeNewColumns = %s", got)
	}
}

func TestCrawlerGrouping(t *testing.T) {
	for _, c := range []struct{ config, want string }{
		{"", "[a b]"},
		{`{"Version":1.0,"Grouping":{"TableGroupingPolicy":"CombineCompatibleSchemas"}}`, "[zone:partition_0]"},
		{`{"Version":1.0,"Grouping":{"TableLevelConfiguration":2}}`, "[zone:partition_0]"},
		{`{"Version":1.0,"Grouping":{"TableLevelConfiguration":3}}`, "[a b]"},
	} {
		h := newHarness(t)
		ctx := t.Context()
		h.lake.put(t, "lake", "zone/a/x.csv", []byte("id,name\n1,x\n"))
		h.lake.put(t, "lake", "zone/b/y.csv", []byte("k,v,w\nq,2,3\n"))
		in := &glue.CreateCrawlerInput{Name: aws.String("c"), Role: aws.String("r"), DatabaseName: aws.String("d"),
			Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://lake/zone/")}}}}
		if c.config != "" {
			in.Configuration = aws.String(c.config)
		}
		if _, err := h.client.CreateCrawler(ctx, in); err != nil {
			t.Fatal(err)
		}
		h.crawl(t, "c")
		tables, _ := h.svc.ListTables(ctx, "", "d")
		var got []string
		for _, tb := range tables {
			n := tb.Name
			for _, k := range tb.PartitionKeys {
				n += ":" + k.Name
			}
			got = append(got, n)
		}
		if fmt.Sprint(got) != c.want {
			t.Errorf("config %s: tables %v, want %s", c.config, got, c.want)
		}
	}
}

func TestCrawlerFilePath(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	h.lake.put(t, "lake", "exports/Sales Report/q1.csv", []byte("region,total\neu,10\n"))
	h.lake.put(t, "lake", "exports/Sales Report/q2.csv", []byte("other,cols,here\n1,2,3\n"))
	if _, err := h.client.CreateCrawler(ctx, &glue.CreateCrawlerInput{Name: aws.String("c"), Role: aws.String("r"), DatabaseName: aws.String("d"),
		Targets: &types.CrawlerTargets{S3Targets: []types.S3Target{{Path: aws.String("s3://lake/exports/Sales Report/q1.csv")}}}}); err != nil {
		t.Fatal(err)
	}
	h.crawl(t, "c")
	tb, err := h.svc.GetTable(ctx, "", "d", "sales_report")
	if err != nil || columns(tb) != "region:string,total:bigint" || tb.Parameters["objectCount"] != "1" {
		t.Fatalf("table = %+v, %v", tb, err)
	}
}
