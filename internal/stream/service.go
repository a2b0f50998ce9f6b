package stream

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/kv"
	"github.com/tarnhq/tarn/internal/natsd"
	"github.com/tarnhq/tarn/internal/sigv4"
	"github.com/tarnhq/tarn/internal/token"
)

// Defaults and AWS limits.
const (
	DefaultRegion = "us-east-1"
	// DefaultShardLimit is the account's shard quota per region.
	DefaultShardLimit = 500
	// TargetPrefix is the X-Amz-Target prefix of the Kinesis API.
	TargetPrefix = "Kinesis_20131202"

	accountID             = "000000000000"
	defaultRetentionHours = 24
	onDemandShards        = 4
	maxRecordData         = 1 << 20
	maxPutRecords         = 500
	maxPutRecordsBytes    = 5 << 20
	maxGetRecordsLimit    = 10000
	maxGetRecordsBytes    = 10 << 20
	iteratorTTL           = 5 * time.Minute
)

// Options configure New. Meta and NATS are required.
type Options struct {
	Meta   kv.Space      // stream metadata, a space of the platform database
	NATS   *natsd.Server // started before Service.Start
	Logger *slog.Logger
	// Region is used for requests whose signature names none.
	Region string
	// ShardLimit is the shard quota per region; 0 means DefaultShardLimit.
	ShardLimit int
	// Now returns the time (iterator expiry, timestamps); nil means time.Now.
	Now func() time.Time
	// SubscriptionLimit is how long a SubscribeToShard call streams
	// before the server ends it; 0 means DefaultSubscriptionLimit.
	SubscriptionLimit time.Duration
}

// Service is the Kinesis Data Streams API. Safe for concurrent use
// between Start and Stop.
type Service struct {
	meta       kv.Space
	natsd      *natsd.Server
	log        *slog.Logger
	region     string
	shardLimit int
	now        func() time.Time
	api        *awsjson.Service

	subscribeLimit time.Duration
	efo            efoState

	// set by Start
	nc     *nats.Conn
	js     jetstream.JetStream
	tokens *token.Key

	mu        sync.RWMutex
	streams   map[string]*streamState // key: region + "/" + name
	lastEpoch int64                   // guards epoch uniqueness

	// bg is cancelled by Stop, which then waits for bgWG: the lifecycle
	// tasks (lifecycle.go) run under it.
	bg       context.Context
	bgCancel context.CancelFunc
	bgWG     sync.WaitGroup

	// reshardHook, if set (tests only), runs in the reshard task while
	// the named stream is UPDATING, before it applies the change. createHook and
	// deleteHook (tests only) run in the background task while the named
	// stream is CREATING or DELETING, before the task does its work.
	reshardHook func(name string)
	createHook  func(name string)
	deleteHook  func(name string)
}

