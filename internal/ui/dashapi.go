package ui

import (
	"encoding/json"
	"fmt"
	"net/http"
)

func (s *Service) serveListDashboards(w http.ResponseWriter, r *http.Request, _ *session) {
	ds, err := s.ListDashboards(r.Context())
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"dashboards": ds})
}

func (s *Service) serveGetDashboard(w http.ResponseWriter, r *http.Request, _ *session) {
	d, err := s.GetDashboard(r.Context(), r.PathValue("name"))
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, d)
}

// servePutDashboard stores the body; its name must be the path's (or empty).
func (s *Service) servePutDashboard(w http.ResponseWriter, r *http.Request, _ *session) {
	r.Body = http.MaxBytesReader(w, r.Body, maxDashboardKB<<10)
	var d Dashboard
	dec := json.NewDecoder(r.Body)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&d); err != nil {
		writeErr(w, fmt.Errorf("%w: %v", ErrInvalidDashboard, err))
		return
	}
	name := r.PathValue("name")
	if d.Name == "" {
		d.Name = name
	}
	if d.Name != name {
		writeErr(w, invalid("name %q differs from the path's %q", d.Name, name))
		return
	}
	if err := s.PutDashboard(r.Context(), d); err != nil {
		writeErr(w, err)
		return
	}
	got, err := s.GetDashboard(r.Context(), name)
	if err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, got)
}

func (s *Service) serveDeleteDashboard(w http.ResponseWriter, r *http.Request, _ *session) {
	if err := s.DeleteDashboard(r.Context(), r.PathValue("name")); err != nil {
		writeErr(w, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]bool{"deleted": true})
}
