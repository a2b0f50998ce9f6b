package ui

import "errors"

// Sentinels. HTTP handlers map them to statuses in writeErr.
var (
	// ErrInvalidDashboard wraps every dashboard validation failure.
	ErrInvalidDashboard = errors.New("ui: invalid dashboard")
	// ErrDashboardNotFound means no dashboard has the name.
	ErrDashboardNotFound = errors.New("ui: dashboard not found")
	// ErrNoMeta means Options.Meta was not set.
	ErrNoMeta = errors.New("ui: Options.Meta is required")
	// errUnauthorized: no valid session (401).
	errUnauthorized = errors.New("ui: sign in required")
	// errForbidden: CSRF token missing or wrong, or cross-origin (403).
	errForbidden = errors.New("ui: missing or invalid CSRF token")
	// errBadCredentials: sign-in refused (401).
	errBadCredentials = errors.New("ui: the access key or secret is not valid")
	// errBadRequest wraps malformed requests (400).
	errBadRequest = errors.New("ui: bad request")
)
