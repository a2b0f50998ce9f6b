package catalog

import (
	"github.com/tarnhq/tarn/internal/awsjson"
)

// The Glue error catalog. Every error the API returns is built here; the
// codes are the exception names of the Glue SDK model.
const (
	codeEntityNotFound      = "EntityNotFoundException"
	codeAlreadyExists       = "AlreadyExistsException"
	codeInvalidInput        = "InvalidInputException"
	codeCrawlerRunning      = "CrawlerRunningException"
	codeCrawlerNotRunning   = "CrawlerNotRunningException"
	codeCrawlerStopping     = "CrawlerStoppingException"
	codeConcurrentModified  = "ConcurrentModificationException"
	codeSchedulerRunning    = "SchedulerRunningException"
	codeSchedulerNotRunning = "SchedulerNotRunningException"
	codeSchedulerTransition = "SchedulerTransitioningException"
	codeNoSchedule          = "NoScheduleException"
	codeResourceNumberLimit = "ResourceNumberLimitExceededException"
	codeInternalService     = "InternalServiceException"
)

// Sentinels for errors.Is: an *awsjson.Error matches by code, so every
// "not found" answer of this package (database, table, partition,
// version, crawler) is ErrNotFound and every "already exists" answer is
// ErrAlreadyExists.
var (
	ErrNotFound       = &awsjson.Error{Code: codeEntityNotFound, Message: "catalog: not found"}
	ErrAlreadyExists  = &awsjson.Error{Code: codeAlreadyExists, Message: "catalog: already exists"}
	ErrInvalidInput   = &awsjson.Error{Code: codeInvalidInput, Message: "catalog: invalid input"}
	ErrCrawlerRunning = &awsjson.Error{Code: codeCrawlerRunning, Message: "catalog: crawler running"}
)

func errInvalid(format string, args ...any) error {
	return awsjson.Errorf(codeInvalidInput, format, args...)
}

func errRequired(field string) error {
	return errInvalid("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", field)
}

func errDatabaseNotFound(name string) error {
	return awsjson.Errorf(codeEntityNotFound, "Database %s not found.", name)
}

func errDatabaseExists(name string) error {
	return awsjson.Errorf(codeAlreadyExists, "Database %s already exists.", name)
}

func errTableNotFound(name string) error {
	return awsjson.Errorf(codeEntityNotFound, "Table %s not found.", name)
}

func errTableExists(name string) error {
	return awsjson.Errorf(codeAlreadyExists, "Table %s already exists.", name)
}

func errVersionNotFound(table, version string) error {
	return awsjson.Errorf(codeEntityNotFound, "Version %s of table %s not found.", version, table)
}

func errPartitionNotFound() error {
	return awsjson.Errorf(codeEntityNotFound, "Partition not found.")
}

func errPartitionExists() error {
	return awsjson.Errorf(codeAlreadyExists, "Partition already exists.")
}

func errPartitionValues() error {
	return errInvalid("The number of partition keys do not match the number of partition values.")
}

func errVersionMismatch(want, have string) error {
	return awsjson.Errorf(codeConcurrentModified, "Update table failed due to concurrent modifications: expected version %s, table is at version %s.", want, have)
}

func errCrawlerNotFound(name string) error {
	return awsjson.Errorf(codeEntityNotFound, "Crawler with name %s does not exist.", name)
}

func errCrawlerExists(name string) error {
	return awsjson.Errorf(codeAlreadyExists, "%s already exists", name)
}

func errCrawlerRunning(name string) error {
	return awsjson.Errorf(codeCrawlerRunning, "Crawler with name %s has already started", name)
}

func errCrawlerNotRunning(name string) error {
	return awsjson.Errorf(codeCrawlerNotRunning, "Crawler with name %s isn't running", name)
}

func errCrawlerStopping(name string) error {
	return awsjson.Errorf(codeCrawlerStopping, "Crawler with name %s is stopping", name)
}

func errSchedulerRunning(name string) error {
	return awsjson.Errorf(codeSchedulerRunning, "Schedule of crawler %s is already scheduled", name)
}

func errSchedulerNotRunning(name string) error {
	return awsjson.Errorf(codeSchedulerNotRunning, "Schedule of crawler %s is not scheduled", name)
}

func errNoSchedule(name string) error {
	return awsjson.Errorf(codeNoSchedule, "Crawler %s has no schedule", name)
}

func errBadToken() error { return errInvalid("Invalid pagination token.") }

func errMaxResults(field string, v, limit int) error {
	if v < 1 {
		return errInvalid("1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value greater than or equal to 1", v, field)
	}
	return errInvalid("1 validation error detected: Value '%d' at '%s' failed to satisfy constraint: Member must have value less than or equal to %d", v, field, limit)
}

// errorDetail is the per-entry error of batch answers.
func errorDetail(err error) *ErrorDetail {
	if e, ok := asAWS(err); ok {
		return &ErrorDetail{ErrorCode: e.Code, ErrorMessage: e.Message}
	}
	return &ErrorDetail{ErrorCode: codeInternalService, ErrorMessage: "internal failure"}
}
