package firehose

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/columnar"
	"github.com/tarnhq/tarn/internal/kv"
	"github.com/tarnhq/tarn/internal/sigv4"
)

// Defaults and AWS limits.
const (
	DefaultRegion = "us-east-1"
	// TargetPrefix is the X-Amz-Target prefix of the Firehose API.
	TargetPrefix = "Firehose_20150804"
	// DefaultKinesisPoll is how often a Kinesis-sourced delivery stream
	// reads each shard when it has caught up (AWS reads once a second).
	DefaultKinesisPoll = time.Second
	// DefaultRetryInterval is the wait before retrying a failed write to
	// the lake (for example into a bucket that does not exist yet).
	DefaultRetryInterval = 5 * time.Second

	accountID          = "000000000000"
	destinationID      = "destinationId-000000000001"
	maxRecordData      = 1000 * 1024
	maxBatchRecords    = 500
	maxBatchBytes      = 4 << 20
	kinesisReadLimit   = 10000
	defaultSizeMB      = 5
	defaultIntervalSec = 300
	dpMinSizeMB        = 64
	dpDefaultSizeMB    = 128
)

// Lake is where delivery streams write their objects. Platform implements
// it with the S3 service in-process. PutObject must be durable when it
// returns nil; an error leaves no object and the write is retried.
type Lake interface {
	PutObject(ctx context.Context, bucket, key string, body io.Reader, size int64) error
}

// EncodingLake is an optional ability of a Lake: it stores an object with
// a Content-Encoding. Delivery uses it for compressed objects, which AWS
// stores with Content-Encoding gzip, zip, snappy-java or hadoop-snappy;
// a Lake without it gets PutObject (no Content-Encoding).
type EncodingLake interface {
	PutObjectEncoded(ctx context.Context, bucket, key string, body io.Reader, size int64, contentEncoding string) error
}

// SourceRecord is one record read from a Kinesis stream.
type SourceRecord struct {
	SequenceNumber string
	Arrival        time.Time
	Data           []byte
}

// ReadFrom is where a shard read starts: after the sequence number After,
// or, when After is empty, at the first record stored at or after At.
type ReadFrom struct {
	After string
	At    time.Time
}

// KinesisReader reads Kinesis streams for KinesisStreamAsSource delivery
// streams. Platform implements it with the stream service. Safe for
// concurrent use.
type KinesisReader interface {
	// Shards lists the ids of every shard of the stream named by ARN. An
	// error wrapping ErrSourceNotFound means there is no such stream; one
	// wrapping ErrSourceNotActive, that it is CREATING or DELETING.
	Shards(ctx context.Context, streamARN string) ([]string, error)
	// Read returns up to limit records of one shard in order, starting at
	// from; none when the shard has no more yet.
	Read(ctx context.Context, streamARN, shardID string, from ReadFrom, limit int) ([]SourceRecord, error)
}

// KinesisNotifier is an optional ability of a KinesisReader: Notify
// returns a channel that receives a value (at most one pending) when
// records may have been added to the stream, and stop, which ends the
// notifications. With it a Kinesis source is read as soon as records
// arrive instead of at the next poll; without it (or if Notify fails)
// delivery polls as usual.
type KinesisNotifier interface {
	Notify(ctx context.Context, streamARN string) (<-chan struct{}, func(), error)
}

// ErrSourceNotFound is what a KinesisReader wraps when the stream does
// not exist.
var ErrSourceNotFound = errors.New("firehose: source stream not found")

// ErrSourceNotActive is what a KinesisReader wraps when the stream exists
// but is not ACTIVE (Kinesis's ResourceInUseException).
var ErrSourceNotActive = errors.New("firehose: source stream not active")

// Clock is the time source of buffering and retries; tests inject one.
type Clock interface {
	Now() time.Time
	// After is time.After: the channel receives once d has passed.
	After(d time.Duration) <-chan time.Time
}

type realClock struct{}

func (realClock) Now() time.Time                         { return time.Now() }
func (realClock) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Options configure New. DB and Lake are required; Meta is a space of DB.
type Options struct {
	DB   *kv.DB   // the platform database: durable buffers and positions
	Meta kv.Space // this service's space inside DB
	Lake Lake
	// Kinesis reads source streams; nil refuses KinesisStreamAsSource.
	Kinesis KinesisReader
	Logger  *slog.Logger
	// Region is used for requests whose signature names none.
	Region string
	// Clock is the time source; nil means the system clock.
	Clock Clock
	// KinesisPoll is the idle poll interval of Kinesis sources; 0 means
	// DefaultKinesisPoll.
	KinesisPoll time.Duration
	// RetryInterval is the wait between lake write attempts; 0 means
	// DefaultRetryInterval.
	RetryInterval time.Duration
	// Schemas resolves the Glue tables of data format conversion; nil
	// (until tarn has its catalog) refuses DataFormatConversionConfiguration.
	Schemas SchemaSource
	// TempDir is where Parquet files are staged before they are written
	// to the lake (the only directory the conversion's DuckDB may touch);
	// created if missing. "" means a fresh directory under os.TempDir,
	// removed by Stop.
	TempDir string
}

