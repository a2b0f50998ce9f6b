package partiql

import (
	"strconv"
	"strings"
)

// functions are the functions of DynamoDB's language a WHERE may call,
// with their number of arguments.
var functions = map[string]int{
	"begins_with": 2, "contains": 2, "attribute_type": 2,
	"attribute_exists": 1, "attribute_not_exists": 1, "size": 1,
}

// operand reads a path, a literal, a parameter, a function call, or a
// parenthesized condition.
func (p *parser) operand() *node {
	t := p.peek()
	switch {
	case t.punct("("):
		p.next()
		p.enter()
		defer p.leave()
		if p.atEnd() {
			p.termError()
		}
		n := p.or()
		p.expectPunct(")")
		return n
	case t.kind == tString, t.kind == tNumber, t.kind == tParam, t.is("true"), t.is("false"), t.is("null"),
		t.punct("["), t.punct("{"), t.punct("<<"),
		(t.punct("-") || t.punct("+")) && p.peekAt(1).kind == tNumber:
		return p.ph.value(p.value("root"))
	case t.kind == tIdent && p.peekAt(1).punct("("):
		return p.call()
	case t.kind == tQuoted || (t.kind == tIdent && t.kw == ""):
		return p.path()
	}
	p.termError()
	return nil
}

// call reads a function call of the WHERE language.
func (p *parser) call() *node {
	t := p.next()
	p.next() // (
	name := strings.ToLower(t.text)
	arity, ok := functions[name]
	if !ok {
		fail(malformedPrefix + "Unsupported function: " + t.text)
	}
	p.enter()
	defer p.leave()
	var args []*node
	for !p.eatPunct(")") {
		if len(args) > 0 {
			p.expectPunct(",")
		}
		if p.atEnd() {
			p.termError()
		}
		args = append(args, p.scalar(p.operand()))
	}
	if len(args) != arity {
		fail(malformedPrefix + "Incorrect number of arguments for function " + name)
	}
	if args[0].op != opPath {
		fail(msgExpectedOperand)
	}
	return &node{op: opFunc, sym: name, kids: args}
}

// path reads a document path: a name, then .name, ["name"] or [index]
// steps.
func (p *parser) path() *node {
	root, _ := p.name()
	var steps []pathStep
	for {
		switch {
		case p.eatPunct("."):
			t := p.next()
			switch t.kind {
			case tIdent:
				steps = append(steps, pathStep{name: t.text})
			case tQuoted:
				if t.val == "" {
					fail(msgEmptyIdent)
				}
				steps = append(steps, pathStep{name: t.val})
			default:
				fail(msgPathComponent)
			}
		case p.eatPunct("["):
			t := p.next()
			switch {
			case t.kind == tString && t.val != "":
				steps = append(steps, pathStep{name: t.val})
			case t.kind == tNumber && isInteger(t.text):
				i, err := strconv.Atoi(t.text)
				if err != nil || i > 1<<31-1 {
					fail(msgPathComponent)
				}
				steps = append(steps, pathStep{index: i, isIdx: true})
			default:
				fail(msgPathComponent)
			}
			if !p.eatPunct("]") {
				fail(msgPathComponent)
			}
		default:
			return p.ph.path(root, steps)
		}
	}
}

func isInteger(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return s != ""
}