// New validates opts; it starts nothing.
func New(opts Options) (*Service, error) {
	if opts.NATS == nil {
		return nil, errors.New("stream: Options.NATS is required")
	}
	s := &Service{meta: opts.Meta, natsd: opts.NATS, log: opts.Logger, region: opts.Region,
		shardLimit: opts.ShardLimit, now: opts.Now, streams: map[string]*streamState{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.region == "" {
		s.region = DefaultRegion
	}
	if s.shardLimit == 0 {
		s.shardLimit = DefaultShardLimit
	}
	s.subscribeLimit, s.efo.subs = opts.SubscriptionLimit, map[string]context.CancelFunc{}
	if s.subscribeLimit == 0 {
		s.subscribeLimit = DefaultSubscriptionLimit
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.api = awsjson.NewService("Kinesis", TargetPrefix, s.log)
	s.api.RegisterCodec(awsjson.CBOR) // the Java SDK and KCL default
	s.register()
	return s, nil
}

func (s *Service) register() {
	a := s.api
	a.Handle("CreateStream", awsjson.Op(s.createStream))
	a.Handle("DeleteStream", awsjson.Op(s.deleteStream))
	a.Handle("DescribeStream", awsjson.Op(s.describeStream))
	a.Handle("DescribeStreamSummary", awsjson.Op(s.describeStreamSummary))
	a.Handle("ListStreams", awsjson.Op(s.listStreams))
	a.Handle("ListShards", awsjson.Op(s.listShards))
	a.Handle("PutRecord", awsjson.Op(s.putRecord))
	a.Handle("PutRecords", awsjson.Op(s.putRecords))
	a.Handle("GetShardIterator", awsjson.Op(s.getShardIterator))
	a.Handle("GetRecords", awsjson.Op(s.getRecords))
	a.Handle("SplitShard", awsjson.Op(s.splitShard))
	a.Handle("MergeShards", awsjson.Op(s.mergeShards))
	a.Handle("UpdateShardCount", awsjson.Op(s.updateShardCount))
	a.Handle("IncreaseStreamRetentionPeriod", awsjson.Op(s.increaseRetention))
	a.Handle("DecreaseStreamRetentionPeriod", awsjson.Op(s.decreaseRetention))
	a.Handle("AddTagsToStream", awsjson.Op(s.addTagsToStream))
	a.Handle("ListTagsForStream", awsjson.Op(s.listTagsForStream))
	a.Handle("RemoveTagsFromStream", awsjson.Op(s.removeTagsFromStream))
	a.Handle("TagResource", awsjson.Op(s.tagResource))
	a.Handle("UntagResource", awsjson.Op(s.untagResource))
	a.Handle("ListTagsForResource", awsjson.Op(s.listTagsForResource))
	a.Handle("RegisterStreamConsumer", awsjson.Op(s.registerStreamConsumer))
	a.Handle("DescribeStreamConsumer", awsjson.Op(s.describeStreamConsumer))
	a.Handle("ListStreamConsumers", awsjson.Op(s.listStreamConsumers))
	a.Handle("DeregisterStreamConsumer", awsjson.Op(s.deregisterStreamConsumer))
	// SubscribeToShard streams its answer: handler() routes it (JSON and CBOR).
	// Not yet implemented: each answers UnknownOperationException naming it.
	a.Unimplemented("SubscribeToShard", "UpdateStreamMode",
		"StartStreamEncryption", "StopStreamEncryption", "EnableEnhancedMonitoring",
		"DisableEnhancedMonitoring", "DescribeLimits", "DescribeAccountSettings",
		"UpdateAccountSettings", "PutResourcePolicy", "GetResourcePolicy",
		"DeleteResourcePolicy", "UpdateMaxRecordSize", "UpdateStreamWarmThroughput")
}

// Handler serves the Kinesis API. The platform must have verified the
// request's signature; its region (sigv4.Auth) scopes the streams.
func (s *Service) Handler() http.Handler { return s.handler() }

// Start connects to JetStream, loads the token key and the stream table
// and finishes creations, deletions and reshards a crash interrupted. It must run
// before the handler serves requests.
func (s *Service) Start(ctx context.Context) error {
	s.nc, s.js = s.natsd.Conn(), s.natsd.JetStream()
	if s.nc == nil {
		return errors.New("stream: NATS server is not started")
	}
	key, err := token.Load(s.meta)
	if err != nil {
		return err
	}
	s.tokens = key
	s.bg, s.bgCancel = context.WithCancel(context.Background())
	if err := s.load(ctx); err != nil {
		return fmt.Errorf("stream: load: %w", err)
	}
	return nil
}

// Stop ends the lifecycle tasks (a stream left CREATING, DELETING or
// UPDATING is finished at the next Start) and stops every stream's batcher after the
// writes it holds complete.
func (s *Service) Stop(ctx context.Context) error {
	if s.bgCancel != nil {
		s.bgCancel()
		s.bgWG.Wait()
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.streams {
		st.batch.stop()
	}
	return nil
}

// regionOf is the region a request is scoped to.
func (s *Service) regionOf(ctx context.Context) string {
	return sigv4.RegionOr(ctx, s.region)
}
