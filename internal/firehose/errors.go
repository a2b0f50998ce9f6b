package firehose

import (
	"errors"
	"fmt"

	"github.com/tarnhq/tarn/internal/awsjson"
)

// The Firehose error catalog. Every error the API returns is built here.
const (
	codeResourceNotFound      = "ResourceNotFoundException"
	codeResourceInUse         = "ResourceInUseException"
	codeInvalidArgument       = "InvalidArgumentException"
	codeLimitExceeded         = "LimitExceededException"
	codeConcurrentModifcation = "ConcurrentModificationException"
	codeServiceUnavailable    = "ServiceUnavailableException"
)

// Sentinels for errors.Is (an *awsjson.Error matches by code).
var (
	ErrNotFound        = &awsjson.Error{Code: codeResourceNotFound}
	ErrInUse           = &awsjson.Error{Code: codeResourceInUse}
	ErrInvalidArgument = &awsjson.Error{Code: codeInvalidArgument}
	ErrConcurrentMod   = &awsjson.Error{Code: codeConcurrentModifcation}
)

// errStopped means the service is stopping and takes no more writes.
var errStopped = errors.New("firehose: stopped")

func errStreamNotFound(name string) error {
	return awsjson.Errorf(codeResourceNotFound, "Firehose %s under account %s not found.", name, accountID)
}

func errStreamExists(name string) error {
	return awsjson.Errorf(codeResourceInUse, "Firehose %s under accountId %s already exists", name, accountID)
}

func errNotActive(name, status string) error {
	return awsjson.Errorf(codeResourceInUse, "Firehose %s under accountId %s is %s, not ACTIVE.", name, accountID, status)
}

func errInvalid(format string, args ...any) error {
	return awsjson.Errorf(codeInvalidArgument, format, args...)
}

// errUnsupported refuses a configuration tarn would otherwise have to
// ignore: never a silent acceptance.
func errUnsupported(what string) error {
	return awsjson.Errorf(codeInvalidArgument, "tarn does not support %s yet.", what)
}

func errValidation(field string, value any, constraint string) error {
	return awsjson.Validation(field, value, constraint)
}

func errVersionMismatch(name, got, cur string) error {
	return awsjson.Errorf(codeConcurrentModifcation,
		"Cannot update firehose: %s since the current version id: %s and the given version id: %s do not match", name, cur, got)
}

func errLimit(format string, args ...any) error {
	return awsjson.Errorf(codeLimitExceeded, "%s", fmt.Sprintf(format, args...))
}
