package expr

import "strings"

// renderCond writes n; ctx is the kind of the enclosing operator, for
// deciding where parentheses are needed.
func renderCond(b *strings.Builder, n *node, ctx nodeKind) {
	switch n.kind {
	case nOr:
		if ctx == nAnd || ctx == nNot {
			b.WriteByte('(')
			defer b.WriteByte(')')
		}
		renderCond(b, n.args[0], nOr)
		b.WriteString(" OR ")
		renderCond(b, n.args[1], nOr)
	case nAnd:
		if ctx == nNot {
			b.WriteByte('(')
			defer b.WriteByte(')')
		}
		renderCond(b, n.args[0], nAnd)
		b.WriteString(" AND ")
		renderCond(b, n.args[1], nAnd)
	case nNot:
		b.WriteString("NOT ")
		renderCond(b, n.args[0], nNot)
	case nCompare:
		renderOperand(b, n.args[0])
		b.WriteString(" " + n.op + " ")
		renderOperand(b, n.args[1])
	case nBetween:
		renderOperand(b, n.args[0])
		b.WriteString(" BETWEEN ")
		renderOperand(b, n.args[1])
		b.WriteString(" AND ")
		renderOperand(b, n.args[2])
	case nIn:
		renderOperand(b, n.args[0])
		b.WriteString(" IN (")
		for i, a := range n.args[1:] {
			if i > 0 {
				b.WriteString(", ")
			}
			renderOperand(b, a)
		}
		b.WriteByte(')')
	default:
		renderOperand(b, n)
	}
}

func renderOperand(b *strings.Builder, n *node) {
	switch n.kind {
	case nPath:
		b.WriteString(n.path.Expr())
	case nValue:
		b.WriteString(n.raw)
	case nFunc:
		b.WriteString(n.op)
		b.WriteByte('(')
		for i, a := range n.args {
			if i > 0 {
				b.WriteString(", ")
			}
			renderOperand(b, a)
		}
		b.WriteByte(')')
	case nArith:
		renderOperand(b, n.args[0])
		b.WriteString(" " + n.op + " ")
		renderOperand(b, n.args[1])
	}
}
