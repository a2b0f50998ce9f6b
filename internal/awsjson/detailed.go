package awsjson

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
)

// ContentType10 is the media type of AWS JSON 1.0 (DynamoDB, DynamoDB
// Streams).
const ContentType10 = "application/x-amz-json-1.0"

// JSON10 is the JSON codec answering in ContentType10. A JSON 1.0 service
// registers it (RegisterCodec) so its answers carry the 1.0 media type.
var JSON10 Codec = json10Codec{}

type json10Codec struct{ jsonCodec }

func (json10Codec) ContentType() string { return ContentType10 }

// DetailedError is an *Error whose body carries more than the code and the
// message: a namespaced __type (DynamoDB sends
// "com.amazonaws.dynamodb.v20120810#ValidationException"; every SDK strips
// the namespace), the message under another member name ("Message" for
// DynamoDB's TransactionCanceledException), and extra members the SDKs
// decode into the typed exception (Item, CancellationReasons). The
// X-Amzn-Errortype header still carries the bare code. errors.Is and
// errors.As see Err.
type DetailedError struct {
	Err        *Error         // code, status and message
	Namespace  string         // prefix of __type before '#'; "" for none
	MessageKey string         // member holding the message; "" means "message"
	Fields     map[string]any // extra members; must not use __type or the message key
}

func (e *DetailedError) Error() string { return e.Err.Error() }

// Unwrap returns Err.
func (e *DetailedError) Unwrap() error { return e.Err }

// Is matches by code, like *Error.
func (e *DetailedError) Is(target error) bool { return e.Err.Is(target) }

// writeDetailed renders e; it reports false when err is not a DetailedError.
func writeDetailed(w http.ResponseWriter, c Codec, err error) bool {
	var de *DetailedError
	if !errors.As(err, &de) || de.Err == nil {
		return false
	}
	m := make(map[string]any, len(de.Fields)+2)
	for k, v := range de.Fields {
		m[k] = v
	}
	e := de.Err
	typ := e.Code
	if de.Namespace != "" {
		typ = de.Namespace + "#" + e.Code
	}
	m["__type"] = typ
	key := de.MessageKey
	if key == "" {
		key = "message"
	}
	if e.Message != "" {
		m[key] = e.Message
	}
	body, merr := c.Marshal(m)
	if merr != nil {
		c = JSON
		body, merr = json.Marshal(m)
		if merr != nil {
			writeError(w, c, e)
			return true
		}
	}
	h := w.Header()
	h.Set("Content-Type", c.ContentType())
	h.Set("X-Amzn-Errortype", e.Code)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(e.status())
	_, _ = w.Write(body)
	return true
}
