package pgwire

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"crypto/tls"
	"encoding/binary"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"
)

// Defaults.
const (
	// DefaultServerVersion is what Amazon Redshift reports as
	// server_version: PostgreSQL 8.0.2, the release it forked from.
	DefaultServerVersion = "8.0.2"
	// RedshiftVersion is what Redshift's version() returns, for a session
	// that answers it.
	RedshiftVersion = "PostgreSQL 8.0.2 on i686-pc-linux-gnu, compiled by GCC gcc (GCC) 3.4.2 20041017 (Red Hat 3.4.2-6.fc3), Redshift 1.0.12103"
	// DefaultMaxConnections is Redshift's default limit of user
	// connections per cluster.
	DefaultMaxConnections = 500
	// DefaultStartupTimeout bounds the startup packet and
	// authentication exchange (PostgreSQL's authentication_timeout is 60s).
	DefaultStartupTimeout = 30 * time.Second
	// DefaultMaxMessageSize bounds one frontend message body. PostgreSQL
	// allows up to 1 GB; a server that buffers whole messages should not.
	DefaultMaxMessageSize = 64 << 20
)

// AuthMethod is how clients prove their password.
type AuthMethod int

// Authentication methods. The zero value is SCRAM-SHA-256.
const (
	AuthSCRAM     AuthMethod = iota // SCRAM-SHA-256 (RFC 5802, RFC 7677); SCRAM-SHA-256-PLUS is offered too over TLS
	AuthCleartext                   // the password in the clear (use with TLS)
	AuthMD5                         // PostgreSQL's md5 challenge (older drivers; weak, but what Redshift long used)
)

// Options configure NewServer. Backend is required; the rest is valid
// at its zero value.
type Options struct {
	Backend Backend
	// TLSConfig, if set, answers SSLRequest with 'S' and a TLS
	// handshake; nil answers 'N'.
	TLSConfig *tls.Config
	// RequireTLS refuses clients that do not ask for TLS (FATAL 28000),
	// like a hostssl-only pg_hba.conf. Needs TLSConfig.
	RequireTLS bool
	// ServerVersion is reported as server_version; "" means
	// DefaultServerVersion.
	ServerVersion string
	// Parameters are extra ParameterStatus values sent at startup; they
	// override the defaults (server_encoding, DateStyle, ...).
	Parameters map[string]string
	Auth       AuthMethod
	// SCRAMIterations is the PBKDF2 iteration count; 0 means 4096, as
	// PostgreSQL's scram_iterations default.
	SCRAMIterations int
	// MaxConnections limits concurrent sessions; 0 means
	// DefaultMaxConnections, negative means no limit.
	MaxConnections int
	StartupTimeout time.Duration // 0 means DefaultStartupTimeout
	MaxMessageSize int           // 0 means DefaultMaxMessageSize
	Logger         *slog.Logger  // nil discards
}

// Server speaks the PostgreSQL v3 protocol (3.0; 3.2 clients are
// negotiated down) to clients and drives Backend sessions. Safe for
// concurrent use.
type Server struct {
	opts Options
	log  *slog.Logger

	base     context.Context // parent of every session's context; cancelled by Close
	stopBase context.CancelCauseFunc
	// watchDelay is watch.go's watchDelay; tests shorten it.
	watchDelay time.Duration
	wg         sync.WaitGroup // one per connection goroutine; Add under mu

	mu        sync.Mutex // guards the fields below
	listeners map[net.Listener]struct{}
	conns     map[uint32]*conn // by process id, sessions past startup
	raw       map[net.Conn]struct{}
	nextPID   uint32
	closed    bool
}

