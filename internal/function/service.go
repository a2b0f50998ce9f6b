package function

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/tarnhq/tarn/internal/kv"
	"github.com/tarnhq/tarn/internal/sigv4"
)

// Defaults and AWS limits.
const (
	DefaultRegion = "us-east-1"
	// DefaultMaxEnvironments caps the execution environments of one
	// function version when it has no reserved concurrency.
	DefaultMaxEnvironments = 10
	// DefaultIdleTimeout is how long a warm environment waits for work
	// before it is stopped.
	DefaultIdleTimeout = 5 * time.Minute
	// DefaultPath is the PATH functions run with.
	DefaultPath = "/usr/local/bin:/usr/bin:/bin"

	accountID        = "000000000000"
	maxSyncPayload   = 6 << 20
	initPhase        = 10 * time.Second // Lambda's limit on runtime init
	maxRequestBody   = 69905067         // AWS: a 50 MB zip, base64-encoded
	maxUnzippedSize  = 250 << 20
	defaultTimeout   = 3
	defaultMemory    = 128
	maxTimeout       = 900
	lastModifiedForm = "2006-01-02T15:04:05.000-0700"
)

// CodeSource fetches a deployment package from the lake (Code.S3Bucket /
// S3Key / S3ObjectVersion). The platform adapts the S3 service to it; nil
// means CreateFunction refuses S3 code.
type CodeSource interface {
	GetObject(ctx context.Context, bucket, key, versionID string) ([]byte, error)
}

// Options configure New. Meta and DataDir are required.
type Options struct {
	Meta    kv.Space // function metadata, a space of the platform database
	DataDir string   // unpacked code and logs go under DataDir/functions/
	Logger  *slog.Logger
	// Region is used for requests whose signature names none.
	Region string
	// Now returns the time; nil means time.Now.
	Now func() time.Time
	// Endpoint is tarn's URL, given to functions as AWS_ENDPOINT_URL.
	Endpoint string
	// AccessKey, SecretKey and SessionToken are the credentials functions
	// get (AWS_ACCESS_KEY_ID ...); SessionToken is set only if non-empty.
	AccessKey, SecretKey, SessionToken string
	// Code fetches S3 deployment packages; nil refuses them.
	Code CodeSource
	// Objects writes asynchronous-invocation and event-source-mapping
	// destination records into the lake; nil refuses S3 destinations
	// (delivery fails, logged and counted).
	Objects ObjectWriter
	// Logs stores invocation logs (CloudWatch Logs); nil appends them to
	// DataDir/functions/_logs/REGION/NAME.log.
	Logs LogSink
	// MaxEnvironments: 0 means DefaultMaxEnvironments.
	MaxEnvironments int
	// IdleTimeout: 0 means DefaultIdleTimeout.
	IdleTimeout time.Duration
	// RetryDelay is the wait before the first retry of a failed
	// asynchronous invocation; 0 means DefaultRetryDelay.
	RetryDelay time.Duration
}

// Service is the Lambda API and the execution environments. Safe for
// concurrent use between Start and Stop.
type Service struct {
	opts Options
	meta kv.Space
	dir  string // DataDir/functions
	log  *slog.Logger
	now  func() time.Time
	mux  *http.ServeMux

	// mu serializes read-modify-write of function records. Lock order:
	// mu before pools.mu before a pool's mu.
	mu sync.Mutex

	pools pools
	kick  chan struct{} // wakes the async queue worker
	logs  logStore

	bg       context.Context
	bgCancel context.CancelFunc
	bgWG     sync.WaitGroup
}

