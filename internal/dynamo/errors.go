package dynamo

import (
	"fmt"
	"net/http"

	"github.com/tarnhq/tarn/internal/awsjson"
)

// The DynamoDB error catalog. Every error the API returns is built here,
// rendered with DynamoDB's namespaced __type.
const (
	errNamespace = "com.amazonaws.dynamodb.v20120810"

	codeValidation          = "ValidationException"
	codeResourceNotFound    = "ResourceNotFoundException"
	codeResourceInUse       = "ResourceInUseException"
	codeConditionalCheck    = "ConditionalCheckFailedException"
	codeTransactionCanceled = "TransactionCanceledException"
	codeIdempotentMismatch  = "IdempotentParameterMismatchException"
	codeLimitExceeded       = "LimitExceededException"
	codeExpiredIterator     = "ExpiredIteratorException"
	codeTrimmedData         = "TrimmedDataAccessException"
	codeSerialization       = "SerializationException"
	codeTransactionConflict = "TransactionConflictException"
	codeDuplicateItem       = "DuplicateItemException"
)

// Sentinels for errors.Is (errors match by code).
var (
	ErrValidation       = &awsjson.Error{Code: codeValidation}
	ErrNotFound         = &awsjson.Error{Code: codeResourceNotFound}
	ErrInUse            = &awsjson.Error{Code: codeResourceInUse}
	ErrConditionFailed  = &awsjson.Error{Code: codeConditionalCheck}
	ErrCanceled         = &awsjson.Error{Code: codeTransactionCanceled}
	ErrExpiredIterator  = &awsjson.Error{Code: codeExpiredIterator}
	ErrIdempotentParams = &awsjson.Error{Code: codeIdempotentMismatch}
)

// apiErr builds a namespaced DynamoDB error.
func apiErr(code, format string, args ...any) *awsjson.DetailedError {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	return &awsjson.DetailedError{Err: &awsjson.Error{Code: code, Status: http.StatusBadRequest, Message: msg}, Namespace: errNamespace}
}

func errValidation(format string, args ...any) error { return apiErr(codeValidation, format, args...) }

// errInvalidParam is DynamoDB's "One or more parameter values were invalid: ..." family.
func errInvalidParam(format string, args ...any) error {
	return apiErr(codeValidation, "%s", "One or more parameter values were invalid: "+fmt.Sprintf(format, args...))
}

// errConstraint is the Coral shape-validation message.
func errConstraint(value any, field, constraint string) error {
	return apiErr(codeValidation, "1 validation error detected: Value '%v' at '%s' failed to satisfy constraint: %s", value, field, constraint)
}

func errNull(field string) error {
	return apiErr(codeValidation, "1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", field)
}

func errResourceNotFound() error { return apiErr(codeResourceNotFound, "Requested resource not found") }

func errTableNotFound(name string) error {
	return apiErr(codeResourceNotFound, "Requested resource not found: Table: %s not found", name)
}

func errTableExists(name string) error {
	return apiErr(codeResourceInUse, "Table already exists: %s", name)
}

func errTableInUse(name, status string) error {
	return apiErr(codeResourceInUse, "Attempt to change a resource which is still in use: Table is being %s: %s", status, name)
}

func errIndexNotFound(name string) error {
	return errValidation("The table does not have the specified index: %s", name)
}

func errKeySchema() error { return errValidation("The provided key element does not match the schema") }

func errConditionFailed(item map[string]any) error {
	e := apiErr(codeConditionalCheck, "The conditional request failed")
	if item != nil {
		e.Fields = item
	}
	return e
}

func errItemTooLarge() error { return errValidation("Item size has exceeded the maximum allowed size") }

func errDuplicateKeys() error { return errValidation("Provided list of item keys contains duplicates") }

func errLimit(format string, args ...any) error { return apiErr(codeLimitExceeded, format, args...) }

func errExpiredIterator() error {
	return apiErr(codeExpiredIterator, "Shard iterator has expired")
}

func errTrimmed() error {
	return apiErr(codeTrimmedData, "The operation attempted to read past the oldest stream record in a shard.")
}

func errBadIterator() error { return errValidation("Invalid ShardIterator") }

func errStreamNotFound(arn string) error {
	return apiErr(codeResourceNotFound, "Requested resource not found: Stream: %s not found", arn)
}

func errIdempotentMismatch() error {
	return apiErr(codeIdempotentMismatch, "Cannot use the same ClientRequestToken for requests with different parameters")
}

func errDeletionProtected(arn string) error {
	return errValidation("Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.")
}
