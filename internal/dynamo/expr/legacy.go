package expr

import (
	"slices"
	"strings"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// ExpectedAttributeValue is one entry of the legacy Expected parameter.
type ExpectedAttributeValue struct {
	Value              *attr.Value  `json:"Value,omitempty"`
	Exists             *bool        `json:"Exists,omitempty"`
	ComparisonOperator string       `json:"ComparisonOperator,omitempty"`
	AttributeValueList []attr.Value `json:"AttributeValueList,omitempty"`
}

// LegacyCondition is one entry of the legacy KeyConditions, QueryFilter
// and ScanFilter parameters (DynamoDB's "Condition" shape).
type LegacyCondition struct {
	ComparisonOperator string       `json:"ComparisonOperator"`
	AttributeValueList []attr.Value `json:"AttributeValueList,omitempty"`
}

// AttributeValueUpdate is one entry of the legacy AttributeUpdates parameter.
type AttributeValueUpdate struct {
	Value  *attr.Value `json:"Value,omitempty"`
	Action string      `json:"Action,omitempty"`
}

const invalidParams = "One or more parameter values were invalid: "

func legacyErr(parts ...string) *Error {
	return &Error{Message: invalidParams + strings.Join(parts, "")}
}

// argument counts of the ComparisonOperators (-1: one or more)
var legacyArgs = map[string]int{
	"EQ": 1, "NE": 1, "LE": 1, "LT": 1, "GE": 1, "GT": 1, "CONTAINS": 1, "NOT_CONTAINS": 1,
	"BEGINS_WITH": 1, "NULL": 0, "NOT_NULL": 0, "IN": -1, "BETWEEN": 2,
}

// LegacyExpected translates the Expected parameter into a Condition
// (entries joined by conditionalOperator, "AND" when empty).
func LegacyExpected(expected map[string]ExpectedAttributeValue, conditionalOperator string) (*Condition, error) {
	if err := checkConditionalOperator(conditionalOperator, len(expected)); err != nil {
		return nil, err
	}
	var terms []*node
	for _, name := range sortedKeys(expected) {
		e := expected[name]
		if e.ComparisonOperator != "" {
			if e.Exists != nil {
				return nil, legacyErr("Exists and ComparisonOperator cannot be used together for Attribute: ", name)
			}
			if e.Value != nil && e.AttributeValueList != nil {
				return nil, legacyErr("Value and AttributeValueList cannot be used together for Attribute: ", name)
			}
			args := e.AttributeValueList
			if e.Value != nil {
				args = []attr.Value{*e.Value}
			}
			if args == nil && e.ComparisonOperator != "NULL" && e.ComparisonOperator != "NOT_NULL" {
				return nil, legacyErr("Value or AttributeValueList must be used with ComparisonOperator: ", e.ComparisonOperator, " for Attribute: ", name)
			}
			n, err := legacyTerm(name, e.ComparisonOperator, args)
			if err != nil {
				return nil, err
			}
			terms = append(terms, n)
			continue
		}
		if e.AttributeValueList != nil {
			return nil, legacyErr("AttributeValueList can only be used with a ComparisonOperator for Attribute: ", name)
		}
		exists := e.Exists == nil || *e.Exists
		switch {
		case exists && e.Value == nil:
			state := "null"
			if e.Exists != nil {
				state = "true"
			}
			return nil, legacyErr("Value must be provided when Exists is ", state, " for Attribute: ", name)
		case !exists && e.Value != nil:
			return nil, legacyErr("Value cannot be used when Exists is false for Attribute: ", name)
		case exists:
			terms = append(terms, compareNode("=", name, *e.Value))
		default:
			terms = append(terms, funcNode("attribute_not_exists", name))
		}
	}
	return joinTerms(terms, conditionalOperator), nil
}

// LegacyFilter translates QueryFilter or ScanFilter into a Condition.
func LegacyFilter(filter map[string]LegacyCondition, conditionalOperator string) (*Condition, error) {
	if err := checkConditionalOperator(conditionalOperator, len(filter)); err != nil {
		return nil, err
	}
	var terms []*node
	for _, name := range sortedKeys(filter) {
		c := filter[name]
		n, err := legacyTerm(name, c.ComparisonOperator, c.AttributeValueList)
		if err != nil {
			return nil, err
		}
		terms = append(terms, n)
	}
	return joinTerms(terms, conditionalOperator), nil
}

// Messages for a ConditionalOperator without enough conditions to join.
const (
	MsgCondOpWithoutConditions = "ConditionalOperator cannot be used without Filter or Expected"
	MsgCondOpWithOneCondition  = "ConditionalOperator can only be used when Filter or Expected has two or more elements"
)

func checkConditionalOperator(op string, n int) error {
	switch {
	case op == "":
		return nil
	case n == 0:
		return &Error{Message: MsgCondOpWithoutConditions}
	case n == 1:
		return &Error{Message: MsgCondOpWithOneCondition}
	}
	return nil
}

func joinTerms(terms []*node, op string) *Condition {
	if len(terms) == 0 {
		return &Condition{}
	}
	kind := nAnd
	if strings.EqualFold(op, "OR") {
		kind = nOr
	}
	root := terms[0]
	for _, t := range terms[1:] {
		root = &node{kind: kind, args: []*node{root, t}}
	}
	return &Condition{root: root}
}

func pathNode(name string) *node { return &node{kind: nPath, path: NamePath(name)} }

func valueNode(v attr.Value) *node { return &node{kind: nValue, val: v} }

func compareNode(op, name string, v attr.Value) *node {
	return &node{kind: nCompare, op: op, args: []*node{pathNode(name), valueNode(v)}}
}

func funcNode(fn, name string, vals ...attr.Value) *node {
	n := &node{kind: nFunc, op: fn, args: []*node{pathNode(name)}}
	for _, v := range vals {
		n.args = append(n.args, valueNode(v))
	}
	return n
}

// legacyTypes are the value types each ComparisonOperator accepts.
var legacyTypes = map[string][]attr.Kind{
	"EQ": {attr.S, attr.N, attr.B, attr.SS, attr.NS, attr.BS}, "NE": {attr.S, attr.N, attr.B, attr.SS, attr.NS, attr.BS},
	"LE": {attr.S, attr.N, attr.B}, "LT": {attr.S, attr.N, attr.B}, "GE": {attr.S, attr.N, attr.B}, "GT": {attr.S, attr.N, attr.B},
	"CONTAINS": {attr.S, attr.N, attr.B}, "NOT_CONTAINS": {attr.S, attr.N, attr.B}, "BEGINS_WITH": {attr.S, attr.B},
	"IN": {attr.S, attr.N, attr.B}, "BETWEEN": {attr.S, attr.N, attr.B},
}

// MsgBetweenBounds is the legacy parameters' message for BETWEEN bounds
// in the wrong order.
const MsgBetweenBounds = "The BETWEEN condition was provided a range where the lower bound is greater than the upper bound"

// checkLegacyArgs validates a ComparisonOperator's argument count and types.
func checkLegacyArgs(op string, args []attr.Value) *Error {
	want, ok := legacyArgs[op]
	if !ok {
		return &Error{Message: "1 validation error detected: Value '" + op + "' at 'comparisonOperator' failed to satisfy constraint: " +
			"Member must satisfy enum value set: [IN, NULL, BETWEEN, LT, NOT_CONTAINS, EQ, GT, NOT_NULL, NE, LE, BEGINS_WITH, GE, CONTAINS]"}
	}
	if (want >= 0 && len(args) != want) || (want < 0 && len(args) == 0) {
		return legacyErr("Invalid number of argument(s) for the ", op, " ComparisonOperator")
	}
	for _, v := range args {
		if !slices.Contains(legacyTypes[op], v.Kind) {
			return legacyErr("ComparisonOperator ", op, " is not valid for ", v.Kind.String(), " AttributeValue type")
		}
	}
	for _, v := range args[min(1, len(args)):] {
		if v.Kind != args[0].Kind {
			return legacyErr("AttributeValues inside AttributeValueList must be of same type")
		}
	}
	if op == "BETWEEN" && attr.Compare(args[0], args[1]) > 0 {
		return &Error{Message: MsgBetweenBounds}
	}
	return nil
}

func legacyTerm(name, op string, args []attr.Value) (*node, error) {
	if err := checkLegacyArgs(op, args); err != nil {
		return nil, err
	}
	ops := map[string]string{"EQ": "=", "NE": "<>", "LE": "<=", "LT": "<", "GE": ">=", "GT": ">"}
	switch op {
	case "NULL":
		return funcNode("attribute_not_exists", name), nil
	case "NOT_NULL":
		return funcNode("attribute_exists", name), nil
	case "CONTAINS":
		return funcNode("contains", name, args[0]), nil
	case "NOT_CONTAINS":
		return &node{kind: nNot, args: []*node{funcNode("contains", name, args[0])}}, nil
	case "BEGINS_WITH":
		return funcNode("begins_with", name, args[0]), nil
	case "IN":
		n := &node{kind: nIn, args: []*node{pathNode(name)}}
		for _, v := range args {
			n.args = append(n.args, valueNode(v))
		}
		return n, nil
	case "BETWEEN":
		return &node{kind: nBetween, args: []*node{pathNode(name), valueNode(args[0]), valueNode(args[1])}}, nil
	}
	return compareNode(ops[op], name, args[0]), nil
}

// LegacyKeyConditions translates KeyConditions for a table or index
// with partition key hashKey and sort key rangeKey ("" for none).
func LegacyKeyConditions(conds map[string]LegacyCondition, hashKey, rangeKey string) (*KeyCondition, error) {
	if len(conds) != 1 && len(conds) != 2 {
		return nil, &Error{Message: "Conditions can be of length 1 or 2 only"}
	}
	var kcs []keyCond
	for _, name := range sortedKeys(conds) {
		c := conds[name]
		if err := checkLegacyArgs(c.ComparisonOperator, c.AttributeValueList); err != nil {
			return nil, err
		}
		var op RangeOp
		switch c.ComparisonOperator {
		case "EQ":
			op = EQ
		case "LT":
			op = LT
		case "LE":
			op = LE
		case "GT":
			op = GT
		case "GE":
			op = GE
		case "BETWEEN":
			op = Between
		case "BEGINS_WITH":
			op = BeginsWith
		default:
			return nil, &Error{Message: "Attempted conditional constraint is not an indexable operation"}
		}
		kcs = append(kcs, keyCond{name: name, op: op, values: c.AttributeValueList})
	}
	return keySchema(kcs, hashKey, rangeKey)
}

// LegacyUpdates translates AttributeUpdates into an Update: PUT (the
// default) sets the attribute, DELETE without a value removes it,
// DELETE with a set removes those elements, ADD adds a number, set
// elements, or list elements (appended).
func LegacyUpdates(updates map[string]AttributeValueUpdate) (*Update, error) {
	byKind := map[ActionKind][]action{}
	for _, name := range sortedKeys(updates) {
		up := updates[name]
		action_ := strings.ToUpper(up.Action)
		if action_ == "" {
			action_ = "PUT"
		}
		p := NamePath(name)
		if up.Value == nil {
			if action_ != "DELETE" {
				return nil, legacyErr("Only DELETE action is allowed when no attribute value is specified")
			}
			byKind[ActionRemove] = append(byKind[ActionRemove], action{kind: ActionRemove, path: p})
			continue
		}
		v := *up.Value
		switch action_ {
		case "PUT":
			byKind[ActionSet] = append(byKind[ActionSet], action{kind: ActionSet, path: p, value: valueNode(v)})
		case "ADD": // numbers, sets, and (legacy only) lists, which it appends to
			if v.Kind != attr.N && v.Kind != attr.L && !v.Kind.IsSet() {
				return nil, legacyErr("ADD action is not supported for the type ", v.Kind.String())
			}
			byKind[ActionAdd] = append(byKind[ActionAdd], action{kind: ActionAdd, path: p, value: valueNode(v)})
		case "DELETE":
			if !v.Kind.IsSet() {
				return nil, legacyErr("DELETE action with value is not supported for the type ", v.Kind.String())
			}
			byKind[ActionDelete] = append(byKind[ActionDelete], action{kind: ActionDelete, path: p, value: valueNode(v)})
		default:
			return nil, legacyErr("Unsupported action: ", up.Action)
		}
	}
	u := &Update{}
	for _, k := range []ActionKind{ActionSet, ActionRemove, ActionAdd, ActionDelete} {
		if acts := byKind[k]; len(acts) > 0 {
			u.clauses = append(u.clauses, clause{kind: k, actions: slices.Clip(acts)})
		}
	}
	u.buildTree()
	return u, nil
}
