// Package platform is tarn's composition root: it opens the data
// directory, builds every service with its typed Options, routes the one
// HTTP endpoint to them, starts them in order and stops them in reverse.
package platform

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/tarnhq/tarn/internal/blob/fsblob"
	"github.com/tarnhq/tarn/internal/catalog"
	"github.com/tarnhq/tarn/internal/config"
	"github.com/tarnhq/tarn/internal/dynamo"
	"github.com/tarnhq/tarn/internal/firehose"
	"github.com/tarnhq/tarn/internal/function"
	"github.com/tarnhq/tarn/internal/jobs"
	"github.com/tarnhq/tarn/internal/jobs/emr"
	"github.com/tarnhq/tarn/internal/kv"
	"github.com/tarnhq/tarn/internal/logs"
	"github.com/tarnhq/tarn/internal/metrics"
	"github.com/tarnhq/tarn/internal/natsd"
	"github.com/tarnhq/tarn/internal/s3"
	"github.com/tarnhq/tarn/internal/sigv4"
	"github.com/tarnhq/tarn/internal/sql"
	"github.com/tarnhq/tarn/internal/stream"
	"github.com/tarnhq/tarn/internal/ui"
	"github.com/tarnhq/tarn/internal/warehouse"
)

// Options are what the platform needs besides the Config.
type Options struct {
	Logger  *slog.Logger // nil discards logs
	Version string       // reported by /_tarn/health
	// FirehoseSchemas resolves the Glue tables of Firehose data format
	// conversion; nil means the platform's Glue catalog (tests set inline
	// schemas here).
	FirehoseSchemas firehose.SchemaSource
}

// Platform is one running tarn. New builds it; Start opens the data
// directory and listens; Stop drains requests and closes files.
type Platform struct {
	cfg     config.Config
	log     *slog.Logger
	version string
	// fhSchemas is Options.FirehoseSchemas.
	fhSchemas firehose.SchemaSource
	metrics   *metrics.Registry
	verify    *sigv4.Verifier

	// set by Start
	started   time.Time
	db        *kv.DB
	s3        *s3.Service
	nats      *natsd.Server
	kinesis   *stream.Service
	firehose  *firehose.Service
	dynamo    *dynamo.Service
	catalog   *catalog.Service
	athena    *sql.Service
	warehouse *warehouse.Service
	function  *function.Service
	logs      *logs.Service
	jobs      *jobs.Service
	emr       *emr.Service
	ui        *ui.Service
	services  []service    // started, in order
	handler   http.Handler // every route; set before the listener serves
	ln        net.Listener
	srv       *http.Server
	serveErr  chan error
}

// New validates cfg and builds the platform; it opens and starts nothing.
func New(cfg config.Config, opts Options) (*Platform, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Platform{
		cfg: cfg, log: log, version: opts.Version, fhSchemas: opts.FirehoseSchemas, metrics: metrics.New(),
		verify: sigv4.New(sigv4.Options{Keys: map[string]string{cfg.AccessKey: cfg.SecretKey}}),
	}, nil
}

// Start listens, opens the data directory, starts every service and
// begins serving (the listener comes first, so services know the
// endpoint). On error everything already opened is closed again.
func (p *Platform) Start(ctx context.Context) (err error) {
	p.started = time.Now()
	ln, err := net.Listen("tcp", p.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", p.cfg.Addr, err)
	}
	p.ln = ln
	defer func() {
		if err != nil {
			p.stopServices(ctx)
			p.closeStorage()
			ln.Close()
		}
	}()
	if err := p.openStorage(ctx); err != nil {
		return err
	}
	p.handler = p.routes()
	p.srv = &http.Server{
		Handler:           p.handler,
		ReadHeaderTimeout: 30 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(p.log.Handler(), slog.LevelDebug),
	}
	// HTTP/1.1 and unencrypted HTTP/2 with prior knowledge (h2c): Kinesis
	// SubscribeToShard is an HTTP/2 event stream at AWS.
	p.srv.Protocols = new(http.Protocols)
	p.srv.Protocols.SetHTTP1(true)
	p.srv.Protocols.SetUnencryptedHTTP2(true)
	p.serveErr = make(chan error, 1)
	go func() { p.serveErr <- p.srv.Serve(ln) }()
	p.metrics.Gauge("tarn_uptime_seconds", "Seconds since tarn started.", func() float64 {
		return time.Since(p.started).Seconds()
	})
	return nil
}

