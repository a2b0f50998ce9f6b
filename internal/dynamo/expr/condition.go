package expr

import (
	"bytes"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// Condition is a parsed ConditionExpression or FilterExpression (or a
// legacy Expected / QueryFilter / ScanFilter translated into one).
type Condition struct {
	root *node
}

// ParseCondition parses src as a condition; kind is KindCondition or
// KindFilter (it appears in error messages). Names and values used are
// recorded in p.
func ParseCondition(kind, src string, p *Params) (*Condition, error) {
	root, err := parseCondTree(kind, src)
	if err != nil {
		return nil, err
	}
	if e := checkCondition(kind, root, p, false); e != nil {
		return nil, e
	}
	return &Condition{root: root}, nil
}

// Eval reports whether item satisfies the condition. A nil item is an
// item with no attributes (a missing item). The error is always nil
// today; it is there for conditions that may fail at run time.
func (c *Condition) Eval(item attr.Item) (bool, error) {
	if c == nil || c.root == nil {
		return true, nil
	}
	return evalCond(c.root, item), nil
}

// Paths lists the document paths the condition reads, in source order.
func (c *Condition) Paths() []Path {
	var out []Path
	var walk func(n *node)
	walk = func(n *node) {
		if n.kind == nPath {
			out = append(out, n.path)
		}
		for _, a := range n.args {
			walk(a)
		}
	}
	if c != nil && c.root != nil {
		walk(c.root)
	}
	return out
}

// String renders the condition in expression syntax with the source's
// placeholders; it parses back to an equivalent condition with the
// same Params.
func (c *Condition) String() string {
	if c == nil || c.root == nil {
		return ""
	}
	var b strings.Builder
	renderCond(&b, c.root, nOr)
	return b.String()
}

func evalCond(n *node, item attr.Item) bool {
	switch n.kind {
	case nAnd:
		return evalCond(n.args[0], item) && evalCond(n.args[1], item)
	case nOr:
		return evalCond(n.args[0], item) || evalCond(n.args[1], item)
	case nNot:
		return !evalCond(n.args[0], item)
	case nCompare:
		l, lok := operandValue(n.args[0], item)
		r, rok := operandValue(n.args[1], item)
		return compareOp(n.op, l, lok, r, rok)
	case nBetween:
		v, ok := operandValue(n.args[0], item)
		lo, lok := operandValue(n.args[1], item)
		hi, hok := operandValue(n.args[2], item)
		if !ok || !lok || !hok || !v.Kind.IsKey() || v.Kind != lo.Kind || v.Kind != hi.Kind {
			return false
		}
		return attr.Compare(lo, v) <= 0 && attr.Compare(v, hi) <= 0
	case nIn:
		v, ok := operandValue(n.args[0], item)
		if !ok {
			return false
		}
		for _, a := range n.args[1:] {
			if w, ok := operandValue(a, item); ok && attr.Equal(v, w) {
				return true
			}
		}
		return false
	case nFunc:
		return evalFunc(n, item)
	}
	return false
}

func compareOp(op string, l attr.Value, lok bool, r attr.Value, rok bool) bool {
	switch op {
	case "=":
		return lok && rok && attr.Equal(l, r)
	case "<>":
		return !(lok && rok && attr.Equal(l, r))
	}
	if !lok || !rok || l.Kind != r.Kind || !l.Kind.IsKey() {
		return false
	}
	c := attr.Compare(l, r)
	switch op {
	case "<":
		return c < 0
	case "<=":
		return c <= 0
	case ">":
		return c > 0
	case ">=":
		return c >= 0
	}
	return false
}

func evalFunc(n *node, item attr.Item) bool {
	switch n.op {
	case "attribute_exists":
		_, ok := n.args[0].path.Get(item)
		return ok
	case "attribute_not_exists":
		_, ok := n.args[0].path.Get(item)
		return !ok
	case "attribute_type":
		v, ok := operandValue(n.args[0], item)
		t, tok := operandValue(n.args[1], item)
		return ok && tok && t.Kind == attr.S && v.Kind.String() == t.S
	case "begins_with":
		v, ok := operandValue(n.args[0], item)
		p, pok := operandValue(n.args[1], item)
		return ok && pok && beginsWith(v, p)
	case "contains":
		v, ok := operandValue(n.args[0], item)
		e, eok := operandValue(n.args[1], item)
		return ok && eok && contains(v, e)
	}
	return false
}

func beginsWith(v, p attr.Value) bool {
	switch {
	case v.Kind == attr.S && p.Kind == attr.S:
		return strings.HasPrefix(v.S, p.S)
	case v.Kind == attr.B && p.Kind == attr.B:
		return bytes.HasPrefix(v.B, p.B)
	}
	return false
}

func contains(v, e attr.Value) bool {
	switch v.Kind {
	case attr.S:
		return e.Kind == attr.S && strings.Contains(v.S, e.S)
	case attr.B:
		return e.Kind == attr.B && bytes.Contains(v.B, e.B)
	case attr.SS, attr.NS, attr.BS:
		return attr.SetContains(v, e)
	case attr.L:
		for _, x := range v.L {
			if attr.Equal(x, e) {
				return true
			}
		}
	}
	return false
}

// operandValue evaluates an operand; ok is false when it has no value
// (a missing attribute, or size of something without a size).
func operandValue(n *node, item attr.Item) (attr.Value, bool) {
	switch n.kind {
	case nPath:
		return n.path.Get(item)
	case nValue:
		return n.val, true
	case nFunc:
		if n.op == "size" {
			v, ok := operandValue(n.args[0], item)
			if !ok {
				return attr.Value{}, false
			}
			sz, ok := sizeOf(v)
			if !ok {
				return attr.Value{}, false
			}
			return attr.Value{Kind: attr.N, S: strconv.Itoa(sz)}, true
		}
	}
	return attr.Value{}, false
}

// sizeOf is the size() function: UTF-16 code units of a string (as
// DynamoDB counts them: "é𝄞" is 3), bytes of a binary, elements of a
// set, list or map.
func sizeOf(v attr.Value) (int, bool) {
	switch v.Kind {
	case attr.S:
		n := 0
		for i := 0; i < len(v.S); {
			if v.S[i] < utf8.RuneSelf {
				n++
				i++
				continue
			}
			r, size := utf8.DecodeRuneInString(v.S[i:])
			n++
			if r >= 0x10000 {
				n++
			}
			i += size
		}
		return n, true
	case attr.B:
		return len(v.B), true
	case attr.SS, attr.NS:
		return len(v.SS), true
	case attr.BS:
		return len(v.BS), true
	case attr.L:
		return len(v.L), true
	case attr.M:
		return len(v.M), true
	}
	return 0, false
}
