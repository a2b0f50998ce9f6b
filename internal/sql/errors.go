package sql

import (
	"fmt"
	"net/http"

	"github.com/tarnhq/tarn/internal/awsjson"
)

// The Athena API error catalog. Every error the API returns is built here.
// Athena reports shape violations as InvalidRequestException too.
const (
	codeInvalidRequest   = "InvalidRequestException"
	codeResourceNotFound = "ResourceNotFoundException"
	codeMetadata         = "MetadataException"
	codeInternal         = "InternalServerException"
)

// Sentinels for errors.Is (an *awsjson.Error matches by code).
var (
	ErrInvalidRequest = &awsjson.Error{Code: codeInvalidRequest}
	ErrNotFound       = &awsjson.Error{Code: codeResourceNotFound}
	ErrMetadata       = &awsjson.Error{Code: codeMetadata}
)

func errInvalid(format string, args ...any) error {
	return awsjson.Errorf(codeInvalidRequest, format, args...)
}

func errValidation(field string, value any, constraint string) error {
	return errInvalid("1 validation error detected: Value '%v' at '%s' failed to satisfy constraint: %s", value, field, constraint)
}

func errQueryNotFound(id string) error { return errInvalid("QueryExecution %s was not found", id) }

func errNotFinished(state string) error {
	return errInvalid("Query has not yet finished. Current state: %s", state)
}

func errFailed(state, reason string) error {
	if reason != "" {
		return errInvalid("%s", reason)
	}
	return errInvalid("Query did not finish successfully. Final query state: %s", state)
}

func errNoOutputLocation() error {
	return errInvalid("No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.")
}

func errWorkGroupNotFound(name string) error { return errInvalid("WorkGroup %s is not found.", name) }

func errWorkGroupDisabled(name string) error { return errInvalid("WorkGroup %s is disabled.", name) }

func errWorkGroupExists() error { return errInvalid("WorkGroup is already created") }

func errNamedQueryNotFound(id string) error { return errInvalid("NamedQuery %s was not found", id) }

func errPreparedNotFound(name, wg string) error {
	return awsjson.Errorf(codeResourceNotFound, "Prepared statement %s was not found in workgroup %s.", name, wg)
}

func errPreparedExists(name string) error {
	return errInvalid("Prepared statement %s already exists", name)
}

func errCatalogNotFound(name string) error {
	return awsjson.Errorf(codeMetadata, "Catalog %s was not found.", name)
}

func errDatabaseNotFound(name string) error {
	return awsjson.Errorf(codeMetadata, "Database %s not found.", name)
}

func errTableNotFound(db, name string) error {
	return awsjson.Errorf(codeMetadata, "Table %s.%s not found.", db, name)
}

func errBadToken() error { return errInvalid("Invalid NextToken") }

func errInternal(err error) error {
	return &awsjson.Error{Code: codeInternal, Status: http.StatusInternalServerError, Message: fmt.Sprintf("internal error: %v", err)}
}
