package partiql

import (
	"regexp"
	"strings"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// Key extracts the primary key an UPDATE, DELETE or EXISTS names (an
// equality of each key attribute with a value, ANDed at the top of WHERE)
// and returns the rest of WHERE as the request's ConditionExpression,
// with the existence test DynamoDB adds:
//
//   - UPDATE: attribute_exists(hash) AND (rest): updating a missing item
//     fails with ConditionalCheckFailedException.
//   - DELETE: attribute_not_exists(hash) OR (rest) when there is a rest:
//     deleting a missing item succeeds, a present one must match.
//   - EXISTS: attribute_exists(hash) AND (rest), for a ConditionCheck.
//
// The errors are DynamoDB's: a key attribute without an equality, two
// different equalities of one, a key value not S, N or B.
func (s *Statement) Key(hashKey, rangeKey string) (key attr.Item, cond string, err error) {
	keys := []string{hashKey}
	if rangeKey != "" {
		keys = append(keys, rangeKey)
	}
	if s.Kind == Insert || s.Kind == Select {
		return nil, "", newError(msgKeyKind)
	}
	key, rest, err := s.extractKey(keys, s.Kind == Exists)
	if err != nil {
		return nil, "", err
	}
	hash := s.ph.byName[hashKey]
	switch s.Kind {
	case Update, Exists:
		cond = "attribute_exists(" + hash + ")"
		if rest != nil {
			cond += " AND " + parenthesized(rest)
		}
	case Delete:
		if rest != nil {
			cond = "attribute_not_exists(" + hash + ") OR " + parenthesized(rest)
		}
	}
	return key, cond, nil
}

func parenthesized(n *node) string {
	if n.precedence() < 4 {
		return "(" + n.String() + ")"
	}
	return n.String()
}

// extractKey is DynamoDB's key extraction for single-item statements.
// exists selects EXISTS' rule: a second equality on a key stays in the
// condition instead of being an error.
func (s *Statement) extractKey(keys []string, exists bool) (attr.Item, *node, error) {
	missing := newError(msgMandatoryKey)
	if exists {
		missing = newError(msgExistsKey)
	}
	if s.where == nil {
		return nil, nil, missing
	}
	isKey := func(name string) bool { return name == keys[0] || (len(keys) > 1 && name == keys[1]) }
	key := attr.Item{}
	var rest []*node
	for _, n := range conjuncts(s.where) {
		path, values := n.keyOperands()
		if !n.terminal() || n.op != opCmp || n.sym != "=" || path == nil || !path.top || !isKey(path.root) || len(values) == 0 {
			rest = append(rest, n)
			continue
		}
		v := values[0].val
		if old, dup := key[path.root]; dup {
			if exists {
				rest = append(rest, n)
				continue
			}
			if !attr.Equal(old, v) {
				return nil, nil, errorf("Multiple conditions on same key %s. Only single item Update/Insert/Delete are supported", path.root)
			}
			continue
		}
		key[path.root] = v
	}
	for _, k := range keys {
		if _, ok := key[k]; !ok {
			return nil, nil, missing
		}
	}
	for _, k := range keys {
		if v := key[k]; !v.Kind.IsKey() {
			return nil, nil, errorf("Key value must be of type S, N, or B. Key name: %s, Key type: %s", k, v.Kind)
		}
	}
	return key, and(rest), nil
}

// ReadKey is the key of a SELECT inside BatchExecuteStatement
// (inTransaction false) or ExecuteTransaction (true): its WHERE must be
// exactly an equality on every key attribute (DynamoDB's errors
// otherwise), and it cannot read an index. The service runs it
// as GetItem with Projection.
func (s *Statement) ReadKey(hashKey, rangeKey string, inTransaction bool) (attr.Item, error) {
	if s.Kind != Select {
		return nil, newError(msgNotSelectRead)
	}
	msg := msgBatchSelect
	if inTransaction {
		if s.Index != "" {
			return nil, newError(msgTxIndex)
		}
		msg = msgTxSelect
	} else if s.Index != "" {
		// (tarn) AWS's answer for a batch read of an index is not known; a
		// GetItem cannot read one.
		return nil, newError(msg)
	}
	keys := []string{hashKey}
	if rangeKey != "" {
		keys = append(keys, rangeKey)
	}
	key, rest, err := s.extractKey(keys, false)
	if err != nil || rest != nil {
		return nil, newError(msg)
	}
	return key, nil
}

// CheckKeyTypes checks the values compared with the key attributes
// (those Split or Key extract) against the key schema's types (rangeKey
// "" when there is none), with DynamoDB's error for a mismatch: a
// statement that compares a key with a value of another type is refused,
// not run. Call it after Split (SELECT) or Key (the others) succeeded.
func (s *Statement) CheckKeyTypes(hashKey string, hashKind attr.Kind, rangeKey string, rangeKind attr.Kind) error {
	var values map[string][]attr.Value
	if s.Kind == Select {
		hash, rng, _, ok := s.split(hashKey, rangeKey)
		if !ok {
			return nil
		}
		values = map[string][]attr.Value{}
		for _, n := range []*node{hash, rng} {
			if n == nil {
				continue
			}
			path, vs := n.keyOperands()
			for _, v := range vs {
				values[path.root] = append(values[path.root], v.val)
			}
		}
	} else {
		keys := []string{hashKey}
		if rangeKey != "" {
			keys = append(keys, rangeKey)
		}
		key, _, err := s.extractKey(keys, s.Kind == Exists)
		if err != nil {
			return nil
		}
		values = map[string][]attr.Value{}
		for k, v := range key {
			values[k] = []attr.Value{v}
		}
	}
	for _, k := range []struct {
		name string
		kind attr.Kind
	}{{hashKey, hashKind}, {rangeKey, rangeKind}} {
		for _, v := range values[k.name] {
			if k.name != "" && v.Kind != k.kind {
				return errorf("Key attribute's data type should match its data type in table's schema: Key %s", k.name)
			}
		}
	}
	return nil
}

// CheckOrderBy applies DynamoDB's rules for a SELECT with ORDER BY: it
// needs a WHERE, with a condition on the hash key (of the table or of
// the index read) that every OR branch keeps. Call it before Split.
func (s *Statement) CheckOrderBy(hashKey string) error {
	if len(s.OrderBy) == 0 {
		return nil
	}
	if s.where == nil {
		return newError(msgOrderNoWhere)
	}
	if !hashRequired(s.where, hashKey) {
		return newError(msgOrderNoHash)
	}
	return nil
}

// hashRequired is DynamoDB's nonOptionalHashExists: a terminal condition
// on hashKey with a value, under ANDs, and in both branches of an OR.
func hashRequired(n *node, hashKey string) bool {
	switch n.op {
	case opAnd:
		for _, k := range n.kids {
			if hashRequired(k, hashKey) {
				return true
			}
		}
		return false
	case opOr:
		for _, k := range n.kids {
			if !hashRequired(k, hashKey) {
				return false
			}
		}
		return true
	case opNot:
		return false
	}
	path, values := n.keyOperands()
	return n.terminal() && path != nil && path.root == hashKey && len(values) > 0
}

// InsertCondition is the ConditionExpression of an INSERT's PutItem,
// attribute_not_exists(hashKey): DynamoDB answers an existing key with
// DuplicateItemException. It adds hashKey to Names.
func (s *Statement) InsertCondition(hashKey string) string {
	return "attribute_not_exists(" + s.ph.name(hashKey) + ")"
}

var placeholderRE = regexp.MustCompile(`[#:][nv][0-9]+`)

// Used returns the Names and Values that the given expressions refer to,
// for one request's ExpressionAttributeNames and ExpressionAttributeValues
// (nil maps when none are used).
func (s *Statement) Used(exprs ...string) (names map[string]string, values map[string]attr.Value) {
	for _, ph := range placeholderRE.FindAllString(strings.Join(exprs, " "), -1) {
		if n, ok := s.Names[ph]; ok {
			if names == nil {
				names = map[string]string{}
			}
			names[ph] = n
		} else if v, ok := s.Values[ph]; ok {
			if values == nil {
				values = map[string]attr.Value{}
			}
			values[ph] = v
		}
	}
	return names, values
}
