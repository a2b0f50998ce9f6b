package jobs

import (
	"github.com/tarnhq/tarn/internal/awsjson"
)

// The error catalog of this package; codes are the Glue SDK model's.
const (
	codeEntityNotFound     = "EntityNotFoundException"
	codeAlreadyExists      = "AlreadyExistsException"
	codeInvalidInput       = "InvalidInputException"
	codeConcurrentRuns     = "ConcurrentRunsExceededException"
	codeIllegalWorkflow    = "IllegalWorkflowStateException"
	codeResourceNumber     = "ResourceNumberLimitExceededException"
	codeConcurrentModified = "ConcurrentModificationException"
)

// Sentinels for errors.Is (an *awsjson.Error matches by code).
var (
	ErrNotFound       = &awsjson.Error{Code: codeEntityNotFound, Message: "jobs: not found"}
	ErrAlreadyExists  = &awsjson.Error{Code: codeAlreadyExists, Message: "jobs: already exists"}
	ErrInvalidInput   = &awsjson.Error{Code: codeInvalidInput, Message: "jobs: invalid input"}
	ErrConcurrentRuns = &awsjson.Error{Code: codeConcurrentRuns, Message: "jobs: concurrent runs exceeded"}
)

func errInvalid(format string, args ...any) error {
	return awsjson.Errorf(codeInvalidInput, format, args...)
}

func errRequired(field string) error {
	return awsjson.Validation(field, "null", "Member must not be null")
}

func errNotFound(format string, args ...any) error {
	return awsjson.Errorf(codeEntityNotFound, format, args...)
}

func errExists(format string, args ...any) error {
	return awsjson.Errorf(codeAlreadyExists, format, args...)
}

func errConcurrentRuns(format string, args ...any) error {
	return awsjson.Errorf(codeConcurrentRuns, format, args...)
}

func errIllegalWorkflow(format string, args ...any) error {
	return awsjson.Errorf(codeIllegalWorkflow, format, args...)
}

func errBadToken() error { return errInvalid("Invalid pagination token.") }
