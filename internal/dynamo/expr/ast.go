package expr

import "github.com/tarnhq/tarn/internal/dynamo/attr"

type nodeKind uint8

const (
	nPath    nodeKind = iota // operand: document path
	nValue                   // operand: :value
	nFunc                    // function call (op = name)
	nCompare                 // args[0] op args[1]; op one of = <> < <= > >=
	nBetween                 // args[0] BETWEEN args[1] AND args[2]
	nIn                      // args[0] IN (args[1:]...)
	nAnd
	nOr
	nNot
	nArith // update: args[0] op args[1]; op "+" or "-"
)

// node is one node of a parsed expression tree. Parsing fills the
// syntax (raw path elements, placeholder names); resolve fills path
// names and values from Params.
type node struct {
	kind   nodeKind
	op     string
	args   []*node
	path   Path
	val    attr.Value
	raw    string // :value placeholder or function name
	tok    int    // index of the node's first token
	parens int    // how many parentheses the source wrapped it in
}

func (n *node) isPath() bool { return n.kind == nPath }

// staticType is the operand's type when known before evaluation (a
// :value, or a function with a fixed result type); 0 otherwise.
func (n *node) staticType() attr.Kind {
	switch n.kind {
	case nValue:
		return n.val.Kind
	case nFunc:
		switch n.op {
		case "size":
			return attr.N
		case "list_append":
			return attr.L
		}
	case nArith:
		return attr.N
	}
	return 0
}
