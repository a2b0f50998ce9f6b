package partiql

import "fmt"

// Error is a statement DynamoDB rejects; Message is DynamoDB's text for the
// ValidationException (BatchExecuteStatement reports it with the Code
// "ValidationError", ExecuteTransaction prefixes it with
// "Validation failed in TransactStatements[i]: ").
type Error struct {
	Message string
}

func (e *Error) Error() string { return e.Message }

// malformedPrefix starts DynamoDB's message for a statement its parser
// cannot read; a detail may follow (or nothing, for lexical errors).
const malformedPrefix = "Statement wasn't well formed, can't be processed: "

// Messages of DynamoDB's PartiQL front end. Those marked (tarn) are tarn's
// wording where DynamoDB's exact text is not known; all others are
// DynamoDB's.
const (
	msgLeftover          = malformedPrefix + "Unexpected token after expression"
	msgUnexpectedTerm    = malformedPrefix + "Unexpected term"
	msgUnexpectedKeyword = malformedPrefix + "Unexpected keyword"
	msgUnexpectedOp      = malformedPrefix + "Unexpected operator"
	msgMissingRHS        = malformedPrefix + "Missing right-hand side expression of infix operator"
	msgExpectedIdent     = malformedPrefix + "Expected identifier for simple path"
	msgExpectedDML       = malformedPrefix + "Expected data manipulation"
	msgPathComponent     = malformedPrefix + "Unexpected path component"
	msgLexical           = malformedPrefix

	msgAliasing      = "Aliasing is not supported"
	msgParamCount    = "Number of parameters in request and statement don't match."
	msgBagType       = "Unsupported data type in Bag"
	msgInsertReturn  = "RETURNING is not supported in INSERT"
	msgReturnStar    = "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause"
	msgReturnMany    = "Invalid syntax with multiple returning elements in RETURNING clause"
	msgInsertMany    = "Unsupported operation: Inserting multiple items in a single statement is not supported, use \"INSERT INTO tableName VALUE item\" instead"
	msgDistinct      = "Unsupported token in expression: DISTINCT"
	msgMandatoryKey  = "Where clause does not contain a mandatory equality on all key attributes"
	msgExistsKey     = "EXISTS() must contain a single item read with additional condition"
	msgBatchSelect   = "Only single item select is supported"
	msgTxSelect      = "Select statements within ExecuteTransaction must specify the primary key in the where clause."
	msgTxIndex       = "Reads on indices are not supported within transactions."
	msgOrderNoWhere  = "Must have WHERE clause in the statement when using ORDER BY clause."
	msgOrderNoHash   = "Must have at least one non-optional hash key condition in WHERE clause when using ORDER BY clause."
	msgNotSelectRead = "Only SELECT statements can be read by key"            // (tarn) a caller error
	msgKeyKind       = "Only UPDATE, DELETE and EXISTS statements have a Key" // (tarn) a caller error

	// (tarn) details after malformedPrefix.
	msgExpectedCond    = malformedPrefix + "Expected a condition"
	msgExpectedOperand = malformedPrefix + "Expected an operand"
	msgExpectedValue   = malformedPrefix + "Expected a literal value"
	msgTupleKey        = malformedPrefix + "Expected a string literal as the name of a tuple field"
	msgTupleDup        = malformedPrefix + "Duplicate field name in tuple"
	msgInsertValue     = malformedPrefix + "Expected a tuple in VALUE"
	msgEmptyIdent      = malformedPrefix + "Empty identifier"
	msgTooDeep         = malformedPrefix + "Statement nested too deeply"
	msgEmptyIn         = malformedPrefix + "Expected a value in the IN list"
	msgUpdateAction    = malformedPrefix + "Expected SET or REMOVE"
	msgSetFuncPath     = malformedPrefix + "The first argument of SET_ADD and SET_DELETE must be the path being set"
	msgIndexDML        = malformedPrefix + "An index cannot be written"
)

func errorf(format string, args ...any) *Error { return &Error{Message: fmt.Sprintf(format, args...)} }

func newError(msg string) *Error { return &Error{Message: msg} }
