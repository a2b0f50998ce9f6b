package stack

import (
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"
)

// ErrInvalid is wrapped by every *Error: the file is not a valid stack.
var ErrInvalid = errors.New("stack: invalid stack file")

// Error is a problem at one line of the file: "tarn.yaml:12:
// streams[1].shards: must be a positive integer". Line is 0 when unknown.
type Error struct {
	File string
	Line int
	Msg  string
}

func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Unwrap makes errors.Is(err, ErrInvalid) hold.
func (e *Error) Unwrap() error { return ErrInvalid }

// Setting is one of tarn's own top-level keys in the same file (addr,
// data, ...): Parse skips it and Schema describes it as a string.
type Setting struct {
	Key, Doc string
	Enum     []string
}

// Sections returns the resource section names, in apply order.
func Sections() []string {
	t := reflect.TypeFor[Stack]()
	var out []string
	for i := 0; i < t.NumField(); i++ {
		if n := yamlName(t.Field(i)); n != "" {
			out = append(out, n)
		}
	}
	return out
}

// Parse reads a stack file. name is used in messages and code paths are
// relative to its directory. Top-level keys that are settings are skipped;
// any other unknown key is an error with its line. Parse checks each
// field's shape and constraints but calls no API. An empty file is an
// empty stack.
func Parse(name string, data []byte, settings ...Setting) (*Stack, error) {
	s := &Stack{file: name, dir: filepath.Dir(name), lines: map[string]int{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, yamlError(name, err)
	}
	if len(doc.Content) == 0 {
		return s, nil
	}
	root := doc.Content[0]
	if root.Kind == yaml.ScalarNode && root.Tag == "!!null" {
		return s, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, &Error{File: name, Line: root.Line, Msg: "the file must be a mapping of settings and resource sections"}
	}
	skip := map[string]bool{}
	for _, st := range settings {
		skip[st.Key] = true
	}
	sections := &yaml.Node{Kind: yaml.MappingNode, Line: root.Line}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if !skip[root.Content[i].Value] {
			sections.Content = append(sections.Content, root.Content[i], root.Content[i+1])
		}
	}
	d := &decoder{file: name, lines: s.lines, budget: maxNodes}
	if err := d.decode(sections, reflect.ValueOf(s).Elem(), ""); err != nil {
		return nil, err
	}
	if err := s.validate(); err != nil {
		return nil, err
	}
	return s, nil
}

// yamlError turns a YAML syntax error into an *Error with its line.
func yamlError(name string, err error) error {
	msg := err.Error()
	msg = strings.TrimPrefix(msg, "yaml: ")
	var line int
	if _, scanErr := fmt.Sscanf(msg, "line %d:", &line); scanErr == nil {
		_, msg, _ = strings.Cut(msg, ": ")
	}
	return &Error{File: name, Line: line, Msg: msg}
}

// File is the name the stack was parsed from.
func (s *Stack) File() string { return s.file }

// SetDir changes the directory local code paths are relative to.
func (s *Stack) SetDir(dir string) { s.dir = dir }

// line is the line of path, or of its nearest recorded parent.
func (s *Stack) line(path string) int {
	for p := path; p != ""; {
		if l, ok := s.lines[p]; ok {
			return l
		}
		i := strings.LastIndexAny(p, ".[")
		if i < 0 {
			break
		}
		p = p[:i]
	}
	return 0
}

// errorf is an *Error at path's line.
func (s *Stack) errorf(path, format string, args ...any) error {
	return &Error{File: s.file, Line: s.line(path), Msg: path + ": " + fmt.Sprintf(format, args...)}
}

// Empty reports whether the stack declares no resource.
func (s *Stack) Empty() bool {
	v := reflect.ValueOf(s).Elem()
	for i := 0; i < v.NumField(); i++ {
		if f := v.Field(i); f.Kind() == reflect.Slice && f.Len() > 0 {
			return false
		}
	}
	return true
}
