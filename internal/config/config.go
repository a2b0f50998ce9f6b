// Package config is tarn's typed configuration: defaults, then an optional
// tarn.yaml, then TARN_* environment variables, then command-line flags,
// each layer overriding the one before. Only cmd and platform import it;
// every other package receives its own typed Options.
package config

import (
	"errors"
	"fmt"
	"net"
	"strings"
)

// Defaults.
const (
	DefaultAddr   = "127.0.0.1:4566"
	DefaultPGAddr = "127.0.0.1:5439" // Redshift's port
	// PGOff as the pg address means no PostgreSQL listener.
	PGOff             = "off"
	DefaultDataDir    = "./tarn-data"
	DefaultLogFormat  = "text"
	DefaultLogLevel   = "info"
	DefaultRegion     = "us-east-1"
	DefaultAccessKey  = "test"
	DefaultSecretKey  = "test"
	DefaultDurability = DurabilityStrict
	DefaultFile       = "tarn.yaml"
)

// Durability modes.
const (
	// DurabilityStrict fsyncs every acknowledged write: it survives power loss.
	DurabilityStrict = "strict"
	// DurabilityProcess acknowledges before fsync: writes survive kill -9 of
	// tarn but not a crash of the machine.
	DurabilityProcess = "process"
)

// Config is everything tarn serve needs to know.
type Config struct {
	Addr   string `yaml:"addr"`    // HTTP listener for every AWS API
	PGAddr string `yaml:"pg_addr"` // PostgreSQL-wire listener of the warehouse, or PGOff
	// PGTLSCert and PGTLSKey are PEM files; with both set the warehouse
	// answers SSL requests with TLS (sslmode=require works).
	PGTLSCert  string `yaml:"pg_tls_cert"`
	PGTLSKey   string `yaml:"pg_tls_key"`
	DataDir    string `yaml:"data"`       // root of the data directory
	LogFormat  string `yaml:"log_format"` // text | json
	LogLevel   string `yaml:"log_level"`  // debug | info | warn | error
	Region     string `yaml:"region"`     // default region for requests that name none
	AccessKey  string `yaml:"access_key_id"`
	SecretKey  string `yaml:"secret_access_key"`
	Durability string `yaml:"durability"` // strict | process
	// SparkConnect is a Spark Connect URL (sc://host:port) that Glue
	// glueetl PySpark jobs and EMR spark-submit steps run against; ""
	// makes them fail at once saying a Spark engine is needed.
	SparkConnect string `yaml:"spark_connect"`
}

// Default returns the configuration with every default filled in.
func Default() Config {
	return Config{
		Addr: DefaultAddr, PGAddr: DefaultPGAddr, DataDir: DefaultDataDir, LogFormat: DefaultLogFormat,
		LogLevel: DefaultLogLevel, Region: DefaultRegion, AccessKey: DefaultAccessKey,
		SecretKey: DefaultSecretKey, Durability: DefaultDurability,
	}
}

// ErrDefaultCredentials means tarn would listen beyond loopback with the
// well-known test/test key pair.
var ErrDefaultCredentials = errors.New("config: refusing to listen on a non-loopback address with the default credentials test/test; set TARN_ACCESS_KEY_ID and TARN_SECRET_ACCESS_KEY (or access_key_id / secret_access_key in tarn.yaml)")

// Validate checks c and returns the first problem found.
func (c Config) Validate() error {
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil {
		return fmt.Errorf("config: addr %q: %w", c.Addr, err)
	}
	if port == "" {
		return fmt.Errorf("config: addr %q has no port", c.Addr)
	}
	pgLoopback := true
	if c.PGAddr != PGOff {
		pgHost, pgPort, err := net.SplitHostPort(c.PGAddr)
		if err != nil || pgPort == "" {
			return fmt.Errorf("config: pg addr %q: want host:port or %q", c.PGAddr, PGOff)
		}
		pgLoopback = IsLoopback(pgHost)
	}
	if (c.PGTLSCert == "") != (c.PGTLSKey == "") {
		return errors.New("config: pg_tls_cert and pg_tls_key must be set together")
	}
	if c.DataDir == "" {
		return errors.New("config: data directory is empty")
	}
	if c.SparkConnect != "" && !strings.HasPrefix(c.SparkConnect, "sc://") {
		return fmt.Errorf("config: spark_connect %q: want a Spark Connect URL, sc://host:port", c.SparkConnect)
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		return fmt.Errorf("config: log format %q: want text or json", c.LogFormat)
	}
	switch c.LogLevel {
	case "debug", "info", "warn", "error":
	default:
		return fmt.Errorf("config: log level %q: want debug, info, warn or error", c.LogLevel)
	}
	if c.Durability != DurabilityStrict && c.Durability != DurabilityProcess {
		return fmt.Errorf("config: durability %q: want %s or %s", c.Durability, DurabilityStrict, DurabilityProcess)
	}
	if c.AccessKey == "" || c.SecretKey == "" {
		return errors.New("config: access key id and secret access key must both be set")
	}
	if c.Region == "" {
		return errors.New("config: region is empty")
	}
	if (!IsLoopback(host) || !pgLoopback) && c.AccessKey == DefaultAccessKey && c.SecretKey == DefaultSecretKey {
		return ErrDefaultCredentials
	}
	return nil
}

// IsLoopback reports whether host (from an addr) only accepts local
// connections. The empty host and 0.0.0.0 mean every interface.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
