package natsd

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Defaults.
const (
	// DefaultMaxPayload fits a 1 MiB Kinesis record with its key and
	// framing; NATS's own default (1 MiB) does not.
	DefaultMaxPayload = 8 << 20
	// DefaultReadyTimeout bounds how long Start waits for the server.
	DefaultReadyTimeout = 30 * time.Second
)

// Options configure New. The zero value is not valid: StoreDir or URL is
// required.
type Options struct {
	// StoreDir is the JetStream store of the embedded server
	// (tarn-data/nats). Ignored when URL is set.
	StoreDir string
	// URL connects to an external NATS (JetStream-enabled) cluster instead
	// of embedding a server.
	URL string
	// NoSync acknowledges publishes before they are fsynced (survives
	// kill -9, not power loss). Embedded server only.
	NoSync bool
	// MaxPayload is the largest message in bytes; 0 means DefaultMaxPayload.
	MaxPayload int32
	// Logger receives the server's messages; nil discards them.
	Logger *slog.Logger
}

// Server is a running JetStream, embedded or remote.
type Server struct {
	opts Options
	log  *slog.Logger

	// set by Start, cleared by Stop
	srv *server.Server // nil when connected to an external URL
	nc  *nats.Conn
	js  jetstream.JetStream
}

// New validates opts; it starts nothing.
func New(opts Options) (*Server, error) {
	if opts.StoreDir == "" && opts.URL == "" {
		return nil, errors.New("natsd: Options.StoreDir or Options.URL is required")
	}
	if opts.MaxPayload == 0 {
		opts.MaxPayload = DefaultMaxPayload
	}
	log := opts.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Server{opts: opts, log: log}, nil
}

// Start starts the embedded server (or dials URL) and connects. On error
// nothing is left running.
func (s *Server) Start(ctx context.Context) error {
	if s.opts.URL != "" {
		nc, err := nats.Connect(s.opts.URL, nats.Name("tarn"), nats.MaxReconnects(-1))
		if err != nil {
			return fmt.Errorf("natsd: connect %s: %w", s.opts.URL, err)
		}
		return s.attach(nc)
	}
	so := &server.Options{
		ServerName: "tarn",
		DontListen: true,
		JetStream:  true,
		StoreDir:   s.opts.StoreDir,
		MaxPayload: s.opts.MaxPayload,
		SyncAlways: !s.opts.NoSync,
		NoSigs:     true,
	}
	srv, err := server.NewServer(so)
	if err != nil {
		return fmt.Errorf("natsd: new server: %w", err)
	}
	srv.SetLoggerV2(slogAdapter{s.log}, false, false, false)
	srv.Start()
	wait := DefaultReadyTimeout
	if dl, ok := ctx.Deadline(); ok {
		wait = time.Until(dl)
	}
	if !srv.ReadyForConnections(wait) {
		srv.Shutdown()
		srv.WaitForShutdown()
		return fmt.Errorf("natsd: server not ready after %s", wait)
	}
	nc, err := nats.Connect("", nats.InProcessServer(srv), nats.Name("tarn"))
	if err != nil {
		srv.Shutdown()
		srv.WaitForShutdown()
		return fmt.Errorf("natsd: in-process connect: %w", err)
	}
	s.srv = srv
	if err := s.attach(nc); err != nil {
		srv.Shutdown()
		srv.WaitForShutdown()
		s.srv = nil
		return err
	}
	return nil
}

func (s *Server) attach(nc *nats.Conn) error {
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return fmt.Errorf("natsd: jetstream: %w", err)
	}
	s.nc, s.js = nc, js
	return nil
}

// Conn is the connection to the server. Valid between Start and Stop.
func (s *Server) Conn() *nats.Conn { return s.nc }

// JetStream is the JetStream context of Conn. Valid between Start and Stop.
func (s *Server) JetStream() jetstream.JetStream { return s.js }

// Embedded reports whether the server runs in this process.
func (s *Server) Embedded() bool { return s.srv != nil }

// Stop drains the connection (pending publishes complete) and shuts the
// embedded server down, waiting until it has. Safe to call more than once.
func (s *Server) Stop(ctx context.Context) error {
	var errs []error
	if s.nc != nil {
		closed := make(chan struct{})
		s.nc.SetClosedHandler(func(*nats.Conn) { close(closed) })
		if err := s.nc.Drain(); err != nil {
			s.nc.Close()
		} else {
			select {
			case <-closed:
			case <-ctx.Done():
				s.nc.Close()
				errs = append(errs, fmt.Errorf("natsd: drain: %w", ctx.Err()))
			}
		}
		s.nc, s.js = nil, nil
	}
	if s.srv != nil {
		s.srv.Shutdown()
		s.srv.WaitForShutdown()
		s.srv = nil
	}
	return errors.Join(errs...)
}
