package expr

// Condition grammar (DynamoDB precedence: comparisons, NOT, AND, OR):
//
//	or      := and (OR and)*
//	and     := not (AND not)*
//	not     := NOT not | primary
//	primary := comparison | '(' or ')'
//	comparison := operand comparator operand
//	            | operand BETWEEN operand AND operand
//	            | operand IN '(' operand (',' operand)* ')'
//	            | function
var condKeywords = []string{"AND", "OR", "NOT", "BETWEEN", "IN"}

func (ps *parser) condOr() (*node, bool) {
	l, ok := ps.condAnd()
	if !ok {
		return nil, false
	}
	for {
		save := ps.pos
		if !ps.keyword("OR") {
			return l, true
		}
		r, ok := ps.condAnd()
		if !ok {
			ps.pos = save
			return l, true
		}
		l = &node{kind: nOr, args: []*node{l, r}, tok: l.tok}
	}
}

func (ps *parser) condAnd() (*node, bool) {
	l, ok := ps.condNot()
	if !ok {
		return nil, false
	}
	for {
		save := ps.pos
		if !ps.keyword("AND") {
			return l, true
		}
		r, ok := ps.condNot()
		if !ok {
			ps.pos = save
			return l, true
		}
		l = &node{kind: nAnd, args: []*node{l, r}, tok: l.tok}
	}
}

func (ps *parser) condNot() (*node, bool) {
	start := ps.pos
	if ps.keyword("NOT") {
		x, ok := ps.condNot()
		if !ok {
			ps.pos = start
			return nil, false
		}
		return &node{kind: nNot, args: []*node{x}, tok: start}, true
	}
	return ps.condPrimary()
}

// condPrimary tries a parenthesized condition first (linear on deep
// nesting) unless what follows the parentheses continues a comparison,
// as in "(size(a)) = :v" or "(a) = :v", which parse as comparisons.
func (ps *parser) condPrimary() (*node, bool) {
	start := ps.pos
	if ps.peekPunct("(") {
		ps.pos++
		if n, ok := ps.condOr(); ok && ps.punct(")") && !ps.comparisonTail() {
			return withParens(n), true
		}
		ps.pos = start
	}
	if n, ok := ps.comparison(); ok {
		return n, true
	}
	ps.pos = start
	return nil, false
}

// comparisonTail reports whether the next token continues a comparison.
func (ps *parser) comparisonTail() bool {
	t := ps.cur()
	if t.kind == tPunct {
		for _, c := range comparators {
			if t.text == c {
				return true
			}
		}
	}
	return isKeyword(t, "BETWEEN") || isKeyword(t, "IN")
}

var comparators = []string{"=", "<>", "<", "<=", ">", ">="}

func (ps *parser) comparison() (*node, bool) {
	start := ps.pos
	l, ok := ps.operand()
	if !ok {
		return nil, false
	}
	t := ps.cur()
	if t.kind == tPunct {
		for _, c := range comparators {
			if t.text == c {
				ps.pos++
				r, ok := ps.operand()
				if !ok {
					ps.pos = start
					return nil, false
				}
				return &node{kind: nCompare, op: c, args: []*node{l, r}, tok: start}, true
			}
		}
	}
	switch {
	case isKeyword(t, "BETWEEN"):
		ps.pos++
		lo, ok := ps.operand()
		if !ok || !ps.keyword("AND") {
			ps.pos = start
			return nil, false
		}
		hi, ok := ps.operand()
		if !ok {
			ps.pos = start
			return nil, false
		}
		return &node{kind: nBetween, args: []*node{l, lo, hi}, tok: start}, true
	case isKeyword(t, "IN"):
		ps.pos++
		if !ps.punct("(") {
			ps.pos = start
			return nil, false
		}
		n := &node{kind: nIn, args: []*node{l}, tok: start}
		for {
			a, ok := ps.operand()
			if !ok {
				ps.pos = start
				return nil, false
			}
			n.args = append(n.args, a)
			if ps.peekPunct(",") {
				ps.pos++
				continue
			}
			if ps.punct(")") {
				return n, true
			}
			ps.pos = start
			return nil, false
		}
	}
	ps.fail()
	if l.kind == nFunc {
		return l, true
	}
	ps.pos = start
	return nil, false
}

// parseCondTree parses a condition's syntax.
func parseCondTree(kind, src string) (*node, *Error) {
	if src == "" {
		return nil, errorf("Invalid ", kind, ": ", msgEmpty)
	}
	if e := checkSize(kind, src); e != nil {
		return nil, e
	}
	ps := newParser(kind, src, condKeywords)
	n, ok := ps.condOr()
	if !ok || !ps.atEOF() {
		return nil, ps.syntaxErr()
	}
	return n, nil
}
