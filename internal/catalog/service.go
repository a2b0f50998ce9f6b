package catalog

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/kv"
)

// Defaults.
const (
	DefaultRegion = "us-east-1"
	// TargetPrefix is the X-Amz-Target prefix of the Glue API.
	TargetPrefix = "AWSGlue"
	// DefaultSchedulerInterval is how often the crawler scheduler checks
	// for due schedules (cron granularity is one minute).
	DefaultSchedulerInterval = 15 * time.Second

	accountID = "000000000000"
)

// Options configure New. DB and Meta are required; Lake is required for
// crawls (without it StartCrawler answers an error).
type Options struct {
	DB     *kv.DB   // the platform database, for atomic batches
	Meta   kv.Space // catalog state, a space of DB
	Lake   Lake     // what crawlers read
	Logger *slog.Logger
	// Region is used for requests whose signature names none and for Go
	// API calls with region "".
	Region string
	// Now returns the time; nil means time.Now.
	Now func() time.Time
	// SchedulerInterval is how often schedules are checked; 0 means
	// DefaultSchedulerInterval, negative disables the scheduler loop
	// (tests drive it through the scheduler's tick).
	SchedulerInterval time.Duration
	// Sample bounds what a crawl reads of one file; zero values mean the
	// defaults of SampleLimits.
	Sample SampleLimits
}

// Service is the Glue Data Catalog and crawlers. Safe for concurrent use
// between Start and Stop.
//
// Lock order: mu (catalog writes) is taken inside crawlMu never the
// other way round; a crawl holds neither while it reads the lake.
type Service struct {
	db       *kv.DB
	meta     kv.Space
	lake     Lake
	log      *slog.Logger
	region   string
	now      func() time.Time
	interval time.Duration
	sample   SampleLimits
	api      *awsjson.Service

	// mu serializes catalog read-modify-writes (databases, tables,
	// versions, partitions).
	mu sync.Mutex

	// crawlMu guards crawler records' state transitions and runs.
	crawlMu sync.Mutex
	runs    map[string]*crawlRun // key: region + "/" + crawler name

	wg       sync.WaitGroup // crawl goroutines and the scheduler
	stopOnce sync.Once
	stopCh   chan struct{}
	baseCtx  context.Context
	cancel   context.CancelFunc
}

// New validates opts; it starts nothing.
func New(opts Options) (*Service, error) {
	if opts.DB == nil {
		return nil, errors.New("catalog: Options.DB is required")
	}
	s := &Service{db: opts.DB, meta: opts.Meta, lake: opts.Lake, log: opts.Logger, region: opts.Region,
		now: opts.Now, interval: opts.SchedulerInterval, sample: opts.Sample.withDefaults(),
		runs: map[string]*crawlRun{}, stopCh: make(chan struct{})}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.region == "" {
		s.region = DefaultRegion
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.interval == 0 {
		s.interval = DefaultSchedulerInterval
	}
	s.api = awsjson.NewService("Glue", TargetPrefix, s.log)
	s.register()
	return s, nil
}

// Handler serves the Glue API. The platform must have verified the
// request's signature; its region (sigv4.Auth) scopes the catalog.
func (s *Service) Handler() http.Handler { return s.api }

// Start recovers crawlers a crash left RUNNING or STOPPING (their last
// crawl becomes FAILED) and starts the scheduler.
func (s *Service) Start(ctx context.Context) error {
	s.baseCtx, s.cancel = context.WithCancel(context.WithoutCancel(ctx))
	if err := s.recoverCrawlers(); err != nil {
		return fmt.Errorf("catalog: start: %w", err)
	}
	if s.interval > 0 {
		s.wg.Add(1)
		go s.schedulerLoop()
	}
	return nil
}

// Stop cancels running crawls (their last crawl becomes FAILED: the
// service stopped) and the scheduler, and waits for them.
func (s *Service) Stop(ctx context.Context) error {
	s.stopOnce.Do(func() {
		close(s.stopCh)
		if s.cancel != nil {
			s.cancel()
		}
	})
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Service) register() {
	a := s.api
	a.Handle("CreateDatabase", awsjson.Op(s.opCreateDatabase))
	a.Handle("GetDatabase", awsjson.Op(s.opGetDatabase))
	a.Handle("GetDatabases", awsjson.Op(s.opGetDatabases))
	a.Handle("UpdateDatabase", awsjson.Op(s.opUpdateDatabase))
	a.Handle("DeleteDatabase", awsjson.Op(s.opDeleteDatabase))
	a.Handle("CreateTable", awsjson.Op(s.opCreateTable))
	a.Handle("GetTable", awsjson.Op(s.opGetTable))
	a.Handle("GetTables", awsjson.Op(s.opGetTables))
	a.Handle("UpdateTable", awsjson.Op(s.opUpdateTable))
	a.Handle("DeleteTable", awsjson.Op(s.opDeleteTable))
	a.Handle("BatchDeleteTable", awsjson.Op(s.opBatchDeleteTable))
	a.Handle("GetTableVersions", awsjson.Op(s.opGetTableVersions))
	a.Handle("GetTableVersion", awsjson.Op(s.opGetTableVersion))
	a.Handle("DeleteTableVersion", awsjson.Op(s.opDeleteTableVersion))
	a.Handle("BatchDeleteTableVersion", awsjson.Op(s.opBatchDeleteTableVersion))
	a.Handle("CreatePartition", awsjson.Op(s.opCreatePartition))
	a.Handle("BatchCreatePartition", awsjson.Op(s.opBatchCreatePartition))
	a.Handle("GetPartition", awsjson.Op(s.opGetPartition))
	a.Handle("GetPartitions", awsjson.Op(s.opGetPartitions))
	a.Handle("BatchGetPartition", awsjson.Op(s.opBatchGetPartition))
	a.Handle("UpdatePartition", awsjson.Op(s.opUpdatePartition))
	a.Handle("BatchUpdatePartition", awsjson.Op(s.opBatchUpdatePartition))
	a.Handle("DeletePartition", awsjson.Op(s.opDeletePartition))
	a.Handle("BatchDeletePartition", awsjson.Op(s.opBatchDeletePartition))
	a.Handle("CreateCrawler", awsjson.Op(s.opCreateCrawler))
	a.Handle("GetCrawler", awsjson.Op(s.opGetCrawler))
	a.Handle("GetCrawlers", awsjson.Op(s.opGetCrawlers))
	a.Handle("BatchGetCrawlers", awsjson.Op(s.opBatchGetCrawlers))
	a.Handle("ListCrawlers", awsjson.Op(s.opListCrawlers))
	a.Handle("UpdateCrawler", awsjson.Op(s.opUpdateCrawler))
	a.Handle("DeleteCrawler", awsjson.Op(s.opDeleteCrawler))
	a.Handle("StartCrawler", awsjson.Op(s.opStartCrawler))
	a.Handle("StopCrawler", awsjson.Op(s.opStopCrawler))
	a.Handle("GetCrawlerMetrics", awsjson.Op(s.opGetCrawlerMetrics))
	a.Handle("StartCrawlerSchedule", awsjson.Op(s.opStartCrawlerSchedule))
	a.Handle("StopCrawlerSchedule", awsjson.Op(s.opStopCrawlerSchedule))
	a.Handle("UpdateCrawlerSchedule", awsjson.Op(s.opUpdateCrawlerSchedule))
	a.Handle("TagResource", awsjson.Op(s.opTagResource))
	a.Handle("UntagResource", awsjson.Op(s.opUntagResource))
	a.Handle("GetTags", awsjson.Op(s.opGetTags))
	a.Unimplemented(unimplementedOps()...)
}
