package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/athena"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/jackc/pgx/v5"

	"github.com/tarnhq/tarn/internal/config"
	"github.com/tarnhq/tarn/internal/platform"
	"github.com/tarnhq/tarn/internal/tpch"
)

func benchCommand() command {
	c := command{name: "bench", summary: "generate TPC-H data and time the 22 queries on each engine"}
	c.usage = `Usage: tarn bench tpch [flags]

Generates TPC-H data at the given scale factor (a Go port of the
specification's generator: same cardinalities and value distributions as
dbgen, not dbgen's exact rows) as Parquet files, then runs the 22 TPC-H
queries with the specification's validation parameters on each engine and
prints, per query, each engine's median time, the ratio to the first engine
(in-process DuckDB over the same Parquet files, the baseline) and the rows
returned.

Athena: unless --athena=false, tarn is started in-process, the Parquet files
are uploaded through its S3 API, the tables created with Athena DDL (CREATE
EXTERNAL TABLE ... STORED AS PARQUET), and each query's Trino text is run
through the Athena API (StartQueryExecution, GetQueryExecution,
GetQueryResults), as a user's client would.

PostgreSQL: with --pg URL the data is loaded into that database (its
TPC-H tables are dropped and recreated). Otherwise, if PostgreSQL's server
binaries are installed (Debian's postgresql-15), a throwaway cluster is
started on a free 127.0.0.1 port in a temporary directory and removed at the
end; --no-pg skips PostgreSQL.

Examples:
  tarn bench tpch --sf 0.1
  tarn bench tpch --sf 1 --queries 1,6,14 --runs 5
  tarn bench tpch --sf 1 --out ./tpch-sf1        # keep (and reuse) the data
  tarn bench tpch --sf 0.1 --pg postgres://me@127.0.0.1:5432/tpch
`
	c.run = func(ctx context.Context, env *cmdEnv, args []string) error {
		if len(args) == 0 || args[0] != "tpch" {
			if len(args) > 0 && (args[0] == "-h" || args[0] == "--help" || args[0] == "-help") {
				fmt.Fprint(env.stderr, c.usage)
				return nil
			}
			fmt.Fprint(env.stderr, c.usage)
			return errUsage
		}
		fs := newFlags(c, env)
		var o benchOptions
		fs.Float64Var(&o.sf, "sf", 0.1, "TPC-H scale factor (1 is about 1 GB of text)")
		fs.StringVar(&o.queries, "queries", "all", `queries to run: "1,6,14", "1-5" or "all"`)
		fs.StringVar(&o.pg, "pg", "", "PostgreSQL connection URL to load the data into and query")
		fs.BoolVar(&o.noPG, "no-pg", false, "do not run PostgreSQL")
		fs.BoolVar(&o.athena, "athena", true, "also run each query through tarn's Athena API (tarn started in-process)")
		fs.StringVar(&o.out, "out", "", "directory for the data, kept and reused (default: temporary)")
		fs.Uint64Var(&o.seed, "seed", tpch.DefaultSeed, "generator seed (same seed, same data)")
		fs.IntVar(&o.runs, "runs", 3, "timed runs per query and engine (after one warm-up run)")
		fs.IntVar(&o.threads, "threads", 0, "DuckDB threads (0: one per core)")
		fs.DurationVar(&o.timeout, "timeout", 10*time.Minute, "limit for one run of one query")
		fs.BoolVar(&o.best, "best", false, "show each query's fastest run instead of the median")
		if err := parseFlags(fs, args[1:]); err != nil {
			return helped(err)
		}
		if !(o.sf > 0) || o.runs <= 0 {
			fmt.Fprintln(env.stderr, "--sf and --runs must be positive")
			return errUsage
		}
		return runBench(ctx, env, o)
	}
	return c
}

type benchOptions struct {
	sf            float64
	queries, pg   string
	out           string
	noPG, best    bool
	athena        bool
	seed          uint64
	runs, threads int
	timeout       time.Duration
}

