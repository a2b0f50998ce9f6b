package firehose

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/tarnhq/tarn/internal/awsjson"
)

var rewrite = flag.Bool("rewrite", false, "rewrite the expected output of testdata/*.txt")

// testdata/prefix.txt holds prefix cases:
//
//	# comment
//	eval [at=RFC3339] [type=error-output-type] [keys=k:v,k2:v2]
//	<template>
//	----
//	<evaluated prefix, or the error>
//	====
//	check [dp=key1,key2]
//	prefix=<Prefix>
//	error=<ErrorOutputPrefix>   (optional)
//	----
//	ok, or the error
//	====
//
// -rewrite regenerates the expected output.
func TestPrefixDataDriven(t *testing.T) {
	const file = "testdata/prefix.txt"
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	lines := strings.SplitAfter(string(src), "\n")
	for i := 0; i < len(lines); {
		if l := strings.TrimSpace(lines[i]); l == "" || strings.HasPrefix(l, "#") {
			out.WriteString(lines[i])
			i++
			continue
		}
		start, cmd := i+1, strings.TrimSpace(lines[i])
		var input []string
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "----"; i++ {
			input = append(input, strings.TrimSuffix(lines[i], "\n"))
		}
		var want strings.Builder
		for i++; i < len(lines) && strings.TrimSpace(lines[i]) != "===="; i++ {
			want.WriteString(lines[i])
		}
		i++
		got := runPrefixCase(t, cmd, input) + "\n"
		if !*rewrite && got != want.String() {
			t.Errorf("%s:%d: %s %q\ngot:  %s\nwant: %s", file, start, cmd, input, got, want.String())
		}
		fmt.Fprintf(&out, "%s\n%s----\n%s====\n", cmd, joinLines(input), got)
	}
	if *rewrite {
		if err := os.WriteFile(file, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func joinLines(ls []string) string {
	var b strings.Builder
	for _, l := range ls {
		b.WriteString(l + "\n")
	}
	return b.String()
}

func args(cmd string) (string, map[string]string) {
	f := strings.Fields(cmd)
	m := map[string]string{}
	for _, a := range f[1:] {
		k, v, _ := strings.Cut(a, "=")
		m[k] = v
	}
	return f[0], m
}

func errText(err error) string {
	var ae *awsjson.Error
	if errors.As(err, &ae) {
		return "error " + ae.Code + ": " + ae.Message
	}
	return "error: " + err.Error()
}

func runPrefixCase(t *testing.T, cmd string, input []string) string {
	name, a := args(cmd)
	switch name {
	case "eval":
		tmpl, err := parsePrefix(strings.Join(input, "\n"))
		if err != nil {
			return errText(err)
		}
		at := time.Date(2024, 1, 2, 3, 4, 5, 0, time.UTC)
		if v := a["at"]; v != "" {
			if at, err = time.Parse(time.RFC3339, v); err != nil {
				t.Fatal(err)
			}
		}
		keys := map[string]string{}
		if v := a["keys"]; v != "" {
			for _, kv := range strings.Split(v, ",") {
				k, v, _ := strings.Cut(kv, ":")
				keys[k] = v
			}
		}
		return tmpl.eval(evalCtx{at: at, errorType: a["type"], keys: keys, random: func() string { return "RANDOMSTR11" }})
	case "check":
		c := &s3Config{}
		for _, l := range input {
			k, v, _ := strings.Cut(l, "=")
			switch k {
			case "prefix":
				c.Prefix = &v
			case "error":
				c.ErrorOutputPrefix = &v
			}
		}
		d := &destConfig{}
		if v := a["dp"]; v != "" {
			d.partition = &partitioner{keys: strings.Split(v, ",")}
		}
		if err := d.prefixes(c); err != nil {
			return errText(err)
		}
		return "ok"
	}
	t.Fatalf("unknown command %q", cmd)
	return ""
}
