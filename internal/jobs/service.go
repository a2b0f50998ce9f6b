package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os/exec"
	"sort"
	"sync"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/kv"
	"github.com/tarnhq/tarn/internal/sigv4"
)

// Defaults.
const (
	DefaultRegion = "us-east-1"
	// TargetPrefix is the X-Amz-Target prefix of the Glue API.
	TargetPrefix = "AWSGlue"
	// DefaultSchedulerInterval is how often scheduled and crawler-watching
	// triggers are checked (cron granularity is one minute).
	DefaultSchedulerInterval = 15 * time.Second
	// DefaultTimeout is Glue's default job timeout, in minutes (48 hours).
	DefaultTimeout = 2880
	// LogGroup is the JobRun's LogGroupName; output goes to LogGroup+"/output",
	// errors to LogGroup+"/error", one stream per JobRunId.
	LogGroup = "/aws-glue/jobs"

	accountID = "000000000000"
)

// Options configure New. DB is required; the other seams may be nil (a
// run needing a nil seam fails with a message saying so).
type Options struct {
	DB     *kv.DB   // the platform database
	Meta   kv.Space // this package's state, a space of DB
	Logger *slog.Logger
	Region string           // for requests whose signature names none
	Now    func() time.Time // nil means time.Now
	SQL    SQLRunner        // runs SQL job statements
	Lake   Lake             // reads scripts
	Logs   LogWriter        // run output
	// Crawlers starts and watches crawlers for triggers and workflows;
	// nil refuses crawler actions and conditions.
	Crawlers Crawlers
	// Endpoint, AccessKey and SecretKey are given to Python scripts as
	// AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY.
	Endpoint, AccessKey, SecretKey string
	// Python is the python3 to run scripts with; "" looks up python3 on PATH.
	Python string
	// SparkConnect is a Spark Connect URL (sc://host:port) for glueetl
	// Python jobs; "" makes such runs fail at once.
	SparkConnect string
	// SchedulerInterval: 0 means DefaultSchedulerInterval, negative runs no
	// loop (tests call tick).
	SchedulerInterval time.Duration
}

// Service is Glue jobs, job runs, bookmarks, triggers and workflows. Safe
// for concurrent use between Start and Stop.
//
// Locking: mu guards every record read-modify-write and the active-run
// map; it is never held while a run executes, a script is read or a
// crawler is called.
type Service struct {
	opts     Options
	db       *kv.DB
	meta     kv.Space
	log      *slog.Logger
	region   string
	now      func() time.Time
	interval time.Duration
	python   string
	api      *awsjson.Service
	// minute is the unit of Timeout (tests shorten it).
	minute time.Duration

	mu     sync.Mutex
	active map[string]*activeRun // key: runKey

	wg       sync.WaitGroup
	stopOnce sync.Once
	stopCh   chan struct{}
	baseCtx  context.Context
	cancel   context.CancelFunc
}

// New validates opts; it starts nothing.
func New(opts Options) (*Service, error) {
	if opts.DB == nil {
		return nil, errors.New("jobs: Options.DB is required")
	}
	s := &Service{opts: opts, db: opts.DB, meta: opts.Meta, log: opts.Logger, region: opts.Region, now: opts.Now,
		interval: opts.SchedulerInterval, python: opts.Python, minute: time.Minute,
		active: map[string]*activeRun{}, stopCh: make(chan struct{})}
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
	if s.python == "" {
		if p, err := exec.LookPath("python3"); err == nil {
			s.python = p
		}
	}
	s.baseCtx, s.cancel = context.WithCancel(context.Background())
	s.api = awsjson.NewService("Glue", TargetPrefix, s.log)
	s.register()
	return s, nil
}

// Handler serves the Glue operations of Operations. The platform must
// have verified the signature; its region scopes every record.
func (s *Service) Handler() http.Handler { return s.api }

// Start ends runs a crash left unfinished (FAILED: tarn stopped during
// the run; their workflow runs are completed accordingly) and starts the
// scheduler.
func (s *Service) Start(ctx context.Context) error {
	if err := s.recoverRuns(ctx); err != nil {
		return fmt.Errorf("jobs: start: %w", err)
	}
	if s.interval > 0 {
		s.wg.Add(1)
		go s.schedulerLoop()
	}
	return nil
}

// Stop cancels running job runs (they end FAILED: tarn stopped) and the
// scheduler, and waits for them.
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

func (s *Service) regionOf(ctx context.Context) string {
	return sigv4.RegionOr(ctx, s.region)
}

func (s *Service) ts(t time.Time) *awsjson.Timestamp {
	v := awsjson.Timestamp(t.UTC())
	return &v
}