func (p *Platform) openStorage(ctx context.Context) error {
	noSync := p.cfg.Durability == config.DurabilityProcess
	dir := p.cfg.DataDir
	for _, sub := range []string{"", "lake", "meta", "nats", "tmp"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return fmt.Errorf("data directory: %w", err)
		}
	}
	db, err := kv.Open(filepath.Join(dir, "meta"), kv.Options{NoSync: noSync, Logger: p.log})
	if err != nil {
		return err
	}
	p.db = db
	blobs, err := fsblob.New(fsblob.Options{Dir: filepath.Join(dir, "lake"), NoSync: noSync})
	if err != nil {
		return err
	}
	// CloudWatch Logs first: functions log into it.
	p.logs, err = logs.New(logs.Options{DB: db, Meta: db.Space("logs/"), Logger: p.log.With("service", "logs"),
		Region: p.cfg.Region})
	if err := p.start(ctx, p.logs, err); err != nil {
		return err
	}
	// Functions before S3: S3's notification relay delivers to them. Their
	// code source and destination writer reach the lake once it exists.
	code, objects := &functionCode{}, newFunctionObjects()
	p.function, err = function.New(function.Options{Meta: db.Space("lambda/"), DataDir: dir,
		Logger: p.log.With("service", "lambda"), Region: p.cfg.Region, Endpoint: p.Endpoint(),
		AccessKey: p.cfg.AccessKey, SecretKey: p.cfg.SecretKey, Code: code, Objects: objects,
		Logs: functionLogs{p.logs}})
	if err := p.start(ctx, p.function, err); err != nil {
		return err
	}
	events := functionEvents{p.function}
	p.s3, err = s3.New(s3.Options{DB: db, Meta: db.Space("s3/"), Blobs: blobs,
		Logger: p.log.With("service", "s3"), Region: p.cfg.Region, Notifier: events, Functions: events})
	if err := p.start(ctx, p.s3, err); err != nil {
		return err
	}
	code.s3 = p.s3
	objects.ready(p.s3)
	p.nats, err = natsd.New(natsd.Options{StoreDir: filepath.Join(dir, "nats"), NoSync: noSync,
		Logger: p.log.With("service", "nats")})
	if err != nil {
		return err
	}
	if err := p.nats.Start(ctx); err != nil {
		p.nats = nil
		return err
	}
	p.kinesis, err = stream.New(stream.Options{Meta: db.Space("kinesis/"), NATS: p.nats,
		Logger: p.log.With("service", "kinesis"), Region: p.cfg.Region})
	if err := p.start(ctx, p.kinesis, err); err != nil {
		return err
	}
	p.catalog, err = catalog.New(catalog.Options{DB: db, Meta: db.Space("glue/"), Lake: crawlerLake{p.s3},
		Logger: p.log.With("service", "glue"), Region: p.cfg.Region})
	if err := p.start(ctx, p.catalog, err); err != nil {
		return err
	}
	lake := &queryLake{s3: p.s3, blobs: filepath.Join(dir, "lake"), copies: filepath.Join(dir, "tmp", "sql-objects")}
	p.athena, err = sql.New(sql.Options{Meta: db.Space("athena/"), Catalog: queryCatalog{p.catalog}, Lake: lake,
		ScratchDir: filepath.Join(dir, "tmp", "sql"), Logger: p.log.With("service", "athena"), Region: p.cfg.Region,
		MemoryLimit: sqlMemoryLimit})
	if err := p.start(ctx, p.athena, err); err != nil {
		return err
	}
	schemas := p.fhSchemas
	if schemas == nil {
		schemas = catalogSchemas{p.catalog}
	}
	p.firehose, err = firehose.New(firehose.Options{DB: db, Meta: db.Space("firehose/"), Lake: lakeAdapter{p.s3},
		Kinesis: kinesisReader{p.kinesis}, Logger: p.log.With("service", "firehose"), Region: p.cfg.Region,
		Schemas: schemas, TempDir: filepath.Join(p.cfg.DataDir, "tmp", "firehose")})
	if err := p.start(ctx, p.firehose, err); err != nil {
		return err
	}
	p.dynamo, err = dynamo.New(dynamo.Options{DB: db, Meta: db.Space("dynamodb/"),
		Logger: p.log.With("service", "dynamodb"), Region: p.cfg.Region})
	if err := p.start(ctx, p.dynamo, err); err != nil {
		return err
	}
	// Event source mappings read Kinesis and DynamoDB Streams: built after both.
	esm, err := function.NewMappings(p.function, p.esmOptions())
	if err := p.start(ctx, esm, err); err != nil {
		return err
	}
	pgAddr := p.cfg.PGAddr
	if pgAddr == config.PGOff {
		pgAddr = ""
	}
	var pgTLS *tls.Config
	if p.cfg.PGTLSCert != "" {
		cert, err := tls.LoadX509KeyPair(p.cfg.PGTLSCert, p.cfg.PGTLSKey)
		if err != nil {
			return fmt.Errorf("warehouse TLS: %w", err)
		}
		pgTLS = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}
	p.warehouse, err = warehouse.New(warehouse.Options{DataFile: filepath.Join(dir, "warehouse.duckdb"),
		Lake: lake, Catalog: queryCatalog{p.catalog}, Users: p.secretOf, PGAddr: pgAddr, TLSConfig: pgTLS,
		Logger: p.log.With("service", "warehouse"), Region: p.cfg.Region, Meta: db.Space("redshift-data/"),
		ScratchDir: filepath.Join(dir, "tmp", "warehouse"), MemoryLimit: sqlMemoryLimit})
	if err := p.start(ctx, p.warehouse, err); err != nil {
		return err
	}
	return p.startBatch(ctx)
}

