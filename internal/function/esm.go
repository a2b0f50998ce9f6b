package function

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/tarnhq/tarn/internal/kv"
)

// Event source mappings (CreateEventSourceMapping ... under
// /2015-03-31/event-source-mappings/) poll a Kinesis stream or a DynamoDB
// stream and invoke a function synchronously with batches of records.
//
// Mappings is built by NewMappings over a *Service; it registers its routes
// on the service's mux (before they are built, the operations answer
// UnknownOperationException) and runs one poller goroutine per mapping
// and shard between Start and Stop. Records: Meta "m/UUID" holds the
// mapping (JSON), "mc/UUID/SHARD" the sequence number below which (and at
// which) every record of the shard is done (a DynamoDB stream has the one
// shard "-"). A record is done when the function succeeded on it, when
// FilterCriteria dropped it, or when it was discarded (MaximumRetryAttempts
// or MaximumRecordAgeInSeconds ran out; the on-failure destination then
// gets Lambda's invocation record): delivery is at least once and in order
// per shard (per partition key / item key with ParallelizationFactor > 1,
// which runs up to that many batches of a shard at once); a failing batch
// blocks its lane while it is retried, as Lambda does. With
// FunctionResponseTypes ReportBatchItemFailures, a batch's records before
// the lowest reported failure are done and the retry starts there.
//
// Kinesis resharding: the poller re-lists shards every PollInterval and
// starts pollers for new ones; when the source implements
// KinesisShardLister, a child starts only after its parents were read to
// their end (as Lambda does), else at once.
//
// Not built: TumblingWindowInSeconds (refused with
// InvalidParameterValueException); destinations other than S3 buckets
// (tarn runs no SQS or SNS).

// KinesisShard is one shard of a stream as ListShards describes it.
type KinesisShard struct {
	ID string
	// Parents are its ParentShardId and AdjacentParentShardId, when set.
	Parents []string
	// Closed means the shard has an EndingSequenceNumber: it takes no
	// more records.
	Closed bool
}

// KinesisShardLister is an optional ability of a KinesisSource: listing
// shards with their lineage, so that a mapping processes a child shard
// only after its parents. Shards that expired are absent; a parent that
// is absent counts as done.
type KinesisShardLister interface {
	ListShards(ctx context.Context, streamARN string) ([]KinesisShard, error)
}

// KinesisRecord is one record of a Kinesis shard.
type KinesisRecord struct {
	SequenceNumber string
	PartitionKey   string
	Data           []byte
	ArrivalTime    time.Time
}

// KinesisPosition is where a shard read starts: after sequence number After
// when it is set, else at the first record that arrived at or after At (the
// zero At means the oldest retained record, TRIM_HORIZON).
type KinesisPosition struct {
	After string
	At    time.Time
}

// KinesisSource reads Kinesis streams in-process. The platform adapts the
// stream service to it. Errors for a missing stream should wrap
// ErrSourceNotFound.
type KinesisSource interface {
	Shards(ctx context.Context, streamARN string) ([]string, error)
	Read(ctx context.Context, streamARN, shardID string, from KinesisPosition, limit int) ([]KinesisRecord, error)
	// Changed returns a channel closed when records may have arrived, and
	// a release func the caller must call.
	Changed(ctx context.Context, streamARN string) (<-chan struct{}, func(), error)
}

// DynamoRecord is one record of a DynamoDB stream: its sequence number and
// the record as a Lambda event's Records element (lowercase userIdentity
// members, eventSourceARN set).
type DynamoRecord struct {
	SequenceNumber string
	Event          json.RawMessage
}

// DynamoSource reads DynamoDB streams in-process. The platform adapts the
// dynamo service to it. after "" means the oldest retained record.
type DynamoSource interface {
	Read(ctx context.Context, streamARN, after string, limit int) ([]DynamoRecord, error)
	// Changed returns a channel closed when records past those visible at
	// the call become readable.
	Changed(ctx context.Context, streamARN string) (<-chan struct{}, error)
}

// ErrSourceNotFound is wrapped by sources when a stream does not exist.
var ErrSourceNotFound = errors.New("function: event source not found")

// Mapping defaults and AWS limits.
const (
	DefaultMappingBatchSize = 100
	maxMappingBatchSize     = 10000
	maxBatchingWindow       = 300
	maxMappingRetries       = 10000
	maxParallelization      = 10
	minRecordAge            = 60
	maxRecordAge            = 604800
	maxFilters              = 5    // Lambda's default quota of filters per mapping
	maxFilterPattern        = 4096 // characters of one pattern
	// DefaultMappingRetryDelay is the first wait before a failed batch is
	// retried; it doubles up to a minute.
	DefaultMappingRetryDelay = time.Second
	// DefaultMappingPollInterval bounds how long a poller waits for a
	// change notice before it reads again.
	DefaultMappingPollInterval = time.Second
)

// MappingOptions configure NewMappings. A nil source refuses mappings of
// that kind.
type MappingOptions struct {
	Kinesis      KinesisSource
	Dynamo       DynamoSource
	Logger       *slog.Logger
	RetryDelay   time.Duration // 0 means DefaultMappingRetryDelay
	PollInterval time.Duration // 0 means DefaultMappingPollInterval
}

