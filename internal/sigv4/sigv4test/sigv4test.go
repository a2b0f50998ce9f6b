// Package sigv4test helps services' tests stand in for the platform's
// SigV4 verification.
package sigv4test

import (
	"net/http"
	"strings"

	"github.com/tarnhq/tarn/internal/sigv4"
)

// ScopeOnly puts the request's credential scope (access key, region,
// service) into its context as the platform's verifier would, without
// checking the signature: a service's own tests need its region, not its
// authentication.
func ScopeOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, cred, ok := strings.Cut(r.Header.Get("Authorization"), "Credential=")
		if parts := strings.Split(cred, "/"); ok && len(parts) > 3 {
			r = r.WithContext(sigv4.WithAuth(r.Context(), &sigv4.Auth{AccessKey: parts[0], Region: parts[2], Service: parts[3]}))
		}
		next.ServeHTTP(w, r)
	})
}
