package s3

import (
	"encoding/xml"
	"errors"
	"log/slog"
	"net/http"

	"github.com/tarnhq/tarn/internal/request"
	"github.com/tarnhq/tarn/internal/sigv4"
)

// Error is an S3 error: the code, HTTP status and message S3 answers.
// Handlers return *Error values (usually a catalog entry, possibly with a
// more specific message or resource); WriteError renders them.
type Error struct {
	Code     string
	Status   int
	Message  string
	Resource string // bucket or key the error is about, if any
	// Extra elements S3 adds to some errors (e.g. BucketName, Key, ArgumentName).
	Extra map[string]string
}

func (e *Error) Error() string { return "s3: " + e.Code + ": " + e.Message }

// Is matches catalog entries by code: errors.Is(err, ErrNoSuchKey).
func (e *Error) Is(target error) bool {
	var t *Error
	return errors.As(target, &t) && t.Code == e.Code
}

// With returns a copy of e with a specific message (if msg != "").
func (e *Error) With(msg string) *Error {
	c := *e
	if msg != "" {
		c.Message = msg
	}
	return &c
}

// WithExtra returns a copy of e with an extra element in the XML body.
func (e *Error) WithExtra(name, value string) *Error {
	c := *e
	c.Extra = map[string]string{}
	for k, v := range e.Extra {
		c.Extra[k] = v
	}
	c.Extra[name] = value
	return &c
}

func e(status int, code, msg string) *Error { return &Error{Code: code, Status: status, Message: msg} }

// The error catalog. Messages are S3's own.
var (
	ErrAccessDenied                = e(403, "AccessDenied", "Access Denied")
	ErrBadDigest                   = e(400, "BadDigest", "The Content-MD5 you specified did not match what we received.")
	ErrBucketAlreadyOwnedByYou     = e(409, "BucketAlreadyOwnedByYou", "Your previous request to create the named bucket succeeded and you already own it.")
	ErrBucketNotEmpty              = e(409, "BucketNotEmpty", "The bucket you tried to delete is not empty")
	ErrEntityTooLarge              = e(400, "EntityTooLarge", "Your proposed upload exceeds the maximum allowed size")
	ErrEntityTooSmall              = e(400, "EntityTooSmall", "Your proposed upload is smaller than the minimum allowed object size.")
	ErrIncompleteBody              = e(400, "IncompleteBody", "You did not provide the number of bytes specified by the Content-Length HTTP header")
	ErrInternal                    = e(500, "InternalError", "We encountered an internal error. Please try again.")
	ErrInvalidArgument             = e(400, "InvalidArgument", "Invalid Argument")
	ErrInvalidBucketName           = e(400, "InvalidBucketName", "The specified bucket is not valid.")
	ErrInvalidDigest               = e(400, "InvalidDigest", "The Content-MD5 you specified is not valid.")
	ErrInvalidPart                 = e(400, "InvalidPart", "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.")
	ErrInvalidPartOrder            = e(400, "InvalidPartOrder", "The list of parts was not in ascending order. Parts must be ordered by part number.")
	ErrInvalidRange                = e(416, "InvalidRange", "The requested range is not satisfiable")
	ErrInvalidRequest              = e(400, "InvalidRequest", "Invalid Request")
	ErrKeyTooLong                  = e(400, "KeyTooLongError", "Your key is too long")
	ErrMalformedXML                = e(400, "MalformedXML", "The XML you provided was not well-formed or did not validate against our published schema")
	ErrMethodNotAllowed            = e(405, "MethodNotAllowed", "The specified method is not allowed against this resource.")
	ErrMissingContentLength        = e(411, "MissingContentLength", "You must provide the Content-Length HTTP header.")
	ErrNoSuchBucket                = e(404, "NoSuchBucket", "The specified bucket does not exist")
	ErrNoSuchKey                   = e(404, "NoSuchKey", "The specified key does not exist.")
	ErrNoSuchUpload                = e(404, "NoSuchUpload", "The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.")
	ErrNotImplemented              = e(501, "NotImplemented", "A header you provided implies functionality that is not implemented")
	ErrNotModified                 = e(304, "NotModified", "Not Modified")
	ErrPreconditionFailed          = e(412, "PreconditionFailed", "At least one of the pre-conditions you specified did not hold")
	ErrConditionalRequestConflict  = e(409, "ConditionalRequestConflict", "The conditional request cannot succeed due to a conflicting operation against this resource.")
	ErrInvalidObjectState          = e(403, "InvalidObjectState", "The operation is not valid for the object's storage class")
	ErrMalformedPOSTRequest        = e(400, "MalformedPOSTRequest", "The body of your POST request is not well-formed multipart/form-data.")
	ErrUnexpectedContent           = e(400, "UnexpectedContent", "This request does not support content")
	ErrXAmzContentChecksumMismatch = e(400, "XAmzContentChecksumMismatch", "The provided 'x-amz-checksum' header does not match what was computed.")
	ErrInvalidTag                  = e(400, "InvalidTag", "The tag provided was not a valid tag.")
	ErrTooManyTags                 = e(400, "BadRequest", "Object tags cannot be greater than 10")
	ErrMissingRequestBody          = e(400, "MissingRequestBodyError", "Request Body is empty")
	ErrTooManyParts                = e(400, "InvalidArgument", "Part number must be an integer between 1 and 10000, inclusive")
	ErrInvalidLocationConstraint   = e(400, "InvalidLocationConstraint", "The specified location-constraint is not valid")
	ErrIllegalLocationConstraint   = e(400, "IllegalLocationConstraintException", "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.")
	ErrServiceUnavailable          = e(503, "ServiceUnavailable", "Please reduce your request rate.")
	ErrInvalidEncodingType         = e(400, "InvalidArgument", "Invalid Encoding Method specified in Request")
	ErrMaxKeysInvalid              = e(400, "InvalidArgument", "Provided max-keys not an integer or within integer range")
	ErrInvalidContinuationToken    = e(400, "InvalidArgument", "The continuation token provided is incorrect")
	ErrCopySourceInvalid           = e(400, "InvalidArgument", "Copy Source must mention the source bucket and key: sourcebucket/sourcekey")
	ErrInvalidCopyRequest          = e(400, "InvalidRequest", "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.")
	ErrMetadataTooLarge            = e(400, "MetadataTooLarge", "Your metadata headers exceed the maximum allowed metadata size.")
	ErrInvalidPartNumber           = e(416, "InvalidPartNumber", "The requested partnumber is not satisfiable")
	ErrMalformedTrailer            = e(400, "MalformedTrailerError", "The request contained trailing data that was not well-formed or did not conform to our published schema.")
	ErrInvalidStorageClass         = e(400, "InvalidStorageClass", "The storage class you specified is not valid")
	ErrACLNotSupported             = e(400, "AccessControlListNotSupported", "The bucket does not allow ACLs")
	ErrBucketACLWithOwnership      = e(400, "InvalidBucketAclWithObjectOwnership", "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting")
)

