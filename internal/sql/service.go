package sql

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/engine"
	"github.com/tarnhq/tarn/internal/kv"
	"github.com/tarnhq/tarn/internal/sigv4"
)

// Defaults.
const (
	DefaultRegion = "us-east-1"
	// TargetPrefix is the X-Amz-Target prefix of the Athena API.
	TargetPrefix = "AmazonAthena"
	// DefaultWorkers is how many queries run at once when Options.Workers
	// is zero; the others wait QUEUED.
	DefaultWorkers = 4
	// DefaultQueueLimit bounds the queries waiting to run.
	DefaultQueueLimit = 1000

	accountID       = "000000000000"
	primaryWG       = "primary"
	awsDataCatalog  = "AwsDataCatalog"
	engineVersionV3 = "Athena engine version 3"
)

// Options configure New. Meta, Catalog, Lake and ScratchDir are required.
type Options struct {
	Meta    kv.Space // query history, work groups, named queries, prepared statements
	Catalog Catalog
	Lake    Lake
	// ScratchDir is the engine's own directory (spill files, CTAS staging).
	ScratchDir string
	Logger     *slog.Logger
	// Region is used for requests whose signature names none.
	Region string
	// Workers bounds concurrent queries; 0 means DefaultWorkers.
	Workers int
	// QueueLimit bounds queued queries; 0 means DefaultQueueLimit.
	QueueLimit int
	// QueryTimeout bounds a query's run; 0 means engine.DefaultQueryTimeout.
	QueryTimeout time.Duration
	// MemoryLimit and Threads configure the engine (DuckDB).
	MemoryLimit string
	Threads     int
	// PrimaryOutputLocation is the result location of the "primary" work
	// group ("" means none, as on a new AWS account).
	PrimaryOutputLocation string
	// Now returns the time; nil means time.Now.
	Now func() time.Time
}

// Service is the Athena API. Safe for concurrent use between Start and Stop.
type Service struct {
	opts    Options
	meta    kv.Space
	catalog Catalog
	lake    Lake
	log     *slog.Logger
	region  string
	now     func() time.Time
	api     *awsjson.Service

	eng   *engine.Engine // set by Start
	queue chan string    // query ids waiting for a worker
	wg    sync.WaitGroup
	stop  context.CancelFunc

	mu      sync.Mutex // guards the fields below and every record write
	running map[string]context.CancelFunc
	queries map[string]*queryRecord                  // cache of records by id
	waiters map[string]chan struct{}                 // closed when an in-process Exec's query ends
	only    map[string]func(bucket, key string) bool // Exec file filters by query id
}

