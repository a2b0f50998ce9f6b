package emr

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
	// TargetPrefix is the X-Amz-Target prefix of the EMR API.
	TargetPrefix = "ElasticMapReduce"
	// DefaultStepPoll is how often an idle cluster re-reads its steps when
	// no AddJobFlowSteps woke it (a wake is immediate; this is a backstop).
	DefaultStepPoll = time.Second

	// DefaultSpace is the key prefix used when Options.Meta is the zero
	// Space.
	DefaultSpace = "emr/"

	accountID = "000000000000"
)

// SQLRequest is one statement of a spark-sql or hive step.
type SQLRequest struct {
	Region   string // the cluster's region
	Database string // from --database, else "default"
	Engine   string // always "athena": the SQL runs on tarn's Athena path
	// Statement is one statement, variables already substituted, without
	// its ';'.
	Statement string
}

// SQLResult is what a statement did.
type SQLResult struct {
	QueryID string // the engine's id for the query, for the step's log
	Rows    int64  // rows read or written, for the step's log
}

// SQLRunner runs the statements of SQL steps. Exec must return when ctx
// is cancelled (the step was cancelled, its cluster terminated or tarn is
// stopping). It is called from one goroutine per cluster; calls for
// different clusters may be concurrent.
type SQLRunner interface {
	Exec(ctx context.Context, req SQLRequest) (SQLResult, error)
}

// Lake is the object store steps read scripts from and write logs to,
// whole objects at a time. Get fails (any error; its text reaches the
// step's FailureDetails) when the object is missing. Both must return
// when ctx is cancelled.
type Lake interface {
	Get(ctx context.Context, bucket, key string) ([]byte, error)
	Put(ctx context.Context, bucket, key string, body []byte) error
}

// Options configure New. DB is required; every other field may be left
// zero (Meta then is DB.Space(DefaultSpace)).
type Options struct {
	DB     *kv.DB   // the platform database
	Meta   kv.Space // clusters and steps, a space of DB (synced writes)
	Logger *slog.Logger
	// Region is used when a request's signature names none.
	Region string
	// Now returns the time; nil means time.Now.
	Now func() time.Time
	// SQL runs spark-sql and hive steps; nil fails those steps clearly.
	SQL SQLRunner
	// Lake reads s3:// step scripts and writes step logs under LogUri;
	// nil fails steps that read a script, and writes no logs.
	Lake Lake
	// SparkConnect is a Spark Connect URL (sc://host:port). With it,
	// spark-submit steps of a .py script run as python3 with SPARK_REMOTE
	// set; "" fails every spark-submit step with a clear message.
	SparkConnect string
	// StepPoll is the idle clusters' backstop poll; 0 means
	// DefaultStepPoll.
	StepPoll time.Duration
	// Python is the interpreter for spark-submit .py steps; "" means
	// "python3" on PATH.
	Python string
}

// Service is the EMR API: clusters and steps that really run. Safe for
// concurrent use between Start and Stop.
//
// Locking: mu guards clusters and every record change; a step's SQL runs
// with mu released. One runner goroutine per live cluster drives its
// state machine (runner.go); API calls change records under mu and wake
// it.
type Service struct {
	db       *kv.DB
	meta     kv.Space
	log      *slog.Logger
	region   string
	now      func() time.Time
	sql      SQLRunner
	lake     Lake
	spark    string
	python   string
	poll     time.Duration
	api      *awsjson.Service
	mu       sync.Mutex
	clusters map[string]*cluster // key: region + "/" + id
	seq      int64               // last cluster Seq given
	changed  chan struct{}       // closed and replaced on every commit (tests wait on it)

	wg       sync.WaitGroup
	started  bool
	stopOnce sync.Once
	stopCh   chan struct{}
	baseCtx  context.Context
	cancel   context.CancelFunc
}

