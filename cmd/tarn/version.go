package main

import (
	"context"
	"fmt"
	"runtime"
	"runtime/debug"
)

// buildVersion is set at link time: -ldflags "-X main.buildVersion=v1.2.3".
var buildVersion = ""

// version is buildVersion, else the module version from the build info,
// else "dev".
func version() string {
	if buildVersion != "" {
		return buildVersion
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func versionCommand() command {
	c := command{name: "version", summary: "print tarn's version"}
	c.usage = `Usage: tarn version

Prints tarn's version, the Go version it was built with and the platform.

Example:
  tarn version
`
	c.run = func(ctx context.Context, env *cmdEnv, args []string) error {
		fs := newFlags(c, env)
		if err := parseFlags(fs, args); err != nil {
			return helped(err)
		}
		fmt.Fprintf(env.stdout, "tarn %s (%s, %s/%s)\n", version(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
		return nil
	}
	return c
}
