package logs

import (
	"strconv"
	"strings"
)

// structured is the parse of a JSON or space-delimited pattern.
type structured struct {
	where  *cond
	fields []string
}

func parseStructured(src string, json bool) (*structured, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	out := &structured{}
	if json {
		if err := p.expect(tkPunct, "{"); err != nil {
			return nil, err
		}
		if out.where, err = p.orExpr(true); err != nil {
			return nil, err
		}
		if err := p.expect(tkPunct, "}"); err != nil {
			return nil, err
		}
	} else {
		if err := p.expect(tkPunct, "["); err != nil {
			return nil, err
		}
		if out.fields, out.where, err = p.fieldList(); err != nil {
			return nil, err
		}
	}
	if p.peek().kind != tkEOF {
		return nil, errPattern
	}
	return out, nil
}

// fieldList reads `name [cond], ..., name [cond]]`.
func (p *parser) fieldList() ([]string, *cond, error) {
	var names []string
	var where *cond
	seen := map[string]bool{}
	for {
		t := p.next()
		if t.kind != tkWord {
			return nil, nil, errPattern
		}
		if t.text != "..." && strings.Contains(t.text, "...") {
			return nil, nil, errPattern
		}
		names = append(names, t.text)
		if t.text != "..." {
			if seen[t.text] {
				return nil, nil, errPattern
			}
			seen[t.text] = true
		}
		if p.peek().kind == tkOp && p.peek().text != "&&" && p.peek().text != "||" {
			if t.text == "..." {
				return nil, nil, errPattern
			}
			p.i-- // the name starts the condition
			c, err := p.orExpr(false)
			if err != nil {
				return nil, nil, err
			}
			where = and(where, c)
		}
		switch {
		case p.is(tkPunct, ","):
			p.next()
		case p.is(tkPunct, "]"):
			p.next()
			for _, c := range refs(where) {
				if !seen[c] {
					return nil, nil, errPattern
				}
			}
			return names, where, nil
		default:
			return nil, nil, errPattern
		}
	}
}

func and(a, b *cond) *cond {
	if a == nil {
		return b
	}
	return &cond{op: "&&", l: a, r: b}
}

// refs lists the names a condition compares.
func refs(c *cond) []string {
	if c == nil {
		return nil
	}
	if c.op == "&&" || c.op == "||" {
		return append(refs(c.l), refs(c.r)...)
	}
	return []string{c.ref}
}

func (p *parser) orExpr(json bool) (*cond, error) {
	l, err := p.andExpr(json)
	if err != nil {
		return nil, err
	}
	for p.is(tkOp, "||") {
		p.next()
		r, err := p.andExpr(json)
		if err != nil {
			return nil, err
		}
		l = &cond{op: "||", l: l, r: r}
	}
	return l, nil
}

func (p *parser) andExpr(json bool) (*cond, error) {
	l, err := p.unary(json)
	if err != nil {
		return nil, err
	}
	for p.is(tkOp, "&&") {
		p.next()
		r, err := p.unary(json)
		if err != nil {
			return nil, err
		}
		l = &cond{op: "&&", l: l, r: r}
	}
	return l, nil
}

func (p *parser) unary(json bool) (*cond, error) {
	if p.is(tkPunct, "(") {
		p.next()
		c, err := p.orExpr(json)
		if err != nil {
			return nil, err
		}
		return c, p.expect(tkPunct, ")")
	}
	ref := p.next()
	if ref.kind != tkWord {
		return nil, errPattern
	}
	c := &cond{ref: ref.text}
	if json {
		path, err := parseSelector(ref.text)
		if err != nil {
			return nil, err
		}
		c.path = path
		switch {
		case p.isKeyword("IS"):
			p.next()
			switch {
			case p.isKeyword("NULL"), p.isKeyword("TRUE"), p.isKeyword("FALSE"):
				c.op = "IS " + strings.ToUpper(p.next().text)
				return c, nil
			}
			return nil, errPattern
		case p.isKeyword("NOT"):
			p.next()
			if !p.isKeyword("EXISTS") {
				return nil, errPattern
			}
			p.next()
			c.op = "NOT EXISTS"
			return c, nil
		}
	} else if ref.text == "..." || strings.HasPrefix(ref.text, "$") && !isFieldNumber(ref.text) {
		return nil, errPattern
	}
	op := p.next()
	if op.kind != tkOp || op.text == "&&" || op.text == "||" {
		return nil, errPattern
	}
	c.op = op.text
	v := p.next()
	switch v.kind {
	case tkString:
		c.val = literal{text: v.text, quoted: true}
	case tkWord:
		c.val = literal{text: v.text}
		if f, err := strconv.ParseFloat(v.text, 64); err == nil {
			c.val.num, c.val.isNum = f, true
		}
	case tkRegex:
		if p.regexes++; p.regexes > maxStructuredRegex {
			return nil, errPattern
		}
		re, err := compileRegex(v.text)
		if err != nil {
			return nil, err
		}
		c.val = literal{text: v.text, re: re}
	default:
		return nil, errPattern
	}
	if c.op != "=" && c.op != "!=" && !c.val.isNum {
		return nil, errPattern // < <= > >= compare numbers only
	}
	return c, nil
}

// isFieldNumber reports a positional field name such as $1.
func isFieldNumber(s string) bool {
	_, err := strconv.Atoi(strings.TrimPrefix(s, "$"))
	return err == nil
}

// parseSelector parses $.a.b[0].*[*].
func parseSelector(s string) ([]step, error) {
	if !strings.HasPrefix(s, "$") {
		return nil, errPattern
	}
	var out []step
	for i := 1; i < len(s); {
		switch s[i] {
		case '.':
			j := i + 1
			for j < len(s) && s[j] != '.' && s[j] != '[' {
				j++
			}
			if j == i+1 {
				return nil, errPattern
			}
			out = append(out, step{key: s[i+1 : j], index: -1})
			i = j
		case '[':
			j := strings.IndexByte(s[i:], ']')
			if j < 0 {
				return nil, errPattern
			}
			idx := s[i+1 : i+j]
			if idx == "*" {
				out = append(out, step{index: -2})
			} else if n, err := strconv.Atoi(idx); err == nil && n >= 0 {
				out = append(out, step{index: n})
			} else {
				return nil, errPattern
			}
			i += j + 1
		default:
			return nil, errPattern
		}
	}
	if len(out) == 0 {
		return nil, errPattern
	}
	return out, nil
}
