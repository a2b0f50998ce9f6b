package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/tarnhq/tarn/internal/config"
	"github.com/tarnhq/tarn/internal/platform"
	"github.com/tarnhq/tarn/internal/sample"
	"github.com/tarnhq/tarn/internal/stack"
)

// demoBucket is the raw zone of the demo lake.
const demoBucket = "shop-raw"

func demoCommand() command {
	c := command{name: "demo", summary: "run the decision-support loop on built-in sample data"}
	c.usage = `Usage: tarn demo [flags]

Runs tarn's decision-support loop on a generated e-commerce sample (the
clickstream and orders of a fictional outdoor shop, deterministic from the
seed), every stage through the AWS APIs of a tarn started in-process:

  stack      the pipeline is a stack file shipped in tarn (--print-stack
             shows it): bucket shop-raw, Glue database shop and table
             clickstream_live, Kinesis stream shop-clickstream (4 shards),
             Firehose shop-clickstream-to-lake, four DynamoDB tables, two
             Lambda functions with their triggers, a crawler, two Glue jobs
             and their triggers, applied as 'tarn apply' would
  lake       the sample as Hive-partitioned JSON files in s3://shop-raw
             (clickstream/dt=YYYY-MM-DD/part-N.json, orders/ likewise),
             each read back and checked; the last day lands later
  stream     PutRecords into the Kinesis stream; Firehose converts the
             records to Parquet with the Glue table's columns and writes
             them by the event's date under s3://shop-raw/stream/clickstream/;
             every event is checked to arrive exactly once
  functions  the Lambda function shop-enrich, fed by an event source mapping
             on the stream, enriches each record from the product catalog
             and keeps per-product view counters and each user's latest
             session in DynamoDB (shop-product-views, shop-user-sessions);
             shop-file-log, fired by the lake's ObjectCreated notifications,
             logs every delivered file in shop-lake-files. Both are checked
             against the sample and the lake; their invocations, errors and
             durations come from their CloudWatch Logs REPORT lines
  crawl      the Glue crawler catalogs the raw zone
  batch      the Glue SQL job shop-clickstream-silver types and deduplicates
             the raw clickstream into Parquet; its success triggers
             shop-daily-gold (daily funnel and revenue). Then the last day
             lands and a second run, bookmarked, reads only its files
  analytics  Athena answers the decision questions (conversion funnel,
             revenue by day and by category, top products, the streamed
             copy against the batch upload) and a CTAS writes the curated
             table shop.daily_sales as Parquet
  dashboard  every tile of the "Shop decisions" dashboard (declared in the
             stack, served by the web UI under /_tarn/ui/) answers
  warehouse  the Redshift-style warehouse COPYs the curated Parquet and a
             revenue-by-country report runs over the PostgreSQL wire (pgx)

It prints the answers, the throughput and latency of each path, and each
stage's time.

Examples:
  tarn demo
  tarn demo --rows 1000000 --seed 7
  tarn demo --data ./demo-data     # keep the lake afterwards
  tarn demo --print-stack > tarn.yaml
  tarn demo --serve                # then open the "Shop decisions" dashboard
`
	c.run = func(ctx context.Context, env *cmdEnv, args []string) error {
		fs := newFlags(c, env)
		var o demoOptions
		fs.IntVar(&o.rows, "rows", sample.DefaultRows, "clickstream events to generate")
		fs.Uint64Var(&o.seed, "seed", sample.DefaultSeed, "random seed (same seed, same data)")
		fs.IntVar(&o.days, "days", sample.DefaultDays, "days the sample spans")
		fs.StringVar(&o.data, "data", "", "data directory to keep (default: a temporary one, removed at exit)")
		fs.IntVar(&o.perFile, "rows-per-file", 5000, "events per lake file")
		printStack := fs.Bool("print-stack", false, "print the demo pipeline's stack file (tarn.yaml) and exit")
		fs.BoolVar(&o.serve, "serve", false, "keep serving after the report, with the dashboard's URL")
		if err := parseFlags(fs, args); err != nil {
			return helped(err)
		}
		if *printStack {
			_, err := env.stdout.Write(demoStackYAML)
			return err
		}
		if o.rows <= 0 || o.days <= 0 || o.perFile <= 0 {
			return fmt.Errorf("--rows, --days and --rows-per-file must be positive")
		}
		return runDemo(ctx, env, o)
	}
	return c
}

type demoOptions struct {
	rows, days, perFile int
	seed                uint64
	data                string
	serve               bool // keep serving after the report
}

