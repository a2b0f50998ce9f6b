package partiql

import "github.com/tarnhq/tarn/internal/dynamo/attr"

// same reports whether two conditions are the same test: one operator,
// the same paths, equal values.
func same(a, b *node) bool {
	if a.op != b.op || a.sym != b.sym || len(a.kids) != len(b.kids) {
		return false
	}
	switch a.op {
	case opPath:
		return a.text == b.text
	case opValue:
		return attr.Equal(a.val, b.val)
	}
	for i := range a.kids {
		if !same(a.kids[i], b.kids[i]) {
			return false
		}
	}
	return true
}

// Split separates a SELECT's WHERE into a KeyConditionExpression over the
// given key attributes (of the table, or of the index it reads) and a
// FilterExpression for the rest, as DynamoDB does: among the conditions
// ANDed at the top of WHERE, an equality of hashKey with a value, and one
// condition of rangeKey (=, <, <=, >, >=, BETWEEN, begins_with) with
// values, become the key condition. ok is false when the statement must be
// a Scan with Where as its filter: no such hash key equality, or a hash
// key condition of another kind, two different ones, a key attribute under
// NOT, or a range key condition DynamoDB cannot use.
func (s *Statement) Split(hashKey, rangeKey string) (keyCond, filter string, ok bool) {
	hash, rng, rest, ok := s.split(hashKey, rangeKey)
	if !ok {
		return "", "", false
	}
	keyCond = hash.String()
	if rng != nil {
		keyCond += " AND " + rng.String()
	}
	if f := and(rest); f != nil {
		filter = f.String()
	}
	return keyCond, filter, true
}

// split is Split's extraction: the hash key equality, the range key
// condition (nil if none) and the other conjuncts.
func (s *Statement) split(hashKey, rangeKey string) (hash, rng *node, rest []*node, ok bool) {
	if s.where == nil {
		return nil, nil, nil, false
	}
	bad := false
	for _, n := range conjuncts(s.where) {
		switch {
		case n.op == opNot:
			if path, _ := n.kids[0].keyOperands(); n.kids[0].terminal() && path != nil && path.top && (path.root == hashKey || (rangeKey != "" && path.root == rangeKey)) {
				bad = true
			}
			rest = append(rest, n)
		case !n.terminal():
			rest = append(rest, n)
		default:
			path, values := n.keyOperands()
			switch {
			case path == nil || !path.top:
				rest = append(rest, n)
			case path.root == hashKey:
				if n.op != opCmp || n.sym != "=" {
					bad = true
					continue
				}
				if len(values) == 0 {
					rest = append(rest, n)
					continue
				}
				if n.kids[0] != path {
					n = &node{op: opCmp, sym: "=", kids: []*node{path, values[0]}}
				}
				if hash != nil && !same(hash, n) {
					bad = true
				}
				hash = n
			case rangeKey != "" && path.root == rangeKey:
				if !rangeOperator(n) {
					bad = true
					continue
				}
				if len(values) == 0 || (n.op == opBetween && len(values) < 2) {
					rest = append(rest, n)
					continue
				}
				kn := rangeCondition(n, path, values)
				if kn == nil {
					bad = true
					continue
				}
				if rng != nil && !same(rng, kn) {
					bad = true
				}
				rng = kn
			default:
				rest = append(rest, n)
			}
		}
	}
	if bad || hash == nil {
		return nil, nil, nil, false
	}
	return hash, rng, rest, true
}

// conjuncts are the conditions ANDed at the top of n.
func conjuncts(n *node) []*node {
	if n.op == opAnd {
		return n.kids
	}
	return []*node{n}
}

// flipped maps a comparator to its mirror, for value-first comparisons.
var flipped = map[string]string{"=": "=", "<": ">", "<=": ">=", ">": "<", ">=": "<="}

// rangeOperator reports whether n's operator can be a range key
// condition.
func rangeOperator(n *node) bool {
	switch n.op {
	case opCmp:
		_, ok := flipped[n.sym]
		return ok
	case opBetween:
		return true
	case opFunc:
		return n.sym == "begins_with"
	}
	return false
}

// rangeCondition is n as a key condition on the range key path, or nil if
// DynamoDB cannot use it as one.
func rangeCondition(n, path *node, values []*node) *node {
	switch {
	case n.op == opCmp:
		sym, ok := flipped[n.sym]
		if !ok {
			return nil
		}
		if n.kids[0] == path {
			return n
		}
		return &node{op: opCmp, sym: sym, kids: []*node{path, values[0]}}
	case n.op == opBetween && n.kids[0] == path && len(values) == 2:
		return n
	case n.op == opFunc && n.sym == "begins_with" && n.kids[0] == path:
		return n
	}
	return nil
}