// accountID is tarn's one account.
const accountID = "000000000000"

// startBatch starts Glue jobs and EMR (both run SQL on Athena's engine
// and the warehouse, so they come last) and the web UI.
func (p *Platform) startBatch(ctx context.Context) error {
	db := p.db
	runner := jobsSQL{athena: p.athena, warehouse: p.warehouse, output: p.glueAssets}
	lake := jobsLake{p.s3}
	var err error
	p.jobs, err = jobs.New(jobs.Options{DB: db, Meta: db.Space("gluejobs/"), Logger: p.log.With("service", "glue-jobs"),
		Region: p.cfg.Region, SQL: glueSQL{runner}, Lake: lake, Logs: jobLogs{p.logs}, Crawlers: jobCrawlers{p.catalog},
		Endpoint: p.Endpoint(), AccessKey: p.cfg.AccessKey, SecretKey: p.cfg.SecretKey, SparkConnect: p.cfg.SparkConnect})
	if err := p.start(ctx, p.jobs, err); err != nil {
		return err
	}
	p.emr, err = emr.New(emr.Options{DB: db, Meta: db.Space("emr/"), Logger: p.log.With("service", "emr"),
		Region: p.cfg.Region, SQL: emrSQL{runner}, Lake: lake, SparkConnect: p.cfg.SparkConnect})
	if err := p.start(ctx, p.emr, err); err != nil {
		return err
	}
	upstream := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { p.handler.ServeHTTP(w, r) })
	p.ui, err = ui.New(ui.Options{Upstream: upstream, Secret: p.secretOf, Meta: db.Space("ui/"), Region: p.cfg.Region,
		Preview: p.previewObject,
		Logger:  p.log.With("service", "ui")})
	return p.start(ctx, p.ui, err)
}