// New validates opts; it starts nothing.
func New(opts Options) (*Service, error) {
	switch {
	case opts.Catalog == nil:
		return nil, errors.New("sql: Options.Catalog is required")
	case opts.Lake == nil:
		return nil, errors.New("sql: Options.Lake is required")
	case opts.ScratchDir == "":
		return nil, errors.New("sql: Options.ScratchDir is required")
	}
	s := &Service{opts: opts, meta: opts.Meta, catalog: opts.Catalog, lake: opts.Lake, log: opts.Logger,
		region: opts.Region, now: opts.Now, running: map[string]context.CancelFunc{}, queries: map[string]*queryRecord{},
		waiters: map[string]chan struct{}{}, only: map[string]func(string, string) bool{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.region == "" {
		s.region = DefaultRegion
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.opts.Workers <= 0 {
		s.opts.Workers = DefaultWorkers
	}
	if s.opts.QueueLimit <= 0 {
		s.opts.QueueLimit = DefaultQueueLimit
	}
	s.api = awsjson.NewService("Athena", TargetPrefix, s.log)
	s.register()
	return s, nil
}

func (s *Service) register() {
	a := s.api
	a.Handle("StartQueryExecution", awsjson.Op(s.startQueryExecution))
	a.Handle("GetQueryExecution", awsjson.Op(s.getQueryExecution))
	a.Handle("GetQueryResults", awsjson.Op(s.getQueryResults))
	a.Handle("StopQueryExecution", awsjson.Op(s.stopQueryExecution))
	a.Handle("ListQueryExecutions", awsjson.Op(s.listQueryExecutions))
	a.Handle("BatchGetQueryExecution", awsjson.Op(s.batchGetQueryExecution))
	a.Handle("CreateWorkGroup", awsjson.Op(s.createWorkGroup))
	a.Handle("GetWorkGroup", awsjson.Op(s.getWorkGroup))
	a.Handle("ListWorkGroups", awsjson.Op(s.listWorkGroups))
	a.Handle("UpdateWorkGroup", awsjson.Op(s.updateWorkGroup))
	a.Handle("DeleteWorkGroup", awsjson.Op(s.deleteWorkGroup))
	a.Handle("CreateNamedQuery", awsjson.Op(s.createNamedQuery))
	a.Handle("GetNamedQuery", awsjson.Op(s.getNamedQuery))
	a.Handle("ListNamedQueries", awsjson.Op(s.listNamedQueries))
	a.Handle("DeleteNamedQuery", awsjson.Op(s.deleteNamedQuery))
	a.Handle("BatchGetNamedQuery", awsjson.Op(s.batchGetNamedQuery))
	a.Handle("UpdateNamedQuery", awsjson.Op(s.updateNamedQuery))
	a.Handle("CreatePreparedStatement", awsjson.Op(s.createPreparedStatement))
	a.Handle("GetPreparedStatement", awsjson.Op(s.getPreparedStatement))
	a.Handle("UpdatePreparedStatement", awsjson.Op(s.updatePreparedStatement))
	a.Handle("ListPreparedStatements", awsjson.Op(s.listPreparedStatements))
	a.Handle("BatchGetPreparedStatement", awsjson.Op(s.batchGetPreparedStatement))
	a.Handle("DeletePreparedStatement", awsjson.Op(s.deletePreparedStatement))
	a.Handle("ListDataCatalogs", awsjson.Op(s.listDataCatalogs))
	a.Handle("GetDataCatalog", awsjson.Op(s.getDataCatalog))
	a.Handle("ListDatabases", awsjson.Op(s.listDatabases))
	a.Handle("GetDatabase", awsjson.Op(s.getDatabase))
	a.Handle("ListTableMetadata", awsjson.Op(s.listTableMetadata))
	a.Handle("GetTableMetadata", awsjson.Op(s.getTableMetadata))
	a.Handle("ListEngineVersions", awsjson.Op(s.listEngineVersions))
	// Not yet implemented: each answers UnknownOperationException naming it.
	a.Unimplemented("CreateDataCatalog",
		"UpdateDataCatalog", "DeleteDataCatalog", "GetQueryRuntimeStatistics",
		"TagResource", "UntagResource", "ListTagsForResource",
		"StartSession", "GetSession", "GetSessionStatus", "ListSessions", "TerminateSession",
		"StartCalculationExecution", "GetCalculationExecution", "GetCalculationExecutionCode",
		"GetCalculationExecutionStatus", "ListCalculationExecutions", "StopCalculationExecution",
		"CreateNotebook", "GetNotebookMetadata", "ListNotebookMetadata", "UpdateNotebook",
		"UpdateNotebookMetadata", "DeleteNotebook", "ExportNotebook", "ImportNotebook",
		"ListNotebookSessions", "CreatePresignedNotebookUrl", "ListExecutors",
		"CreateCapacityReservation", "GetCapacityReservation", "ListCapacityReservations",
		"UpdateCapacityReservation", "CancelCapacityReservation", "DeleteCapacityReservation",
		"PutCapacityAssignmentConfiguration", "GetCapacityAssignmentConfiguration",
		"ListApplicationDPUSizes", "GetResourceDashboard", "GetSessionEndpoint")
}

// Handler serves the Athena API. The platform must have verified the
// request's signature; its region (sigv4.Auth) scopes the resources.
func (s *Service) Handler() http.Handler { return s.api }

// Start opens the engine, marks queries a previous process left RUNNING
// as FAILED, completes or drops their write intents (intent.go), queues
// again those it left QUEUED, and starts the workers. The Catalog and the
// Lake must be usable when it is called.
func (s *Service) Start(ctx context.Context) error {
	eng, err := engine.Open(ctx, engine.Options{ReadDirs: s.lake.LocalDirs(), ScratchDir: s.opts.ScratchDir,
		MemoryLimit: s.opts.MemoryLimit, Threads: s.opts.Threads, QueryTimeout: s.opts.QueryTimeout,
		Connections: s.opts.Workers + 4, IntegerDivision: true, Logger: s.log})
	if err != nil {
		return fmt.Errorf("sql: %w", err)
	}
	s.eng = eng
	queued, err := s.recover()
	if err == nil {
		err = s.finishIntents(ctx) // CTAS/INSERT a crash cut between files and catalog (intent.go)
	}
	if err != nil {
		eng.Close()
		return fmt.Errorf("sql: recover: %w", err)
	}
	s.queue = make(chan string, s.opts.QueueLimit+len(queued))
	s.mu.Lock()
	for _, r := range queued {
		s.queries[r.ID] = r
		s.queue <- r.ID
	}
	s.mu.Unlock()
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	s.stop = cancel
	for range s.opts.Workers {
		s.wg.Add(1)
		go s.worker(wctx)
	}
	return nil
}

// Stop interrupts the running queries (they end FAILED, retryable),
// waits for the workers and closes the engine. Queued queries stay QUEUED
// and run after the next Start.
func (s *Service) Stop(ctx context.Context) error {
	if s.stop == nil {
		return nil
	}
	s.stop()
	s.mu.Lock()
	for _, c := range s.running {
		c()
	}
	s.mu.Unlock()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		return ctx.Err()
	}
	return s.eng.Close()
}

// regionOf is the region a request is scoped to.
func (s *Service) regionOf(ctx context.Context) string {
	return sigv4.RegionOr(ctx, s.region)
}