// New validates opts; it starts nothing.
func New(opts Options) (*Service, error) {
	if opts.DataDir == "" {
		return nil, errors.New("function: Options.DataDir is required")
	}
	if opts.Region == "" {
		opts.Region = DefaultRegion
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxEnvironments == 0 {
		opts.MaxEnvironments = DefaultMaxEnvironments
	}
	if opts.RetryDelay == 0 {
		opts.RetryDelay = DefaultRetryDelay
	}
	if opts.IdleTimeout == 0 {
		opts.IdleTimeout = DefaultIdleTimeout
	}
	s := &Service{opts: opts, meta: opts.Meta, dir: filepath.Join(opts.DataDir, "functions"),
		log: opts.Logger, now: opts.Now}
	s.pools.m = map[string]*pool{}
	s.kick = make(chan struct{}, 1)
	s.logs.init(s.dir, opts.Logs, s.log)
	s.bg, s.bgCancel = context.WithCancel(context.Background())
	s.routes()
	return s, nil
}

// Start settles functions a crash left Pending, starts the idle reaper and
// the asynchronous invocation queue (which resumes what a restart left).
func (s *Service) Start(ctx context.Context) error {
	recs, err := s.listPrefix("f/")
	if err != nil {
		return err
	}
	for _, r := range recs {
		c := r.Latest.Config
		if c.State == "Pending" || c.LastUpdateStatus == "InProgress" {
			s.settle(regionOfARN(c.FunctionArn), c.FunctionName)
		}
	}
	s.bgWG.Add(3)
	go s.reapIdle()
	go s.runQueue()
	go func() {
		defer s.bgWG.Done()
		s.logs.run(s.bg)
	}()
	return nil
}

// Stop kills every execution environment and waits for background work.
func (s *Service) Stop(ctx context.Context) error {
	s.bgCancel()
	s.pools.closeAll()
	s.bgWG.Wait()
	return nil
}

// Handler serves the Lambda REST-JSON API.
func (s *Service) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Some clients (awscli 2.9) send collection paths with a
		// trailing slash: /2015-03-31/functions/.
		if p := r.URL.Path; len(p) > 1 && strings.HasSuffix(p, "/") {
			r.URL.Path = strings.TrimRight(p, "/")
			r.URL.RawPath = ""
		}
		s.mux.ServeHTTP(w, r)
	})
}

// region is the request's SigV4 region, else Options.Region.
func (s *Service) region(ctx context.Context) string {
	return sigv4.RegionOr(ctx, s.opts.Region)
}

type opFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Service) handle(pattern string, f opFunc) {
	s.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Amzn-RequestId", newID())
		if err := f(w, r); err != nil {
			writeError(w, err)
		}
	})
}

func (s *Service) unimplemented(pattern, op string) {
	s.handle(pattern, func(http.ResponseWriter, *http.Request) error { return errUnknownOp(op) })
}

func (s *Service) routes() {
	s.mux = http.NewServeMux()
	const f = "/2015-03-31/functions"
	s.handle("POST "+f, s.createFunction)
	s.handle("GET "+f, s.listFunctions)
	s.handle("GET "+f+"/{name}", s.getFunction)
	s.handle("DELETE "+f+"/{name}", s.deleteFunction)
	s.handle("GET "+f+"/{name}/configuration", s.getFunctionConfiguration)
	s.handle("PUT "+f+"/{name}/configuration", s.updateFunctionConfiguration)
	s.handle("PUT "+f+"/{name}/code", s.updateFunctionCode)
	s.handle("POST "+f+"/{name}/invocations", s.invoke)
	s.handle("POST "+f+"/{name}/versions", s.publishVersion)
	s.handle("GET "+f+"/{name}/versions", s.listVersions)
	s.handle("POST "+f+"/{name}/aliases", s.createAlias)
	s.handle("GET "+f+"/{name}/aliases", s.listAliases)
	s.handle("GET "+f+"/{name}/aliases/{alias}", s.getAlias)
	s.handle("PUT "+f+"/{name}/aliases/{alias}", s.updateAlias)
	s.handle("DELETE "+f+"/{name}/aliases/{alias}", s.deleteAlias)
	s.handle("PUT /2017-10-31/functions/{name}/concurrency", s.putConcurrency)
	s.handle("DELETE /2017-10-31/functions/{name}/concurrency", s.deleteConcurrency)
	s.handle("GET /2019-09-30/functions/{name}/concurrency", s.getConcurrency)
	// Known but not built: answered as such, never faked.
	s.unimplemented("POST /2014-11-13/functions/{name}/invoke-async", "InvokeAsync")
	s.unimplemented("POST /2021-11-15/functions/{name}/response-streaming-invocations", "InvokeWithResponseStream")
	s.handle("POST "+f+"/{name}/policy", s.addPermission)
	s.handle("GET "+f+"/{name}/policy", s.getPolicy)
	s.handle("DELETE "+f+"/{name}/policy/{sid}", s.removePermission)
	s.handle("POST /2017-03-31/tags/{arn}", s.tagResource)
	s.handle("GET /2017-03-31/tags/{arn}", s.listTags)
	s.handle("DELETE /2017-03-31/tags/{arn}", s.untagResource)
	s.unimplemented("/2015-03-31/event-source-mappings/", "EventSourceMapping operations")
	const eic = "/2019-09-25/functions/{name}/event-invoke-config"
	s.handle("PUT "+eic, s.putEventConfig)
	s.handle("POST "+eic, s.putEventConfig)
	s.handle("GET "+eic, s.getEventConfig)
	s.handle("DELETE "+eic, s.deleteEventConfig)
	s.handle("GET "+eic+"/list", s.listEventConfigs)
	s.handle("/", func(w http.ResponseWriter, r *http.Request) error {
		return errUnknownOp(r.Method + " " + r.URL.Path)
	})
}
