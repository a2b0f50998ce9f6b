package expr

import (
	"strconv"
)

// parser is a backtracking recursive-descent parser over tokens. A
// failed match records the furthest token reached; when the whole parse
// fails, that token is the one the syntax error names.
type parser struct {
	kind string
	src  string
	toks []token
	pos  int
	far  int
	// keywords that cannot be path names in this expression kind
	keywords []string
	// operand results by start token, so backtracking stays linear;
	// memoized nodes are never modified (callers copy before changing)
	memo []memoOperand // indexed by token
}

type memoOperand struct {
	n    *node
	end  int
	ok   bool
	done bool
}

func newParser(kind, src string, keywords []string) *parser {
	return &parser{kind: kind, src: src, toks: lex(src), keywords: keywords}
}

func (ps *parser) cur() token { return ps.toks[ps.pos] }

func (ps *parser) fail() bool {
	if ps.pos > ps.far {
		ps.far = ps.pos
	}
	return false
}

func (ps *parser) punct(s string) bool {
	t := ps.toks[ps.pos]
	if t.kind == tPunct && t.text == s {
		ps.pos++
		return true
	}
	return ps.fail()
}

func (ps *parser) peekPunct(s string) bool {
	t := ps.toks[ps.pos]
	return t.kind == tPunct && t.text == s
}

func (ps *parser) keyword(kw string) bool {
	if isKeyword(ps.toks[ps.pos], kw) {
		ps.pos++
		return true
	}
	return ps.fail()
}

func (ps *parser) isKeywordTok(t token) bool {
	for _, kw := range ps.keywords {
		if isKeyword(t, kw) {
			return true
		}
	}
	return false
}

// syntaxErr is the syntax error at the furthest token reached.
func (ps *parser) syntaxErr() *Error {
	at := max(ps.far, ps.pos)
	if at >= len(ps.toks) {
		at = len(ps.toks) - 1
	}
	return syntaxError(ps.kind, ps.src, ps.toks, at)
}

func (ps *parser) atEOF() bool {
	if ps.toks[ps.pos].kind == tEOF {
		return true
	}
	return ps.fail()
}

// path := elem ( '.' elem | '[' number ']' )* ; elem := ident | #name
func (ps *parser) path() (*node, bool) {
	start := ps.pos
	t := ps.cur()
	if !(t.kind == tIdent && !ps.isKeywordTok(t)) && t.kind != tName {
		return nil, ps.fail()
	}
	ps.pos++
	p := Path{{raw: t.text}}
	for {
		save := ps.pos
		if ps.peekPunct(".") {
			ps.pos++
			e := ps.cur()
			if (e.kind == tIdent && !ps.isKeywordTok(e)) || e.kind == tName {
				ps.pos++
				p = append(p, PathElem{raw: e.text})
				continue
			}
			ps.fail()
			ps.pos = save
			break
		}
		if ps.peekPunct("[") {
			ps.pos++
			e := ps.cur()
			if e.kind == tNumber {
				ps.pos++
				if ps.punct("]") {
					ix, err := strconv.ParseInt(e.text, 10, 64)
					if err != nil || ix > MaxListIndex || int64(int(ix)) != ix {
						ix = -1 // out of range, reported by resolve
					}
					p = append(p, PathElem{IsIndex: true, Index: int(ix), raw: e.text})
					continue
				}
			} else {
				ps.fail()
			}
			ps.pos = save
			break
		}
		break
	}
	return &node{kind: nPath, path: p, tok: start}, true
}

// operand := '(' operand ')' | :value | function | path
// Functions' arguments are operands.
func (ps *parser) operand() (*node, bool) {
	start := ps.pos
	if ps.memo == nil {
		ps.memo = make([]memoOperand, len(ps.toks))
	}
	if m := ps.memo[start]; m.done {
		ps.pos = m.end
		if !m.ok {
			ps.fail()
		}
		return m.n, m.ok
	}
	n, ok := ps.operandUncached()
	end := ps.pos
	if !ok {
		end = start
	}
	ps.memo[start] = memoOperand{n, end, ok, true}
	return n, ok
}

// withParens is a copy of n wrapped in one more pair of parentheses.
func withParens(n *node) *node {
	c := *n
	c.parens++
	return &c
}

func (ps *parser) operandUncached() (*node, bool) {
	start := ps.pos
	t := ps.cur()
	switch {
	case t.kind == tPunct && t.text == "(":
		ps.pos++
		n, ok := ps.operand()
		if ok && ps.punct(")") {
			return withParens(n), true
		}
		ps.pos = start
		return nil, false
	case t.kind == tValue:
		ps.pos++
		return &node{kind: nValue, raw: t.text, tok: start}, true
	case t.kind == tIdent && ps.toks[ps.pos+1].kind == tPunct && ps.toks[ps.pos+1].text == "(" && !ps.isKeywordTok(t):
		ps.pos += 2
		fn := &node{kind: nFunc, op: t.text, raw: t.text, tok: start}
		for {
			a, ok := ps.operand()
			if !ok {
				ps.pos = start
				return nil, false
			}
			fn.args = append(fn.args, a)
			if ps.peekPunct(",") {
				ps.pos++
				continue
			}
			if ps.punct(")") {
				return fn, true
			}
			ps.pos = start
			return nil, false
		}
	}
	return ps.path()
}
