package logs

import (
	"encoding/json"
	"strconv"
	"strings"
)

// match reports whether msg matches the pattern.
func (p *filterPattern) match(msg string) bool {
	switch p.form {
	case 0:
		return true
	case 't':
		return p.matchTerms(msg)
	case 'j':
		t := strings.TrimSpace(msg)
		if t == "" || t[0] != '{' && t[0] != '[' {
			return false
		}
		var doc any
		if err := json.Unmarshal([]byte(t), &doc); err != nil {
			return false
		}
		return evalJSON(p.json, doc)
	}
	return p.matchFields(splitFields(msg))
}

func (t *term) in(msg string) bool {
	if t.re != nil {
		return t.re.MatchString(msg)
	}
	return strings.Contains(msg, t.text)
}

func (p *filterPattern) matchTerms(msg string) bool {
	anyOr, sawOr := false, false
	for i := range p.terms {
		t := &p.terms[i]
		switch t.mode {
		case 0:
			if !t.in(msg) {
				return false
			}
		case '-':
			if t.in(msg) {
				return false
			}
		case '?':
			sawOr = true
			anyOr = anyOr || t.in(msg)
		}
	}
	return !sawOr || anyOr
}

// evalJSON evaluates a JSON-form condition on a decoded document.
func evalJSON(c *cond, doc any) bool {
	switch c.op {
	case "&&":
		return evalJSON(c.l, doc) && evalJSON(c.r, doc)
	case "||":
		return evalJSON(c.l, doc) || evalJSON(c.r, doc)
	}
	vals := selectPath(doc, c.path)
	if c.op == "NOT EXISTS" {
		return len(vals) == 0
	}
	for _, v := range vals {
		if compareJSON(c, v) {
			return true
		}
	}
	return false
}

// selectPath returns the values a selector reaches ("*" fans out).
func selectPath(doc any, path []step) []any {
	cur := []any{doc}
	for _, st := range path {
		var next []any
		for _, v := range cur {
			switch x := v.(type) {
			case map[string]any:
				if st.index != -1 {
					continue
				}
				if st.key == "*" {
					for _, e := range x {
						next = append(next, e)
					}
				} else if e, ok := x[st.key]; ok {
					next = append(next, e)
				}
			case []any:
				switch {
				case st.index == -2 || st.index == -1 && st.key == "*":
					next = append(next, x...)
				case st.index >= 0 && st.index < len(x):
					next = append(next, x[st.index])
				}
			}
		}
		cur = next
	}
	return cur
}

func compareJSON(c *cond, v any) bool {
	switch c.op {
	case "IS NULL":
		return v == nil
	case "IS TRUE":
		return v == true
	case "IS FALSE":
		return v == false
	}
	switch x := v.(type) {
	case float64:
		if !c.val.isNum {
			return false
		}
		return compareNum(c.op, x, c.val.num)
	case string:
		if c.val.isNum && c.op != "=" && c.op != "!=" {
			return false
		}
		return compareStr(c.op, x, c.val)
	case bool:
		if c.val.quoted || c.val.isNum {
			return false
		}
		return compareStr(c.op, strconv.FormatBool(x), c.val)
	}
	return false
}

func compareNum(op string, a, b float64) bool {
	switch op {
	case "=":
		return a == b
	case "!=":
		return a != b
	case "<":
		return a < b
	case "<=":
		return a <= b
	case ">":
		return a > b
	case ">=":
		return a >= b
	}
	return false
}

// compareStr compares a string with a literal: a glob (* is any run of
// characters) or a regexp, which matches anywhere in s.
func compareStr(op, s string, lit literal) bool {
	var eq bool
	if lit.re != nil {
		eq = lit.re.MatchString(s)
	} else {
		eq = glob(lit.text, s)
	}
	switch op {
	case "=":
		return eq
	case "!=":
		return !eq
	}
	return false
}

// glob matches s against pat, where * is any run of characters.
func glob(pat, s string) bool {
	if !strings.Contains(pat, "*") {
		return pat == s
	}
	parts := strings.Split(pat, "*")
	if !strings.HasPrefix(s, parts[0]) {
		return false
	}
	s = s[len(parts[0]):]
	last := parts[len(parts)-1]
	for _, mid := range parts[1 : len(parts)-1] {
		i := strings.Index(s, mid)
		if i < 0 {
			return false
		}
		s = s[i+len(mid):]
	}
	return strings.HasSuffix(s, last)
}

// splitFields splits a message at spaces; a run in "double quotes" or
// [brackets] is one field, without its delimiters.
func splitFields(msg string) []string {
	var out []string
	for i := 0; i < len(msg); {
		switch c := msg[i]; {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '"' || c == '[':
			end := byte('"')
			if c == '[' {
				end = ']'
			}
			j := strings.IndexByte(msg[i+1:], end)
			if j < 0 {
				out = append(out, msg[i+1:])
				return out
			}
			out = append(out, msg[i+1:i+1+j])
			i += j + 2
		default:
			j := i
			for j < len(msg) && msg[j] != ' ' && msg[j] != '\t' && msg[j] != '\n' && msg[j] != '\r' {
				j++
			}
			out = append(out, msg[i:j])
			i = j
		}
	}
	return out
}

// maxFieldBacktrack bounds the alignments tried for patterns with "...".
const maxFieldBacktrack = 10000

func (p *filterPattern) matchFields(vals []string) bool {
	bound := map[string]string{}
	budget := maxFieldBacktrack
	var try func(i, j int) bool
	try = func(i, j int) bool {
		if budget--; budget < 0 {
			return false
		}
		if i == len(p.fields) {
			return j == len(vals) && (p.where == nil || evalFields(p.where, bound))
		}
		name := p.fields[i]
		if name == "..." {
			for k := j; k <= len(vals); k++ {
				if try(i+1, k) {
					return true
				}
			}
			return false
		}
		if j == len(vals) {
			return false
		}
		bound[name] = vals[j]
		return try(i+1, j+1)
	}
	return try(0, 0)
}

func evalFields(c *cond, bound map[string]string) bool {
	switch c.op {
	case "&&":
		return evalFields(c.l, bound) && evalFields(c.r, bound)
	case "||":
		return evalFields(c.l, bound) || evalFields(c.r, bound)
	}
	v, ok := bound[c.ref]
	if !ok {
		return false
	}
	if c.val.isNum {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			return false
		}
		return compareNum(c.op, f, c.val.num)
	}
	return compareStr(c.op, v, c.val)
}
