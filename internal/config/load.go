package config

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"

	"go.yaml.in/yaml/v3"
)

// Getenv looks up an environment variable ("" when unset).
type Getenv func(string) string

// field ties one setting to its flag, env var and Config field.
type field struct {
	flag, env, usage string
	ptr              func(*Config) *string
}

var fields = []field{
	{"addr", "TARN_ADDR", "listen address for every AWS API", func(c *Config) *string { return &c.Addr }},
	{"pg-addr", "TARN_PG_ADDR", "PostgreSQL-wire listen address of the warehouse (\"off\" for none)", func(c *Config) *string { return &c.PGAddr }},
	{"pg-tls-cert", "TARN_PG_TLS_CERT", "PEM certificate for the warehouse's TLS (with --pg-tls-key)", func(c *Config) *string { return &c.PGTLSCert }},
	{"pg-tls-key", "TARN_PG_TLS_KEY", "PEM private key for the warehouse's TLS", func(c *Config) *string { return &c.PGTLSKey }},
	{"data", "TARN_DATA", "data directory", func(c *Config) *string { return &c.DataDir }},
	{"log-format", "TARN_LOG_FORMAT", "log format: text or json", func(c *Config) *string { return &c.LogFormat }},
	{"log-level", "TARN_LOG_LEVEL", "log level: debug, info, warn or error", func(c *Config) *string { return &c.LogLevel }},
	{"region", "TARN_REGION", "default region", func(c *Config) *string { return &c.Region }},
	{"durability", "TARN_DURABILITY", "strict (fsync before ack) or process (survives kill -9, not power loss)", func(c *Config) *string { return &c.Durability }},
	{"", "TARN_ACCESS_KEY_ID", "", func(c *Config) *string { return &c.AccessKey }},
	{"", "TARN_SECRET_ACCESS_KEY", "", func(c *Config) *string { return &c.SecretKey }},
}

// Flags holds the command-line layer until Resolve.
type Flags struct {
	fs     *flag.FlagSet
	values Config
	file   string
}

// RegisterFlags defines tarn's configuration flags on fs, plus --config.
func RegisterFlags(fs *flag.FlagSet) *Flags {
	f := &Flags{fs: fs}
	d := Default()
	for _, fl := range fields {
		if fl.flag != "" {
			fs.StringVar(fl.ptr(&f.values), fl.flag, *fl.ptr(&d), fl.usage+" (env "+fl.env+")")
		}
	}
	fs.StringVar(&f.file, "config", "", "configuration file (default ./"+DefaultFile+" if present; env TARN_CONFIG)")
	return f
}

// Resolve layers defaults, the config file, the environment and the flags
// that were set on the command line, and validates the result.
func (f *Flags) Resolve(getenv Getenv) (Config, error) {
	c := Default()
	path, explicit := f.file, f.file != ""
	if !explicit {
		if p := getenv("TARN_CONFIG"); p != "" {
			path, explicit = p, true
		} else {
			path = DefaultFile
		}
	}
	if err := loadFile(&c, path, explicit); err != nil {
		return Config{}, err
	}
	for _, fl := range fields {
		if v := getenv(fl.env); v != "" {
			*fl.ptr(&c) = v
		}
	}
	f.fs.Visit(func(set *flag.Flag) {
		for _, fl := range fields {
			if fl.flag == set.Name {
				*fl.ptr(&c) = *fl.ptr(&f.values)
			}
		}
	})
	return c, c.Validate()
}

// loadFile overlays the YAML file at path onto c. A missing file is an
// error only when it was named explicitly. Unknown keys are errors.
func loadFile(c *Config, path string, explicit bool) error {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return nil
	}
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	var file struct {
		Config `yaml:",inline"`
	}
	file.Config = *c
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(&file); err != nil && !errors.Is(err, io.EOF) {
		return fmt.Errorf("config: %s: %w", path, err)
	}
	*c = file.Config
	return nil
}
