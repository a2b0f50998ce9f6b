package expr

import (
	"bytes"
	"strings"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// RangeOp is the operator of a sort-key condition.
type RangeOp uint8

// The sort-key operators.
const (
	EQ RangeOp = iota + 1
	LT
	LE
	GT
	GE
	Between
	BeginsWith
)

var rangeOpNames = [...]string{"", "EQ", "LT", "LE", "GT", "GE", "BETWEEN", "BEGINS_WITH"}

// String is the operator's legacy ComparisonOperator name.
func (op RangeOp) String() string {
	if int(op) < len(rangeOpNames) {
		return rangeOpNames[op]
	}
	return ""
}

// KeyCondition is a parsed KeyConditionExpression (or legacy
// KeyConditions): the partition key's value and an optional condition
// on the sort key.
type KeyCondition struct {
	Hash  attr.Value
	Range *RangeCondition
}

// RangeCondition is a condition on the sort key: Values holds one value
// (two for Between).
type RangeCondition struct {
	Op     RangeOp
	Values []attr.Value
}

// Match reports whether a sort-key value satisfies the condition (false
// for a value of another type).
func (rc *RangeCondition) Match(v attr.Value) bool {
	if rc == nil {
		return true
	}
	if len(rc.Values) == 0 || v.Kind != rc.Values[0].Kind {
		return false
	}
	a := rc.Values[0]
	switch rc.Op {
	case EQ:
		return attr.Compare(v, a) == 0
	case LT:
		return attr.Compare(v, a) < 0
	case LE:
		return attr.Compare(v, a) <= 0
	case GT:
		return attr.Compare(v, a) > 0
	case GE:
		return attr.Compare(v, a) >= 0
	case Between:
		return len(rc.Values) == 2 && attr.Compare(v, a) >= 0 && attr.Compare(v, rc.Values[1]) <= 0
	case BeginsWith:
		switch v.Kind {
		case attr.S:
			return strings.HasPrefix(v.S, a.S)
		case attr.B:
			return bytes.HasPrefix(v.B, a.B)
		}
	}
	return false
}

// CheckTypes checks the condition's values against the key attributes'
// types (from the table's AttributeDefinitions; 0 skips a check) and
// returns DynamoDB's error for a mismatch. The service calls it after
// ParseKeyCondition or LegacyKeyConditions.
func (kc *KeyCondition) CheckTypes(hashKind, rangeKind attr.Kind) error {
	if hashKind != 0 && kc.Hash.Kind != hashKind {
		return &Error{Message: MsgKeyTypeMismatch}
	}
	if kc.Range != nil && rangeKind != 0 {
		for _, v := range kc.Range.Values {
			if v.Kind != rangeKind {
				return &Error{Message: MsgKeyTypeMismatch}
			}
		}
	}
	return nil
}

type keyCond struct {
	name   string
	op     RangeOp
	values []attr.Value
}

// ParseKeyCondition parses a KeyConditionExpression for a table or
// index whose partition key is hashKey and sort key rangeKey ("" when
// it has none). Value types are checked separately by CheckTypes.
func ParseKeyCondition(src string, p *Params, hashKey, rangeKey string) (*KeyCondition, error) {
	root, err := parseCondTree(KindKeyCondition, src)
	if err != nil {
		return nil, err
	}
	// DynamoDB accepts "((pk = :v)) AND ((sk = :s))" here
	if e := checkCondition(KindKeyCondition, root, p, true); e != nil {
		return nil, e
	}
	var conds []keyCond
	if e := collectKeyConds(root, &conds); e != nil {
		return nil, e
	}
	return keySchema(conds, hashKey, rangeKey)
}

func keyErr(msg string) *Error { return &Error{Message: msg} }

func collectKeyConds(n *node, out *[]keyCond) *Error {
	switch n.kind {
	case nAnd:
		for _, a := range n.args {
			if e := collectKeyConds(a, out); e != nil {
				return e
			}
		}
		return nil
	case nOr:
		return keyErr(msgKeyBadOperator + "OR")
	case nNot:
		return keyErr(msgKeyBadOperator + "NOT")
	case nIn:
		return keyErr(msgKeyBadOperator + "IN")
	case nFunc:
		if n.op != "begins_with" {
			return keyErr(msgKeyBadOperator + n.op)
		}
	case nCompare:
		if n.op == "<>" {
			return keyErr(msgKeyBadOperator + "<>")
		}
	}
	for _, a := range n.args {
		if a.kind == nFunc {
			return keyErr(msgKeyNestedOps)
		}
	}
	if (n.kind == nBetween || n.kind == nFunc) && !n.args[0].isPath() {
		op := "BETWEEN"
		if n.kind == nFunc {
			op = n.op
		}
		return keyErr("Invalid condition in KeyConditionExpression: " + op + msgKeyFirstOperand)
	}
	var path *node
	pathAt := 0
	var values []attr.Value
	for i, a := range n.args {
		if a.isPath() {
			if path != nil {
				return keyErr(msgKeyMultipleNames)
			}
			if len(a.path) > 1 {
				return keyErr(msgKeyNested)
			}
			path, pathAt = a, i
			continue
		}
		values = append(values, a.val)
	}
	if path == nil {
		return keyErr(msgKeyNoKey)
	}
	name := path.path[0].Name
	for _, c := range *out {
		if c.name == name {
			return keyErr(msgKeyOnePerKey)
		}
	}
	var op RangeOp
	switch n.kind {
	case nBetween:
		op = Between
	case nFunc:
		op = BeginsWith
	case nCompare:
		ops := map[string]RangeOp{"=": EQ, "<": LT, "<=": LE, ">": GT, ">=": GE}
		op = ops[n.op]
		if pathAt == 1 { // value on the left: flip
			op = map[RangeOp]RangeOp{EQ: EQ, LT: GT, LE: GE, GT: LT, GE: LE}[op]
		}
	}
	*out = append(*out, keyCond{name: name, op: op, values: values})
	return nil
}

// keySchema matches the conditions against the key schema.
func keySchema(conds []keyCond, hashKey, rangeKey string) (*KeyCondition, error) {
	var kc KeyCondition
	found := false
	for _, c := range conds {
		if c.name == hashKey {
			if c.op != EQ {
				return nil, keyErr(MsgQueryNotSupported)
			}
			kc.Hash = c.values[0]
			found = true
		}
	}
	if !found {
		return nil, keyErr(MsgQueryMissedKey + hashKey)
	}
	for _, c := range conds {
		switch {
		case c.name == hashKey:
		case rangeKey != "" && c.name == rangeKey:
			kc.Range = &RangeCondition{Op: c.op, Values: c.values}
		case rangeKey != "":
			return nil, keyErr(MsgQueryMissedKey + rangeKey)
		default:
			return nil, keyErr(MsgQueryNotSupported)
		}
	}
	return &kc, nil
}