// New validates opts; it starts nothing.
func New(opts Options) (*Service, error) {
	if opts.DB == nil {
		return nil, errors.New("emr: Options.DB is required")
	}
	s := &Service{db: opts.DB, meta: opts.Meta, log: opts.Logger, region: opts.Region, now: opts.Now,
		sql: opts.SQL, lake: opts.Lake, spark: opts.SparkConnect, python: opts.Python, poll: opts.StepPoll,
		clusters: map[string]*cluster{}, changed: make(chan struct{}), stopCh: make(chan struct{})}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.meta.DB() == nil {
		s.meta = s.db.Space(DefaultSpace)
	}
	if s.region == "" {
		s.region = DefaultRegion
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.poll <= 0 {
		s.poll = DefaultStepPoll
	}
	if s.python == "" {
		s.python = "python3"
	}
	s.baseCtx, s.cancel = context.WithCancel(context.Background())
	s.api = awsjson.NewService("EMR", TargetPrefix, s.log)
	s.register()
	return s, nil
}

// Handler serves the EMR API. The platform must have verified the
// request's signature; its region (sigv4.Auth) scopes the clusters.
func (s *Service) Handler() http.Handler { return s.api }

// Start loads clusters and steps, settles what a crash interrupted (a
// step found RUNNING becomes FAILED, then its ActionOnFailure applies)
// and starts a runner for every cluster that is not terminated. Pending
// steps resume.
func (s *Service) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return errors.New("emr: already started")
	}
	if err := s.load(); err != nil {
		return fmt.Errorf("emr: start: %w", err)
	}
	for _, c := range s.clusters {
		if c.rec.Cluster.Id == "" || terminal(c.rec.Cluster.Status.State) { // orphan steps, or done
			continue
		}
		if err := s.recover(c); err != nil {
			return fmt.Errorf("emr: start: recover %s: %w", c.rec.Cluster.Id, err)
		}
		s.spawn(c)
	}
	s.started = true
	return nil
}

// Stop cancels running steps and waits for the runners. A step stopped
// this way stays RUNNING in the store; the next Start marks it FAILED.
func (s *Service) Stop(ctx context.Context) error {
	s.stopOnce.Do(func() {
		close(s.stopCh)
		s.cancel()
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

func (s *Service) stopping() bool {
	select {
	case <-s.stopCh:
		return true
	default:
		return false
	}
}

func (s *Service) register() {
	a := s.api
	a.Handle("RunJobFlow", awsjson.Op(s.opRunJobFlow))
	a.Handle("DescribeCluster", awsjson.Op(s.opDescribeCluster))
	a.Handle("ListClusters", awsjson.Op(s.opListClusters))
	a.Handle("TerminateJobFlows", awsjson.Op(s.opTerminateJobFlows))
	a.Handle("SetTerminationProtection", awsjson.Op(s.opSetTerminationProtection))
	a.Handle("SetKeepJobFlowAliveWhenNoSteps", awsjson.Op(s.opSetKeepAlive))
	a.Handle("SetVisibleToAllUsers", awsjson.Op(s.opSetVisibleToAllUsers))
	a.Handle("ListInstanceGroups", awsjson.Op(s.opListInstanceGroups))
	a.Handle("ListInstanceFleets", awsjson.Op(s.opListInstanceFleets))
	a.Handle("ListBootstrapActions", awsjson.Op(s.opListBootstrapActions))
	a.Handle("DescribeJobFlows", awsjson.Op(s.opDescribeJobFlows))
	a.Handle("AddJobFlowSteps", awsjson.Op(s.opAddJobFlowSteps))
	a.Handle("ListSteps", awsjson.Op(s.opListSteps))
	a.Handle("DescribeStep", awsjson.Op(s.opDescribeStep))
	a.Handle("CancelSteps", awsjson.Op(s.opCancelSteps))
	a.Handle("AddTags", awsjson.Op(s.opAddTags))
	a.Handle("RemoveTags", awsjson.Op(s.opRemoveTags))
	a.Unimplemented(unimplementedOps()...)
}
