package sigv4

import (
	"errors"
	"net/http"
)

// Error is a verification failure with the AWS error code and HTTP status
// that AWS answers for it. Every error Verify returns, and every error the
// verifying body reader returns, is an *Error (check with errors.As).
type Error struct {
	Code    string // AWS error code, e.g. "SignatureDoesNotMatch"
	Message string
	Status  int // HTTP status

	// Details are the extra elements S3 puts in its XML error body for
	// this failure, in S3's order (for SignatureDoesNotMatch: AWSAccessKeyId,
	// StringToSign, SignatureProvided, StringToSignBytes, CanonicalRequest,
	// CanonicalRequestBytes). Nil for most errors; never required.
	Details []Detail

	cause error // underlying error, if any (see Unwrap)
}

// Detail is one extra element of an AWS error body, e.g.
// {Name: "RequestTime", Value: "20240101T000000Z"}.
type Detail struct {
	Name, Value string
}

func (e *Error) Error() string {
	if e.cause != nil {
		return "sigv4: " + e.Code + ": " + e.Message + ": " + e.cause.Error()
	}
	return "sigv4: " + e.Code + ": " + e.Message
}

// Unwrap returns the error that caused e (for example the transport error
// a body read failed with), or nil.
func (e *Error) Unwrap() error { return e.cause }

func newError(status int, code, msg string) *Error {
	return &Error{Code: code, Message: msg, Status: status}
}

// The failures Verify reports. Compare with errors.Is on the Code via Is.
var (
	ErrAccessDenied          = newError(http.StatusForbidden, "AccessDenied", "Access Denied")
	ErrInvalidAccessKeyID    = newError(http.StatusForbidden, "InvalidAccessKeyId", "The AWS Access Key Id you provided does not exist in our records.")
	ErrSignatureDoesNotMatch = newError(http.StatusForbidden, "SignatureDoesNotMatch", "The request signature we calculated does not match the signature you provided. Check your key and signing method.")
	ErrRequestTimeTooSkewed  = newError(http.StatusForbidden, "RequestTimeTooSkewed", "The difference between the request time and the current time is too large.")
	ErrExpiredPresign        = newError(http.StatusForbidden, "AccessDenied", "Request has expired")
	ErrAuthorizationHeader   = newError(http.StatusBadRequest, "AuthorizationHeaderMalformed", "The authorization header is malformed.")
	ErrAuthorizationQuery    = newError(http.StatusBadRequest, "AuthorizationQueryParametersError", "Query-string authentication version 4 requires the X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature, X-Amz-Date, X-Amz-SignedHeaders, and X-Amz-Expires parameters.")
	ErrContentSHA256Mismatch = newError(http.StatusBadRequest, "XAmzContentSHA256Mismatch", "The provided 'x-amz-content-sha256' header does not match what was computed.")
	ErrInvalidChunk          = newError(http.StatusBadRequest, "InvalidChunkSizeError", "Only the last chunk is allowed to have a size less than 8192 bytes")
	ErrIncompleteBody        = newError(http.StatusBadRequest, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header.")
	ErrInvalidRequest        = newError(http.StatusBadRequest, "InvalidRequest", "Invalid request.")
	ErrMissingSecurityHeader = newError(http.StatusBadRequest, "MissingSecurityHeader", "Your request was missing a required header.")

	// ErrNotYetValid is a presigned URL whose X-Amz-Date is in the future
	// (beyond the allowed skew).
	ErrNotYetValid = newError(http.StatusForbidden, "AccessDenied", "Request is not valid yet")
	// ErrHeadersNotSigned is an S3 request carrying x-amz-* headers (or no
	// host) outside SignedHeaders; Details name them (HeadersNotSigned).
	ErrHeadersNotSigned = newError(http.StatusForbidden, "AccessDenied", "There were headers present in the request which were not signed")
	// ErrInvalidArgument covers a bad x-amz-content-sha256 value, an
	// unsupported Authorization scheme and similar argument errors.
	ErrInvalidArgument = newError(http.StatusBadRequest, "InvalidArgument", "Invalid Argument")
	// ErrMissingContentLength is an aws-chunked body without
	// x-amz-decoded-content-length.
	ErrMissingContentLength = newError(http.StatusLengthRequired, "MissingContentLength", "You must provide the Content-Length HTTP header.")
	// ErrMalformedTrailer is an aws-chunked trailer that is not well-formed
	// or does not hold exactly the fields x-amz-trailer announced.
	ErrMalformedTrailer = newError(http.StatusBadRequest, "MalformedTrailerError", "The request contained trailing data that was not well-formed or did not conform to our published schema.")
	// ErrRequestTooLarge is a body Verify had to buffer (to hash it) that
	// exceeds Options.MaxBufferedBody.
	ErrRequestTooLarge = newError(http.StatusRequestEntityTooLarge, "RequestEntityTooLarge", "The request body is too large.")
)

// Is reports whether target is an *Error with the same Code, so that
// errors.Is(err, ErrSignatureDoesNotMatch) works for errors whose Message
// was made more specific.
func (e *Error) Is(target error) bool {
	var t *Error
	if !errors.As(target, &t) {
		return false
	}
	return t.Code == e.Code
}

// WithMessage returns a copy of e with a more specific message.
func (e *Error) WithMessage(msg string) *Error {
	c := *e
	c.Message = msg
	return &c
}

// withDetails returns a copy of e carrying the given name/value pairs as
// Details (appended to any e already has).
func (e *Error) withDetails(nameValues ...string) *Error {
	c := *e
	c.Details = append([]Detail(nil), e.Details...)
	for i := 0; i+1 < len(nameValues); i += 2 {
		c.Details = append(c.Details, Detail{Name: nameValues[i], Value: nameValues[i+1]})
	}
	return &c
}

// wrap returns a copy of e whose Unwrap is cause.
func (e *Error) wrap(cause error) *Error {
	c := *e
	c.cause = cause
	return &c
}