func runBench(ctx context.Context, env *cmdEnv, o benchOptions) error {
	nums, err := tpch.ParseQueryList(o.queries)
	if err != nil {
		return err
	}
	qs, err := tpch.Queries(o.sf, nums...)
	if err != nil {
		return err
	}
	out := env.stdout

	// PostgreSQL: a given server, a throwaway local one, or none.
	pgURL := o.pg
	if pgURL == "" && !o.noPG {
		if _, err := tpch.FindPostgres(); err != nil {
			fmt.Fprintf(out, "postgres: skipped (%v)\n", err)
		} else {
			start := time.Now()
			local, err := tpch.StartLocalPostgres(ctx, tpch.LocalOptions{})
			if err != nil {
				return err
			}
			defer func() {
				if err := local.Stop(context.Background()); err != nil {
					fmt.Fprintln(env.stderr, "tarn:", err)
				}
			}()
			pgURL = local.ConnString
			fmt.Fprintf(out, "postgres: started a throwaway %s on %s in %s\n", local.Version, pgURL, since(start))
		}
	}

	format := tpch.Parquet
	if pgURL != "" {
		format |= tpch.CSV
	}
	dir := o.out
	if dir == "" {
		if dir, err = os.MkdirTemp("", "tarn-tpch-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	if m, err := tpch.ReadManifest(dir); err == nil && m.SF == o.sf && m.Seed == o.seed && m.Format&format == format {
		fmt.Fprintf(out, "data: reusing SF %g in %s (%d lineitem rows)\n", m.SF, dir, m.Rows["lineitem"])
	} else {
		start := time.Now()
		m, err := tpch.Generate(ctx, dir, tpch.Options{SF: o.sf, Seed: o.seed, Format: format})
		if err != nil {
			return err
		}
		var total int64
		for _, n := range m.Rows {
			total += n
		}
		el := time.Since(start)
		fmt.Fprintf(out, "data: generated SF %g in %s: %d rows (%d lineitem), %.0f rows/s, in %s\n",
			o.sf, since(start), total, m.Rows["lineitem"], float64(total)/el.Seconds(), dir)
	}

	duck, err := tpch.OpenDuckDB(ctx, dir, o.threads)
	if err != nil {
		return err
	}
	defer duck.Close()
	engines := []tpch.Engine{duck}
	if o.athena {
		es, stop, err := startTarn(ctx, out, dir)
		if err != nil {
			return err
		}
		defer stop()
		engines = append(engines, es...)
	}
	if pgURL != "" {
		start := time.Now()
		if err := tpch.LoadPostgres(ctx, pgURL, dir); err != nil {
			return err
		}
		fmt.Fprintf(out, "postgres: loaded with COPY, keys, indexes and ANALYZE in %s\n", since(start))
		conn, err := pgx.Connect(ctx, pgURL)
		if err != nil {
			return fmt.Errorf("postgres: %w", err)
		}
		defer conn.Close(context.Background())
		engines = append(engines, tpch.NewPostgres(conn, "postgres"))
	}

	stat := "median"
	if o.best {
		stat = "fastest"
	}
	fmt.Fprintf(out, "running %d queries on %d engines: 1 warm-up + %d timed runs each, %s shown\n\n",
		len(qs), len(engines), o.runs, stat)
	rep, err := tpch.Bench(ctx, engines, qs, tpch.BenchOptions{Runs: o.runs, Timeout: o.timeout, Best: o.best,
		Progress: func(r tpch.Result) {
			if r.Err != nil {
				fmt.Fprintf(env.stderr, "%s on %s: %v\n", r.Query, r.Engine, r.Err)
			} else {
				fmt.Fprintf(env.stderr, "%s on %s: median %s, %d rows\n", r.Query, r.Engine, r.Median.Round(time.Microsecond*100), r.Rows)
			}
		}})
	if err != nil && !errors.Is(err, context.Canceled) {
		return err
	}
	if werr := rep.Write(out); werr != nil {
		return werr
	}
	return err
}

func since(t time.Time) string { return time.Since(t).Round(time.Millisecond).String() }

// tpchBucket is the lake bucket the benchmark's tables live in.
const tpchBucket = "tpch"

// startTarn starts tarn in-process (data in a temporary directory),
// uploads the Parquet files through the S3 API, creates the tables with
// Athena DDL and loads them into the warehouse with COPY, and returns the
// Athena engine, the warehouse engine (pgx over tarn's PostgreSQL wire)
// and the func that stops tarn.
func startTarn(ctx context.Context, out io.Writer, dir string) ([]tpch.Engine, func(), error) {
	data, err := os.MkdirTemp("", "tarn-bench-data-")
	if err != nil {
		return nil, nil, err
	}
	cfg := config.Default()
	cfg.Addr, cfg.PGAddr, cfg.DataDir = "127.0.0.1:0", "127.0.0.1:0", data
	p, err := platform.New(cfg, platform.Options{Version: version()})
	if err != nil {
		os.RemoveAll(data)
		return nil, nil, err
	}
	start := time.Now()
	if err := p.Start(ctx); err != nil {
		os.RemoveAll(data)
		return nil, nil, err
	}
	stop := func() {
		p.Stop(context.Background())
		os.RemoveAll(data)
	}
	creds := credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, "")
	s3c := s3.New(s3.Options{Region: cfg.Region, BaseEndpoint: aws.String(p.Endpoint()), UsePathStyle: true, Credentials: creds})
	if err := tpch.UploadParquet(ctx, s3c, dir, tpchBucket, "data"); err != nil {
		stop()
		return nil, nil, err
	}
	at := athena.New(athena.Options{Region: cfg.Region, BaseEndpoint: aws.String(p.Endpoint()), Credentials: creds})
	e := tpch.NewAthena(at, tpch.AthenaOptions{Database: "tpch", OutputLocation: "s3://" + tpchBucket + "/athena-results/"})
	if err := tpch.CreateAthenaTables(ctx, e, "s3://"+tpchBucket+"/data"); err != nil {
		stop()
		return nil, nil, err
	}
	fmt.Fprintf(out, "athena: tarn started at %s, Parquet uploaded through S3 and tables created with Athena DDL in %s\n", p.Endpoint(), since(start))
	start = time.Now()
	conn, err := pgx.Connect(ctx, fmt.Sprintf("postgres://%s:%s@%s/dev?sslmode=disable", cfg.AccessKey, cfg.SecretKey, p.PGAddr()))
	if err != nil {
		stop()
		return nil, nil, fmt.Errorf("tarn warehouse: %w", err)
	}
	stopAll := func() {
		conn.Close(context.Background())
		stop()
	}
	if err := tpch.LoadWarehouse(ctx, conn, "s3://"+tpchBucket+"/data", "arn:aws:iam::000000000000:role/tarn-bench"); err != nil {
		stopAll()
		return nil, nil, err
	}
	fmt.Fprintf(out, "warehouse: tables loaded with COPY ... FORMAT AS PARQUET in %s\n", since(start))
	return []tpch.Engine{e, tpch.NewPostgres(conn, "tarn-pg")}, stopAll, nil
}
