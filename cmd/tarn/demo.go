package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/tarnhq/tarn/internal/config"
	"github.com/tarnhq/tarn/internal/platform"
	"github.com/tarnhq/tarn/internal/sample"
)

// demoBucket is the raw zone of the demo lake.
const demoBucket = "shop-raw"

func demoCommand() command {
	c := command{name: "demo", summary: "run the decision-support loop on built-in sample data"}
	c.usage = `Usage: tarn demo [flags]

Runs tarn's decision-support loop on a generated e-commerce sample (the
clickstream and orders of a fictional outdoor shop, deterministic from the
seed), every stage through the AWS APIs of a tarn started in-process:

  lake       the sample as Hive-partitioned JSON files in s3://shop-raw
             (clickstream/dt=YYYY-MM-DD/part-N.json, orders/ likewise),
             each read back and checked
  catalog    the Glue database shop and the table clickstream_live
  stream     PutRecords into the Kinesis stream shop-clickstream (4 shards);
             the Firehose delivery stream shop-clickstream-to-lake converts
             the records to Parquet with the Glue table's columns and writes
             them partitioned by the event's date under
             s3://shop-raw/stream/clickstream/; every event is checked to
             arrive exactly once
  tables     a consumer reads the stream shard by shard and keeps per-product
             view counters and each user's latest session in the DynamoDB
             tables shop-product-views and shop-user-sessions, checked
             against the sample
  analytics  a Glue crawler catalogs the raw zone; Athena answers the
             decision questions (conversion funnel, revenue by day and by
             category, top products, the streamed copy against the batch
             upload) and a CTAS writes the curated table shop.daily_sales as
             Parquet
  warehouse  the Redshift-style warehouse COPYs the curated Parquet and a
             revenue-by-country report runs over the PostgreSQL wire (pgx)

It prints the answers, the throughput and latency of each path, and each
stage's time.

Examples:
  tarn demo
  tarn demo --rows 1000000 --seed 7
  tarn demo --data ./demo-data     # keep the lake afterwards
`
	c.run = func(ctx context.Context, env *cmdEnv, args []string) error {
		fs := newFlags(c, env)
		var o demoOptions
		fs.IntVar(&o.rows, "rows", sample.DefaultRows, "clickstream events to generate")
		fs.Uint64Var(&o.seed, "seed", sample.DefaultSeed, "random seed (same seed, same data)")
		fs.IntVar(&o.days, "days", sample.DefaultDays, "days the sample spans")
		fs.StringVar(&o.data, "data", "", "data directory to keep (default: a temporary one, removed at exit)")
		fs.IntVar(&o.perFile, "rows-per-file", 5000, "events per lake file")
		if err := parseFlags(fs, args); err != nil {
			return helped(err)
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
	files := lakeFiles(events, orders, o.perFile)
	lake := newLakeClient(p.Endpoint(), cfg)
	if err := stage("upload", func() error { return lake.upload(ctx, out, files) }); err != nil {
		return err
	}
	var inv []datasetSummary
	if err := stage("verify", func() error {
		var err error
		inv, err = lake.verify(ctx, out, files)
		return err
	}); err != nil {
		return err
	}
	analytics := newAnalyticsClient(p.Endpoint(), cfg, lake.s3)
	if err := stage("catalog-set", func() error { return analytics.setupCatalog(ctx) }); err != nil {
		return err
	}
	st, err := runStream(ctx, out, newStreamClient(p.Endpoint(), cfg, lake.s3), events, stage)
	if err != nil {
		return err
	}
	tt, err := runTables(ctx, out, newTablesClient(p.Endpoint(), cfg), events, stage)
	if err != nil {
		return err
	}
	an, err := runAnalytics(ctx, analytics, events, orders, stage)
	if err != nil {
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
	printReport(out, inv, &st, &tt, &an, &wh, events, orders, timings)
	return nil
}

type stageTiming struct {
	name string
	took time.Duration
}
