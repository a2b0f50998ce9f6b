package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"

	"github.com/tarnhq/tarn/internal/config"
	"github.com/tarnhq/tarn/internal/stack"
)

func applyCommand() command {
	c := command{name: "apply", summary: "create or update the resources declared in tarn.yaml on a running tarn"}
	c.usage = `Usage: tarn apply [-f tarn.yaml] [--endpoint URL] [--dry-run] [--schema]

Creates or updates the buckets, streams, tables, functions, delivery
streams, event source mappings, bucket notifications, crawlers, jobs,
triggers and dashboards that tarn.yaml declares, through tarn's public AWS
APIs, in dependency order. Running it again changes nothing. One line per
resource:
  + create stream clicks
  ~ update function enrich (memory_size 128 → 256)
  = stream clicks (unchanged)
  ! table orders needs replace (key_schema); left as is

The endpoint is --endpoint, else AWS_ENDPOINT_URL, else
http://127.0.0.1:4566; credentials AWS_ACCESS_KEY_ID and
AWS_SECRET_ACCESS_KEY (default test/test); region AWS_REGION (default
us-east-1). tarn serve applies the same file at start.

Examples:
  tarn apply
  tarn apply --dry-run
  tarn apply -f stacks/shop.yaml --endpoint http://127.0.0.1:4600
  tarn apply --schema > tarn.schema.json   # for editors
`
	c.run = func(ctx context.Context, env *cmdEnv, args []string) error {
		fs := newFlags(c, env)
		file := fs.String("f", config.DefaultFile, "stack file")
		endpoint := fs.String("endpoint", "", "tarn's endpoint (default $AWS_ENDPOINT_URL or http://127.0.0.1:4566)")
		dry := fs.Bool("dry-run", false, "print the plan and change nothing")
		schema := fs.Bool("schema", false, "print the JSON Schema of the file and exit")
		if err := parseFlags(fs, args); err != nil {
			return helped(err)
		}
		if *schema {
			_, err := env.stdout.Write(stack.Schema(config.Settings()...))
			return err
		}
		s, err := readStack(*file)
		if err != nil {
			return err
		}
		cfg := awsConfig(applyEndpoint(*endpoint, env.getenv), getenvOr(env.getenv, "AWS_REGION", getenvOr(env.getenv, "AWS_DEFAULT_REGION", config.DefaultRegion)),
			getenvOr(env.getenv, "AWS_ACCESS_KEY_ID", config.DefaultAccessKey), getenvOr(env.getenv, "AWS_SECRET_ACCESS_KEY", config.DefaultSecretKey))
		clients := withDashboards(stack.NewClients(cfg), cfg)
		if *dry {
			changes, err := stack.Plan(ctx, s, clients)
			for _, ch := range changes {
				fmt.Fprintln(env.stdout, ch.String())
			}
			if err != nil {
				return err
			}
			fmt.Fprintf(env.stdout, "dry run: %s; nothing changed\n", summary(changes, true))
			return nil
		}
		changes, err := stack.Apply(ctx, s, clients, env.stdout)
		if err != nil {
			return err
		}
		fmt.Fprintf(env.stdout, "%s\n", summary(changes, false))
		return nil
	}
	return c
}

// readStack reads and parses a stack file; tarn's settings in it are
// skipped.
func readStack(path string) (*stack.Stack, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return stack.Parse(path, raw, config.Settings()...)
}

func applyEndpoint(flag string, getenv config.Getenv) string {
	if flag != "" {
		return flag
	}
	return getenvOr(getenv, "AWS_ENDPOINT_URL", endpointURL(config.DefaultAddr))
}

func getenvOr(getenv config.Getenv, key, def string) string {
	if v := getenv(key); v != "" {
		return v
	}
	return def
}

func awsConfig(endpoint, region, accessKey, secretKey string) aws.Config {
	return aws.Config{Region: region, BaseEndpoint: aws.String(endpoint),
		Credentials: credentials.NewStaticCredentialsProvider(accessKey, secretKey, "")}
}

// summary counts changes by action: "2 to create, 1 to update, 5
// unchanged, 0 need replace" in a plan, "2 created, ..." after an apply.
func summary(changes []stack.Change, plan bool) string {
	var n [4]int
	for _, c := range changes {
		n[c.Action]++
	}
	form := "%d created, %d updated, %d unchanged, %d need replace"
	if plan {
		form = "%d to create, %d to update, %d unchanged, %d need replace"
	}
	return fmt.Sprintf(form, n[stack.Create], n[stack.Update], n[stack.Unchanged], n[stack.Replace])
}

// applyAtStart applies s (nil or empty: nothing) to the platform tarn
// serve just started, logging each change.
func applyAtStart(ctx context.Context, s *stack.Stack, endpoint string, cfg config.Config, log *slog.Logger) error {
	if s == nil || s.Empty() {
		return nil
	}
	aw := awsConfig(endpoint, cfg.Region, cfg.AccessKey, cfg.SecretKey)
	_, err := stack.Apply(ctx, s, withDashboards(stack.NewClients(aw), aw), logLines{log})
	if err != nil {
		return fmt.Errorf("apply %s: %w", s.File(), err)
	}
	return nil
}

// logLines logs each line written to it as one "stack" record.
type logLines struct{ log *slog.Logger }

func (l logLines) Write(p []byte) (int, error) {
	for _, line := range strings.Split(strings.TrimRight(string(p), "\n"), "\n") {
		l.log.Info("stack", "change", line)
	}
	return len(p), nil
}
