package ui

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// PreviewLimit is the number of rows GET api/preview asks Options.Preview for.
const PreviewLimit = 200

// Preview is the first rows of a columnar object (Parquet), read by the
// platform's sandboxed SQL engine. Types are the engine's type names, one
// per column; each row has one value per column (JSON-encodable).
type Preview struct {
	Columns []string `json:"columns"`
	Types   []string `json:"types"`
	Rows    [][]any  `json:"rows"`
}

// ErrNoPreview may be wrapped by an Options.Preview error to say the object
// is not readable as a table (not Parquet, corrupt, missing): the route
// answers 422 with the message instead of 500.
var ErrNoPreview = errors.New("ui: object cannot be previewed")

// servePreview answers GET api/preview?bucket=B&key=K with the object's
// first PreviewLimit rows as a Preview, through Options.Preview (501 when
// the platform gave none).
func (s *Service) servePreview(w http.ResponseWriter, r *http.Request, _ *session) {
	bucket, key := r.URL.Query().Get("bucket"), r.URL.Query().Get("key")
	if bucket == "" || key == "" || strings.Contains(bucket, "/") || len(key) > 1024 {
		writeErr(w, fmt.Errorf("%w: bucket and key are required", errBadRequest))
		return
	}
	if s.preview == nil {
		writeJSON(w, http.StatusNotImplemented, map[string]string{"error": "ui: Parquet preview is not available in this tarn (no SQL engine attached to the console)"})
		return
	}
	p, err := s.preview(r.Context(), bucket, key, PreviewLimit)
	if err != nil {
		status := http.StatusInternalServerError
		if errors.Is(err, ErrNoPreview) {
			status = http.StatusUnprocessableEntity
		}
		if errors.Is(err, context.Canceled) {
			return
		}
		writeJSON(w, status, map[string]string{"error": err.Error()})
		return
	}
	if len(p.Rows) > PreviewLimit {
		p.Rows = p.Rows[:PreviewLimit]
	}
	if p.Columns == nil {
		p.Columns = []string{}
	}
	if p.Types == nil {
		p.Types = []string{}
	}
	if p.Rows == nil {
		p.Rows = [][]any{}
	}
	writeJSON(w, http.StatusOK, p)
}
