package logs

import (
	"context"
	"errors"
	"fmt"
	"hash/maphash"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/kv"
	"github.com/tarnhq/tarn/internal/token"
)

// Defaults.
const (
	DefaultRegion = "us-east-1"
	// TargetPrefix is the X-Amz-Target prefix of the CloudWatch Logs API.
	TargetPrefix = "Logs_20140328"
	// DefaultSweepInterval is how often the retention sweep deletes
	// expired events.
	DefaultSweepInterval = time.Hour

	stripes = 64
)

// Options configure New. DB and Meta are required; the rest is valid at
// its zero value.
type Options struct {
	DB     *kv.DB   // the platform database, for atomic batches
	Meta   kv.Space // all CloudWatch Logs state, a space of DB (e.g. db.Space("logs/"))
	Logger *slog.Logger
	// Region is used for requests whose signature names none and for Go
	// API calls with region "".
	Region string
	// Now returns the time; nil means time.Now.
	Now func() time.Time
}

// Service is CloudWatch Logs. Safe for concurrent use between Start and
// Stop; Put may be called once New returned.
//
// Lock order: mu (the set of groups and streams) before a stream stripe,
// both before cache.mu (see recordCache).
// Writers of events hold mu.RLock and their stream's stripe; creating or
// deleting groups and streams, retention and tag changes hold mu.Lock.
type Service struct {
	db     *kv.DB
	meta   kv.Space
	log    *slog.Logger
	region string
	now    func() time.Time
	api    *awsjson.Service
	seed   maphash.Seed

	keyOnce sync.Once
	key     *token.Key
	keyErr  error

	mu     sync.RWMutex
	cache  recordCache
	stripe [stripes]sync.Mutex // guard one stream record's read-modify-write

	interval time.Duration // retention sweep period; tests set it <0 to disable
	wg       sync.WaitGroup
	stopOnce sync.Once
	stopCh   chan struct{}
}

// New validates opts; it starts nothing.
func New(opts Options) (*Service, error) {
	if opts.DB == nil {
		return nil, errors.New("logs: Options.DB is required")
	}
	if opts.Meta.DB() != opts.DB {
		return nil, errors.New("logs: Options.Meta must be a space of Options.DB")
	}
	s := &Service{db: opts.DB, meta: opts.Meta, log: opts.Logger, region: opts.Region, now: opts.Now,
		seed: maphash.MakeSeed(), interval: DefaultSweepInterval, stopCh: make(chan struct{})}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.region == "" {
		s.region = DefaultRegion
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.api = awsjson.NewService("CloudWatchLogs", TargetPrefix, s.log)
	s.register()
	return s, nil
}

// Handler serves the CloudWatch Logs API. The platform must have verified
// the request's signature; its region (sigv4.Auth) scopes the data.
func (s *Service) Handler() http.Handler { return s.api }

// Start loads the token key and starts the retention sweep.
func (s *Service) Start(ctx context.Context) error {
	if _, err := s.tokenKey(); err != nil {
		return fmt.Errorf("logs: start: %w", err)
	}
	if s.interval > 0 {
		s.wg.Add(1)
		go s.sweepLoop()
	}
	return nil
}

// Stop ends the retention sweep and waits for it.
func (s *Service) Stop(ctx context.Context) error {
	s.stopOnce.Do(func() { close(s.stopCh) })
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// tokenKey loads (once) the key that seals pagination tokens.
func (s *Service) tokenKey() (*token.Key, error) {
	s.keyOnce.Do(func() { s.key, s.keyErr = token.Load(s.meta) })
	return s.key, s.keyErr
}

// stripeOf is the mutex guarding a stream's record.
func (s *Service) stripeOf(region, group, stream string) *sync.Mutex {
	var h maphash.Hash
	h.SetSeed(s.seed)
	h.WriteString(region)
	h.WriteByte(0)
	h.WriteString(group)
	h.WriteByte(0)
	h.WriteString(stream)
	return &s.stripe[h.Sum64()%stripes]
}

func (s *Service) nowMS() int64 { return s.now().UnixMilli() }

func (s *Service) sweepLoop() {
	defer s.wg.Done()
	t := time.NewTicker(s.interval)
	defer t.Stop()
	for {
		if err := s.sweep(); err != nil {
			s.log.Error("logs: retention sweep", "err", err)
		}
		select {
		case <-s.stopCh:
			return
		case <-t.C:
		}
	}
}

func (s *Service) register() {
	a := s.api
	a.Handle("CreateLogGroup", op(s, s.opCreateLogGroup))
	a.Handle("DeleteLogGroup", op(s, s.opDeleteLogGroup))
	a.Handle("DescribeLogGroups", op(s, s.opDescribeLogGroups))
	a.Handle("CreateLogStream", op(s, s.opCreateLogStream))
	a.Handle("DeleteLogStream", op(s, s.opDeleteLogStream))
	a.Handle("DescribeLogStreams", op(s, s.opDescribeLogStreams))
	a.Handle("PutLogEvents", op(s, s.opPutLogEvents))
	a.Handle("GetLogEvents", op(s, s.opGetLogEvents))
	a.Handle("FilterLogEvents", op(s, s.opFilterLogEvents))
	a.Handle("PutRetentionPolicy", op(s, s.opPutRetentionPolicy))
	a.Handle("DeleteRetentionPolicy", op(s, s.opDeleteRetentionPolicy))
	a.Handle("TagResource", op(s, s.opTagResource))
	a.Handle("UntagResource", op(s, s.opUntagResource))
	a.Handle("ListTagsForResource", op(s, s.opListTagsForResource))
	a.Handle("TagLogGroup", op(s, s.opTagLogGroup))
	a.Handle("UntagLogGroup", op(s, s.opUntagLogGroup))
	a.Handle("ListTagsLogGroup", op(s, s.opListTagsLogGroup))
	a.Unimplemented(unimplementedOps()...)
}

// op adapts an operation to awsjson. Failures that are not the client's
// (storage errors) are logged and answered as CloudWatch Logs does, with
// ServiceUnavailableException (500), never with their details.
func op[In, Out any](s *Service, fn func(ctx context.Context, in *In) (*Out, error)) awsjson.Handler {
	return awsjson.Op(func(ctx context.Context, in *In) (*Out, error) {
		out, err := fn(ctx, in)
		var ae *awsjson.Error
		if err != nil && !errors.As(err, &ae) {
			s.log.Error("logs: operation failed", "err", err)
			return nil, errUnavailable()
		}
		return out, err
	})
}