// NewServer validates opts and fills defaults; it starts nothing.
func NewServer(opts Options) (*Server, error) {
	if opts.Backend == nil {
		return nil, errors.New("pgwire: Options.Backend is required")
	}
	if opts.RequireTLS && opts.TLSConfig == nil {
		return nil, errors.New("pgwire: RequireTLS needs a TLSConfig")
	}
	if opts.Auth != AuthSCRAM && opts.Auth != AuthCleartext && opts.Auth != AuthMD5 {
		return nil, errors.New("pgwire: unknown Auth method")
	}
	if opts.ServerVersion == "" {
		opts.ServerVersion = DefaultServerVersion
	}
	if opts.SCRAMIterations <= 0 {
		opts.SCRAMIterations = 4096
	}
	if opts.MaxConnections == 0 {
		opts.MaxConnections = DefaultMaxConnections
	}
	if opts.StartupTimeout <= 0 {
		opts.StartupTimeout = DefaultStartupTimeout
	}
	if opts.MaxMessageSize <= 0 {
		opts.MaxMessageSize = DefaultMaxMessageSize
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	var seed [4]byte
	_, _ = rand.Read(seed[:])
	base, stop := context.WithCancelCause(context.Background())
	return &Server{
		opts:       opts,
		log:        log,
		watchDelay: watchDelay,
		base:       base,
		stopBase:   stop,
		listeners:  map[net.Listener]struct{}{},
		conns:      map[uint32]*conn{},
		raw:        map[net.Conn]struct{}{},
		nextPID:    binary.BigEndian.Uint32(seed[:])%(1<<30) + 1000,
	}, nil
}

// Serve accepts connections on ln until Shutdown or Close (then it
// returns ErrServerClosed) or until ctx ends (then it closes ln and
// returns ctx's error; sessions already running go on until Shutdown).
// Serve closes ln when it returns.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		_ = ln.Close()
		return ErrServerClosed
	}
	s.listeners[ln] = struct{}{}
	s.mu.Unlock()
	stop := context.AfterFunc(ctx, func() { _ = ln.Close() })
	defer stop()
	defer func() {
		s.mu.Lock()
		delete(s.listeners, ln)
		s.mu.Unlock()
		_ = ln.Close()
	}()
	var delay time.Duration
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.isClosed() {
				return ErrServerClosed
			}
			if ctx.Err() != nil {
				return ctx.Err()
			}
			if errors.Is(err, net.ErrClosed) {
				return err
			}
			// Out of file descriptors and the like: back off and retry.
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			s.log.Warn("pgwire: accept", "err", err, "retry_in", delay)
			time.Sleep(delay)
			continue
		}
		delay = 0
		if !s.track(nc) {
			_ = nc.Close()
			return ErrServerClosed
		}
		go func() {
			defer s.untrack(nc)
			s.serveConn(nc)
		}()
	}
}

// ServeConn runs the protocol on one already accepted connection and
// returns when it ends. It closes nc.
func (s *Server) ServeConn(nc net.Conn) {
	if !s.track(nc) {
		_ = nc.Close()
		return
	}
	defer s.untrack(nc)
	s.serveConn(nc)
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// track counts a connection in wg, under mu so that no Add can race
// with the Wait of Close (which sets closed first).
func (s *Server) track(nc net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	s.raw[nc] = struct{}{}
	return true
}

func (s *Server) untrack(nc net.Conn) {
	s.mu.Lock()
	delete(s.raw, nc)
	s.mu.Unlock()
	s.wg.Done()
}

// Shutdown stops accepting, then waits for sessions to end by themselves
// (clients disconnecting) until ctx ends; then it closes the rest as
// Close does. It returns ctx's error if it had to force.
func (s *Server) Shutdown(ctx context.Context) error {
	s.stopListening()
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		s.Close()
		return ctx.Err()
	}
}

// Close stops accepting, cancels every running statement, ends every
// session with FATAL 57P01 and waits for the connection goroutines.
func (s *Server) Close() error {
	s.stopListening()
	s.stopBase(errShutdown)
	s.mu.Lock()
	now := time.Now()
	for nc := range s.raw {
		_ = nc.SetDeadline(now) // wakes reads and writes; the session says goodbye itself
	}
	s.mu.Unlock()
	s.wg.Wait()
	return nil
}

func (s *Server) stopListening() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for ln := range s.listeners {
		_ = ln.Close()
	}
}

// register gives c a process id and secret key and counts it against
// MaxConnections.
func (s *Server) register(c *conn) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return &Error{Severity: "FATAL", Code: "57P03", Message: "the database system is shutting down"}
	}
	if s.opts.MaxConnections > 0 && len(s.conns) >= s.opts.MaxConnections {
		return &Error{Severity: "FATAL", Code: CodeTooManyConnections, Message: "sorry, too many clients already"}
	}
	for {
		s.nextPID++
		if s.nextPID == 0 || s.nextPID > 1<<31-1 {
			s.nextPID = 1000
		}
		if _, used := s.conns[s.nextPID]; !used {
			break
		}
	}
	c.pid = s.nextPID
	_, _ = rand.Read(c.secret[:])
	s.conns[c.pid] = c
	return nil
}

func (s *Server) unregister(c *conn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.conns[c.pid] == c {
		delete(s.conns, c.pid)
	}
}

// cancel handles a CancelRequest: it cancels the statement running on
// the connection with that process id if the secret matches. As in
// PostgreSQL, nothing is answered either way.
func (s *Server) cancel(pid uint32, secret []byte) {
	s.mu.Lock()
	c := s.conns[pid]
	s.mu.Unlock()
	if c == nil || len(secret) != len(c.secret) || subtle.ConstantTimeCompare(secret, c.secret[:]) != 1 {
		s.log.Debug("pgwire: cancel request ignored", "pid", pid)
		return
	}
	c.cancelRunning()
}
