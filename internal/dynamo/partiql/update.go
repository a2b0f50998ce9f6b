package partiql

import (
	"strings"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// updateActions reads one or more SET and REMOVE clauses (each a
// comma-separated list; the keyword may repeat) into the UpdateExpression.
func (p *parser) updateActions() {
	seen := false
	for {
		switch {
		case p.eatKw("set"):
			for {
				p.assignment()
				if !p.eatPunct(",") {
					break
				}
			}
		case p.eatKw("remove"):
			for {
				n := p.operand()
				if n.op != opPath {
					fail(msgPathComponent)
				}
				p.removes = append(p.removes, n.text)
				if !p.eatPunct(",") {
					break
				}
			}
		default:
			if !seen {
				if p.atEnd() {
					p.termError()
				}
				fail(msgUpdateAction)
			}
			p.st.Update = p.updateExpression()
			return
		}
		seen = true
	}
}

func (p *parser) updateExpression() string {
	var parts []string
	for _, c := range []struct {
		kw      string
		actions []string
	}{{"SET", p.sets}, {"REMOVE", p.removes}, {"ADD", p.adds}, {"DELETE", p.deletes}} {
		if len(c.actions) > 0 {
			parts = append(parts, c.kw+" "+strings.Join(c.actions, ", "))
		}
	}
	return strings.Join(parts, " ")
}

// assignment reads path = value, where value is an operand, operand +/-
// operand, list_append(a, b), set_add(path, set) or set_delete(path, set).
func (p *parser) assignment() {
	target := p.operand()
	if target.op != opPath {
		fail(msgPathComponent)
	}
	if !p.eatPunct("=") {
		if p.atEnd() {
			p.termError()
		}
		fail(msgLeftover)
	}
	if p.atEnd() {
		fail(msgMissingRHS)
	}
	t := p.peek()
	if t.kind == tIdent && p.peekAt(1).punct("(") {
		switch strings.ToLower(t.text) {
		case "set_add", "set_delete":
			p.next()
			p.next()
			path := p.operand()
			p.expectPunct(",")
			set := p.updateOperand()
			p.expectPunct(")")
			if path.op != opPath || path.text != target.text {
				fail(msgSetFuncPath)
			}
			if set.op != opValue {
				fail(msgExpectedValue)
			}
			if strings.EqualFold(t.text, "set_add") {
				p.adds = append(p.adds, target.text+" "+set.text)
			} else {
				p.deletes = append(p.deletes, target.text+" "+set.text)
			}
			return
		case "list_append":
			p.next()
			p.next()
			a := p.updateOperand()
			p.expectPunct(",")
			b := p.updateOperand()
			p.expectPunct(")")
			p.sets = append(p.sets, target.text+" = list_append("+a.text+", "+b.text+")")
			return
		}
	}
	a := p.updateOperand()
	rhs := a.text
	if t := p.peek(); t.punct("+") || t.punct("-") {
		p.next()
		if p.atEnd() {
			fail(msgMissingRHS)
		}
		b := p.updateOperand()
		rhs += " " + t.text + " " + b.text
	}
	p.sets = append(p.sets, target.text+" = "+rhs)
}

// updateOperand is a path or value on the right of SET.
func (p *parser) updateOperand() *node {
	n := p.operand()
	if n.op != opPath && n.op != opValue {
		fail(msgExpectedOperand)
	}
	return n
}

// value reads a literal value: a string, number, TRUE, FALSE, NULL, ?, a
// list [..], a tuple {'k': v, ..} (an M) or a bag <<..>> (SS or NS). where
// is the value's place for DynamoDB's number messages ("root", "root.x",
// "root[1]"); "" is an INSERT's item, whose attributes are each a root.
func (p *parser) value(where string) attr.Value {
	t := p.peek()
	switch {
	case t.kind == tString:
		p.next()
		return attr.String(t.val)
	case t.kind == tNumber, (t.punct("-") || t.punct("+")) && p.peekAt(1).kind == tNumber:
		return p.numberValue(where)
	case t.kind == tParam:
		p.next()
		return p.param()
	case t.is("true"), t.is("false"):
		p.next()
		return attr.Bool(t.is("true"))
	case t.is("null"):
		p.next()
		return attr.Null()
	case t.punct("["):
		p.next()
		p.enter()
		defer p.leave()
		var l []attr.Value
		for !p.eatPunct("]") {
			if len(l) > 0 {
				p.expectPunct(",")
			}
			l = append(l, p.value(where+"["+itoa(len(l))+"]"))
		}
		return attr.List(l...)
	case t.punct("{"):
		p.next()
		p.enter()
		defer p.leave()
		m := map[string]attr.Value{}
		for !p.eatPunct("}") {
			if len(m) > 0 {
				p.expectPunct(",")
			}
			k := p.next()
			if k.kind != tString {
				fail(msgTupleKey)
			}
			p.expectPunct(":")
			if _, dup := m[k.val]; dup {
				fail(msgTupleDup)
			}
			at := where + "." + k.val
			if where == "" { // an INSERT's item: each attribute's value is a root
				at = "root"
			}
			m[k.val] = p.value(at)
		}
		return attr.Map(m)
	case t.punct("<<"):
		p.next()
		return p.bag(where)
	}
	if p.atEnd() || t.kind == tPunct {
		p.termError()
	}
	fail(msgExpectedValue)
	return attr.Value{}
}

// bag reads the elements of <<...>> after the opening <<: all strings (an
// SS) or all numbers (an NS). Anything else, parameters included, is
// DynamoDB's "Unsupported data type in Bag".
func (p *parser) bag(where string) attr.Value {
	var ss, ns []string
	for !p.eatPunct(">>") {
		if len(ss)+len(ns) > 0 {
			p.expectPunct(",")
		}
		t := p.peek()
		switch {
		case t.kind == tString && ns == nil:
			p.next()
			ss = append(ss, t.val)
		case ss == nil && (t.kind == tNumber || ((t.punct("-") || t.punct("+")) && p.peekAt(1).kind == tNumber)):
			ns = append(ns, p.numberValue(where).S)
		case t.kind == tEOF:
			p.termError()
		default:
			fail(msgBagType)
		}
	}
	switch {
	case ss != nil:
		return attr.StringSet(ss...)
	case ns != nil:
		return attr.Value{Kind: attr.NS, SS: ns}
	}
	fail(msgBagType)
	return attr.Value{}
}

// numberValue reads an optionally signed number literal as an N.
func (p *parser) numberValue(where string) attr.Value {
	sign := ""
	if t := p.peek(); t.punct("-") || t.punct("+") {
		p.next()
		sign = t.text
	}
	t := p.next()
	v, err := attr.Number(sign + t.text)
	if err != nil {
		if where == "" {
			where = "root"
		}
		fail(err.Error() + " under " + where)
	}
	return v
}

// param binds the next ? to its parameter. A missing parameter binds NULL
// here; Parse then fails with the count mismatch.
func (p *parser) param() attr.Value {
	i := p.nparam
	p.nparam++
	if i < len(p.params) {
		return p.params[i]
	}
	p.missing = true
	return attr.Null()
}
