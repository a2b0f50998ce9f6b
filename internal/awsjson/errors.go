package awsjson

import (
	"fmt"
	"net/http"
)

// Error is an AWS error answer: the code SDKs map to a typed exception,
// the HTTP status and a human-readable message. Services keep one catalog
// of constructors returning *Error; handlers return them (possibly
// wrapped) and ServeHTTP renders them.
type Error struct {
	Code    string // e.g. "ResourceNotFoundException"
	Status  int    // HTTP status; 0 means 400
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

// Is makes errors.Is match two *Error values with the same Code, so a
// catalog entry can serve as a sentinel.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	return ok && t.Code == e.Code
}

func (e *Error) status() int {
	if e.Status == 0 {
		return http.StatusBadRequest
	}
	return e.Status
}

// Errorf returns a 400 *Error with code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Status: http.StatusBadRequest, Message: fmt.Sprintf(format, args...)}
}

// Protocol-level errors, the same for every JSON service.
const (
	CodeUnknownOperation = "UnknownOperationException"
	CodeSerialization    = "SerializationException"
	CodeInternalFailure  = "InternalFailure"
	CodeValidation       = "ValidationException"
)

// UnknownOperation is the answer for an operation the service does not
// implement; the message names it. It is never a fake success.
func UnknownOperation(service, op string) *Error {
	return Errorf(CodeUnknownOperation, "tarn does not implement the %s operation %s", service, op)
}

// Validation is AWS's shape-constraint error, e.g.
// Validation("streamName", "x y", "Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+").
func Validation(field string, value any, constraint string) *Error {
	return Errorf(CodeValidation, "1 validation error detected: Value '%v' at '%s' failed to satisfy constraint: %s", value, field, constraint)
}

// Internal is the 500 answer for failures that are not the client's.
func Internal() *Error {
	return &Error{Code: CodeInternalFailure, Status: http.StatusInternalServerError, Message: "internal failure"}
}
