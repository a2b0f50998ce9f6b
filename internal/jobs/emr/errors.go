package emr

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/tarnhq/tarn/internal/awsjson"
)

// The EMR error catalog. EMR's exceptions carry their message in
// "Message"; InvalidRequestException also carries an "ErrorCode" member.
const (
	codeInvalidRequest = "InvalidRequestException"
	codeInternalServer = "InternalServerException"
	codeValidation     = awsjson.CodeValidation
)

// Sentinels for errors.Is (an *awsjson.Error matches by code).
var (
	ErrInvalidRequest = &awsjson.Error{Code: codeInvalidRequest, Message: "emr: invalid request"}
	ErrValidation     = &awsjson.Error{Code: codeValidation, Message: "emr: validation"}
	ErrInternal       = &awsjson.Error{Code: codeInternalServer, Status: http.StatusInternalServerError, Message: "emr: internal"}
)

// errInvalidRequest is an InvalidRequestException; errorCode may be "".
func errInvalidRequest(errorCode, format string, args ...any) error {
	de := &awsjson.DetailedError{Err: awsjson.Errorf(codeInvalidRequest, format, args...), MessageKey: "Message"}
	if errorCode != "" {
		de.Fields = map[string]any{"ErrorCode": errorCode}
	}
	return de
}

// errValidation is EMR's ValidationException with a free message.
func errValidation(format string, args ...any) error {
	return &awsjson.DetailedError{Err: awsjson.Errorf(codeValidation, format, args...), MessageKey: "Message"}
}

// errRequired is the model's "must not be null" constraint.
func errRequired(field string) error {
	return errValidation("1 validation error detected: Value null at '%s' failed to satisfy constraint: Member must not be null", field)
}

func errConstraint(field string, value any, constraint string) error {
	return errValidation("1 validation error detected: Value '%v' at '%s' failed to satisfy constraint: %s", value, field, constraint)
}

func errClusterNotFound(id string) error {
	return errInvalidRequest("", "Cluster id '%s' is not valid.", id)
}

// errJobFlowNotFound is the answer of the JobFlow-era operations
// (AddJobFlowSteps, TerminateJobFlows, Set*) for an unknown id.
func errJobFlowNotFound(string) error {
	return errValidation("Specified job flow ID does not exist.")
}

func errStepNotFound(id string) error {
	return errInvalidRequest("", "Step id '%s' is not valid.", id)
}

func errFinished() error {
	return errValidation("A job flow that is shutting down, terminated, or finished may not be modified.")
}

func errBadMarker() error { return errInvalidRequest("", "Marker is invalid.") }

// internal wraps a storage failure as a 500 InternalServerException; the
// cause is logged, not sent.
func (s *Service) internal(op string, err error) error {
	if err == nil {
		return nil
	}
	var ae *awsjson.Error
	if errors.As(err, &ae) {
		return err
	}
	s.log.Error("emr: operation failed", "op", op, "err", err)
	return &awsjson.DetailedError{Err: &awsjson.Error{Code: codeInternalServer, Status: http.StatusInternalServerError,
		Message: fmt.Sprintf("%s failed: internal error", op)}, MessageKey: "Message"}
}
