// Package awsjson is the AWS JSON 1.0/1.1 protocol: error shapes now,
// X-Amz-Target dispatch when the JSON services arrive.
package awsjson

import (
	"encoding/json"
	"net/http"
	"strconv"
)

// ContentType is the media type of AWS JSON 1.1 responses.
const ContentType = "application/x-amz-json-1.1"

// WriteError writes an AWS JSON error: {"__type": code, "message": msg},
// with the x-amzn-ErrorType header SDKs read, and the given status.
func WriteError(w http.ResponseWriter, status int, code, msg string) {
	body, _ := json.Marshal(struct {
		Type    string `json:"__type"`
		Message string `json:"message"`
	}{code, msg})
	h := w.Header()
	h.Set("Content-Type", ContentType)
	h.Set("X-Amzn-Errortype", code)
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)
}
