package filter

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

// ErrInvalidPattern is matched (errors.Is) by every Compile error, a
// *PatternError.
var ErrInvalidPattern = errors.New("filter: invalid pattern")

// PatternError is a Compile error: which pattern (0-based Index) and
// what is wrong with it (Reason, a sentence fit for an API error).
type PatternError struct {
	Index  int
	Reason string
}

func (e *PatternError) Error() string {
	return fmt.Sprintf("filter: invalid pattern %d: %s", e.Index+1, e.Reason)
}

// Is makes errors.Is(err, ErrInvalidPattern) hold.
func (e *PatternError) Is(target error) bool { return target == ErrInvalidPattern }

// maxAlternatives bounds the conjunctions one pattern's $or clauses may
// expand to, so a pattern's cost stays linear in its size.
const maxAlternatives = 1024

// maxDepth bounds how deeply pattern objects nest.
const maxDepth = 64

// Set is a compiled list of patterns. Immutable; safe for concurrent use.
type Set struct {
	patterns []*pattern
}

// pattern is one compiled pattern: it matches when any alternative does.
type pattern struct {
	alts []alt
}

// alt is a conjunction: every condition must hold.
type alt struct {
	conds []cond
	top   []string // the top-level keys the conditions look at
}

// cond is the matchers of one field: it holds when any of them matches.
type cond struct {
	path []string
	ms   []matcher
}

func invalid(format string, args ...any) error {
	return &PatternError{Reason: fmt.Sprintf(format, args...)}
}

// Compile parses patterns, each a JSON object. An empty list compiles to
// a Set that matches every event.
func Compile(patterns []string) (*Set, error) {
	s := &Set{}
	for i, p := range patterns {
		c, err := compilePattern(p)
		if err != nil {
			var pe *PatternError
			if errors.As(err, &pe) {
				pe.Index = i
			}
			return nil, err
		}
		s.patterns = append(s.patterns, c)
	}
	return s, nil
}

// Len is the number of patterns in s.
func (s *Set) Len() int { return len(s.patterns) }

func compilePattern(src string) (*pattern, error) {
	d := json.NewDecoder(strings.NewReader(src))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		return nil, invalid("the pattern is not valid JSON: %v", err)
	}
	if _, err := d.Token(); err == nil {
		return nil, invalid("the pattern has data after its JSON object")
	}
	obj, ok := v.(map[string]any)
	if !ok {
		return nil, invalid("the pattern must be a JSON object")
	}
	if err := checkDuplicateKeys(src); err != nil {
		return nil, err
	}
	if len(obj) == 0 {
		return nil, invalid("the pattern must contain at least one field")
	}
	alts, err := compileObject(nil, obj, 0)
	if err != nil {
		return nil, err
	}
	p := &pattern{alts: make([]alt, len(alts))}
	for i, conds := range alts {
		a := alt{conds: conds}
		for _, c := range conds {
			if !slices.Contains(a.top, c.path[0]) {
				a.top = append(a.top, c.path[0])
			}
		}
		p.alts[i] = a
	}
	return p, nil
}

// compileObject compiles a pattern object under path into alternatives.
func compileObject(path []string, obj map[string]any, depth int) ([][]cond, error) {
	if depth > maxDepth {
		return nil, invalid("the pattern nests more than %d levels", maxDepth)
	}
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	alts := [][]cond{nil}
	for _, k := range keys {
		var part [][]cond
		switch v := obj[k].(type) {
		case []any:
			if k == "$or" {
				var err error
				if part, err = compileOr(path, v, depth); err != nil {
					return nil, err
				}
				break
			}
			ms, err := compileMatchers(k, v)
			if err != nil {
				return nil, err
			}
			part = [][]cond{{{path: appendPath(path, k), ms: ms}}}
		case map[string]any:
			if len(v) == 0 {
				return nil, invalid("the value of %q must not be an empty object", k)
			}
			var err error
			if part, err = compileObject(appendPath(path, k), v, depth+1); err != nil {
				return nil, err
			}
		default:
			return nil, invalid("the value of %q must be an array of match values or an object, not %s", k, jsonText(v))
		}
		if len(alts)*len(part) > maxAlternatives {
			return nil, invalid("the pattern's $or clauses expand to more than %d combinations", maxAlternatives)
		}
		next := make([][]cond, 0, len(alts)*len(part))
		for _, a := range alts {
			for _, p := range part {
				next = append(next, append(slices.Clip(a), p...))
			}
		}
		alts = next
	}
	return alts, nil
}

func compileOr(path []string, branches []any, depth int) ([][]cond, error) {
	if len(branches) < 2 {
		return nil, invalid("$or must be an array of at least two pattern objects")
	}
	var out [][]cond
	for _, b := range branches {
		obj, ok := b.(map[string]any)
		if !ok || len(obj) == 0 {
			return nil, invalid("each element of $or must be a non-empty pattern object, not %s", jsonText(b))
		}
		alts, err := compileObject(path, obj, depth+1)
		if err != nil {
			return nil, err
		}
		out = append(out, alts...)
		if len(out) > maxAlternatives {
			return nil, invalid("the pattern's $or clauses expand to more than %d combinations", maxAlternatives)
		}
	}
	return out, nil
}

func appendPath(path []string, k string) []string {
	return append(slices.Clip(path), k)
}

func compileMatchers(field string, vals []any) ([]matcher, error) {
	if len(vals) == 0 {
		return nil, invalid("the match values of %q must not be an empty array", field)
	}
	ms := make([]matcher, 0, len(vals))
	for _, v := range vals {
		m, err := compileValue(v)
		if err != nil {
			var pe *PatternError
			if errors.As(err, &pe) {
				pe.Reason += fmt.Sprintf(" (field %q)", field)
			}
			return nil, err
		}
		ms = append(ms, m)
	}
	return ms, nil
}

// jsonText renders v for a message, shortened.
func jsonText(v any) string {
	b, _ := json.Marshal(v)
	if len(b) > 64 {
		return string(b[:61]) + "..."
	}
	return string(b)
}

// checkDuplicateKeys refuses a pattern that names a key twice in one
// object (the JSON decoder would silently keep the last).
func checkDuplicateKeys(src string) error {
	d := json.NewDecoder(bytes.NewReader([]byte(src)))
	type frame struct {
		obj    bool
		keys   map[string]bool
		expect bool // next string token is a key
	}
	var stack []*frame
	for {
		tok, err := d.Token()
		if err != nil {
			return nil // the decode above already validated the syntax
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.obj && top.expect {
			if k, ok := tok.(string); ok {
				if top.keys[k] {
					return invalid("the key %q appears twice in one object", k)
				}
				top.keys[k] = true
				top.expect = false
				continue
			}
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{obj: true, keys: map[string]bool{}, expect: true})
			continue
		case json.Delim('['):
			stack = append(stack, &frame{})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
		if len(stack) > 0 && stack[len(stack)-1].obj {
			stack[len(stack)-1].expect = true
		}
	}
}
