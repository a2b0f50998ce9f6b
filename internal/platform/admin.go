package platform

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// uiPath is where the web UI is served.
const uiPath = "/_tarn/ui/"

// serveAdmin serves tarn's own endpoints under /_tarn/: health, metrics
// and the web UI (which checks its own sessions).
func (p *Platform) serveAdmin(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, uiPath) || r.URL.Path == strings.TrimSuffix(uiPath, "/") {
		p.ui.Handler().ServeHTTP(w, r)
		return
	}
	if r.URL.Path == dashboardsPath || strings.HasPrefix(r.URL.Path, dashboardsPath+"/") {
		p.serveDashboards(w, r)
		return
	}
	switch r.URL.Path {
	case "/_tarn/health":
		services := map[string]string{}
		for _, s := range []string{"s3", "kinesis", "firehose", "dynamodb", "glue", "athena", "redshift-data", "warehouse",
			"lambda", "logs", "elasticmapreduce", "ui"} {
			services[s] = "running"
		}
		writeJSON(w, http.StatusOK, map[string]any{
			"status":         "ok",
			"version":        p.version,
			"uptime_seconds": time.Since(p.started).Seconds(),
			"endpoint":       p.Endpoint(),
			"services":       services,
		})
	case "/_tarn/metrics":
		w.Header().Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
		_ = p.metrics.WriteText(w)
	default:
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such tarn endpoint: " + r.URL.Path})
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
