// Package tarntest runs the whole tarn platform in-process on a random
// loopback port, for end-to-end tests that drive it with real AWS clients.
package tarntest

import (
	"context"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"

	"github.com/tarnhq/tarn/internal/config"
	"github.com/tarnhq/tarn/internal/platform"
)

// Env is one running platform and how to reach it.
type Env struct {
	Platform *platform.Platform
	Config   config.Config
	Endpoint string // http://127.0.0.1:PORT
}

// Option adjusts the Config before the platform starts.
type Option func(*config.Config)

// WithDataDir reuses dir instead of a fresh temporary directory, so a test
// can restart a platform on the same data.
func WithDataDir(dir string) Option { return func(c *config.Config) { c.DataDir = dir } }

// WithDurability sets config.DurabilityStrict or config.DurabilityProcess.
// The default here is process durability (no fsync), to keep tests fast;
// crash tests that kill the process still see every acknowledged write.
func WithDurability(d string) Option { return func(c *config.Config) { c.Durability = d } }

// Start runs a platform for the rest of the test and stops it at cleanup.
func Start(t testing.TB, opts ...Option) *Env {
	t.Helper()
	return StartWith(t, platform.Options{}, opts...)
}

// StartWith is Start with platform options (for seams tarn does not fill
// yet, such as Firehose's schema source); Version is set to "test".
func StartWith(t testing.TB, popts platform.Options, opts ...Option) *Env {
	t.Helper()
	cfg := config.Default()
	cfg.Addr, cfg.PGAddr = "127.0.0.1:0", "127.0.0.1:0"
	cfg.DataDir = t.TempDir()
	cfg.Durability = config.DurabilityProcess
	for _, o := range opts {
		o(&cfg)
	}
	popts.Version = "test"
	p, err := platform.New(cfg, popts)
	if err != nil {
		t.Fatalf("tarntest: new platform: %v", err)
	}
	if err := p.Start(context.Background()); err != nil {
		t.Fatalf("tarntest: start platform: %v", err)
	}
	env := &Env{Platform: p, Config: cfg, Endpoint: p.Endpoint()}
	t.Cleanup(func() { env.Stop(t) })
	return env
}

// Stop stops the platform; safe to call more than once.
func (e *Env) Stop(t testing.TB) {
	if e.Platform == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := e.Platform.Stop(ctx); err != nil {
		t.Errorf("tarntest: stop platform: %v", err)
	}
	e.Platform = nil
}

// AWSConfig is an aws.Config pointed at the platform with its credentials.
func (e *Env) AWSConfig() aws.Config {
	return aws.Config{
		Region:       e.Config.Region,
		BaseEndpoint: aws.String(e.Endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider(e.Config.AccessKey, e.Config.SecretKey, ""),
	}
}

// S3 returns an S3 client for the platform (path style, the SDK's default
// checksum behaviour, i.e. aws-chunked uploads with trailing checksums).
func (e *Env) S3(opts ...func(*s3.Options)) *s3.Client {
	return s3.NewFromConfig(e.AWSConfig(), append([]func(*s3.Options){func(o *s3.Options) { o.UsePathStyle = true }}, opts...)...)
}