// Operations lists every Glue operation this package answers (built, or
// UnknownOperationException naming itself); the platform routes these
// AWSGlue targets here.
func (s *Service) Operations() []string {
	ops := append(append([]string(nil), implementedOps...), unimplementedOps...)
	sort.Strings(ops)
	return ops
}

var implementedOps = []string{
	"CreateJob", "GetJob", "GetJobs", "BatchGetJobs", "ListJobs", "UpdateJob", "DeleteJob",
	"StartJobRun", "GetJobRun", "GetJobRuns", "BatchStopJobRun",
	"GetJobBookmark", "ResetJobBookmark",
	"CreateTrigger", "GetTrigger", "GetTriggers", "ListTriggers", "BatchGetTriggers", "UpdateTrigger",
	"DeleteTrigger", "StartTrigger", "StopTrigger",
	"CreateWorkflow", "GetWorkflow", "ListWorkflows", "BatchGetWorkflows", "DeleteWorkflow", "UpdateWorkflow",
	"StartWorkflowRun", "GetWorkflowRun", "GetWorkflowRuns", "StopWorkflowRun",
	"GetWorkflowRunProperties", "PutWorkflowRunProperties",
}

func (s *Service) register() {
	a := s.api
	a.Handle("CreateJob", awsjson.Op(s.opCreateJob))
	a.Handle("GetJob", awsjson.Op(s.opGetJob))
	a.Handle("GetJobs", awsjson.Op(s.opGetJobs))
	a.Handle("BatchGetJobs", awsjson.Op(s.opBatchGetJobs))
	a.Handle("ListJobs", awsjson.Op(s.opListJobs))
	a.Handle("UpdateJob", awsjson.Op(s.opUpdateJob))
	a.Handle("DeleteJob", awsjson.Op(s.opDeleteJob))
	a.Handle("StartJobRun", awsjson.Op(s.opStartJobRun))
	a.Handle("GetJobRun", awsjson.Op(s.opGetJobRun))
	a.Handle("GetJobRuns", awsjson.Op(s.opGetJobRuns))
	a.Handle("BatchStopJobRun", awsjson.Op(s.opBatchStopJobRun))
	a.Handle("GetJobBookmark", awsjson.Op(s.opGetJobBookmark))
	a.Handle("ResetJobBookmark", awsjson.Op(s.opResetJobBookmark))
	a.Handle("CreateTrigger", awsjson.Op(s.opCreateTrigger))
	a.Handle("GetTrigger", awsjson.Op(s.opGetTrigger))
	a.Handle("GetTriggers", awsjson.Op(s.opGetTriggers))
	a.Handle("ListTriggers", awsjson.Op(s.opListTriggers))
	a.Handle("BatchGetTriggers", awsjson.Op(s.opBatchGetTriggers))
	a.Handle("UpdateTrigger", awsjson.Op(s.opUpdateTrigger))
	a.Handle("DeleteTrigger", awsjson.Op(s.opDeleteTrigger))
	a.Handle("StartTrigger", awsjson.Op(s.opStartTrigger))
	a.Handle("StopTrigger", awsjson.Op(s.opStopTrigger))
	a.Handle("CreateWorkflow", awsjson.Op(s.opCreateWorkflow))
	a.Handle("GetWorkflow", awsjson.Op(s.opGetWorkflow))
	a.Handle("ListWorkflows", awsjson.Op(s.opListWorkflows))
	a.Handle("BatchGetWorkflows", awsjson.Op(s.opBatchGetWorkflows))
	a.Handle("DeleteWorkflow", awsjson.Op(s.opDeleteWorkflow))
	a.Handle("UpdateWorkflow", awsjson.Op(s.opUpdateWorkflow))
	a.Handle("StartWorkflowRun", awsjson.Op(s.opStartWorkflowRun))
	a.Handle("GetWorkflowRun", awsjson.Op(s.opGetWorkflowRun))
	a.Handle("GetWorkflowRuns", awsjson.Op(s.opGetWorkflowRuns))
	a.Handle("StopWorkflowRun", awsjson.Op(s.opStopWorkflowRun))
	a.Handle("GetWorkflowRunProperties", awsjson.Op(s.opGetWorkflowRunProperties))
	a.Handle("PutWorkflowRunProperties", awsjson.Op(s.opPutWorkflowRunProperties))
	// Not in Operations: routed here by ResourceArn, see OwnsTagARN.
	a.Handle("TagResource", awsjson.Op(s.opTagResource))
	a.Handle("UntagResource", awsjson.Op(s.opUntagResource))
	a.Handle("GetTags", awsjson.Op(s.opGetTags))
	a.Unimplemented(unimplementedOps...)
}
