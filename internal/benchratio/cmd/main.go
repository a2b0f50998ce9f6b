// Command benchratio reads `go test -bench` output on stdin and prints
// tarn-versus-baseline ratios for the pairs named as TARN=BASELINE args.
package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/tarnhq/tarn/internal/benchratio"
)

func main() {
	var pairs []benchratio.Pair
	for _, a := range os.Args[1:] {
		t, b, ok := strings.Cut(a, "=")
		if !ok {
			fmt.Fprintln(os.Stderr, "usage: benchratio TARN=BASELINE ... < bench.txt")
			os.Exit(2)
		}
		pairs = append(pairs, benchratio.Pair{Tarn: t, Baseline: b})
	}
	results, err := benchratio.Parse(os.Stdin)
	if err == nil {
		err = benchratio.Write(os.Stdout, results, pairs)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchratio:", err)
		os.Exit(1)
	}
}
