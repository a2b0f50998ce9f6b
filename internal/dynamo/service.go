package dynamo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/kv"
	"github.com/tarnhq/tarn/internal/sigv4"
	"github.com/tarnhq/tarn/internal/token"
)

// Defaults and AWS limits.
const (
	DefaultRegion = "us-east-1"
	// TargetPrefix and StreamsTargetPrefix are the X-Amz-Target prefixes
	// of the DynamoDB and DynamoDB Streams APIs.
	TargetPrefix        = "DynamoDB_20120810"
	StreamsTargetPrefix = "DynamoDBStreams_20120810"
	// DefaultTTLSweepInterval is how often expired items are deleted.
	DefaultTTLSweepInterval = 30 * time.Second
	// DefaultTrimInterval is how often stream records past the retention
	// are removed.
	DefaultTrimInterval = 5 * time.Minute
	// StreamRetention is how long stream records stay readable.
	StreamRetention = 24 * time.Hour

	accountID       = "000000000000"
	maxItemSize     = 400 * 1024
	maxHashKeySize  = 2048
	maxRangeKeySize = 1024
	maxPageBytes    = 1 << 20
	iteratorTTL     = 15 * time.Minute
	idempotencyTTL  = 10 * time.Minute
	numStripes      = 4096
	tableLimit      = 2500
	maxGSIs         = 20
	maxLSIs         = 5
)

// Options configure New. DB and Meta are required; every other field is
// valid at its zero value.
type Options struct {
	// DB is the platform database; Meta is a space of it that this service
	// owns entirely (tables, items, indexes, stream records).
	DB     *kv.DB
	Meta   kv.Space
	Logger *slog.Logger
	// Region is used for requests whose signature names none.
	Region string
	// Now returns the time; nil means time.Now.
	Now func() time.Time
	// TTLSweepInterval is how often the TTL sweeper runs; 0 means
	// DefaultTTLSweepInterval, a negative value disables the sweeper (tests
	// call SweepTTL).
	TTLSweepInterval time.Duration
	// TrimInterval is how often stream retention is enforced; 0 means
	// DefaultTrimInterval, negative disables it.
	TrimInterval time.Duration
	// ActivationDelay is how long a new table or index stays CREATING
	// before it turns ACTIVE (asynchronously, as on AWS). 0 flips it right
	// after the CreateTable answer.
	ActivationDelay time.Duration
	// Endpoint is the address DescribeEndpoints reports; "" means
	// "dynamodb.<region>.amazonaws.com".
	Endpoint string
}

// Service is the DynamoDB and DynamoDB Streams API. Safe for concurrent use
// between Start and Stop.
type Service struct {
	db       *kv.DB
	metaSp   kv.Space // table and stream definitions, counters, token key
	itemSp   kv.Space // items
	idxSp    kv.Space // secondary index entries
	recSp    kv.Space // stream records
	tokSp    kv.Space // transaction idempotency tokens
	ttlSp    kv.Space // TTL index: table id, expiry, item key
	log      *slog.Logger
	region   string
	now      func() time.Time
	sweepInt time.Duration
	trimInt  time.Duration
	actDelay time.Duration
	endpoint string

	api, streamsAPI *awsjson.Service
	tokens          *token.Key

	locks [numStripes]sync.Mutex // item stripes; see lockItems

	mu      sync.RWMutex
	tables  map[string]*table       // region + "/" + name
	streams map[uint64]*streamState // by stream ID
	nextID  uint64                  // last table/stream id allocated

	bg     sync.WaitGroup
	bgCtx  context.Context // background work; canceled by Stop
	cancel context.CancelFunc
}

// New validates opts; it starts nothing.
func New(opts Options) (*Service, error) {
	if opts.DB == nil {
		return nil, errors.New("dynamo: Options.DB is required")
	}
	s := &Service{db: opts.DB, log: opts.Logger, region: opts.Region, now: opts.Now,
		sweepInt: opts.TTLSweepInterval, trimInt: opts.TrimInterval, actDelay: opts.ActivationDelay,
		endpoint: opts.Endpoint, tables: map[string]*table{}, streams: map[uint64]*streamState{}}
	s.metaSp, s.itemSp, s.idxSp = opts.Meta.Sub("m/"), opts.Meta.Sub("i/"), opts.Meta.Sub("x/")
	s.recSp, s.tokSp, s.ttlSp = opts.Meta.Sub("r/"), opts.Meta.Sub("k/"), opts.Meta.Sub("e/")
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.region == "" {
		s.region = DefaultRegion
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.sweepInt == 0 {
		s.sweepInt = DefaultTTLSweepInterval
	}
	if s.trimInt == 0 {
		s.trimInt = DefaultTrimInterval
	}
	s.api = awsjson.NewService("DynamoDB", TargetPrefix, s.log)
	s.api.RegisterCodec(codec{})
	s.streamsAPI = awsjson.NewService("DynamoDBStreams", StreamsTargetPrefix, s.log)
	s.streamsAPI.RegisterCodec(awsjson.JSON10)
	s.register()
	return s, nil
}

// Handler serves both APIs, routed by the X-Amz-Target prefix, with
// X-Amz-Crc32 on every answer. The platform must have verified the
// request's signature; its region (sigv4.Auth) scopes the tables.
func (s *Service) Handler() http.Handler {
	return awsjson.WithCRC32(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.Header.Get("X-Amz-Target"), StreamsTargetPrefix+".") {
			s.streamsAPI.ServeHTTP(w, r)
			return
		}
		s.api.ServeHTTP(w, r)
	}))
}

// Start loads the tables and streams, recomputes the table statistics,
// resumes index backfills a crash interrupted and starts the background
// tasks (activation, TTL sweeper, stream trimming). It must run before the
// handler serves requests.
func (s *Service) Start(ctx context.Context) error {
	key, err := token.Load(s.metaSp)
	if err != nil {
		return err
	}
	s.tokens = key
	bgctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.bgCtx, s.cancel = bgctx, cancel
	if err := s.load(bgctx); err != nil {
		cancel()
		return fmt.Errorf("dynamo: load: %w", err)
	}
	if s.sweepInt > 0 {
		s.every(bgctx, s.sweepInt, func(ctx context.Context) {
			if _, err := s.SweepTTL(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("ttl sweep", "err", err)
			}
		})
	}
	if s.trimInt > 0 {
		s.every(bgctx, s.trimInt, func(ctx context.Context) {
			if err := s.TrimStreams(ctx); err != nil && ctx.Err() == nil {
				s.log.Warn("stream trim", "err", err)
			}
		})
	}
	return nil
}

// Stop ends the background tasks and waits for them.
func (s *Service) Stop(ctx context.Context) error {
	if s.cancel != nil {
		s.cancel()
	}
	done := make(chan struct{})
	go func() { s.bg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// every runs fn every d until ctx ends.
func (s *Service) every(ctx context.Context, d time.Duration, fn func(context.Context)) {
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		t := time.NewTicker(d)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				fn(ctx)
			}
		}
	}()
}

// goBG runs fn in the background, tracked by Stop.
func (s *Service) goBG(fn func()) {
	s.bg.Add(1)
	go func() { defer s.bg.Done(); fn() }()
}

// regionOf is the region a request is scoped to.
func (s *Service) regionOf(ctx context.Context) string {
	return sigv4.RegionOr(ctx, s.region)
}