func runDemo(ctx context.Context, env *cmdEnv, o demoOptions) error {
	out := env.stdout
	dir := o.data
	if dir == "" {
		tmp, err := os.MkdirTemp("", "tarn-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	cfg := config.Default()
	cfg.Addr, cfg.PGAddr, cfg.DataDir = "127.0.0.1:0", "127.0.0.1:0", dir
	p, err := platform.New(cfg, platform.Options{Version: version()})
	if err != nil {
		return err
	}
	t0 := time.Now()
	if err := p.Start(ctx); err != nil {
		return err
	}
	defer p.Stop(context.Background())
	fmt.Fprintf(out, "tarn demo: Tarn Outfitters sample, %d events over %d days (seed %d)\n", o.rows, o.days, o.seed)
	fmt.Fprintf(out, "  platform   started at %s in %s (data %s)\n\n", p.Endpoint(), time.Since(t0).Round(time.Millisecond), dir)

	var timings []stageTiming
	stage := func(name string, fn func() error) error {
		start := time.Now()
		err := fn()
		timings = append(timings, stageTiming{name, time.Since(start)})
		return err
	}
	var events []sample.Event
	var orders []sample.Order
	_ = stage("generate", func() error {
		events, orders = sample.Generate(sample.Options{Seed: o.seed, Rows: o.rows, Days: o.days})
		return nil
	})
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("locate the tarn binary for the demo's functions: %w", err)
	}
	lake := newLakeClient(p.Endpoint(), cfg)
	if err := stage("reset", func() error { return resetDemo(ctx, p.Endpoint(), cfg, lake.s3) }); err != nil {
		return err
	}
	var changes []stack.Change
	var stk *stack.Stack
	if err := stage("stack", func() error {
		var err error
		if stk, err = writeDemoStack(filepath.Join(dir, "demo-stack"), exe); err != nil {
			return err
		}
		changes, err = applyDemoStack(ctx, stk, p.Endpoint(), cfg, lake.s3)
		return err
	}); err != nil {
		return err
	}
	fmt.Fprintf(out, "  stack      applied the demo stack: %s\n", stackCounts(changes))
	// The raw zone lands in two steps: every day but the last now, the
	// last day later, for the batch stage's bookmarked incremental run.
	files := lakeFiles(events, orders, o.perFile)
	late := lastDay(files)
	var early, lateFiles []lakeFile
	for _, f := range files {
		if f.day == late {
			lateFiles = append(lateFiles, f)
		} else {
			early = append(early, f)
		}
	}
	if err := stage("upload", func() error { return lake.upload(ctx, out, early) }); err != nil {
		return err
	}
	if err := stage("verify", func() error {
		_, err := lake.verify(ctx, out, early)
		return err
	}); err != nil {
		return err
	}
	analytics := newAnalyticsClient(p.Endpoint(), cfg, lake.s3)
	tables := newTablesClient(p.Endpoint(), cfg)
	fns := newFunctionsClient(p.Endpoint(), cfg, tables.ddb)
	st, err := runStream(ctx, out, newStreamClient(p.Endpoint(), cfg, lake.s3), events, stage)
	if err != nil {
		return err
	}
	tt, err := runFunctions(ctx, out, fns, tables, events, st.files, stage)
	if err != nil {
		return err
	}
	var inv []datasetSummary
	var bt batchSummary
	an, err := runAnalytics(ctx, analytics, events, orders, stage, func() error {
		batch := &batchClient{glue: analytics.glue, sql: analytics,
			pgURL: fmt.Sprintf("postgres://%s:%s@%s/dev?sslmode=disable", cfg.AccessKey, cfg.SecretKey, p.PGAddr())}
		var err error
		bt, err = runBatch(ctx, out, batch, func() error {
			if err := lake.upload(ctx, out, lateFiles); err != nil {
				return err
			}
			inv, err = lake.verify(ctx, out, files)
			return err
		}, events, orders, late, stage)
		return err
	})
	if err != nil {
		return err
	}
	var db dashboardSummary
	if err := stage("dashboard", func() error {
		var err error
		db, err = checkDashboard(ctx, analytics, stk.Dashboards[0])
		return err
	}); err != nil {
		return err
	}
	var wh warehouseSummary
	if err := stage("warehouse", func() error {
		var err error
		wh, err = warehouseReport(ctx, p.PGAddr(), cfg, orders)
		return err
	}); err != nil {
		return err
	}
	url := ""
	if o.serve {
		url = p.Endpoint() + "/_tarn/ui/#/dashboards/" + db.name
	}
	printReport(out, inv, &st, &tt, &bt, &an, &wh, &db, url, events, orders, timings)
	if o.serve {
		fmt.Fprintf(out, "\ntarn keeps serving at %s (sign in with access key %s, secret %s); Ctrl-C stops it.\n",
			p.Endpoint(), cfg.AccessKey, cfg.SecretKey)
		<-ctx.Done()
	}
	return nil
}

type stageTiming struct {
	name string
	took time.Duration
}