// notImplemented is the answer for an S3 operation tarn does not serve yet.
func notImplemented(op string) *Error {
	return ErrNotImplemented.With("tarn does not implement the S3 operation " + op + " yet.")
}

type errorBody struct {
	XMLName   xml.Name `xml:"Error"`
	Code      string   `xml:"Code"`
	Message   string   `xml:"Message"`
	Resource  string   `xml:"Resource,omitempty"`
	Extra     []extraElem
	RequestID string `xml:"RequestId"`
	HostID    string `xml:"HostId"`
}

type extraElem struct {
	XMLName xml.Name
	Value   string `xml:",chardata"`
}

// WriteError writes err as S3 does. *Error and *sigv4.Error keep their
// code and status; anything else is logged and becomes InternalError. HEAD
// requests and 304s get no body, as in S3.
func WriteError(w http.ResponseWriter, r *http.Request, err error, log *slog.Logger) {
	s3err := toS3Error(err)
	if s3err.Status == http.StatusInternalServerError && log != nil {
		log.Error("s3 internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	h := w.Header()
	if s3err.Status == http.StatusNotModified || r.Method == http.MethodHead {
		w.WriteHeader(s3err.Status)
		return
	}
	body := errorBody{Code: s3err.Code, Message: s3err.Message, Resource: s3err.Resource,
		RequestID: request.ID(r.Context()), HostID: hostID(r)}
	for k, v := range s3err.Extra {
		body.Extra = append(body.Extra, extraElem{XMLName: xml.Name{Local: k}, Value: v})
	}
	sortExtra(body.Extra)
	out, _ := xml.Marshal(body)
	h.Set("Content-Type", "application/xml")
	h.Set("Content-Length", itoa(int64(len(xml.Header)+len(out))))
	w.WriteHeader(s3err.Status)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(out)
}

func toS3Error(err error) *Error {
	var s3err *Error
	if errors.As(err, &s3err) {
		return s3err
	}
	var sigErr *sigv4.Error
	if errors.As(err, &sigErr) {
		return &Error{Code: sigErr.Code, Status: sigErr.Status, Message: sigErr.Message}
	}
	return ErrInternal
}
