package partiql

import (
	"strconv"
	"strings"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// op is the kind of a condition-tree node.
type op uint8

const (
	opPath    op = iota + 1 // a document path; text is its rendering
	opValue                 // a literal or parameter; text is its :placeholder
	opCmp                   // kids[0] sym kids[1]
	opBetween               // kids[0] BETWEEN kids[1] AND kids[2]
	opIn                    // kids[0] IN (kids[1:]...)
	opFunc                  // sym(kids...): a function of DynamoDB's language
	opNot
	opAnd
	opOr
)

// node is a condition or operand in the form it takes in DynamoDB's
// expression language; placeholders are assigned when it is built, so a
// node renders the same text wherever (WHERE, key condition, filter) it is
// used.
type node struct {
	op   op
	sym  string // comparator of opCmp ("=", "<>", ...), function name of opFunc
	kids []*node
	text string     // opPath: "#n0.#n1[2]"; opValue: ":v0"
	root string     // opPath: the top-level attribute name
	top  bool       // opPath: the path is the attribute itself (no steps)
	val  attr.Value // opValue
}

// boolean reports whether n is a condition (not an operand).
func (n *node) boolean() bool {
	switch n.op {
	case opPath, opValue:
		return false
	case opFunc:
		return n.sym != "size"
	}
	return true
}

// terminal reports whether n is a leaf condition: a comparison or function
// whose operands are all paths, values or size().
func (n *node) terminal() bool {
	switch n.op {
	case opCmp, opBetween, opIn, opFunc:
		return true
	}
	return false
}

// keyPath is the top-level attribute n's direct path operand names, and
// the value operands, of a terminal condition (what DynamoDB's key
// extraction looks at).
func (n *node) keyOperands() (path *node, values []*node) {
	for _, k := range n.kids {
		switch k.op {
		case opPath:
			if path == nil {
				path = k
			}
		case opValue:
			values = append(values, k)
		}
	}
	return path, values
}

// precedence orders OR < AND < NOT < everything else, for parentheses.
func (n *node) precedence() int {
	switch n.op {
	case opOr:
		return 1
	case opAnd:
		return 2
	case opNot:
		return 3
	}
	return 4
}

// render writes n in DynamoDB's expression language.
func (n *node) render(b *strings.Builder) {
	switch n.op {
	case opPath, opValue:
		b.WriteString(n.text)
	case opCmp:
		n.kids[0].render(b)
		b.WriteString(" " + n.sym + " ")
		n.kids[1].render(b)
	case opBetween:
		n.kids[0].render(b)
		b.WriteString(" BETWEEN ")
		n.kids[1].render(b)
		b.WriteString(" AND ")
		n.kids[2].render(b)
	case opIn:
		n.kids[0].render(b)
		b.WriteString(" IN (")
		for i, k := range n.kids[1:] {
			if i > 0 {
				b.WriteString(", ")
			}
			k.render(b)
		}
		b.WriteString(")")
	case opFunc:
		b.WriteString(n.sym + "(")
		for i, k := range n.kids {
			if i > 0 {
				b.WriteString(", ")
			}
			k.render(b)
		}
		b.WriteString(")")
	case opNot:
		b.WriteString("NOT ")
		n.child(b, n.kids[0], 4)
	case opAnd, opOr:
		sep := " AND "
		if n.op == opOr {
			sep = " OR "
		}
		for i, k := range n.kids {
			if i > 0 {
				b.WriteString(sep)
			}
			n.child(b, k, n.precedence()+1)
		}
	}
}

// child renders k, in parentheses if it binds looser than min.
func (n *node) child(b *strings.Builder, k *node, min int) {
	if k.precedence() < min {
		b.WriteString("(")
		k.render(b)
		b.WriteString(")")
		return
	}
	k.render(b)
}

func (n *node) String() string {
	var b strings.Builder
	n.render(&b)
	return b.String()
}

// and joins conditions with AND; nil for none.
func and(ns []*node) *node {
	switch len(ns) {
	case 0:
		return nil
	case 1:
		return ns[0]
	}
	return &node{op: opAnd, kids: ns}
}

// pathStep is one step after a path's first name.
type pathStep struct {
	name  string
	index int
	isIdx bool
}

// placeholders hands out #n and :v placeholders for one statement.
type placeholders struct {
	names  map[string]string // placeholder -> attribute name
	byName map[string]string // attribute name -> placeholder
	values map[string]attr.Value
}

func (p *placeholders) name(s string) string {
	if ph, ok := p.byName[s]; ok {
		return ph
	}
	ph := "#n" + strconv.Itoa(len(p.byName))
	p.byName[s] = ph
	p.names[ph] = s
	return ph
}

func (p *placeholders) value(v attr.Value) *node {
	ph := ":v" + strconv.Itoa(len(p.values))
	p.values[ph] = v
	return &node{op: opValue, text: ph, val: v}
}

// path builds the opPath node of root followed by steps.
func (p *placeholders) path(root string, steps []pathStep) *node {
	var b strings.Builder
	b.WriteString(p.name(root))
	for _, s := range steps {
		if s.isIdx {
			b.WriteString("[" + strconv.Itoa(s.index) + "]")
		} else {
			b.WriteString("." + p.name(s.name))
		}
	}
	return &node{op: opPath, text: b.String(), root: root, top: len(steps) == 0}
}
