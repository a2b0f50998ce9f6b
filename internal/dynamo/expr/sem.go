package expr

import (
	"strconv"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// checker validates a parsed tree in DynamoDB's order and keeps the
// first error. DynamoDB checks in phases: the parser (syntax, then
// redundant parentheses), a walk of the tree in source order (reserved
// words, list index range, function names and where they may appear,
// repeated update clauses), and a validator that visits operands before
// their operator (document path depth, undefined names and values,
// operand counts and types, distinct operands, BETWEEN bounds, IN size,
// operator count) and, for updates and projections, overlapping paths.
type checker struct {
	kind string
	p    *Params
	err  *Error
	ops  int // operators counted by the validator
}

func (c *checker) fail(parts ...string) {
	if c.err == nil {
		c.err = errorf(append([]string{"Invalid ", c.kind, ": "}, parts...)...)
	}
}

// Functions by where DynamoDB allows them, with their operand counts.
var (
	condFuncs   = map[string]int{"attribute_exists": 1, "attribute_not_exists": 1, "attribute_type": 2, "begins_with": 2, "contains": 2, "size": 1}
	updateFuncs = map[string]int{"if_not_exists": 2, "list_append": 2}
)

// --- phase A: redundant parentheses ---

func (c *checker) parens(n *node) {
	if n.parens >= 2 {
		c.fail(msgRedundantParens)
		return
	}
	for _, a := range n.args {
		c.parens(a)
	}
}

// --- phase B: the source-order walk ---

// astPath checks a path's words and list indexes.
func (c *checker) astPath(p Path) {
	for _, e := range p {
		switch {
		case e.IsIndex:
			if e.Index < 0 {
				c.fail(msgIndexRange, "[", e.raw, "]")
			}
		case e.raw[0] != '#' && IsReserved(e.raw):
			c.fail(msgReserved, e.raw)
		}
	}
}

// astCond walks a condition; nesting counts the comparisons and
// functions around n (DynamoDB allows only size() nested, and only
// boolean functions at the top).
func (c *checker) astCond(n *node, nesting int) {
	switch n.kind {
	case nPath:
		c.astPath(n.path)
		return
	case nValue:
		return
	case nFunc:
		c.astFunc(n, nesting, false)
	}
	inner := nesting
	switch n.kind {
	case nCompare, nBetween, nIn, nFunc:
		inner++
	}
	for _, a := range n.args {
		c.astCond(a, inner)
	}
}

func (c *checker) astFunc(n *node, nesting int, update bool) {
	_, isCond := condFuncs[n.op]
	_, isUpdate := updateFuncs[n.op]
	switch {
	case !isCond && !isUpdate:
		c.fail(msgInvalidFunction, n.op)
	case update && isCond:
		c.fail(msgCondFnInUpdate, n.op)
	case !update && isUpdate:
		c.fail(msgUpdateFnInCond, n.op)
	case update && nesting > 0 && n.op != "if_not_exists":
		c.fail(msgMisusedFunction, n.op)
	case !update && nesting == 0 && n.op == "size":
		c.fail(msgMisusedFunction, n.op)
	case !update && nesting > 0 && n.op != "size":
		c.fail(msgMisusedFunction, n.op)
	}
}

// astValue walks an update's SET value.
func (c *checker) astValue(n *node, nesting int) {
	switch n.kind {
	case nPath:
		c.astPath(n.path)
		return
	case nValue:
		return
	case nFunc:
		c.astFunc(n, nesting, true)
	}
	for _, a := range n.args {
		c.astValue(a, nesting+1)
	}
}

// --- phase C: the validator ---

// valPath checks a path's depth and resolves its placeholders.
func (c *checker) valPath(p Path) {
	if len(p) > MaxPathDepth {
		c.fail(msgPathTooDeep, strconv.Itoa(len(p)))
		return
	}
	for i := range p {
		e := &p[i]
		switch {
		case e.IsIndex:
		case e.raw[0] == '#':
			v, ok := c.p.name(e.raw)
			if !ok {
				c.fail(msgUndefinedName, e.raw)
				return
			}
			e.Name = v
		default:
			e.Name = e.raw
		}
	}
}

func (c *checker) valValue(n *node) {
	v, ok := c.p.value(n.raw)
	if !ok {
		c.fail(msgUndefinedValue, n.raw)
		return
	}
	n.val = v
}

// val validates a tree after the walk: operands first, then operators.
func (c *checker) val(n *node) {
	if c.err != nil {
		return
	}
	switch n.kind {
	case nPath:
		c.valPath(n.path)
		return
	case nValue:
		c.valValue(n)
		return
	}
	for _, a := range n.args {
		c.val(a)
	}
	if c.err != nil {
		return
	}
	c.valOp(n)
	c.ops++
	if c.ops > MaxOperators {
		c.fail(msgTooManyOps, strconv.Itoa(c.ops))
	}
}

// operandKinds are the types an operator's operands may have (nil: any).
var operandKinds = map[string][]attr.Kind{
	"<": {attr.S, attr.N, attr.B}, "<=": {attr.S, attr.N, attr.B}, ">": {attr.S, attr.N, attr.B}, ">=": {attr.S, attr.N, attr.B},
	"BETWEEN":     {attr.S, attr.N, attr.B},
	"begins_with": {attr.S, attr.B},
	"size":        {attr.S, attr.B, attr.SS, attr.NS, attr.BS, attr.L, attr.M},
	"+":           {attr.N},
	"-":           {attr.N},
	"list_append": {attr.L},
}

// opName is the operator's name in DynamoDB's messages.
func opName(n *node) string {
	switch n.kind {
	case nBetween:
		return "BETWEEN"
	case nIn:
		return "IN"
	}
	return n.op
}

func (c *checker) valOp(n *node) {
	name := opName(n)
	if n.kind == nFunc {
		want, ok := condFuncs[n.op]
		if !ok {
			want = updateFuncs[n.op]
		}
		if len(n.args) != want {
			c.fail(msgOperandCount, n.op, ", number of operands: ", strconv.Itoa(len(n.args)))
			return
		}
	}
	if kinds, ok := operandKinds[name]; ok {
		for _, a := range n.args {
			if t := a.staticType(); t != 0 && !kindIn(t, kinds) {
				c.fail(msgOperandType, name, ", operand type: ", t.String())
				return
			}
		}
	}
	// DynamoDB rejects a repeated path in every operator but + - and list_append
	if n.kind != nArith && n.op != "list_append" {
		c.distinct(name, n.args)
	}
	switch n.kind {
	case nFunc:
		c.valFunc(n)
	case nBetween:
		c.valBetween(n)
	case nIn:
		if len(n.args)-1 > maxIn {
			c.fail(msgTooManyIn, strconv.Itoa(len(n.args)-1))
		}
	}
}

func kindIn(k attr.Kind, ks []attr.Kind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

func (c *checker) valFunc(n *node) {
	switch n.op {
	case "attribute_exists", "attribute_not_exists", "if_not_exists":
		if !n.args[0].isPath() {
			c.fail(msgNeedsPath, n.op)
		}
	case "attribute_type":
		t := n.args[1]
		if t.kind != nValue || t.val.Kind != attr.S {
			name := "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}"
			if k := t.staticType(); k != 0 {
				name = k.String()
			}
			c.fail(msgOperandType, n.op, ", operand type: ", name)
			return
		}
		if _, ok := attr.ParseKind(t.val.S); !ok {
			c.fail(msgInvalidTypeName, t.val.S, msgValidTypes)
		}
	}
}

// maxIn is the most operands IN takes on its right.
const maxIn = 100

func (c *checker) valBetween(n *node) {
	lo, hi := n.args[1], n.args[2]
	if lo.kind != nValue || hi.kind != nValue {
		return
	}
	bounds := "{" + lo.val.Kind.String() + ":" + scalarText(lo.val) + "}, upper bound operand: AttributeValue: {" +
		hi.val.Kind.String() + ":" + scalarText(hi.val) + "}"
	switch {
	case lo.val.Kind != hi.val.Kind:
		c.fail(msgBetweenTypes, bounds)
	case lo.val.Kind.IsKey() && attr.Compare(lo.val, hi.val) > 0:
		c.fail(msgBetweenOrder, bounds)
	}
}

// scalarText is a value as DynamoDB prints it inside messages.
func scalarText(v attr.Value) string {
	switch v.Kind {
	case attr.S, attr.N:
		return v.S
	case attr.B:
		return string(v.B)
	}
	return v.String()
}

func (c *checker) distinct(op string, args []*node) {
	if len(args) < 2 || !args[0].isPath() {
		return
	}
	for _, a := range args[1:] {
		if a.isPath() && args[0].path.Equal(a.path) {
			c.fail(msgDistinct, op, ", first operand: ", args[0].path.String())
			return
		}
	}
}

// checkCondition runs all phases on a condition tree.
func checkCondition(kind string, root *node, p *Params, allowRedundantParens bool) *Error {
	c := &checker{kind: kind, p: p}
	if !allowRedundantParens {
		c.parens(root)
	}
	c.astCond(root, 0)
	c.val(root)
	return c.err
}