// Mappings runs event source mappings. Safe for concurrent use.
type Mappings struct {
	fn   *Service
	opts MappingOptions
	log  *slog.Logger

	// mu guards mapping records' read-modify-write and running. Lock
	// order: Mappings.mu before Service.mu.
	mu      sync.Mutex
	running map[string]*poller // by UUID
	started bool

	bg     context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// poller is a running mapping: cancel stops its goroutines, done is closed
// when they returned.
type poller struct {
	cancel context.CancelFunc
	done   chan struct{}
}

// NewMappings registers the event source mapping operations on fn's mux.
// Call it once, before serving; it starts nothing.
func NewMappings(fn *Service, opts MappingOptions) (*Mappings, error) {
	if fn == nil {
		return nil, errors.New("function: NewMappings needs a Service")
	}
	if opts.Logger == nil {
		opts.Logger = fn.log
	}
	if opts.RetryDelay == 0 {
		opts.RetryDelay = DefaultMappingRetryDelay
	}
	if opts.PollInterval == 0 {
		opts.PollInterval = DefaultMappingPollInterval
	}
	m := &Mappings{fn: fn, opts: opts, log: opts.Logger, running: map[string]*poller{}}
	m.bg, m.cancel = context.WithCancel(context.Background())
	const p = "/2015-03-31/event-source-mappings/"
	fn.handle("POST "+p+"{$}", m.create)
	fn.handle("POST "+p[:len(p)-1], m.create) // the SDKs send no trailing slash
	fn.handle("GET "+p+"{$}", m.list)
	fn.handle("GET "+p[:len(p)-1], m.list)
	fn.handle("GET "+p+"{uuid}", m.get)
	fn.handle("PUT "+p+"{uuid}", m.update)
	fn.handle("DELETE "+p+"{uuid}", m.delete)
	return m, nil
}

// Start resumes every stored mapping from its checkpoints (settling ones
// a crash left in a transitional state). Start may follow Stop.
func (m *Mappings) Start(ctx context.Context) error {
	all, err := m.all()
	if err != nil {
		return err
	}
	m.mu.Lock()
	if !m.started && m.bg.Err() != nil { // restarted after Stop
		m.bg, m.cancel = context.WithCancel(context.Background())
	}
	m.started = true
	m.mu.Unlock()
	for _, e := range all {
		m.settle(e.UUID)
	}
	return nil
}

// Stop stops every poller and waits for them.
func (m *Mappings) Stop(ctx context.Context) error {
	m.mu.Lock()
	m.started = false
	m.mu.Unlock()
	m.cancel()
	m.wg.Wait()
	return nil
}

func mappingKey(id string) []byte { return []byte("m/" + id) }

func checkpointKey(id, shard string) []byte { return []byte("mc/" + id + "/" + shard) }

func (m *Mappings) loadMapping(id string) (*esmRecord, error) {
	b, err := m.fn.meta.Get(mappingKey(id))
	if errors.Is(err, kv.ErrNotFound) {
		return nil, errNotFound("The resource you requested does not exist.")
	}
	if err != nil {
		return nil, err
	}
	var e esmRecord
	if err := json.Unmarshal(b, &e); err != nil {
		return nil, fmt.Errorf("function: mapping %s: %w", id, err)
	}
	return &e, nil
}

func (m *Mappings) saveMapping(e *esmRecord) error {
	b, err := json.Marshal(e)
	if err != nil {
		return err
	}
	return m.fn.meta.Set(mappingKey(e.UUID), b)
}

func (m *Mappings) all() ([]*esmRecord, error) {
	p := []byte("m/")
	it, err := m.fn.meta.Iter(p, kv.PrefixEnd(p))
	if err != nil {
		return nil, err
	}
	defer it.Close()
	var out []*esmRecord
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			return nil, err
		}
		var e esmRecord
		if err := json.Unmarshal(v, &e); err != nil {
			return nil, err
		}
		out = append(out, &e)
	}
	return out, nil
}

func (m *Mappings) checkpoint(id, shard string) (string, error) {
	b, err := m.fn.meta.Get(checkpointKey(id, shard))
	if errors.Is(err, kv.ErrNotFound) {
		return "", nil
	}
	return string(b), err
}

func (m *Mappings) setCheckpoint(id, shard, seq string) error {
	return m.fn.meta.Set(checkpointKey(id, shard), []byte(seq))
}

func (m *Mappings) deleteCheckpoints(id string) error {
	p := []byte("mc/" + id + "/")
	it, err := m.fn.meta.Iter(p, kv.PrefixEnd(p))
	if err != nil {
		return err
	}
	var keys [][]byte
	for ok := it.First(); ok; ok = it.Next() {
		keys = append(keys, append([]byte(nil), it.Key()...))
	}
	if err := it.Close(); err != nil {
		return err
	}
	for _, k := range keys {
		if err := m.fn.meta.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

func esmDecode(r *http.Request, v any) error {
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<20)).Decode(v); err != nil {
		return errf("InvalidRequestContentException", http.StatusBadRequest, "Could not parse request body into json: %v", err)
	}
	return nil
}
