package awsjson

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// ContentType is the media type of AWS JSON 1.1 requests and responses.
const ContentType = "application/x-amz-json-1.1"

// ContentTypeCBOR is the media type of the CBOR variant (Kinesis clients
// of the Java SDK and KCL send it by default).
const ContentTypeCBOR = "application/x-amz-cbor-1.1"

// WriteError writes an AWS JSON error: {"__type": code, "message": msg},
// with the x-amzn-ErrorType header SDKs read, and the given status.
func WriteError(w http.ResponseWriter, status int, code, msg string) {
	writeError(w, JSON, &Error{Code: code, Status: status, Message: msg})
}

func writeError(w http.ResponseWriter, c Codec, e *Error) {
	body, err := c.Marshal(errorBody{Type: e.Code, Message: e.Message})
	if err != nil { // cannot happen for two strings; fall back to JSON
		c = JSON
		body, _ = json.Marshal(errorBody{Type: e.Code, Message: e.Message})
	}
	h := w.Header()
	h.Set("Content-Type", c.ContentType())
	h.Set("X-Amzn-Errortype", e.Code)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.status())
	_, _ = w.Write(body)
}

// errorBody is the error shape: SDKs read "__type" (or "code") for the
// code, after the X-Amzn-Errortype header, and "message" (or "Message").
type errorBody struct {
	Type    string `json:"__type"`
	Message string `json:"message"`
}
