package expr

import (
	"slices"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// ADD and DELETE, and what ReturnValues UPDATED_OLD / UPDATED_NEW return.

// addValues is ADD onto an existing value: a number is added to a
// number, a set's elements join a set of the same type, and (legacy
// AttributeUpdates only) a list's elements are appended to a list.
func addValues(cur, v attr.Value) (attr.Value, error) {
	switch {
	case cur.Kind == attr.N && v.Kind == attr.N:
		s, err := attr.AddNumbers(cur.S, v.S)
		if err != nil {
			return attr.Value{}, err
		}
		return attr.Value{Kind: attr.N, S: s}, nil
	case cur.Kind == v.Kind && v.Kind.IsSet():
		return setUnion(cur, v), nil
	case cur.Kind == attr.L && v.Kind == attr.L:
		l := make([]attr.Value, 0, len(cur.L)+len(v.L))
		return attr.List(append(append(l, cur.L...), v.L...)...), nil
	}
	return attr.Value{}, applyErr(MsgIncorrectType)
}

func setLen(v attr.Value) int {
	if v.Kind == attr.BS {
		return len(v.BS)
	}
	return len(v.SS)
}

func setUnion(a, b attr.Value) attr.Value {
	out := a
	switch a.Kind {
	case attr.SS, attr.NS:
		out.SS = slices.Clone(a.SS)
		for _, s := range b.SS {
			if !attr.SetContains(a, attr.Value{Kind: elemKind(a.Kind), S: s}) {
				out.SS = append(out.SS, s)
			}
		}
	case attr.BS:
		out.BS = slices.Clone(a.BS)
		for _, x := range b.BS {
			if !attr.ContainsBytes(a.BS, x) {
				out.BS = append(out.BS, x)
			}
		}
	}
	return out
}

func setDifference(a, b attr.Value) attr.Value {
	out := attr.Value{Kind: a.Kind}
	switch a.Kind {
	case attr.SS, attr.NS:
		for _, s := range a.SS {
			if !attr.SetContains(b, attr.Value{Kind: elemKind(a.Kind), S: s}) {
				out.SS = append(out.SS, s)
			}
		}
	case attr.BS:
		for _, x := range a.BS {
			if !attr.ContainsBytes(b.BS, x) {
				out.BS = append(out.BS, x)
			}
		}
	}
	return out
}

func elemKind(set attr.Kind) attr.Kind {
	switch set {
	case attr.SS:
		return attr.S
	case attr.NS:
		return attr.N
	}
	return attr.B
}

// UpdatedAttributes is what DynamoDB returns for ReturnValues
// UPDATED_OLD and UPDATED_NEW (nil when empty): the old values at all
// the update's target paths, and the new values its SET, ADD and DELETE
// actions wrote, each nested as in the item with lists compacted in
// index order (as projections are). The new values are recomputed from
// old, exactly as Apply computed them; new is accepted for symmetry.
func UpdatedAttributes(old, new attr.Item, u *Update) (updatedOld, updatedNew attr.Item) {
	updatedOld = ProjectPaths(u.Paths()).Apply(old)
	if u.root != nil {
		updatedNew = attr.Item{}
		for _, name := range u.root.order {
			cur, ok := old[name]
			if v, keep := u.root.names[name].written(cur, ok, old); keep {
				updatedNew[name] = v
			}
		}
	}
	if len(updatedOld) == 0 {
		updatedOld = nil
	}
	if len(updatedNew) == 0 {
		updatedNew = nil
	}
	return updatedOld, updatedNew
}

// written is the part of apply's result that the update wrote.
func (n *updNode) written(cur attr.Value, exists bool, item attr.Item) (attr.Value, bool) {
	if n.act != nil {
		if n.act.kind == ActionRemove {
			return attr.Value{}, false
		}
		v, keep, err := actionResult(n.act, cur, exists, item)
		return v, keep && err == nil
	}
	if !exists {
		return attr.Value{}, false
	}
	if len(n.order) > 0 {
		if cur.Kind != attr.M {
			return attr.Value{}, false
		}
		m := map[string]attr.Value{}
		for _, name := range n.order {
			v, ok := cur.M[name]
			if nv, keep := n.names[name].written(v, ok, item); keep {
				m[name] = nv
			}
		}
		return attr.Map(m), len(m) > 0
	}
	if cur.Kind != attr.L {
		return attr.Value{}, false
	}
	var l []attr.Value
	for _, x := range n.idx {
		var v attr.Value
		ok := x.index < len(cur.L)
		if ok {
			v = cur.L[x.index]
		}
		if nv, keep := x.node.written(v, ok, item); keep {
			l = append(l, nv)
		}
	}
	return attr.List(l...), len(l) > 0
}
