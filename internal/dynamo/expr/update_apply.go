package expr

import (
	"cmp"
	"slices"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

func applyErr(msg string) *Error { return &Error{Message: msg} }

// updNode is the update's paths as a tree: a leaf carries its action.
// Paths cannot overlap (ParseUpdate rejects that), so a leaf has no
// children, and a node's children are all names or all indexes.
type updNode struct {
	act   *action
	names map[string]*updNode
	order []string // names, sorted (the order DynamoDB visits them)
	idx   []updIndex
}

type updIndex struct {
	index int
	node  *updNode
}

func (u *Update) buildTree() {
	root := &updNode{}
	for ci := range u.clauses {
		for ai := range u.clauses[ci].actions {
			a := &u.clauses[ci].actions[ai]
			n := root
			for _, e := range a.path {
				n = n.child(e)
			}
			n.act = a
		}
	}
	root.sort()
	u.root = root
}

func (n *updNode) child(e PathElem) *updNode {
	if e.IsIndex {
		for _, x := range n.idx {
			if x.index == e.Index {
				return x.node
			}
		}
		c := &updNode{}
		n.idx = append(n.idx, updIndex{e.Index, c})
		return c
	}
	if n.names == nil {
		n.names = map[string]*updNode{}
	}
	c := n.names[e.Name]
	if c == nil {
		c = &updNode{}
		n.names[e.Name] = c
		n.order = append(n.order, e.Name)
	}
	return c
}

func (n *updNode) sort() {
	slices.Sort(n.order)
	slices.SortFunc(n.idx, func(a, b updIndex) int { return cmp.Compare(a.index, b.index) })
	for _, c := range n.names {
		c.sort()
	}
	for _, x := range n.idx {
		x.node.sort()
	}
}

// Apply returns the item after the update, leaving item untouched (the
// result shares unchanged values with it); a nil item is a new item.
// As DynamoDB does, the update is merged into the item as it was: every
// SET value is computed from the original item, list indexes name
// positions in the original list, a REMOVE or a DELETE that empties a
// set drops the element, elements set past a list's end are appended in
// index order, and the list is then compacted. A path through a missing
// or non-document attribute fails with MsgInvalidUpdatePath; other
// errors are MsgMissingAttribute, MsgIncorrectType and the number range
// errors.
func (u *Update) Apply(item attr.Item) (attr.Item, error) {
	root := u.root
	if root == nil { // the zero Update changes nothing
		root = &updNode{}
	}
	out := make(attr.Item, len(item)+len(root.order))
	for k, v := range item {
		out[k] = v
	}
	for _, name := range root.order {
		cur, ok := item[name]
		nv, keep, err := root.names[name].apply(cur, ok, item)
		if err != nil {
			return nil, err
		}
		if keep {
			out[name] = nv
		} else {
			delete(out, name)
		}
	}
	return out, nil
}

// apply computes the new value at n from the current one (exists false
// when there is none); keep false drops it.
func (n *updNode) apply(cur attr.Value, exists bool, item attr.Item) (attr.Value, bool, error) {
	if n.act != nil {
		return actionResult(n.act, cur, exists, item)
	}
	if !exists {
		return attr.Value{}, false, applyErr(MsgInvalidUpdatePath)
	}
	if len(n.order) > 0 {
		if cur.Kind != attr.M {
			return attr.Value{}, false, applyErr(MsgInvalidUpdatePath)
		}
		m := make(map[string]attr.Value, len(cur.M)+len(n.order))
		for k, v := range cur.M {
			m[k] = v
		}
		for _, name := range n.order {
			v, ok := cur.M[name]
			nv, keep, err := n.names[name].apply(v, ok, item)
			if err != nil {
				return attr.Value{}, false, err
			}
			if keep {
				m[name] = nv
			} else {
				delete(m, name)
			}
		}
		return attr.Map(m), true, nil
	}
	if cur.Kind != attr.L {
		return attr.Value{}, false, applyErr(MsgInvalidUpdatePath)
	}
	l := make([]attr.Value, 0, len(cur.L)+len(n.idx))
	j := 0
	for i, v := range cur.L {
		if j < len(n.idx) && n.idx[j].index == i {
			nv, keep, err := n.idx[j].node.apply(v, true, item)
			j++
			if err != nil {
				return attr.Value{}, false, err
			}
			if keep {
				l = append(l, nv)
			}
			continue
		}
		l = append(l, v)
	}
	for ; j < len(n.idx); j++ { // past the end
		nv, keep, err := n.idx[j].node.apply(attr.Value{}, false, item)
		if err != nil {
			return attr.Value{}, false, err
		}
		if keep {
			l = append(l, nv)
		}
	}
	return attr.List(l...), true, nil
}

func actionResult(a *action, cur attr.Value, exists bool, item attr.Item) (attr.Value, bool, error) {
	switch a.kind {
	case ActionSet:
		v, err := evalSetValue(a.value, item)
		return v, err == nil, err
	case ActionRemove:
		return attr.Value{}, false, nil
	case ActionAdd:
		if !exists {
			return a.value.val, true, nil
		}
		v, err := addValues(cur, a.value.val)
		return v, err == nil, err
	case ActionDelete:
		if !exists {
			return attr.Value{}, false, nil
		}
		v := a.value.val
		if cur.Kind != v.Kind || !v.Kind.IsSet() {
			return attr.Value{}, false, applyErr(MsgIncorrectType)
		}
		rest := setDifference(cur, v)
		return rest, setLen(rest) > 0, nil
	}
	return attr.Value{}, false, applyErr(MsgIncorrectType)
}

func evalSetValue(n *node, item attr.Item) (attr.Value, error) {
	switch n.kind {
	case nValue:
		return n.val, nil
	case nPath:
		v, ok := n.path.Get(item)
		if !ok {
			return attr.Value{}, applyErr(MsgMissingAttribute)
		}
		return v, nil
	case nArith:
		l, err := evalSetValue(n.args[0], item)
		if err != nil {
			return attr.Value{}, err
		}
		r, err := evalSetValue(n.args[1], item)
		if err != nil {
			return attr.Value{}, err
		}
		if l.Kind != attr.N || r.Kind != attr.N {
			return attr.Value{}, applyErr(MsgIncorrectType)
		}
		var s string
		if n.op == "+" {
			s, err = attr.AddNumbers(l.S, r.S)
		} else {
			s, err = attr.SubNumbers(l.S, r.S)
		}
		if err != nil {
			return attr.Value{}, err
		}
		return attr.Value{Kind: attr.N, S: s}, nil
	case nFunc:
		switch n.op {
		case "if_not_exists":
			// the default is evaluated first: a missing default is an
			// error even when the attribute exists
			d, err := evalSetValue(n.args[1], item)
			if err != nil {
				return attr.Value{}, err
			}
			if v, ok := n.args[0].path.Get(item); ok {
				return v, nil
			}
			return d, nil
		case "list_append":
			l, err := evalSetValue(n.args[0], item)
			if err != nil {
				return attr.Value{}, err
			}
			r, err := evalSetValue(n.args[1], item)
			if err != nil {
				return attr.Value{}, err
			}
			if l.Kind != attr.L || r.Kind != attr.L {
				return attr.Value{}, applyErr(MsgIncorrectType)
			}
			out := make([]attr.Value, 0, len(l.L)+len(r.L))
			out = append(append(out, l.L...), r.L...)
			return attr.List(out...), nil
		}
	}
	return attr.Value{}, applyErr(MsgIncorrectType)
}
