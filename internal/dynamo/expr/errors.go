package expr

import (
	"sort"
	"strconv"
	"strings"
)

// Error is an expression DynamoDB rejects; Message is DynamoDB's text.
type Error struct {
	Message string
}

func (e *Error) Error() string { return e.Message }

func errorf(parts ...string) *Error { return &Error{Message: strings.Join(parts, "")} }

// The expression kinds, as they appear in DynamoDB's messages.
const (
	KindCondition    = "ConditionExpression"
	KindFilter       = "FilterExpression"
	KindKeyCondition = "KeyConditionExpression"
	KindUpdate       = "UpdateExpression"
	KindProjection   = "ProjectionExpression"
)

// Messages, without the "Invalid <Kind>: " prefix where DynamoDB adds one.
const (
	msgEmpty            = "The expression can not be empty;"
	msgRedundantParens  = "The expression has redundant parentheses;"
	msgUndefinedName    = "An expression attribute name used in the document path is not defined; attribute name: "
	msgUndefinedValue   = "An expression attribute value used in expression is not defined; attribute value: "
	msgReserved         = "Attribute name is a reserved keyword; reserved keyword: "
	msgInvalidFunction  = "Invalid function name; function: "
	msgMisusedFunction  = "The function is not allowed to be used this way in an expression; function: "
	msgOperandCount     = "Incorrect number of operands for operator or function; operator or function: "
	msgOperandType      = "Incorrect operand type for operator or function; operator or function: "
	msgOperandTypeOp    = "Incorrect operand type for operator or function; operator: "
	msgNeedsPath        = "Operator or function requires a document path; operator or function: "
	msgDistinct         = "The first operand must be distinct from the remaining operands for this operator or function; operator: "
	msgBetweenTypes     = "The BETWEEN operator requires same data type for lower and upper bounds; lower bound operand: AttributeValue: "
	msgBetweenOrder     = "The BETWEEN operator requires upper bound to be greater than or equal to lower bound; lower bound operand: AttributeValue: "
	msgInvalidTypeName  = "Invalid attribute type name found; type: "
	msgValidTypes       = ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}"
	msgOverlap          = "Two document paths overlap with each other; must remove or rewrite one of these paths; path one: "
	msgConflict         = "Two document paths conflict with each other; must remove or rewrite one of these paths; path one: "
	msgSectionTwice     = " section can only be used once in an update expression;"
	msgTooManyIn        = "The IN operator is provided with too many operands; number of operands: "
	msgIndexRange       = "List index is not within the allowable range; index: "
	msgPathTooDeep      = "The document path has too many nesting levels; nesting levels: "
	msgUpdateFnInCond   = "The function is not allowed in a condition expression; function: "
	msgCondFnInUpdate   = "The function is not allowed in an update expression; function: "
	msgSyntax           = "Syntax error; token: "
	msgTooLong          = "Expression size has exceeded the maximum allowed size; expression size: "
	msgTooManyOps       = "The expression contains too many operators; operator count: "
	msgKeyBadOperator   = "Invalid operator used in KeyConditionExpression: "
	msgKeyNested        = "KeyConditionExpressions cannot have conditions on nested attributes"
	msgKeyNestedOps     = "KeyConditionExpressions cannot contain nested operations"
	msgKeyOnePerKey     = "KeyConditionExpressions must only contain one condition per key"
	msgKeyFirstOperand  = " operator must have the key attribute as its first operand"
	msgKeyMultipleNames = "Invalid condition in KeyConditionExpression: Multiple attribute names used in one condition"
	msgKeyNoKey         = "Invalid condition in KeyConditionExpression: No key attribute specified"
)

// Limits of DynamoDB expressions.
const (
	MaxExpressionSize = 4096 // bytes of an expression string, as sent
	MaxOperators      = 300  // operators and functions in one expression
)

// Limits of document paths in expressions.
const (
	MaxListIndex = 4294967294 // largest list index an expression may name
	MaxPathDepth = 32         // most elements in one document path
)

// checkSize is DynamoDB's limit on an expression's length, counted as
// Java does (UTF-16 code units). Conditions, filters and key conditions
// report the size; updates and projections do not.
func checkSize(kind, src string) *Error {
	n := len(src)
	if n > MaxExpressionSize/3 { // count only when it may matter
		n = utf16Len(src)
	}
	if n <= MaxExpressionSize {
		return nil
	}
	if kind == KindUpdate || kind == KindProjection {
		return errorf("Invalid ", kind, ": ", strings.TrimSuffix(msgTooLong, " expression size: "))
	}
	return errorf("Invalid ", kind, ": ", msgTooLong, strconv.Itoa(n))
}

func utf16Len(s string) int {
	n := 0
	for _, r := range s {
		n++
		if r >= 0x10000 {
			n++
		}
	}
	return n
}

