package pgwire

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5/pgproto3"
)

// Sentinels.
var (
	// ErrServerClosed is returned by Serve after Shutdown or Close.
	ErrServerClosed = errors.New("pgwire: server closed")
	// errCanceled is the cause given to a statement's context by a
	// CancelRequest.
	errCanceled = errors.New("pgwire: canceled by client")
	// errShutdown is the cause given to contexts by Close.
	errShutdown = errors.New("pgwire: server shutting down")
)

// SQLSTATE codes the server itself raises, and some a session will want.
const (
	CodeSuccessfulCompletion        = "00000"
	CodeWarning                     = "01000"
	CodeConnectionFailure           = "08006"
	CodeProtocolViolation           = "08P01"
	CodeFeatureNotSupported         = "0A000"
	CodeInvalidParameterValue       = "22023"
	CodeInvalidTextRepresentation   = "22P02"
	CodeInvalidBinaryRepresentation = "22P03"
	CodeNumericValueOutOfRange      = "22003"
	CodeDatetimeFieldOverflow       = "22008"
	CodeInvalidTransactionState     = "25000"
	CodeInFailedTransaction         = "25P02"
	CodeInvalidAuthorization        = "28000"
	CodeInvalidPassword             = "28P01"
	CodeInvalidCursorName           = "34000"
	CodeSyntaxError                 = "42601"
	CodeUndefinedTable              = "42P01"
	CodeUndefinedColumn             = "42703"
	CodeUndefinedFunction           = "42883"
	CodeDuplicateCursor             = "42P03"
	CodeDuplicatePreparedStatement  = "42P05"
	CodeInvalidSQLStatementName     = "26000"
	CodeTooManyConnections          = "53300"
	CodeQueryCanceled               = "57014"
	CodeAdminShutdown               = "57P01"
	CodeInternalError               = "XX000"
)

// Error is a PostgreSQL error or notice as it goes on the wire. A session
// returns *Error (possibly wrapped) to choose the SQLSTATE; any other
// error is sent as XX000 with its text.
type Error struct {
	Severity string // ERROR when empty (NOTICE for Client.Notice); FATAL ends the connection
	Code     string // SQLSTATE, five characters
	Message  string
	Detail   string
	Hint     string
	Position int32 // 1-based character position in the statement text, 0 for none
	Where    string
}

// Errorf returns an ERROR with code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

func (e *Error) Error() string {
	sev := e.Severity
	if sev == "" {
		sev = "ERROR"
	}
	return fmt.Sprintf("%s: %s (SQLSTATE %s)", sev, e.Message, e.Code)
}

func (e *Error) fatal() bool { return e.Severity == "FATAL" || e.Severity == "PANIC" }

// response renders e; defSeverity fills an empty Severity.
func (e *Error) response(defSeverity string) *pgproto3.ErrorResponse {
	sev := e.Severity
	if sev == "" {
		sev = defSeverity
	}
	code := e.Code
	if code == "" {
		code = CodeInternalError
	}
	return &pgproto3.ErrorResponse{
		Severity:            sev,
		SeverityUnlocalized: sev,
		Code:                code,
		Message:             e.Message,
		Detail:              e.Detail,
		Hint:                e.Hint,
		Position:            e.Position,
		Where:               e.Where,
	}
}

// toError maps any error from a session call to the *Error the client
// gets. ctx is the context the call ran under: when it was cancelled by
// a CancelRequest or a shutdown, that wins over whatever the session
// returned (an engine often reports its interruption in its own words).
func toError(ctx context.Context, err error) *Error {
	if ctx != nil && ctx.Err() != nil {
		switch context.Cause(ctx) {
		case errCanceled:
			return &Error{Code: CodeQueryCanceled, Message: "canceling statement due to user request"}
		case errClientGone:
			return &Error{Severity: "FATAL", Code: CodeConnectionFailure, Message: "connection to client lost"}
		case errShutdown:
			return &Error{Severity: "FATAL", Code: CodeAdminShutdown, Message: "terminating connection due to administrator command"}
		}
	}
	var pe *Error
	if errors.As(err, &pe) {
		return pe
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &Error{Code: CodeQueryCanceled, Message: "canceling statement due to statement timeout"}
	}
	return &Error{Code: CodeInternalError, Message: err.Error()}
}
