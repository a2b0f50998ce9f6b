package config

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"reflect"

	"go.yaml.in/yaml/v3"

	"github.com/tarnhq/tarn/internal/stack"
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
	{"spark-connect", "TARN_SPARK_CONNECT", "Spark Connect URL (sc://host:port) for PySpark Glue jobs and EMR spark-submit steps", func(c *Config) *string { return &c.SparkConnect }},
	{"", "TARN_ACCESS_KEY_ID", "", func(c *Config) *string { return &c.AccessKey }},
	{"", "TARN_SECRET_ACCESS_KEY", "", func(c *Config) *string { return &c.SecretKey }},
}

// Flags holds the command-line layer until Resolve.
type Flags struct {
	fs     *flag.FlagSet
	values Config
	file   string
	loaded string // the file Resolve read, "" for none
}

// File is the configuration file the last Resolve read ("" when there was
// none): tarn serve applies its resource sections with package stack.
func (f *Flags) File() string { return f.loaded }

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
	f.loaded = ""
	if err := loadFile(&c, path, explicit); err != nil {
		return Config{}, err
	}
	if _, err := os.Stat(path); err == nil {
		f.loaded = path
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
// error only when it was named explicitly. The stack's resource sections
// (stack.Sections) are left to the stack package; any other unknown key is
// an error naming its line.
func loadFile(c *Config, path string, explicit bool) error {
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) && !explicit {
		return nil
	}
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(raw, &doc); err != nil {
		return fmt.Errorf("config: %s: %w", path, err)
	}
	if len(doc.Content) == 0 || doc.Content[0].Tag == "!!null" {
		return nil
	}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return fmt.Errorf("config: %s:%d: the file must be a mapping of settings", path, root.Line)
	}
	known := map[string]bool{}
	for _, s := range Settings() {
		known[s.Key] = true
	}
	sections := map[string]bool{}
	for _, s := range stack.Sections() {
		sections[s] = true
	}
	settings := &yaml.Node{Kind: yaml.MappingNode}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		switch {
		case sections[k.Value]:
		case known[k.Value]:
			if v.Kind != yaml.ScalarNode {
				return fmt.Errorf("config: %s:%d: %s: must be a string", path, v.Line, k.Value)
			}
			settings.Content = append(settings.Content, k, v)
		default:
			return fmt.Errorf("config: %s:%d: %s: unknown setting or resource section", path, k.Line, k.Value)
		}
	}
	file := *c
	if err := settings.Decode(&file); err != nil {
		return fmt.Errorf("config: %s: %w", path, err)
	}
	*c = file
	return nil
}

// Settings describes every key tarn.yaml may set, for stack.Parse (which
// skips them) and stack.Schema (which documents them).
func Settings() []stack.Setting {
	var c Config
	v := reflect.ValueOf(&c).Elem()
	t := v.Type()
	enums := map[string][]string{"log_format": {"text", "json"}, "log_level": {"debug", "info", "warn", "error"},
		"durability": {DurabilityStrict, DurabilityProcess}}
	var out []stack.Setting
	for i := 0; i < t.NumField(); i++ {
		key := t.Field(i).Tag.Get("yaml")
		st := stack.Setting{Key: key, Enum: enums[key]}
		for _, fl := range fields {
			if fl.ptr(&c) == v.Field(i).Addr().Interface().(*string) {
				st.Doc = fl.usage
				if st.Doc == "" {
					st.Doc = "credential clients sign with (env " + fl.env + "; default test)"
				} else {
					st.Doc += " (flag --" + fl.flag + ", env " + fl.env + ")"
				}
			}
		}
		out = append(out, st)
	}
	return out
}
