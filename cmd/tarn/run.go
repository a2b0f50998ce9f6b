package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/tarnhq/tarn/internal/config"
)

// errUsage means the usage was already printed; exit 2 without a message.
var errUsage = errors.New("usage")

func exitCode(err error) int {
	if errors.Is(err, errUsage) {
		return 2
	}
	return 1
}

// command is one subcommand: its one-line summary, usage text with
// examples, and the function that runs it with its flags parsed.
type command struct {
	name, summary, usage string
	run                  func(ctx context.Context, env *cmdEnv, args []string) error
}

// cmdEnv is what every command may use instead of globals.
type cmdEnv struct {
	getenv config.Getenv
	stdout io.Writer
	stderr io.Writer
}

func commands() []command {
	return []command{serveCommand(), applyCommand(), demoCommand(), logsCommand(), benchCommand(), envCommand(), versionCommand()}
}

// run is the whole CLI: main only wires the process to it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	env := &cmdEnv{getenv: getenv, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		printHelp(stderr)
		return errUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "help", "-h", "--help", "-help":
		if len(rest) > 0 {
			if c, ok := findCommand(rest[0]); ok {
				fmt.Fprint(stdout, c.usage)
				return nil
			}
		}
		printHelp(stdout)
		return nil
	case "--version", "-version":
		name = "version"
	case demoHandlerCommand: // hidden: the demo's Lambda functions run it
		return runDemoHandler(rest)
	}
	c, ok := findCommand(name)
	if !ok {
		fmt.Fprintf(stderr, "tarn: unknown command %q\n\n", name)
		printHelp(stderr)
		return errUsage
	}
	return c.run(ctx, env, rest)
}

func findCommand(name string) (command, bool) {
	for _, c := range commands() {
		if c.name == name {
			return c, true
		}
	}
	return command{}, false
}

func printHelp(w io.Writer) {
	fmt.Fprint(w, `tarn is the AWS big-data architecture in one binary: an S3 data lake, Kinesis
streams and Firehose delivery, DynamoDB tables with Streams, the Glue catalog
and crawlers, and Athena SQL (functions, the warehouse and dashboards as they
land).

Usage:
  tarn <command> [flags]

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-8s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, `
Examples:
  tarn demo                 # run the decision-support loop on sample data
  tarn serve                # serve every API on 127.0.0.1:4566
  tarn apply                # create the resources declared in tarn.yaml
  eval "$(tarn env)"        # point awscli, boto3 and the SDKs at it
  aws s3 ls

Run 'tarn help <command>' or 'tarn <command> -h' for a command's flags.
`)
}

// newFlags returns a FlagSet whose -h prints the command's usage.
func newFlags(c command, env *cmdEnv) *flag.FlagSet {
	fs := flag.NewFlagSet("tarn "+c.name, flag.ContinueOnError)
	fs.SetOutput(env.stderr)
	fs.Usage = func() {
		fmt.Fprint(env.stderr, c.usage)
		var b strings.Builder
		fs.SetOutput(&b)
		fs.PrintDefaults()
		fs.SetOutput(env.stderr)
		if b.Len() > 0 {
			fmt.Fprintf(env.stderr, "\nFlags:\n%s", b.String())
		}
	}
	return fs
}

// parseFlags parses args; -h prints usage and returns errHelp, which the
// command returns as success.
func parseFlags(fs *flag.FlagSet, args []string) error {
	err := fs.Parse(args)
	if errors.Is(err, flag.ErrHelp) {
		return errHelp
	}
	if err != nil {
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return errUsage
	}
	return nil
}

// errHelp is returned by parseFlags after printing -h output.
var errHelp = errors.New("help shown")

// helped turns errHelp into success.
func helped(err error) error {
	if errors.Is(err, errHelp) {
		return nil
	}
	return err
}
