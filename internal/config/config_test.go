package config

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func resolve(t *testing.T, args []string, env map[string]string) (Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	f := RegisterFlags(fs)
	if err := fs.Parse(args); err != nil {
		t.Fatal(err)
	}
	return f.Resolve(func(k string) string { return env[k] })
}

func TestLayering(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tarn.yaml")
	if err := os.WriteFile(file, []byte("addr: 127.0.0.1:9000\nlog_level: debug\ndata: /from/file\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := resolve(t, []string{"--config", file, "--data", "/from/flag"},
		map[string]string{"TARN_LOG_LEVEL": "warn", "TARN_DATA": "/from/env"})
	if err != nil {
		t.Fatal(err)
	}
	want := Default()
	want.Addr, want.LogLevel, want.DataDir = "127.0.0.1:9000", "warn", "/from/flag"
	if cfg != want {
		t.Errorf("got %+v\nwant %+v", cfg, want)
	}
}

func TestDefaults(t *testing.T) {
	t.Chdir(t.TempDir()) // no tarn.yaml here
	cfg, err := resolve(t, nil, nil)
	if err != nil || cfg != Default() {
		t.Errorf("got %+v, %v; want defaults", cfg, err)
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Config)
		want   string
	}{
		{"bad addr", func(c *Config) { c.Addr = "nope" }, "addr"},
		{"bad format", func(c *Config) { c.LogFormat = "xml" }, "log format"},
		{"bad level", func(c *Config) { c.LogLevel = "loud" }, "log level"},
		{"bad durability", func(c *Config) { c.Durability = "maybe" }, "durability"},
		{"empty secret", func(c *Config) { c.SecretKey = "" }, "secret"},
		{"public with default keys", func(c *Config) { c.Addr = "0.0.0.0:4566" }, "refusing"},
		{"all interfaces with default keys", func(c *Config) { c.Addr = ":4566" }, "refusing"},
		{"bad pg addr", func(c *Config) { c.PGAddr = "5439" }, "pg addr"},
		{"public pg with default keys", func(c *Config) { c.PGAddr = "0.0.0.0:5439" }, "refusing"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Default()
			tc.mutate(&c)
			err := c.Validate()
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Validate() = %v, want error containing %q", err, tc.want)
			}
		})
	}
	c := Default()
	c.Addr, c.AccessKey, c.SecretKey = "0.0.0.0:4566", "AKIDEXAMPLE", "secret"
	if err := c.Validate(); err != nil {
		t.Errorf("public with real keys: %v", err)
	}
	c = Default()
	c.Addr = "[::1]:4566"
	if err := c.Validate(); err != nil {
		t.Errorf("ipv6 loopback: %v", err)
	}
	c.Addr = "0.0.0.0:4566"
	if err := c.Validate(); !errors.Is(err, ErrDefaultCredentials) {
		t.Errorf("got %v, want ErrDefaultCredentials", err)
	}
}

func TestUnknownFileKey(t *testing.T) {
	file := filepath.Join(t.TempDir(), "tarn.yaml")
	os.WriteFile(file, []byte("adr: typo\n"), 0o644)
	if _, err := resolve(t, []string{"--config", file}, nil); err == nil {
		t.Error("unknown key accepted")
	}
	if _, err := resolve(t, []string{"--config", file + ".missing"}, nil); err == nil {
		t.Error("missing explicit file accepted")
	}
}

func TestFileWithStackSections(t *testing.T) {
	file := filepath.Join(t.TempDir(), "tarn.yaml")
	os.WriteFile(file, []byte("log_level: debug\nbuckets:\n  - name: shop-raw\nstreams:\n  - name: clicks\n    shards: 2\n"), 0o644)
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	f := RegisterFlags(fs)
	fs.Parse([]string{"--config", file})
	cfg, err := f.Resolve(func(string) string { return "" })
	if err != nil || cfg.LogLevel != "debug" {
		t.Fatalf("got %+v, %v", cfg, err)
	}
	if f.File() != file {
		t.Errorf("File() = %q, want %q", f.File(), file)
	}
	os.WriteFile(file, []byte("log_level: debug\nbuckets: []\nlog_levle: info\n"), 0o644)
	_, err = resolve(t, []string{"--config", file}, nil)
	if err == nil || !strings.Contains(err.Error(), "tarn.yaml:3: log_levle: unknown setting") {
		t.Errorf("typo: %v", err)
	}
	os.WriteFile(file, []byte("addr: [1, 2]\n"), 0o644)
	if _, err := resolve(t, []string{"--config", file}, nil); err == nil || !strings.Contains(err.Error(), "tarn.yaml:1: addr: must be a string") {
		t.Errorf("list setting: %v", err)
	}
}

func TestSettingsCoverConfig(t *testing.T) {
	for _, s := range Settings() {
		if s.Key == "" || s.Doc == "" {
			t.Errorf("setting %+v lacks a key or doc", s)
		}
	}
}
