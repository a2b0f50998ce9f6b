package catalog

import (
	"cmp"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// partFilter is a compiled partition Expression for one table's keys.
type partFilter struct {
	root node
	keys []Column
}

// compilePartFilter parses expr against the partition keys. Errors are
// InvalidInputException answers.
func compilePartFilter(expr string, keys []Column) (*partFilter, error) {
	if len(expr) > maxExprLen {
		return nil, errInvalid("1 validation error detected: Value at 'expression' failed to satisfy constraint: Member must have length less than or equal to %d", maxExprLen)
	}
	toks, err := lexExpr(expr)
	if err != nil {
		return nil, errInvalid("Unsupported expression '%s': %v", expr, err)
	}
	p := &exprParser{toks: toks, keys: keys}
	root, err := p.or()
	if err == nil && p.peek().kind != tkEOF {
		err = fmt.Errorf("unexpected %q at position %d", p.peek().text, p.peek().pos)
	}
	if err != nil {
		return nil, errInvalid("Unsupported expression '%s': %v", expr, err)
	}
	return &partFilter{root: root, keys: keys}, nil
}

type exprParser struct {
	toks []token
	i    int
	keys []Column
}

func (p *exprParser) peek() token { return p.toks[p.i] }
func (p *exprParser) next() token { t := p.toks[p.i]; p.i = min(p.i+1, len(p.toks)-1); return t }

func (p *exprParser) keyword(w string) bool {
	t := p.peek()
	if t.kind == tkIdent && !t.quoted && strings.EqualFold(t.text, w) {
		p.next()
		return true
	}
	return false
}

func (p *exprParser) or() (node, error) {
	l, err := p.and()
	for err == nil && p.keyword("OR") {
		var r node
		if r, err = p.and(); err == nil {
			l = orNode{l, r}
		}
	}
	return l, err
}

func (p *exprParser) and() (node, error) {
	l, err := p.unary()
	for err == nil && p.keyword("AND") {
		var r node
		if r, err = p.unary(); err == nil {
			l = andNode{l, r}
		}
	}
	return l, err
}

func (p *exprParser) unary() (node, error) {
	if p.keyword("NOT") {
		x, err := p.unary()
		return notNode{x}, err
	}
	if t := p.peek(); t.kind == tkPunct && t.text == "(" {
		p.next()
		x, err := p.or()
		if err != nil {
			return nil, err
		}
		if t := p.next(); t.kind != tkPunct || t.text != ")" {
			return nil, fmt.Errorf("expected ')' at position %d", t.pos)
		}
		return x, nil
	}
	return p.pred()
}

func (p *exprParser) term() (term, error) {
	t := p.next()
	switch t.kind {
	case tkString:
		return term{col: -1, lit: t.text}, nil
	case tkNumber:
		return term{col: -1, lit: t.text, num: true}, nil
	case tkIdent:
		for i, k := range p.keys {
			if strings.EqualFold(k.Name, t.text) {
				return term{col: i, name: k.Name}, nil
			}
		}
		return term{}, fmt.Errorf("unknown partition key %s", t.text)
	}
	if t.kind == tkEOF {
		return term{}, fmt.Errorf("unexpected end of expression")
	}
	return term{}, fmt.Errorf("unexpected %q at position %d", t.text, t.pos)
}

func (p *exprParser) pred() (node, error) {
	x, err := p.term()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind == tkOp {
		p.next()
		r, err := p.term()
		op := t.text
		if op == "!=" {
			op = "<>"
		}
		return cmpNode{op: op, l: x, r: r}, err
	}
	negated := p.keyword("NOT")
	switch {
	case p.keyword("IN"):
		if t := p.next(); t.kind != tkPunct || t.text != "(" {
			return nil, fmt.Errorf("expected '(' after IN at position %d", t.pos)
		}
		n := inNode{neg: negated, x: x}
		for {
			v, err := p.term()
			if err != nil {
				return nil, err
			}
			n.list = append(n.list, v)
			t := p.next()
			if t.kind == tkPunct && t.text == ")" {
				return n, nil
			}
			if t.kind != tkPunct || t.text != "," {
				return nil, fmt.Errorf("expected ',' or ')' at position %d", t.pos)
			}
		}
	case p.keyword("BETWEEN"):
		lo, err := p.term()
		if err != nil {
			return nil, err
		}
		if !p.keyword("AND") {
			return nil, fmt.Errorf("expected AND in BETWEEN at position %d", p.peek().pos)
		}
		hi, err := p.term()
		return betweenNode{neg: negated, x: x, lo: lo, hi: hi}, err
	case p.keyword("LIKE"):
		pat, err := p.term()
		return likeNode{neg: negated, x: x, pat: pat}, err
	}
	t := p.peek()
	if t.kind == tkEOF {
		return nil, fmt.Errorf("unexpected end of expression")
	}
	return nil, fmt.Errorf("expected an operator at position %d, got %q", t.pos, t.text)
}

// match reports whether the partition with values satisfies f.
func (f *partFilter) match(values []string) bool { return f.eval(f.root, values) }

func (f *partFilter) eval(n node, vals []string) bool {
	switch n := n.(type) {
	case orNode:
		return f.eval(n.l, vals) || f.eval(n.r, vals)
	case andNode:
		return f.eval(n.l, vals) && f.eval(n.r, vals)
	case notNode:
		return !f.eval(n.x, vals)
	case cmpNode:
		c, ok := f.compare(n.l, n.r, vals)
		if !ok {
			return false
		}
		switch n.op {
		case "=":
			return c == 0
		case "<>":
			return c != 0
		case "<":
			return c < 0
		case ">":
			return c > 0
		case "<=":
			return c <= 0
		case ">=":
			return c >= 0
		}
	case inNode:
		found := false
		for _, v := range n.list {
			if c, ok := f.compare(n.x, v, vals); ok && c == 0 {
				found = true
				break
			}
		}
		return found != n.neg
	case betweenNode:
		lo, ok1 := f.compare(n.x, n.lo, vals)
		hi, ok2 := f.compare(n.x, n.hi, vals)
		return ok1 && ok2 && (lo >= 0 && hi <= 0) != n.neg
	case segNode:
		return n.match(vals)
	case likeNode:
		return likeMatch(f.value(n.pat, vals), f.value(n.x, vals)) != n.neg
	}
	return false
}

func (f *partFilter) value(t term, vals []string) string {
	if t.col >= 0 {
		if t.col < len(vals) {
			return vals[t.col]
		}
		return ""
	}
	return t.lit
}

// numericKey reports whether either side is a key of a numeric type.
func (f *partFilter) numeric(a, b term) bool {
	for _, t := range []term{a, b} {
		if t.col >= 0 && t.col < len(f.keys) && isNumericType(f.keys[t.col].Type) {
			return true
		}
	}
	return false
}

func isNumericType(t string) bool {
	t = strings.ToLower(strings.TrimSpace(t))
	switch {
	case t == "int" || t == "integer" || t == "bigint" || t == "smallint" || t == "tinyint" || t == "long":
		return true
	case t == "double" || t == "float" || t == "real" || strings.HasPrefix(t, "decimal"):
		return true
	}
	return false
}

// compare orders a against b; ok is false when a numeric comparison
// meets a value that is not a number.
func (f *partFilter) compare(a, b term, vals []string) (int, bool) {
	x, y := f.value(a, vals), f.value(b, vals)
	if f.numeric(a, b) {
		x, y = strings.TrimSpace(x), strings.TrimSpace(y)
		if ix, err := strconv.ParseInt(x, 10, 64); err == nil {
			if iy, err := strconv.ParseInt(y, 10, 64); err == nil {
				return cmp.Compare(ix, iy), true
			}
		}
		rx, ok1 := new(big.Rat).SetString(strings.TrimSpace(x))
		ry, ok2 := new(big.Rat).SetString(strings.TrimSpace(y))
		if !ok1 || !ok2 {
			return 0, false
		}
		return rx.Cmp(ry), true
	}
	return strings.Compare(x, y), true
}

// likeMatch matches s against a SQL LIKE pattern (% and _), iteratively.
func likeMatch(pat, s string) bool {
	p, t := []rune(pat), []rune(s)
	pi, ti, star, mark := 0, 0, -1, 0
	for ti < len(t) {
		switch {
		case pi < len(p) && (p[pi] == '_' || p[pi] == t[ti]) && p[pi] != '%':
			pi++
			ti++
		case pi < len(p) && p[pi] == '%':
			star, mark = pi, ti
			pi++
		case star >= 0:
			pi = star + 1
			mark++
			ti = mark
		default:
			return false
		}
	}
	for pi < len(p) && p[pi] == '%' {
		pi++
	}
	return pi == len(p)
}
