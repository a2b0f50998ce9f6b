package filter

import "slices"

// Match reports whether event matches any pattern of s (an empty Set
// matches every event). event is a decoded JSON object: nested objects
// as map[string]any, arrays as []any, numbers as float64 or json.Number.
func (s *Set) Match(event map[string]any) bool {
	return s.match(event, "")
}

// MatchExcept is Match using only the alternatives that do not filter on
// the top-level field key: for an event whose key could not be decoded
// (a Kinesis record whose data is not JSON), which only such patterns
// can match. An empty Set matches every event.
func (s *Set) MatchExcept(event map[string]any, key string) bool {
	return s.match(event, key)
}

func (s *Set) match(event map[string]any, except string) bool {
	if len(s.patterns) == 0 {
		return true
	}
	root := []any{event}
	for _, p := range s.patterns {
		for i := range p.alts {
			a := &p.alts[i]
			if except != "" && slices.Contains(a.top, except) {
				continue
			}
			if a.holds(root) {
				return true
			}
		}
	}
	return false
}

func (a *alt) holds(root []any) bool {
	for i := range a.conds {
		if !a.conds[i].holds(root) {
			return false
		}
	}
	return true
}

// holds looks up the condition's field and tries each matcher on each of
// its values (an array in the event contributes each element).
func (c *cond) holds(root []any) bool {
	vals := root
	for _, k := range c.path {
		vals = lookup(vals, k)
		if len(vals) == 0 {
			break
		}
	}
	for i := range c.ms {
		m := &c.ms[i]
		if m.kind == kExists {
			if m.b == hasLeaf(vals) {
				return true
			}
			continue
		}
		for _, v := range vals {
			if _, obj := v.(map[string]any); !obj && m.match(v) {
				return true
			}
		}
	}
	return false
}

// hasLeaf reports whether vals holds a value that is not an object (null
// counts: the field exists).
func hasLeaf(vals []any) bool {
	for _, v := range vals {
		if _, obj := v.(map[string]any); !obj {
			return true
		}
	}
	return false
}

// lookup returns the values of field k in each object of vals, arrays
// flattened into their elements.
func lookup(vals []any, k string) []any {
	var out []any
	for _, v := range vals {
		if m, ok := v.(map[string]any); ok {
			if x, ok := m[k]; ok {
				out = flatten(out, x, 0)
			}
		}
	}
	return out
}

func flatten(out []any, v any, depth int) []any {
	a, ok := v.([]any)
	if !ok || depth > maxDepth {
		return append(out, v)
	}
	for _, e := range a {
		out = flatten(out, e, depth+1)
	}
	return out
}
