// Command testfn is the aws-lambda-go function the function package's
// tests build as a provided.al2023 bootstrap. Its event picks a behaviour:
// {"mode":"echo"|"env"|"error"|"crash"|"sleep"|"barrier"|"record"|"log"|"pid"|"alloc",
// "ms": N, "dir": D, "n": N}.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambdacontext"
)

type event struct {
	Mode string `json:"mode"`
	Ms   int    `json:"ms"`
	Dir  string `json:"dir,omitempty"`
	N    int    `json:"n,omitempty"`
}

func handle(ctx context.Context, ev event) (any, error) {
	switch ev.Mode {
	case "env":
		m := map[string]string{}
		for _, kv := range os.Environ() {
			k, v, _ := strings.Cut(kv, "=")
			m[k] = v
		}
		return m, nil
	case "error":
		return nil, errors.New("boom")
	case "crash":
		fmt.Println("crashing now")
		os.Exit(3)
	case "sleep":
		time.Sleep(time.Duration(ev.Ms) * time.Millisecond)
		return map[string]int{"pid": os.Getpid()}, nil
	case "barrier":
		// Announce this process in Dir, then wait (up to Ms) until N
		// processes have: only concurrent environments get past it.
		if err := os.WriteFile(filepath.Join(ev.Dir, fmt.Sprint(os.Getpid())), nil, 0o644); err != nil {
			return nil, err
		}
		for end := time.Now().Add(time.Duration(ev.Ms) * time.Millisecond); time.Now().Before(end); time.Sleep(10 * time.Millisecond) {
			if ents, _ := os.ReadDir(ev.Dir); len(ents) >= ev.N {
				return map[string]int{"pid": os.Getpid()}, nil
			}
		}
		return nil, errors.New("barrier: not enough concurrent environments")
	case "record":
		// Leave a file in Dir per attempt; fail when N is 1.
		if err := os.WriteFile(filepath.Join(ev.Dir, fmt.Sprint(time.Now().UnixNano())), nil, 0o644); err != nil {
			return nil, err
		}
		if ev.N == 1 {
			return nil, errors.New("record: failing as asked")
		}
		return ev, nil
	case "log":
		fmt.Println("hello from the function")
		fmt.Fprintln(os.Stderr, "and from stderr")
	case "alloc":
		// Touch N MB of memory, holding it for Ms.
		b := make([]byte, ev.N<<20)
		for i := 0; i < len(b); i += 4096 {
			b[i] = 1
		}
		time.Sleep(time.Duration(ev.Ms) * time.Millisecond)
		return map[string]int{"len": len(b)}, nil
	case "pid":
		lc, _ := lambdacontext.FromContext(ctx)
		return map[string]any{"pid": os.Getpid(), "requestId": lc.AwsRequestID, "arn": lc.InvokedFunctionArn}, nil
	}
	return ev, nil
}

func main() { lambda.Start(handle) }
