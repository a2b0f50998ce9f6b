package partiql

import (
	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// maxDepth bounds the nesting of parentheses, NOTs and collection literals,
// so a hostile statement cannot recurse without limit.
const maxDepth = 200

// parser is the state of one Parse. Errors are raised by panicking with an
// *Error, recovered in Parse.
type parser struct {
	toks    []token
	pos     int
	params  []attr.Value
	nparam  int
	depth   int
	ph      *placeholders
	st      *Statement
	sets    []string // update actions by clause
	adds    []string
	deletes []string
	removes []string
	missing bool // a ? had no parameter
}

// Parse parses one statement, binding params to its ? placeholders in
// order, and translates it. The error is always an *Error.
func Parse(src string, params []attr.Value) (st *Statement, err error) {
	toks, lerr := lex(src)
	if lerr != nil {
		return nil, lerr
	}
	ph := &placeholders{names: map[string]string{}, byName: map[string]string{}, values: map[string]attr.Value{}}
	p := &parser{toks: toks, params: params, ph: ph, st: &Statement{Names: ph.names, Values: ph.values, ph: ph}}
	defer func() {
		if r := recover(); r != nil {
			e, ok := r.(*Error)
			if !ok {
				panic(r)
			}
			st, err = nil, e
		}
	}()
	p.statement()
	if p.nparam != len(params) {
		return nil, newError(msgParamCount)
	}
	return p.st, nil
}

func (p *parser) peek() token { return p.toks[p.pos] }
func (p *parser) peekAt(n int) token {
	if p.pos+n < len(p.toks) {
		return p.toks[p.pos+n]
	}
	return p.toks[len(p.toks)-1]
}
func (p *parser) next() token {
	t := p.toks[p.pos]
	if t.kind != tEOF {
		p.pos++
	}
	return t
}
func (p *parser) eatKw(kw string) bool {
	if p.peek().is(kw) {
		p.pos++
		return true
	}
	return false
}
func (p *parser) eatPunct(sym string) bool {
	if p.peek().punct(sym) {
		p.pos++
		return true
	}
	return false
}

func fail(msg string) { panic(newError(msg)) }

// atEnd reports whether the current token ends the statement (end of
// input, or a final semicolon).
func (p *parser) atEnd() bool {
	t := p.peek()
	return t.kind == tEOF || (t.punct(";") && p.peekAt(1).kind == tEOF)
}

// operatorWords are keywords that are operators: where a term should
// start, DynamoDB calls them an unexpected operator.
var operatorWords = map[string]bool{"and": true, "or": true, "is": true, "like": true, "in": true, "between": true}

// termError raises DynamoDB's error for the current token where a term
// (operand) should start.
func (p *parser) termError() {
	t := p.peek()
	switch {
	case t.kind == tEOF || t.punct(";") || t.punct(")") || t.punct("]") || t.punct("}") || t.punct(",") || t.punct(">>"):
		fail(msgUnexpectedTerm)
	case t.kind == tIdent && operatorWords[t.kw]:
		fail(msgUnexpectedOp)
	case t.kind == tIdent && t.kw != "":
		fail(msgUnexpectedKeyword)
	case t.kind == tPunct:
		fail(msgUnexpectedOp)
	}
	fail(msgUnexpectedTerm)
}

// expectKw consumes the keyword kw or fails as a leftover token.
func (p *parser) expectKw(kw string) {
	if !p.eatKw(kw) {
		if p.atEnd() {
			p.termError()
		}
		fail(msgLeftover)
	}
}

func (p *parser) expectPunct(sym string) {
	if !p.eatPunct(sym) {
		if p.atEnd() {
			p.termError()
		}
		fail(msgLeftover)
	}
}

func (p *parser) enter() {
	p.depth++
	if p.depth > maxDepth {
		fail(msgTooDeep)
	}
}
func (p *parser) leave() { p.depth-- }

func (p *parser) statement() {
	t := p.peek()
	switch {
	case t.is("select"):
		p.next()
		p.selectStmt()
	case t.is("insert"):
		p.next()
		p.insertStmt()
	case t.is("update"):
		p.next()
		p.updateStmt(false)
	case t.is("from"):
		p.next()
		p.updateStmt(true)
	case t.is("delete"):
		p.next()
		p.deleteStmt()
	case t.is("exists"):
		p.next()
		p.existsStmt()
	case t.kind == tEOF || t.punct(";"):
		fail(msgUnexpectedTerm)
	default:
		fail(msgExpectedDML)
	}
	p.eatPunct(";")
	if p.peek().kind != tEOF {
		fail(msgLeftover)
	}
}
