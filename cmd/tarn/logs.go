package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs"
	cwtypes "github.com/aws/aws-sdk-go-v2/service/cloudwatchlogs/types"

	"github.com/tarnhq/tarn/internal/config"
)

const logsFollowPoll = 500 * time.Millisecond

func logsCommand() command {
	c := command{name: "logs", summary: "print (or follow) a function's or job's logs from a running tarn"}
	c.usage = `Usage: tarn logs [flags] FUNCTION

Prints the log events of the Lambda function FUNCTION (the CloudWatch Logs
group /aws/lambda/FUNCTION) from a running tarn, oldest first, one line per
event: time, log stream, message. It reads them with FilterLogEvents, so
--filter takes CloudWatch Logs filter patterns. With --group, FUNCTION is a
log group name instead (Glue job runs log to /aws-glue/jobs/output and
/aws-glue/jobs/error). The endpoint is AWS_ENDPOINT_URL, else the --addr
tarn serve uses.

Examples:
  tarn logs enrich
  tarn logs enrich --since 10m --filter '"REPORT RequestId"'
  tarn logs enrich --follow
  tarn logs --group /aws-glue/jobs/output
`
	c.run = func(ctx context.Context, env *cmdEnv, args []string) error {
		fs := newFlags(c, env)
		flags := config.RegisterFlags(fs)
		since := fs.Duration("since", 0, "only events newer than this (e.g. 10m, 2h); 0 means all")
		follow := fs.Bool("follow", false, "keep printing new events until interrupted")
		filter := fs.String("filter", "", "CloudWatch Logs filter pattern")
		group := fs.String("group", "", "a log group to read instead of a function's")
		name, err := parseWithOneArg(fs, args)
		if err != nil {
			return helped(err)
		}
		switch {
		case *group == "" && name == "":
			fmt.Fprintln(env.stderr, "tarn logs: name a function (or a log group with --group)")
			fs.Usage()
			return errUsage
		case *group == "":
			*group = "/aws/lambda/" + name
		case name != "":
			fmt.Fprintln(env.stderr, "tarn logs: give a function or --group, not both")
			return errUsage
		}
		cfg, err := flags.Resolve(env.getenv)
		if err != nil {
			return err
		}
		endpoint := env.getenv("AWS_ENDPOINT_URL")
		if endpoint == "" {
			endpoint = endpointURL(cfg.Addr)
		}
		client := cloudwatchlogs.New(cloudwatchlogs.Options{Region: cfg.Region, BaseEndpoint: aws.String(endpoint),
			Credentials: credentials.NewStaticCredentialsProvider(cfg.AccessKey, cfg.SecretKey, "")})
		in := &cloudwatchlogs.FilterLogEventsInput{LogGroupName: group}
		if *filter != "" {
			in.FilterPattern = filter
		}
		if *since > 0 {
			in.StartTime = aws.Int64(time.Now().Add(-*since).UnixMilli())
		}
		return printLogs(ctx, client, in, *follow, env.stdout)
	}
	return c
}

// parseWithOneArg parses flags around at most one positional argument.
func parseWithOneArg(fs *flag.FlagSet, args []string) (string, error) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return "", errHelp
		}
		return "", errUsage
	}
	if fs.NArg() == 0 {
		return "", nil
	}
	name := fs.Arg(0)
	if err := parseFlags(fs, fs.Args()[1:]); err != nil {
		return "", err
	}
	return name, nil
}

// printLogs prints every page of in; with follow it then polls for newer
// events (skipping those already printed) until ctx ends.
func printLogs(ctx context.Context, c *cloudwatchlogs.Client, in *cloudwatchlogs.FilterLogEventsInput, follow bool, w io.Writer) error {
	seen := map[string]bool{}
	for {
		var last int64
		pages := cloudwatchlogs.NewFilterLogEventsPaginator(c, in)
		for pages.HasMorePages() {
			page, err := pages.NextPage(ctx)
			var nf *cwtypes.ResourceNotFoundException
			if errors.As(err, &nf) {
				if follow {
					break // the group appears with the first invocation
				}
				return fmt.Errorf("no logs yet: the log group %s does not exist (a function's appears with its first invocation)", aws.ToString(in.LogGroupName))
			}
			if err != nil {
				if ctx.Err() != nil && follow {
					return nil
				}
				return fmt.Errorf("read %s: %w", aws.ToString(in.LogGroupName), err)
			}
			for _, e := range page.Events {
				if id := aws.ToString(e.EventId); !seen[id] {
					seen[id] = true
					ts := time.UnixMilli(aws.ToInt64(e.Timestamp)).UTC().Format("2006-01-02T15:04:05.000Z")
					fmt.Fprintf(w, "%s %s %s\n", ts, aws.ToString(e.LogStreamName), strings.TrimRight(aws.ToString(e.Message), "\n"))
				}
				last = max(last, aws.ToInt64(e.Timestamp))
			}
		}
		if !follow {
			return nil
		}
		if last > 0 {
			in.StartTime = aws.Int64(last) // events at the same millisecond are deduplicated by id
		}
		if err := sleepCtx(ctx, logsFollowPoll); err != nil {
			return nil
		}
	}
}
