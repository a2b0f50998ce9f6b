package main

import (
	"context"
	"fmt"
	"net"

	"github.com/tarnhq/tarn/internal/config"
)

func envCommand() command {
	c := command{name: "env", summary: "print shell exports that point AWS clients at tarn"}
	c.usage = `Usage: tarn env [flags]

Prints export lines for a POSIX shell so that awscli, boto3 and every AWS
SDK talk to tarn: the endpoint, the credentials and the region. It reads the
same settings as tarn serve (flags, TARN_* variables, tarn.yaml).

Examples:
  eval "$(tarn env)"
  eval "$(tarn env --addr 127.0.0.1:4600)"
  aws s3 ls
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
		fmt.Fprintf(env.stdout, "export AWS_ENDPOINT_URL=%s\n", shellQuote(endpointURL(cfg.Addr)))
		fmt.Fprintf(env.stdout, "export AWS_ACCESS_KEY_ID=%s\n", shellQuote(cfg.AccessKey))
		fmt.Fprintf(env.stdout, "export AWS_SECRET_ACCESS_KEY=%s\n", shellQuote(cfg.SecretKey))
		fmt.Fprintf(env.stdout, "export AWS_DEFAULT_REGION=%s\n", shellQuote(cfg.Region))
		fmt.Fprintf(env.stdout, "export AWS_REGION=%s\n", shellQuote(cfg.Region))
		return nil
	}
	return c
}

// endpointURL is the URL a client on this machine uses to reach addr: a
// wildcard host becomes 127.0.0.1.
func endpointURL(addr string) string {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return "http://" + addr
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1"
	}
	return "http://" + net.JoinHostPort(host, port)
}

// shellQuote quotes s for a POSIX shell when it holds anything but safe
// characters.
func shellQuote(s string) string {
	safe := s != ""
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_' || r == '.' || r == '/' || r == ':' || r == '+' || r == '=') {
			safe = false
			break
		}
	}
	if safe {
		return s
	}
	out := "'"
	for _, r := range s {
		if r == '\'' {
			out += `'\''`
		} else {
			out += string(r)
		}
	}
	return out + "'"
}
