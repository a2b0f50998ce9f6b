// Package datadriven runs test cases kept in text files, for parsers and
// renderers (DESIGN §8). A file holds cases of the form
//
//	# comments and blank lines, kept as they are
//	<command line>
//	<input lines>
//	----
//	<expected output lines>
//	====
//
// Run feeds each case to a function and compares what it returns with the
// expected block; `go test -rewrite` writes the actual output back instead.
package datadriven

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Case is one test case of a file.
type Case struct {
	File    string
	Line    int    // line number of the command
	Command string // the command line, without its newline
	Input   string // the lines up to "----", each ending in "\n"

	preamble string
	expected string
}

// Pos is "file:line" of the case, for messages.
func (c Case) Pos() string { return fmt.Sprintf("%s:%d", c.File, c.Line) }

// The -rewrite flag is defined when a test binary imports this package
// (unless a test file defined it first; a test package that imports
// datadriven must not define it after).
func init() {
	if flag.Lookup("rewrite") == nil {
		flag.Bool("rewrite", false, "rewrite the expected output of datadriven testdata files")
	}
}

// Rewrite reports whether -rewrite was given.
func Rewrite() bool {
	f := flag.Lookup("rewrite")
	if f == nil {
		return false
	}
	v, _ := f.Value.(flag.Getter).Get().(bool)
	return v
}

// Run runs every case of every file matching glob through fn. A file with
// no cases, or no file at all, fails the test.
func Run(t *testing.T, glob string, fn func(t *testing.T, c Case) string) {
	t.Helper()
	files, _ := filepath.Glob(glob)
	if len(files) == 0 {
		t.Fatalf("no files match %s", glob)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) { runFile(t, file, fn) })
	}
}

func runFile(t *testing.T, file string, fn func(t *testing.T, c Case) string) {
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	cases, err := Parse(file, string(src))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, c := range cases {
		got := fn(t, c)
		if got != "" && !strings.HasSuffix(got, "\n") {
			got += "\n"
		}
		if !Rewrite() && got != c.expected {
			t.Errorf("%s: %s\ngot:\n%s\nwant:\n%s", c.Pos(), c.Command, got, c.expected)
		}
		fmt.Fprintf(&out, "%s%s\n%s----\n%s====\n", c.preamble, c.Command, c.Input, got)
	}
	if Rewrite() {
		if err := os.WriteFile(file, []byte(out.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// Parse splits a file's text into cases.
func Parse(file, src string) ([]Case, error) {
	lines := strings.SplitAfter(src, "\n")
	var cases []Case
	var pre strings.Builder
	for i := 0; i < len(lines); i++ {
		l := lines[i]
		if strings.TrimSpace(l) == "" || strings.HasPrefix(l, "#") {
			pre.WriteString(l)
			continue
		}
		c := Case{File: file, Line: i + 1, preamble: pre.String(), Command: strings.TrimSuffix(l, "\n")}
		pre.Reset()
		var in, exp strings.Builder
		for i++; i < len(lines) && lines[i] != "----\n"; i++ {
			in.WriteString(lines[i])
		}
		for i++; i < len(lines) && lines[i] != "====\n"; i++ {
			exp.WriteString(lines[i])
		}
		if i >= len(lines) {
			return nil, fmt.Errorf("%s:%d: case not terminated by ====", file, c.Line)
		}
		c.Input, c.expected = in.String(), exp.String()
		cases = append(cases, c)
	}
	return cases, nil
}