// Service is the Firehose API. Safe for concurrent use between Start and
// Stop. Lock order: Service.mu, then deliveryStream.writers, then
// deliveryStream.mu.
type Service struct {
	db      *kv.DB
	meta    kv.Space
	lake    Lake
	kinesis KinesisReader
	log     *slog.Logger
	region  string
	clock   Clock
	poll    time.Duration
	retry   time.Duration
	api     *awsjson.Service
	schemas SchemaSource

	colMu      sync.Mutex // guards the fields below
	tmpDir     string
	ownTmp     bool
	col        *columnar.Writer // opened by the first conversion
	colStopped bool

	mu        sync.RWMutex
	streams   map[string]*deliveryStream // key: region + "/" + name
	lastEpoch int64
	stopped   bool
}

// New validates opts; it starts nothing.
func New(opts Options) (*Service, error) {
	if opts.DB == nil || opts.Lake == nil {
		return nil, errors.New("firehose: Options.DB and Options.Lake are required")
	}
	s := &Service{db: opts.DB, meta: opts.Meta, lake: opts.Lake, kinesis: opts.Kinesis, log: opts.Logger,
		region: opts.Region, clock: opts.Clock, poll: opts.KinesisPoll, retry: opts.RetryInterval,
		schemas: opts.Schemas, tmpDir: opts.TempDir, streams: map[string]*deliveryStream{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.region == "" {
		s.region = DefaultRegion
	}
	if s.clock == nil {
		s.clock = realClock{}
	}
	if s.poll <= 0 {
		s.poll = DefaultKinesisPoll
	}
	if s.retry <= 0 {
		s.retry = DefaultRetryInterval
	}
	s.api = awsjson.NewService("Firehose", TargetPrefix, s.log)
	s.register()
	return s, nil
}

func (s *Service) register() {
	a := s.api
	a.Handle("CreateDeliveryStream", awsjson.Op(s.createDeliveryStream))
	a.Handle("DeleteDeliveryStream", awsjson.Op(s.deleteDeliveryStream))
	a.Handle("DescribeDeliveryStream", awsjson.Op(s.describeDeliveryStream))
	a.Handle("ListDeliveryStreams", awsjson.Op(s.listDeliveryStreams))
	a.Handle("PutRecord", awsjson.Op(s.putRecord))
	a.Handle("PutRecordBatch", awsjson.Op(s.putRecordBatch))
	a.Handle("UpdateDestination", awsjson.Op(s.updateDestination))
	// Not yet implemented: each answers UnknownOperationException naming it.
	a.Unimplemented("TagDeliveryStream", "UntagDeliveryStream", "ListTagsForDeliveryStream",
		"StartDeliveryStreamEncryption", "StopDeliveryStreamEncryption")
}

// Handler serves the Firehose API. The platform must have verified the
// request's signature; its region (sigv4.Auth) scopes the streams.
func (s *Service) Handler() http.Handler { return s.api }

// Start loads every delivery stream with its durable buffer and starts
// delivering. It must run before the handler serves requests.
func (s *Service) Start(ctx context.Context) error { return s.load(ctx) }

// Stop stops every delivery stream after the lake write in flight (if
// any) ends; ctx bounds the wait. Buffered records are not flushed: they
// stay in the durable buffer (or the source stream) and are delivered
// after the next Start.
func (s *Service) Stop(ctx context.Context) error {
	s.mu.Lock()
	s.stopped = true
	streams := make([]*deliveryStream, 0, len(s.streams))
	for _, d := range s.streams {
		streams = append(streams, d)
	}
	s.mu.Unlock()
	var errs []error
	for _, d := range streams {
		errs = append(errs, d.stop(ctx))
	}
	s.colMu.Lock()
	s.colStopped = true
	if s.col != nil {
		errs = append(errs, s.col.Close())
		s.col = nil
	}
	if s.ownTmp {
		errs = append(errs, os.RemoveAll(s.tmpDir))
		s.ownTmp = false
	}
	s.colMu.Unlock()
	return errors.Join(errs...)
}

// regionOf is the region a request is scoped to.
func (s *Service) regionOf(ctx context.Context) string {
	return sigv4.RegionOr(ctx, s.region)
}
