package warehouse

import (
	"context"
	"crypto/tls"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
	"github.com/tarnhq/tarn/internal/kv"
	"github.com/tarnhq/tarn/internal/pgwire"
	"github.com/tarnhq/tarn/internal/sigv4"
)

// Defaults.
const (
	DefaultRegion = "us-east-1"
	// DefaultDatabase is the database a Redshift cluster is created with.
	DefaultDatabase = "dev"
	// DataAPITargetPrefix is the X-Amz-Target prefix of the Redshift Data API.
	DataAPITargetPrefix = "RedshiftData"
	// DefaultQueryTimeout bounds a statement when Options.QueryTimeout is 0.
	DefaultQueryTimeout = 30 * time.Minute

	accountID = "000000000000"
)

// Options configure New. All fields are valid at their zero value: no
// DataFile means an in-memory warehouse (tests), no Lake means COPY and
// UNLOAD fail, no Catalog means external schemas fail, no Users means
// nobody can log in over the PostgreSQL wire.
type Options struct {
	// DataFile is the DuckDB database file (warehouse.duckdb in the data
	// directory); tables persist there across restarts.
	DataFile string
	Lake     Lake
	Catalog  Catalog
	// Users maps a user (an access key id) to its secret, the password
	// the client must prove.
	Users func(user string) (secret string, ok bool)
	// PGAddr is the PostgreSQL listen address (127.0.0.1:5439); "" does
	// not listen (the Data API still works).
	PGAddr    string
	TLSConfig *tls.Config
	Logger    *slog.Logger
	// Region scopes external schemas (the Glue catalog's region) and
	// Data API ARNs when a request's signature names none.
	Region string
	// Meta keeps the Data API statement history; the zero Space keeps it
	// in memory only.
	Meta kv.Space
	// ScratchDir is where UNLOAD stages files and DuckDB spills; "" means
	// a directory beside DataFile (or a temp dir).
	ScratchDir   string
	MemoryLimit  string // DuckDB memory_limit, "" = DuckDB's default
	Threads      int    // DuckDB threads, 0 = one per core
	QueryTimeout time.Duration
}

// Service is the Redshift-style warehouse: DuckDB tables behind the
// PostgreSQL wire and the Redshift Data API. Safe for concurrent use
// between Start and Stop.
type Service struct {
	opts    Options
	log     *slog.Logger
	region  string
	timeout time.Duration
	api     *awsjson.Service

	db      *sql.DB
	scratch string
	pg      *pgwire.Server
	ln      net.Listener
	serveWG sync.WaitGroup

	pids atomic.Uint32 // Data API pseudo process ids

	mu       sync.Mutex
	external map[string]extSchema // schema name → Glue database, guarded by mu
	stmts    *statementStore

	bg       context.Context
	bgCancel context.CancelFunc
	bgWG     sync.WaitGroup
}

// New validates opts; it starts nothing.
func New(opts Options) (*Service, error) {
	s := &Service{opts: opts, log: opts.Logger, region: opts.Region, timeout: opts.QueryTimeout,
		external: map[string]extSchema{}}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.region == "" {
		s.region = DefaultRegion
	}
	if s.timeout <= 0 {
		s.timeout = DefaultQueryTimeout
	}
	s.stmts = newStatementStore(opts.Meta)
	s.pids.Store(1 << 20)
	s.api = awsjson.NewService("RedshiftData", DataAPITargetPrefix, s.log)
	s.registerDataAPI()
	return s, nil
}

// Start opens the database file and, when PGAddr is set, listens on it.
func (s *Service) Start(ctx context.Context) error {
	s.scratch = s.opts.ScratchDir
	if s.scratch == "" {
		if s.opts.DataFile != "" {
			s.scratch = filepath.Join(filepath.Dir(s.opts.DataFile), "tmp", "warehouse")
		} else {
			d, err := os.MkdirTemp("", "tarn-warehouse-")
			if err != nil {
				return err
			}
			s.scratch = d
		}
	}
	var err error
	if s.scratch, err = filepath.Abs(s.scratch); err != nil {
		return err
	}
	var dirs []string
	if s.opts.Lake != nil {
		dirs = s.opts.Lake.LocalDirs()
	}
	s.db, err = openDB(ctx, s.opts.DataFile, s.scratch, dirs, s.opts.MemoryLimit, s.opts.Threads)
	if err != nil {
		return err
	}
	if err := s.loadMeta(ctx); err != nil {
		s.db.Close()
		return err
	}
	s.bg, s.bgCancel = context.WithCancel(context.Background())
	if s.opts.PGAddr == "" {
		return nil
	}
	s.pg, err = pgwire.NewServer(pgwire.Options{Backend: backend{s}, TLSConfig: s.opts.TLSConfig, Logger: s.log})
	if err != nil {
		s.db.Close()
		return err
	}
	s.ln, err = net.Listen("tcp", s.opts.PGAddr)
	if err != nil {
		s.db.Close()
		return fmt.Errorf("warehouse: listen: %w", err)
	}
	s.serveWG.Add(1)
	go func() {
		defer s.serveWG.Done()
		if err := s.pg.Serve(s.bg, s.ln); err != nil && !errors.Is(err, pgwire.ErrServerClosed) {
			s.log.Error("warehouse: serve", "err", err)
		}
	}()
	return nil
}

// Addr is the bound PostgreSQL address, nil when not listening.
func (s *Service) Addr() net.Addr {
	if s.ln == nil {
		return nil
	}
	return s.ln.Addr()
}

// Stop ends the PostgreSQL sessions (FATAL 57P01), interrupts running
// Data API statements and closes the database (DuckDB checkpoints it).
func (s *Service) Stop(ctx context.Context) error {
	if s.pg != nil {
		if err := s.pg.Shutdown(ctx); err != nil {
			s.pg.Close()
		}
		s.serveWG.Wait()
	}
	if s.bgCancel != nil {
		s.bgCancel()
		s.bgWG.Wait()
	}
	if s.db != nil {
		return s.db.Close()
	}
	return nil
}

// Handler serves the Redshift Data API (JSON 1.1, X-Amz-Target
// RedshiftData.*). The platform must have verified the signature.
func (s *Service) Handler() http.Handler { return s.api }

func (s *Service) regionOf(ctx context.Context) string {
	return sigv4.RegionOr(ctx, s.region)
}

// backend is the pgwire.Backend of the service.
type backend struct{ s *Service }

func (b backend) Password(ctx context.Context, user string) (string, bool) {
	if b.s.opts.Users == nil {
		return "", false
	}
	return b.s.opts.Users(user)
}

func (b backend) Open(ctx context.Context, info pgwire.StartupInfo) (pgwire.Session, error) {
	se, err := b.s.newSession(ctx, info.User, info.Database, info.ProcessID)
	if err != nil {
		return nil, err
	}
	se.client = info.Client
	return se, nil
}
