package expr

import (
	"strings"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// ActionKind is an update clause.
type ActionKind uint8

// The four update clauses.
const (
	ActionSet ActionKind = iota + 1
	ActionRemove
	ActionAdd
	ActionDelete
)

var actionNames = [...]string{"", "SET", "REMOVE", "ADD", "DELETE"}

func (k ActionKind) String() string { return actionNames[k] }

// Update is a parsed UpdateExpression (or legacy AttributeUpdates).
type Update struct {
	clauses []clause
	root    *updNode // the paths as a tree, for Apply
}

type clause struct {
	kind    ActionKind
	actions []action
}

type action struct {
	kind  ActionKind
	path  Path
	value *node // SET: the value expression; ADD/DELETE: the :value; nil for REMOVE
}

var updateKeywords = []string{"SET", "REMOVE", "ADD", "DELETE"}

// ParseUpdate parses an UpdateExpression: SET, REMOVE, ADD and DELETE
// clauses, each at most once, in any order.
func ParseUpdate(src string, p *Params) (*Update, error) {
	if src == "" {
		return nil, errorf("Invalid ", KindUpdate, ": ", msgEmpty)
	}
	if e := checkSize(KindUpdate, src); e != nil {
		return nil, e
	}
	ps := newParser(KindUpdate, src, updateKeywords)
	u := &Update{}
	for {
		t := ps.cur()
		if t.kind == tEOF && len(u.clauses) > 0 {
			break
		}
		var kind ActionKind
		for i, kw := range updateKeywords {
			if isKeyword(t, kw) {
				kind = ActionKind(i + 1)
			}
		}
		if kind == 0 {
			ps.fail()
			return nil, ps.syntaxErr()
		}
		ps.pos++
		c := clause{kind: kind}
		for {
			a, ok := ps.updateAction(kind)
			if !ok {
				return nil, ps.syntaxErr()
			}
			c.actions = append(c.actions, a)
			if !ps.peekPunct(",") {
				break
			}
			ps.pos++
		}
		u.clauses = append(u.clauses, c)
	}
	if e := u.resolve(p); e != nil {
		return nil, e
	}
	u.buildTree()
	return u, nil
}

func (ps *parser) updateAction(kind ActionKind) (action, bool) {
	target, ok := ps.path()
	if !ok {
		return action{}, false
	}
	a := action{kind: kind, path: target.path}
	switch kind {
	case ActionSet:
		if !ps.punct("=") {
			return action{}, false
		}
		v, ok := ps.setValue()
		if !ok {
			return action{}, false
		}
		a.value = v
	case ActionAdd, ActionDelete:
		t := ps.cur()
		if t.kind != tValue {
			return action{}, ps.fail()
		}
		ps.pos++
		a.value = &node{kind: nValue, raw: t.text}
	}
	return a, true
}

// setValue := '(' setValue ')' | operand [('+' | '-') operand]
func (ps *parser) setValue() (*node, bool) {
	start := ps.pos
	if ps.peekPunct("(") {
		ps.pos++
		if v, ok := ps.setValue(); ok && ps.punct(")") {
			return withParens(v), true
		}
		ps.pos = start
	}
	l, ok := ps.operand()
	if !ok {
		return nil, false
	}
	t := ps.cur()
	if t.kind == tPunct && (t.text == "+" || t.text == "-") {
		ps.pos++
		r, ok := ps.operand()
		if !ok {
			ps.pos = start
			return nil, false
		}
		return &node{kind: nArith, op: t.text, args: []*node{l, r}, tok: start}, true
	}
	return l, true
}

func (u *Update) resolve(p *Params) *Error {
	c := &checker{kind: KindUpdate, p: p}
	for _, cl := range u.clauses {
		for _, a := range cl.actions {
			if a.kind == ActionSet {
				c.parens(a.value)
			}
		}
	}
	// the source-order walk; a repeated clause is found at its end
	seen := map[ActionKind]bool{}
	for _, cl := range u.clauses {
		for _, a := range cl.actions {
			c.astPath(a.path)
			if a.kind == ActionSet {
				c.astValue(a.value, 0)
			}
		}
		if seen[cl.kind] {
			c.fail(`The "`, cl.kind.String(), `"`, msgSectionTwice)
		}
		seen[cl.kind] = true
	}
	// target paths: depth and names, then overlap with the ones before
	var paths []Path
	for _, cl := range u.clauses {
		for _, a := range cl.actions {
			c.valPath(a.path)
			paths = append(paths, a.path)
			if c.err == nil {
				c.err = checkPaths(KindUpdate, paths)
			}
		}
	}
	// values, and the operand types of ADD and DELETE
	for _, cl := range u.clauses {
		for _, a := range cl.actions {
			switch a.kind {
			case ActionSet:
				c.val(a.value)
			case ActionAdd, ActionDelete:
				c.valValue(a.value)
				if t := a.value.val.Kind; c.err == nil && !t.IsSet() && !(a.kind == ActionAdd && t == attr.N) {
					c.fail(msgOperandTypeOp, a.kind.String(), ", operand type: ", longTypeName(t),
						", typeSet: ALLOWED_FOR_", a.kind.String(), "_OPERAND")
				}
			}
		}
	}
	return c.err
}

func longTypeName(k attr.Kind) string {
	switch k {
	case attr.S:
		return "STRING"
	case attr.N:
		return "NUMBER"
	case attr.B:
		return "BINARY"
	case attr.BOOL:
		return "BOOLEAN"
	case attr.NULL:
		return "NULL"
	case attr.L:
		return "LIST"
	case attr.M:
		return "MAP"
	}
	return k.String()
}

// Paths are the document paths the update writes (SET, REMOVE, ADD and
// DELETE targets) in source order; the service checks them against the
// key attributes.
func (u *Update) Paths() []Path {
	var out []Path
	for _, c := range u.clauses {
		for _, a := range c.actions {
			out = append(out, a.path)
		}
	}
	return out
}

// Reads are the document paths the update's values read (SET
// operands), in source order.
func (u *Update) Reads() []Path {
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
	for _, c := range u.clauses {
		for _, a := range c.actions {
			if a.kind == ActionSet {
				walk(a.value)
			}
		}
	}
	return out
}

// String renders the update with the source's placeholders.
func (u *Update) String() string {
	var b strings.Builder
	for i, c := range u.clauses {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(c.kind.String())
		b.WriteByte(' ')
		for j, a := range c.actions {
			if j > 0 {
				b.WriteString(", ")
			}
			b.WriteString(a.path.Expr())
			switch a.kind {
			case ActionSet:
				b.WriteString(" = ")
				renderOperand(&b, a.value)
			case ActionAdd, ActionDelete:
				b.WriteByte(' ')
				b.WriteString(a.value.raw)
			}
		}
	}
	return b.String()
}
