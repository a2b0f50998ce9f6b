package platform

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/tarnhq/tarn/internal/ui"
)

// dashboardsPath is tarn's own API for dashboards as code (`tarn apply`
// from another process): GET lists, GET/PUT/DELETE .../NAME, JSON bodies
// in the web UI's Dashboard shape. Unlike the UI's routes (session
// cookies), these take SigV4-signed requests with tarn's credentials.
const dashboardsPath = "/_tarn/api/dashboards"

// maxDashboardBody bounds a PUT body.
const maxDashboardBody = 1 << 20

func (p *Platform) serveDashboards(w http.ResponseWriter, r *http.Request) {
	if auth, err := p.verify.Verify(r); err != nil || auth.Anonymous {
		writeJSON(w, http.StatusForbidden, map[string]string{"error": "dashboards API: sign the request with tarn's credentials (SigV4)"})
		return
	}
	name := strings.TrimPrefix(strings.TrimPrefix(r.URL.Path, dashboardsPath), "/")
	ctx := r.Context()
	switch {
	case name == "" && r.Method == http.MethodGet:
		ds, err := p.ui.ListDashboards(ctx)
		if err != nil {
			writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
			return
		}
		writeJSON(w, http.StatusOK, map[string]any{"dashboards": ds})
	case name != "" && r.Method == http.MethodGet:
		d, err := p.ui.GetDashboard(ctx, name)
		dashboardAnswer(w, d, err)
	case name != "" && r.Method == http.MethodPut:
		var d ui.Dashboard
		dec := json.NewDecoder(io.LimitReader(r.Body, maxDashboardBody))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&d); err != nil {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "dashboard body: " + err.Error()})
			return
		}
		if d.Name == "" {
			d.Name = name
		}
		if d.Name != name {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "the body's name differs from the path's"})
			return
		}
		if err := p.ui.PutDashboard(ctx, d); err != nil {
			dashboardAnswer(w, d, err)
			return
		}
		d, err := p.ui.GetDashboard(ctx, name)
		dashboardAnswer(w, d, err)
	case name != "" && r.Method == http.MethodDelete:
		err := p.ui.DeleteDashboard(ctx, name)
		dashboardAnswer(w, map[string]bool{"deleted": true}, err)
	default:
		writeJSON(w, http.StatusMethodNotAllowed, map[string]string{"error": r.Method + " " + r.URL.Path + " is not a dashboards API call"})
	}
}

func dashboardAnswer(w http.ResponseWriter, v any, err error) {
	switch {
	case err == nil:
		writeJSON(w, http.StatusOK, v)
	case errors.Is(err, ui.ErrDashboardNotFound):
		writeJSON(w, http.StatusNotFound, map[string]string{"error": err.Error()})
	case errors.Is(err, ui.ErrInvalidDashboard):
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": err.Error()})
	default:
		writeJSON(w, http.StatusInternalServerError, map[string]string{"error": err.Error()})
	}
}