// Messages of errors found while applying an update to an item, and of
// request-level checks; these carry no "Invalid ..." prefix.
const (
	MsgMissingAttribute  = "The provided expression refers to an attribute that does not exist in the item"
	MsgInvalidUpdatePath = "The document path provided in the update expression is invalid for update"
	MsgIncorrectType     = "An operand in the update expression has an incorrect data type"
	MsgQueryMissedKey    = "Query condition missed key schema element: "
	MsgQueryNotSupported = "Query key condition not supported"
	MsgKeyTypeMismatch   = "One or more parameter values were invalid: Condition parameter type does not match schema type"
	MsgEmptyNames        = "ExpressionAttributeNames must not be empty"
	MsgEmptyValues       = "ExpressionAttributeValues must not be empty"
	MsgNamesNoExpr       = "ExpressionAttributeNames can only be specified when using expressions"
	MsgValuesNoExpr      = "ExpressionAttributeValues can only be specified when using expressions"
	MsgUnusedNames       = "Value provided in ExpressionAttributeNames unused in expressions: keys: {"
	MsgUnusedValues      = "Value provided in ExpressionAttributeValues unused in expressions: keys: {"
)

// ErrEmptyNames is DynamoDB's error for an empty ExpressionAttributeNames map.
func ErrEmptyNames() error { return &Error{Message: MsgEmptyNames} }

// ErrEmptyValues is DynamoDB's error for an empty ExpressionAttributeValues map.
func ErrEmptyValues() error { return &Error{Message: MsgEmptyValues} }

// ErrNamesWithoutExpressions is DynamoDB's error for
// ExpressionAttributeNames in a request without expressions.
func ErrNamesWithoutExpressions() error { return &Error{Message: MsgNamesNoExpr} }

// ErrValuesWithoutExpressions is DynamoDB's error for
// ExpressionAttributeValues in a request without expressions.
func ErrValuesWithoutExpressions() error { return &Error{Message: MsgValuesNoExpr} }

// ErrMixedParameters is DynamoDB's error for a request that uses both
// legacy and expression parameters, e.g.
// ErrMixedParameters([]string{"AttributeUpdates"}, []string{"UpdateExpression"}).
func ErrMixedParameters(legacy, expressions []string) error {
	return &Error{Message: "Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {" +
		strings.Join(legacy, ", ") + "} Expression parameters: {" + strings.Join(expressions, ", ") + "}"}
}

// ErrInvalidValue wraps an attribute value's validation message as
// DynamoDB does for ExpressionAttributeValues:
// "ExpressionAttributeValues contains invalid value: <msg> for key :v".
func ErrInvalidValue(msg, key string) error {
	return &Error{Message: "ExpressionAttributeValues contains invalid value: " + msg + " for key " + key}
}

// CheckPlaceholderKeys validates ExpressionAttributeNames (#name keys,
// non-empty names) and the keys of ExpressionAttributeValues (:name) as
// DynamoDB does; namesSet/valuesSet say whether the request carried the
// member at all (an empty map is an error, an absent one is not).
func CheckPlaceholderKeys(names map[string]string, namesSet bool, values map[string]bool, valuesSet bool) error {
	if namesSet && len(names) == 0 {
		return ErrEmptyNames()
	}
	for _, k := range sortedKeys(names) {
		if e := placeholderKeySize("ExpressionAttributeNames", k, true); e != nil {
			return e
		}
		if !validPlaceholder(k, '#') {
			return &Error{Message: `ExpressionAttributeNames contains invalid key: Syntax error; key: "` + k + `"`}
		}
		if names[k] == "" {
			return &Error{Message: "ExpressionAttributeNames contains invalid value: Empty attribute name for key " + k}
		}
	}
	if valuesSet && len(values) == 0 {
		return ErrEmptyValues()
	}
	vk := make([]string, 0, len(values))
	for k := range values {
		vk = append(vk, k)
	}
	sort.Strings(vk)
	for _, k := range vk {
		if e := placeholderKeySize("ExpressionAttributeValues", k, false); e != nil {
			return e
		}
		if !validPlaceholder(k, ':') {
			return &Error{Message: `ExpressionAttributeValues contains invalid key: Syntax error; key: "` + k + `"`}
		}
	}
	return nil
}

// MaxPlaceholderKey is the longest ExpressionAttributeNames or
// ExpressionAttributeValues key DynamoDB accepts.
const MaxPlaceholderKey = 255

func placeholderKeySize(member, k string, withSize bool) error {
	switch {
	case k == "":
		return &Error{Message: member + " contains invalid key: The expression attribute map contains an empty key;"}
	case len(k) > MaxPlaceholderKey && withSize:
		return &Error{Message: member + " contains invalid key: The expression attribute map contains a key that is too long; size of key: " + strconv.Itoa(len(k))}
	case len(k) > MaxPlaceholderKey:
		return &Error{Message: member + " contains invalid key: The expression attribute map contains a key that is too long;"}
	}
	return nil
}

func validPlaceholder(k string, lead byte) bool {
	if len(k) < 2 || k[0] != lead {
		return false
	}
	for i := 1; i < len(k); i++ {
		if !isIdentByte(k[i]) {
			return false
		}
	}
	return true
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
