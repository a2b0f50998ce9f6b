package logs

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/tarnhq/tarn/internal/awsjson"
)

// The CloudWatch Logs error catalog. Every error the API returns is built
// here; the codes are the exception names of the CloudWatch Logs SDK model.
// CloudWatch Logs answers shape-constraint failures with
// InvalidParameterException (not ValidationException).
const (
	codeNotFound       = "ResourceNotFoundException"
	codeAlreadyExists  = "ResourceAlreadyExistsException"
	codeInvalidParam   = "InvalidParameterException"
	codeTooManyTags    = "TooManyTagsException"
	codeInvalidOperate = "InvalidOperationException"
	codeUnavailable    = "ServiceUnavailableException"
)

// Sentinels for errors.Is: an *awsjson.Error matches by code, so every
// "not found" answer of this package (log group, log stream) is
// ErrNotFound, and so on.
var (
	ErrNotFound         = &awsjson.Error{Code: codeNotFound, Message: "logs: resource not found"}
	ErrAlreadyExists    = &awsjson.Error{Code: codeAlreadyExists, Message: "logs: resource already exists"}
	ErrInvalidParameter = &awsjson.Error{Code: codeInvalidParam, Message: "logs: invalid parameter"}
)

func errInvalid(format string, args ...any) error {
	return awsjson.Errorf(codeInvalidParam, format, args...)
}

// errConstraint is AWS's shape-constraint message under
// InvalidParameterException.
func errConstraint(field string, value any, constraint string) error {
	return errInvalid("1 validation error detected: Value '%v' at '%s' failed to satisfy constraint: %s", value, field, constraint)
}

func errRequired(field string) error {
	return errInvalid("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", field)
}

func errGroupNotFound() error {
	return awsjson.Errorf(codeNotFound, "The specified log group does not exist.")
}

func errStreamNotFound() error {
	return awsjson.Errorf(codeNotFound, "The specified log stream does not exist.")
}

func errGroupExists() error {
	return awsjson.Errorf(codeAlreadyExists, "The specified log group already exists")
}

func errStreamExists() error {
	return awsjson.Errorf(codeAlreadyExists, "The specified log stream already exists")
}

func errBadToken() error {
	return errInvalid("The specified nextToken is invalid.")
}

func errExpiredToken() error {
	return errInvalid("The specified nextToken has expired.")
}

func errTooManyTags() error {
	return awsjson.Errorf(codeTooManyTags, "A resource can have no more than %d tags.", maxTags)
}

func errArnNotFound(arn string) error {
	return awsjson.Errorf(codeNotFound, "The specified resource does not exist: %s", arn)
}

func errInvalidOperation(format string, args ...any) error {
	return awsjson.Errorf(codeInvalidOperate, format, args...)
}

// isNotFound reports whether err is a ResourceNotFoundException.
func isNotFound(err error) bool { return errors.Is(err, ErrNotFound) }

func itoa(n int) string { return strconv.Itoa(n) }

// errUnavailable answers a failure of tarn's own (storage), as CloudWatch
// Logs answers its own: ServiceUnavailableException, status 500.
func errUnavailable() error {
	return &awsjson.Error{Code: codeUnavailable, Status: http.StatusInternalServerError, Message: "The service cannot complete the request."}
}
