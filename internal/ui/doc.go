// Package ui is tarn's web console, served under /_tarn/ui/ from assets
// embedded in the binary (built from web/ by web/build.sh and committed in
// assets/).
//
// The console stays inside tarn's security model: it holds no privilege of
// its own. A user signs in with an access key and secret (checked through
// Options.Secret in constant time); the session (a random 256-bit id in an
// HttpOnly, SameSite=Strict cookie scoped to /_tarn/ui/, Secure over TLS,
// 12 h) is stored durably in Options.Meta, keyed by the id's SHA-256, and
// carries a per-session CSRF token that every state-changing request must
// send back in the X-Tarn-CSRF header. The session keeps only the access
// key: the secret is looked up again through Options.Secret for every
// call, so a rotated key ends its sessions.
//
// Every console action is a real AWS API call: POST api/aws/{service}
// (proxy.go) takes {method, path, query, headers, body}, builds the
// request, SigV4-signs it with the session's credentials and serves it
// in-process through Options.Upstream (tarn's own router, which verifies
// the signature like any client's), answering {status, headers, body}.
// Only the services in ProxyServices may be reached, never /_tarn/ paths.
//
// Dashboards (dashboard.go) are JSON documents in Options.Meta with a Go
// API (PutDashboard, GetDashboard, ListDashboards, DeleteDashboard,
// Dashboard.Validate) for dashboards-as-code, and a JSON API under
// api/dashboards.
//
// Routes (all relative to Prefix):
//
//	GET  ""  and  assets/*          the app shell / sign-in page, static assets (no session)
//	POST api/signin                 form or JSON {access_key, secret_key}
//	POST api/signout                session + CSRF
//	GET  api/session                session: {access_key, region, csrf, expires}
//	POST api/aws/{service}          session + CSRF: the signing proxy
//	GET  api/s3/object?bucket=&key= session: download an object (signed GET)
//	GET  api/preview?bucket=&key=   session: first 200 rows of a Parquet object (Options.Preview; 501 without it)
//	GET  api/dashboards[/{name}]    session
//	PUT|DELETE api/dashboards/{name} session + CSRF
//
// JSON routes answer 401 without a valid session and 403 without the CSRF
// token (or for a cross-origin state-changing request). A Service is safe
// for concurrent use.
package ui