// previewObject reads the first rows of a Parquet object for the web
// console, on Athena's sandboxed engine.
func (p *Platform) previewObject(ctx context.Context, bucket, key string, limit int) (ui.Preview, error) {
	cols, types, rows, err := p.athena.Preview(ctx, bucket, key, limit)
	if err != nil {
		if errors.Is(err, sql.ErrNoSuchObject) || errors.Is(err, sql.ErrNoSuchBucket) || errors.Is(err, sql.ErrNotParquet) {
			return ui.Preview{}, fmt.Errorf("%w: %v", ui.ErrNoPreview, err)
		}
		return ui.Preview{}, err
	}
	return ui.Preview{Columns: cols, Types: types, Rows: rows}, nil
}

// glueAssets is where Glue jobs' and EMR steps' Athena results go: the
// bucket Glue keeps its own assets in, created on first use.
func (p *Platform) glueAssets(region string) string {
	if region == "" {
		region = p.cfg.Region
	}
	bucket := "aws-glue-assets-" + accountID + "-" + region
	if err := p.s3.EnsureBucket(region, bucket); err != nil {
		p.log.Error("glue assets bucket", "bucket", bucket, "err", err)
	}
	return "s3://" + bucket + "/temporary/athena/"
}

// secretOf is the platform's one key pair, as the warehouse's users: the
// access key id is the user name and the secret its password.
func (p *Platform) secretOf(user string) (string, bool) {
	if user != p.cfg.AccessKey {
		return "", false
	}
	return p.cfg.SecretKey, true
}

// sqlMemoryLimit bounds the SQL engine's memory (DuckDB's default is 80%
// of RAM); past it DuckDB spills to tmp/sql.
const sqlMemoryLimit = "4GB"

// service is what the platform starts and stops.
type service interface {
	Start(ctx context.Context) error
	Stop(ctx context.Context) error
}

// start starts svc unless newErr (the error of its New) is set; a started
// service is stopped by Stop, in reverse order of starting. A service
// whose Start fails is stopped at once, so it may release what it took.
func (p *Platform) start(ctx context.Context, svc service, newErr error) error {
	if newErr != nil {
		return newErr
	}
	if err := svc.Start(ctx); err != nil {
		_ = svc.Stop(ctx)
		return err
	}
	p.services = append(p.services, svc)
	return nil
}

// Addr is the address the platform listens on (with the real port when
// the configured one was 0). Valid after Start.
func (p *Platform) Addr() string { return p.ln.Addr().String() }

// Endpoint is the URL clients point AWS_ENDPOINT_URL at.
func (p *Platform) Endpoint() string { return "http://" + p.Addr() }

// PGAddr is the warehouse's PostgreSQL-wire address ("" when pg_addr is
// off). Valid after Start.
func (p *Platform) PGAddr() string {
	if a := p.warehouse.Addr(); a != nil {
		return a.String()
	}
	return ""
}

// NATS is the platform's JetStream server (for benchmarks and tools that
// compare against raw JetStream). Valid after Start.
func (p *Platform) NATS() *natsd.Server { return p.nats }

// Config returns the configuration the platform runs with.
func (p *Platform) Config() config.Config { return p.cfg }

// Stop stops accepting requests, waits for in-flight ones until ctx is
// done, then stops the services in reverse order and closes the database.
func (p *Platform) Stop(ctx context.Context) error {
	var errs []error
	if p.srv != nil {
		if err := p.srv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("http shutdown: %w", err))
			p.srv.Close()
		}
		if err := <-p.serveErr; err != nil && !errors.Is(err, http.ErrServerClosed) {
			errs = append(errs, err)
		}
	}
	errs = append(errs, p.stopServices(ctx)...)
	if err := p.closeStorage(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// stopServices stops the started services in reverse order.
func (p *Platform) stopServices(ctx context.Context) []error {
	var errs []error
	for i := len(p.services) - 1; i >= 0; i-- {
		if err := p.services[i].Stop(ctx); err != nil {
			errs = append(errs, err)
		}
	}
	p.services = nil
	return errs
}

// closeStorage stops NATS and closes the database (the engines every
// service writes to, so they go last).
func (p *Platform) closeStorage() error {
	var errs []error
	if p.nats != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		errs = append(errs, p.nats.Stop(ctx))
		cancel()
		p.nats = nil
	}
	if p.db != nil {
		errs = append(errs, p.db.Close())
		p.db = nil
	}
	return errors.Join(errs...)
}
