package firehose

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// partitioner evaluates a MetadataExtractionQuery, tarn's JQ subset: an
// object of named paths, e.g.
//
//	{customer: .customer.id, dt: .ts[0:10], first: .items[0].sku, "k": .["a b"]}
//
// A path is "." followed by .name, ["name"], [index] (arrays) and
// [from:to] (string or array slices, JQ's semantics). A key must evaluate
// to a string, number or boolean; anything else (missing, null, object)
// fails the record, which then goes to the error prefix as
// partitioning-failed.
type partitioner struct {
	keys  []string
	paths [][]pathStep
}

type pathStep struct {
	name     string
	index    int
	slice    bool
	from, to *int
	isIndex  bool
}

func (p *partitioner) defines(k string) bool {
	for _, x := range p.keys {
		if x == k {
			return true
		}
	}
	return false
}

type qparser struct {
	s   string
	pos int
}

func parseQuery(q string) (*partitioner, error) {
	p := &qparser{s: q}
	pt, err := p.object()
	if err != nil {
		return nil, errInvalid("MetadataExtractionQuery %q is not supported by tarn: %v (supported: {key: .a.b, key2: .c[0:10]})", q, err)
	}
	return pt, nil
}

func (p *qparser) ws() {
	for p.pos < len(p.s) && strings.IndexByte(" \t\r\n", p.s[p.pos]) >= 0 {
		p.pos++
	}
}

func (p *qparser) eat(c byte) bool {
	p.ws()
	if p.pos < len(p.s) && p.s[p.pos] == c {
		p.pos++
		return true
	}
	return false
}

func (p *qparser) object() (*partitioner, error) {
	if !p.eat('{') {
		return nil, fmt.Errorf("expected '{'")
	}
	pt := &partitioner{}
	for {
		key, err := p.key()
		if err != nil {
			return nil, err
		}
		if !p.eat(':') {
			return nil, fmt.Errorf("expected ':' after %q", key)
		}
		path, err := p.path()
		if err != nil {
			return nil, err
		}
		if pt.defines(key) {
			return nil, fmt.Errorf("key %q defined twice", key)
		}
		pt.keys, pt.paths = append(pt.keys, key), append(pt.paths, path)
		if p.eat(',') {
			continue
		}
		if !p.eat('}') {
			return nil, fmt.Errorf("expected ',' or '}' at %d", p.pos)
		}
		p.ws()
		if p.pos != len(p.s) {
			return nil, fmt.Errorf("unexpected %q after the object", p.s[p.pos:])
		}
		return pt, nil
	}
}

func (p *qparser) key() (string, error) {
	p.ws()
	if p.pos < len(p.s) && p.s[p.pos] == '"' {
		return p.str()
	}
	start := p.pos
	for p.pos < len(p.s) && isIdent(p.s[p.pos], p.pos > start) {
		p.pos++
	}
	if start == p.pos {
		return "", fmt.Errorf("expected a key at %d", start)
	}
	return p.s[start:p.pos], nil
}

func isIdent(c byte, notFirst bool) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || notFirst && c >= '0' && c <= '9'
}

func (p *qparser) str() (string, error) {
	dec := json.NewDecoder(strings.NewReader(p.s[p.pos:]))
	var v string
	if err := dec.Decode(&v); err != nil {
		return "", fmt.Errorf("bad string at %d", p.pos)
	}
	p.pos += int(dec.InputOffset())
	return v, nil
}

func (p *qparser) int() (*int, error) {
	p.ws()
	start := p.pos
	if p.pos < len(p.s) && p.s[p.pos] == '-' {
		p.pos++
	}
	for p.pos < len(p.s) && p.s[p.pos] >= '0' && p.s[p.pos] <= '9' {
		p.pos++
	}
	if start == p.pos {
		return nil, nil
	}
	n, err := strconv.Atoi(p.s[start:p.pos])
	if err != nil {
		return nil, fmt.Errorf("bad number at %d", start)
	}
	return &n, nil
}

func (p *qparser) path() ([]pathStep, error) {
	if !p.eat('.') {
		return nil, fmt.Errorf("expected a path starting with '.' at %d", p.pos)
	}
	var steps []pathStep
	first := true
	for {
		switch {
		case p.pos < len(p.s) && isIdent(p.s[p.pos], false):
			start := p.pos
			for p.pos < len(p.s) && isIdent(p.s[p.pos], true) {
				p.pos++
			}
			steps = append(steps, pathStep{name: p.s[start:p.pos]})
		case p.pos < len(p.s) && p.s[p.pos] == '[':
			p.pos++
			p.ws()
			if p.pos < len(p.s) && p.s[p.pos] == '"' {
				name, err := p.str()
				if err != nil {
					return nil, err
				}
				steps = append(steps, pathStep{name: name})
			} else {
				from, err := p.int()
				if err != nil {
					return nil, err
				}
				if p.eat(':') {
					to, err := p.int()
					if err != nil {
						return nil, err
					}
					steps = append(steps, pathStep{slice: true, from: from, to: to})
				} else if from != nil {
					steps = append(steps, pathStep{isIndex: true, index: *from})
				} else {
					return nil, fmt.Errorf("empty [] at %d", p.pos)
				}
			}
			if !p.eat(']') {
				return nil, fmt.Errorf("expected ']' at %d", p.pos)
			}
		case first:
			return nil, fmt.Errorf("expected a field after '.' at %d", p.pos)
		default:
			return steps, nil
		}
		first = false
		if p.pos < len(p.s) && p.s[p.pos] == '.' {
			p.pos++
			first = true
		}
	}
}

// eval extracts every key from a JSON record.
func (p *partitioner) eval(data []byte) (map[string]string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("record is not JSON: %v", err)
	}
	out := make(map[string]string, len(p.keys))
	for i, k := range p.keys {
		v := doc
		for _, st := range p.paths[i] {
			v = st.apply(v)
		}
		switch x := v.(type) {
		case string:
			out[k] = x
		case json.Number:
			out[k] = x.String()
		case bool:
			out[k] = strconv.FormatBool(x)
		default:
			return nil, fmt.Errorf("partition key %s evaluated to %s", k, describe(v))
		}
	}
	return out, nil
}

func describe(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	return "an unsupported value"
}

func (st pathStep) apply(v any) any {
	switch {
	case st.slice:
		switch x := v.(type) {
		case string:
			r := []rune(x)
			a, b := bounds(st.from, st.to, len(r))
			if !utf8.ValidString(x) {
				return nil
			}
			return string(r[a:b])
		case []any:
			a, b := bounds(st.from, st.to, len(x))
			return x[a:b]
		}
		return nil
	case st.isIndex:
		x, ok := v.([]any)
		if !ok {
			return nil
		}
		i := st.index
		if i < 0 {
			i += len(x)
		}
		if i < 0 || i >= len(x) {
			return nil
		}
		return x[i]
	default:
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		return m[st.name]
	}
}

// bounds clamps a JQ slice [from:to] to a length n.
func bounds(from, to *int, n int) (int, int) {
	a, b := 0, n
	if from != nil {
		a = *from
	}
	if to != nil {
		b = *to
	}
	if a < 0 {
		a += n
	}
	if b < 0 {
		b += n
	}
	a, b = min(max(a, 0), n), min(max(b, 0), n)
	if b < a {
		b = a
	}
	return a, b
}
