package ui

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"reflect"
	"strings"
	"time"

	"github.com/tarnhq/tarn/internal/kv"
)

// Prefix is where the platform mounts Handler; the handler sees full paths.
const Prefix = "/_tarn/ui/"

// Defaults of Options.
const (
	DefaultRegion     = "us-east-1"
	DefaultSessionTTL = 12 * time.Hour
	// MaxProxyBody bounds a proxied request body and a proxied response.
	MaxProxyBody = 32 << 20
)

// Options configure New. Meta is required; the rest have defaults.
type Options struct {
	// Upstream serves the signed AWS requests (tarn's router). nil makes
	// the proxy answer 503.
	Upstream http.Handler
	// Secret returns the secret of an access key; nil refuses every sign-in.
	Secret func(accessKey string) (secretKey string, ok bool)
	// Meta holds sessions (session/) and dashboards (dashboard/), durably.
	Meta   kv.Space
	Region string // region of signed requests; "" means DefaultRegion
	Logger *slog.Logger
	Now    func() time.Time // nil means time.Now
	// SessionTTL is a session's lifetime; 0 means DefaultSessionTTL.
	SessionTTL time.Duration
	// Preview reads the first limit rows of a Parquet object for the lake
	// browser (GET api/preview); nil makes that route answer 501. It is
	// called only for a signed-in session, concurrently; errors wrapping
	// ErrNoPreview answer 422.
	Preview func(ctx context.Context, bucket, key string, limit int) (Preview, error)
}

// Service is the console. Build it with New; it has nothing to start.
type Service struct {
	upstream http.Handler
	secret   func(string) (string, bool)
	meta     kv.Space
	region   string
	log      *slog.Logger
	now      func() time.Time
	ttl      time.Duration
	preview  func(context.Context, string, string, int) (Preview, error)
	handler  http.Handler
}

// New validates opts and builds the service.
func New(opts Options) (*Service, error) {
	if reflect.ValueOf(opts.Meta).IsZero() {
		return nil, ErrNoMeta
	}
	s := &Service{upstream: opts.Upstream, secret: opts.Secret, meta: opts.Meta, region: opts.Region,
		log: opts.Logger, now: opts.Now, ttl: opts.SessionTTL, preview: opts.Preview}
	if s.region == "" {
		s.region = DefaultRegion
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.ttl == 0 {
		s.ttl = DefaultSessionTTL
	}
	if s.secret == nil {
		s.secret = func(string) (string, bool) { return "", false }
	}
	s.handler = s.routes()
	return s, nil
}

// Start deletes expired sessions; the service needs nothing else running.
func (s *Service) Start(ctx context.Context) error { return s.sweepSessions() }

// Stop does nothing; it exists so the platform can treat ui like a service.
func (s *Service) Stop(ctx context.Context) error { return nil }

// Handler serves everything under Prefix (it expects full request paths).
func (s *Service) Handler() http.Handler { return s.handler }

func (s *Service) routes() http.Handler {
	mux := http.NewServeMux()
	p := strings.TrimSuffix(Prefix, "/")
	mux.HandleFunc("GET "+p+"/{$}", s.serveIndex)
	mux.HandleFunc("GET "+p+"/assets/", s.serveAsset)
	mux.HandleFunc("POST "+p+"/api/signin", s.serveSignIn)
	mux.Handle("POST "+p+"/api/signout", s.auth(true, s.serveSignOut))
	mux.Handle("GET "+p+"/api/session", s.auth(false, s.serveSession))
	mux.Handle("POST "+p+"/api/aws/{service}", s.auth(true, s.serveProxy))
	mux.Handle("GET "+p+"/api/s3/object", s.auth(false, s.serveDownload))
	mux.Handle("GET "+p+"/api/preview", s.auth(false, s.servePreview))
	mux.Handle("GET "+p+"/api/dashboards", s.auth(false, s.serveListDashboards))
	mux.Handle("GET "+p+"/api/dashboards/{name}", s.auth(false, s.serveGetDashboard))
	mux.Handle("PUT "+p+"/api/dashboards/{name}", s.auth(true, s.servePutDashboard))
	mux.Handle("DELETE "+p+"/api/dashboards/{name}", s.auth(true, s.serveDeleteDashboard))
	// Anything else under api/ needs a session first, so probing the API
	// without one learns nothing; then it is 404 (or 405).
	mux.Handle(p+"/api/", s.auth(false, func(w http.ResponseWriter, r *http.Request, _ *session) {
		writeJSON(w, http.StatusNotFound, map[string]string{"error": "no such UI API: " + r.Method + " " + r.URL.Path})
	}))
	mux.HandleFunc(p, func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, Prefix, http.StatusFound) })
	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		writeErr(w, errForbidden)
	}))
	return securityHeaders(cop.Handler(mux))
}

// securityHeaders keeps the console from being framed or sniffed and
// limits it to its own assets (no CDN, no inline script). Inline styles
// stay allowed: ECharts' tooltips are HTML with style attributes.
func securityHeaders(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "no-referrer")
		hd.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "+
			"script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
		h.ServeHTTP(w, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// writeErr answers err as {"error": message} with the status of its sentinel.
func writeErr(w http.ResponseWriter, err error) {
	status := http.StatusInternalServerError
	switch {
	case errors.Is(err, errUnauthorized), errors.Is(err, errBadCredentials):
		status = http.StatusUnauthorized
	case errors.Is(err, errForbidden):
		status = http.StatusForbidden
	case errors.Is(err, ErrInvalidDashboard), errors.Is(err, errBadRequest):
		status = http.StatusBadRequest
	case errors.Is(err, ErrDashboardNotFound):
		status = http.StatusNotFound
	}
	writeJSON(w, status, map[string]string{"error": err.Error()})
}
