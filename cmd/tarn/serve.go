package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/tarnhq/tarn/internal/config"
	"github.com/tarnhq/tarn/internal/platform"
	"github.com/tarnhq/tarn/internal/stack"
)

// shutdownGrace bounds how long in-flight requests may take to finish.
const shutdownGrace = 30 * time.Second

func serveCommand() command {
	c := command{name: "serve", summary: "serve every AWS API on one endpoint (default 127.0.0.1:4566)"}
	c.usage = `Usage: tarn serve [flags]

Starts tarn: every AWS-compatible API on one HTTP endpoint, with the data
kept in the data directory across restarts. Settings come from flags, TARN_*
environment variables and an optional tarn.yaml, in that order of precedence.
SIGINT or SIGTERM stops it cleanly: in-flight requests finish, files close.
Resources declared in tarn.yaml (see tarn apply) are created or updated
once tarn is ready; if that fails, tarn stops with the error.

Examples:
  tarn serve
  tarn serve --addr 127.0.0.1:4600 --data /var/lib/tarn --log-format json
  TARN_ACCESS_KEY_ID=AKIA... TARN_SECRET_ACCESS_KEY=... tarn serve --addr 0.0.0.0:4566
`
	c.run = func(ctx context.Context, env *cmdEnv, args []string) error {
		fs := newFlags(c, env)
		flags := config.RegisterFlags(fs)
		if err := parseFlags(fs, args); err != nil {
			return helped(err)
		}
		cfg, err := flags.Resolve(env.getenv)
		if err != nil {
			return err
		}
		return serve(ctx, cfg, flags.File(), env.stderr)
	}
	return c
}

// serve runs tarn until ctx ends. stackFile, when set, is the tarn.yaml
// whose resource sections are applied once the platform is ready; an
// apply error stops tarn and is returned.
func serve(ctx context.Context, cfg config.Config, stackFile string, logOut io.Writer) error {
	log := newLogger(cfg, logOut)
	var s *stack.Stack
	if stackFile != "" { // a bad stack file fails before anything starts
		var err error
		if s, err = readStack(stackFile); err != nil {
			return err
		}
	}
	p, err := platform.New(cfg, platform.Options{Logger: log, Version: version()})
	if err != nil {
		return err
	}
	start := time.Now()
	if err := p.Start(ctx); err != nil {
		return err
	}
	// The stack applies before "tarn ready": ready means its resources exist.
	if err := applyAtStart(ctx, s, endpointURL(p.Addr()), cfg, log); err != nil {
		log.Error("tarn stopping: the stack file did not apply", "err", err)
		stopCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		defer cancel()
		if stopErr := p.Stop(stopCtx); stopErr != nil {
			log.Error("stop", "err", stopErr)
		}
		return err
	}
	log.Info("tarn ready", "endpoint", p.Endpoint(), "pg", p.PGAddr(), "access_key_id", cfg.AccessKey,
		"secret_access_key", cfg.SecretKey, "region", cfg.Region, "data", cfg.DataDir,
		"startup", time.Since(start).Round(time.Millisecond).String())
	<-ctx.Done()
	log.Info("tarn stopping")
	stopCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	if err := p.Stop(stopCtx); err != nil {
		return fmt.Errorf("stop: %w", err)
	}
	log.Info("tarn stopped")
	return nil
}

func newLogger(cfg config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel)) // validated by config
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
