package partiql

import (
	"strconv"
	"strings"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

func itoa(i int) string { return strconv.Itoa(i) }

// condition reads a WHERE condition: OR of ANDs of NOTs of predicates.
func (p *parser) condition() *node {
	if p.atEnd() {
		p.termError()
	}
	n := p.or()
	if !n.boolean() {
		fail(msgExpectedCond)
	}
	return n
}

func (p *parser) or() *node {
	n := p.and()
	if !p.peek().is("or") {
		return n
	}
	kids := []*node{n}
	for p.eatKw("or") {
		if p.atEnd() {
			fail(msgMissingRHS)
		}
		kids = append(kids, p.and())
	}
	for _, k := range kids {
		if !k.boolean() {
			fail(msgExpectedCond)
		}
	}
	return &node{op: opOr, kids: kids}
}

func (p *parser) and() *node {
	n := p.not()
	if !p.peek().is("and") {
		return n
	}
	kids := []*node{n}
	for p.eatKw("and") {
		if p.atEnd() {
			fail(msgMissingRHS)
		}
		kids = append(kids, p.not())
	}
	for _, k := range kids {
		if !k.boolean() {
			fail(msgExpectedCond)
		}
	}
	return &node{op: opAnd, kids: kids}
}

func (p *parser) not() *node {
	if !p.eatKw("not") {
		return p.predicate()
	}
	p.enter()
	defer p.leave()
	if p.atEnd() {
		p.termError()
	}
	k := p.not()
	if !k.boolean() {
		fail(msgExpectedCond)
	}
	return &node{op: opNot, kids: []*node{k}}
}

var comparators = map[string]string{"=": "=", "<>": "<>", "!=": "<>", "<": "<", "<=": "<=", ">": ">", ">=": ">="}

// predicate reads an operand and what follows it: a comparison, [NOT]
// BETWEEN, [NOT] IN, IS [NOT] MISSING|NULL, or nothing (a function call
// or a parenthesized condition).
func (p *parser) predicate() *node {
	a := p.operand()
	t := p.peek()
	if sym, ok := comparators[t.text]; ok && t.kind == tPunct {
		p.next()
		b := p.rhs()
		return &node{op: opCmp, sym: sym, kids: []*node{p.scalar(a), p.scalar(b)}}
	}
	negate := false
	if t.is("not") && (p.peekAt(1).is("between") || p.peekAt(1).is("in")) {
		p.next()
		negate = true
		t = p.peek()
	}
	var n *node
	switch {
	case t.is("between"):
		p.next()
		lo := p.rhs()
		if !p.eatKw("and") {
			if p.atEnd() {
				p.termError()
			}
			fail(msgLeftover)
		}
		hi := p.rhs()
		n = &node{op: opBetween, kids: []*node{p.scalar(a), p.scalar(lo), p.scalar(hi)}}
	case t.is("in"):
		p.next()
		n = &node{op: opIn, kids: append([]*node{p.scalar(a)}, p.inList()...)}
	case t.is("is"):
		p.next()
		return p.isTest(a)
	case t.is("like"):
		fail("Unsupported operation: LIKE")
	case t.punct("+") || t.punct("-") || t.punct("*") || t.punct("/") || t.punct("%") || t.punct("||"):
		fail(msgUnexpectedOp)
	default:
		return a
	}
	if negate {
		n = &node{op: opNot, kids: []*node{n}}
	}
	return n
}

// rhs reads the operand after an infix operator.
func (p *parser) rhs() *node {
	if p.atEnd() {
		fail(msgMissingRHS)
	}
	return p.operand()
}

// scalar checks that n is an operand (a path, value or size()), not a
// condition.
func (p *parser) scalar(n *node) *node {
	if n.boolean() {
		fail(msgExpectedOperand)
	}
	return n
}

// inList reads IN's right side: [a, b, ...], (a, b, ...) or a ? bound to a
// list.
func (p *parser) inList() []*node {
	if p.peek().kind == tParam {
		p.next()
		v := p.param()
		if v.Kind != attr.L || len(v.L) == 0 {
			fail(msgEmptyIn)
		}
		out := make([]*node, len(v.L))
		for i, e := range v.L {
			out[i] = p.ph.value(e)
		}
		return out
	}
	closer := "]"
	if p.eatPunct("(") {
		closer = ")"
	} else if !p.eatPunct("[") {
		p.termError()
	}
	var out []*node
	for !p.eatPunct(closer) {
		if len(out) > 0 {
			p.expectPunct(",")
		}
		out = append(out, p.scalar(p.operand()))
	}
	if len(out) == 0 {
		fail(msgEmptyIn)
	}
	return out
}

// isTest reads [NOT] MISSING|NULL after IS: MISSING becomes
// attribute_not_exists, NULL attribute_type(path, 'NULL').
func (p *parser) isTest(a *node) *node {
	negate := p.eatKw("not")
	var n *node
	switch {
	case p.eatKw("missing"):
		fn := "attribute_not_exists"
		if negate {
			fn, negate = "attribute_exists", false
		}
		n = &node{op: opFunc, sym: fn, kids: []*node{a}}
	case p.eatKw("null"):
		n = &node{op: opFunc, sym: "attribute_type", kids: []*node{a, p.ph.value(attr.String("NULL"))}}
	default:
		if t := p.peek(); t.kind == tIdent && typeNames[strings.ToLower(t.text)] {
			// A PartiQL type test, which DynamoDB parses but does not run.
			fail("Unsupported operation: IsType")
		}
		if p.atEnd() {
			p.termError()
		}
		fail(malformedPrefix + "Expected type name")
	}
	if a.op != opPath {
		fail(msgExpectedOperand)
	}
	if negate {
		n = &node{op: opNot, kids: []*node{n}}
	}
	return n
}

// typeNames are PartiQL's type names, for IS <type> (read-only).
var typeNames = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`bool boolean smallint int int2 integer2 int4 integer4
		int8 integer8 integer bigint float real double decimal numeric dec timestamp char
		character varchar string symbol clob blob struct tuple list sexp bag date time any
		es_any`) {
		m[w] = true
	}
	return m
}()
