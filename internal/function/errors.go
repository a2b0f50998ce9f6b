package function

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// apiError is a Lambda REST-JSON error: the x-amzn-ErrorType header names
// Type, the body is {"Type":"User","message":Message}.
type apiError struct {
	Type    string
	Status  int
	Message string
}

func (e *apiError) Error() string { return "function: " + e.Type + ": " + e.Message }

// Is matches two *apiError values with the same Type.
func (e *apiError) Is(target error) bool {
	t, ok := target.(*apiError)
	return ok && t.Type == e.Type
}

func errf(typ string, status int, format string, args ...any) *apiError {
	return &apiError{Type: typ, Status: status, Message: fmt.Sprintf(format, args...)}
}

func errNotFound(format string, args ...any) *apiError {
	return errf("ResourceNotFoundException", http.StatusNotFound, format, args...)
}

func errConflict(format string, args ...any) *apiError {
	return errf("ResourceConflictException", http.StatusConflict, format, args...)
}

func errInvalid(format string, args ...any) *apiError {
	return errf("InvalidParameterValueException", http.StatusBadRequest, format, args...)
}

func errTooMany(format string, args ...any) *apiError {
	return errf("TooManyRequestsException", http.StatusTooManyRequests, format, args...)
}

// errUnknownOp answers an operation tarn has not built; never a fake success.
func errUnknownOp(op string) *apiError {
	return errf("UnknownOperationException", http.StatusNotImplemented,
		"tarn does not implement the Lambda operation %s", op)
}

// writeError renders err; errors that are not *apiError become a 500
// ServiceException without leaking internals.
func writeError(w http.ResponseWriter, err error) {
	var e *apiError
	if !errors.As(err, &e) {
		e = &apiError{Type: "ServiceException", Status: http.StatusInternalServerError,
			Message: "tarn: internal error"}
	}
	kind := "User"
	if e.Status >= 500 && e.Type != "UnknownOperationException" {
		kind = "Service"
	}
	b, _ := json.Marshal(map[string]string{"Type": kind, "message": e.Message})
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Amzn-ErrorType", e.Type)
	w.WriteHeader(e.Status)
	_, _ = w.Write(b)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
