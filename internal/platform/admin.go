package platform

import (
	"encoding/json"
	"net/http"
	"time"
)

// plannedServices are the APIs tarn will serve; until each lands, health
// reports it as not implemented and its requests answer so.
var plannedServices = []string{"logs", "elasticmapreduce"}

// serveAdmin serves tarn's own endpoints under /_tarn/.
func (p *Platform) serveAdmin(w http.ResponseWriter, r *http.Request) {
	switch r.URL.Path {
	case "/_tarn/health":
		services := map[string]string{"s3": "running", "kinesis": "running", "firehose": "running", "dynamodb": "running",
			"glue": "running", "athena": "running", "redshift-data": "running", "warehouse": "running",
			"lambda": "running"}
		for _, s := range plannedServices {
			services[s] = "not_implemented"
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
