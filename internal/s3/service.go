package s3

import (
	"context"
	"errors"
	"hash/fnv"
	"log/slog"
	"net/http"
	"slices"
	"sync"
	"time"

	"github.com/tarnhq/tarn/internal/blob"
	"github.com/tarnhq/tarn/internal/kv"
)

// DefaultRegion is the region buckets get when a request names none.
const DefaultRegion = "us-east-1"

// Options configure New. DB, Meta and Blobs are required.
type Options struct {
	DB     *kv.DB     // the platform database, for atomic batches
	Meta   kv.Space   // the S3 index space inside DB
	Blobs  blob.Store // object bytes
	Logger *slog.Logger
	// Region is reported for buckets created without a LocationConstraint.
	Region string
	// Domains are the host names under which virtual-hosted-style requests
	// arrive: a request for Host "photos.<domain>" addresses bucket "photos".
	// Path-style requests always work.
	Domains []string
	// Now returns the time; nil means time.Now.
	Now func() time.Time
	// Notifier delivers S3 event notifications to Lambda functions
	// (notification.go). nil: buckets cannot be given Lambda
	// notification configurations (NotImplemented).
	Notifier Notifier
	// Functions checks notification destinations; nil accepts any
	// well-formed Lambda function ARN.
	Functions FunctionChecker
}

// DefaultDomains are used when Options.Domains is empty.
var defaultDomains = []string{"localhost", "s3.localhost", "localhost.localstack.cloud", "s3.localhost.localstack.cloud"}

// Service is the S3 API over the lake. Safe for concurrent use.
type Service struct {
	db      *kv.DB
	meta    kv.Space
	blobs   blob.Store
	log     *slog.Logger
	region  string
	domains []string
	now     func() time.Time

	notifier  Notifier        // nil: no notifications
	functions FunctionChecker // nil: any well-formed ARN
	relay     relay           // the outbox relay (notification_relay.go)
	seqMu     sync.Mutex      // guards seqLast
	seqLast   uint64          // the last event sequencer handed out

	// keyLocks serialize writers of the same object key (index
	// read-modify-write, conditional writes, old-blob deletion). Readers
	// take no lock. Lock order: bucketsMu before a keyLock.
	keyLocks [256]sync.Mutex
	// bucketsMu is held for writing by CreateBucket/DeleteBucket and for
	// reading by every index write under a bucket, so no object is written
	// into a bucket being deleted.
	bucketsMu sync.RWMutex
}

// New validates opts; it starts nothing.
func New(opts Options) (*Service, error) {
	if opts.DB == nil || opts.Blobs == nil {
		return nil, errors.New("s3: Options.DB and Options.Blobs are required")
	}
	s := &Service{db: opts.DB, meta: opts.Meta, blobs: opts.Blobs, log: opts.Logger,
		region: opts.Region, domains: opts.Domains, now: opts.Now,
		notifier: opts.Notifier, functions: opts.Functions}
	s.relay.wake = make(chan struct{}, 1)
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.region == "" {
		s.region = DefaultRegion
	}
	if len(s.domains) == 0 {
		s.domains = defaultDomains
	}
	s.domains = slices.Clone(s.domains)
	slices.SortFunc(s.domains, func(a, b string) int { return len(b) - len(a) })
	if s.now == nil {
		s.now = time.Now
	}
	return s, nil
}

// Handler serves the S3 API. The platform must have verified the request
// and stored the sigv4.Auth in its context (anonymous requests are denied).
func (s *Service) Handler() http.Handler { return http.HandlerFunc(s.serve) }

// Start removes blobs no index entry references (left by a crash between a
// blob write and its index commit, or before an old blob's deletion). It
// must run before the handler serves requests. With a Notifier it then
// starts the relay that delivers the notification outbox.
func (s *Service) Start(ctx context.Context) error {
	if err := s.collectGarbage(ctx); err != nil {
		return err
	}
	if s.notifier != nil {
		s.startRelay()
	}
	return nil
}

// Stop ends the notification relay (undelivered events stay in the
// outbox); every write is already durable when acknowledged. Call it
// before closing the database.
func (s *Service) Stop(ctx context.Context) error { return s.stopRelay(ctx) }

// lockKey locks the stripe of bucket/key and returns its unlock func.
func (s *Service) lockKey(bucket, key string) func() {
	m := &s.keyLocks[keyStripe(bucket, key)]
	m.Lock()
	return m.Unlock
}

// keyStripe is the index in keyLocks of bucket/key's lock. Code holding
// several stripes at once locks them in ascending index order.
func keyStripe(bucket, key string) int {
	h := fnv.New32a()
	h.Write([]byte(bucket))
	h.Write([]byte{0})
	h.Write([]byte(key))
	return int(h.Sum32() % 256)
}
