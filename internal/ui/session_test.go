package ui

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// routes are every JSON route with whether it changes state.
var routes = []struct {
	method, path, body string
	changes            bool
}{
	{"GET", "/_tarn/ui/api/session", "", false},
	{"POST", "/_tarn/ui/api/signout", "", true},
	{"POST", "/_tarn/ui/api/aws/s3", `{"method":"GET","path":"/"}`, true},
	{"GET", "/_tarn/ui/api/s3/object?bucket=b&key=k", "", false},
	{"GET", "/_tarn/ui/api/dashboards", "", false},
	{"GET", "/_tarn/ui/api/dashboards/x", "", false},
	{"PUT", "/_tarn/ui/api/dashboards/x", `{"name":"x","tiles":[]}`, true},
	{"DELETE", "/_tarn/ui/api/dashboards/x", "", true},
	{"GET", "/_tarn/ui/api/nothing-here", "", false},
}

func TestEveryRouteRefusesWithoutSession(t *testing.T) {
	u := newTestUI(t, echoUpstream(t))
	for _, r := range routes {
		if code, body, _ := u.do(t, r.method, r.path, r.body, true); code != http.StatusUnauthorized {
			t.Errorf("%s %s without session: %d %s", r.method, r.path, code, body)
		}
	}
	// A forged cookie is no session either.
	req, _ := http.NewRequest("GET", u.srv.URL+"/_tarn/ui/api/session", nil)
	req.AddCookie(&http.Cookie{Name: CookieName, Value: strings.Repeat("A", 43)})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("forged cookie: %d", resp.StatusCode)
	}
}

func TestStateChangingRoutesRefuseWithoutCSRF(t *testing.T) {
	u := newTestUI(t, echoUpstream(t))
	u.signIn(t)
	good := u.csrf
	for _, bad := range []string{"", "wrong"} {
		u.csrf = bad
		for _, r := range routes {
			if !r.changes {
				continue
			}
			if code, body, _ := u.do(t, r.method, r.path, r.body, bad != ""); code != http.StatusForbidden {
				t.Errorf("%s %s with csrf %q: %d %s", r.method, r.path, bad, code, body)
			}
		}
	}
	u.csrf = good
	if code, body, _ := u.do(t, "PUT", "/_tarn/ui/api/dashboards/x", `{"name":"x","tiles":[]}`, true); code != 200 {
		t.Errorf("with csrf: %d %s", code, body)
	}
}

func TestPublicPagesNeedNoSession(t *testing.T) {
	u := newTestUI(t, nil)
	for _, p := range []string{"/_tarn/ui/", "/_tarn/ui/assets/app.js", "/_tarn/ui/assets/app.css"} {
		code, _, h := u.do(t, "GET", p, "", false)
		if code != 200 {
			t.Errorf("GET %s: %d", p, code)
		}
		if h.Get("X-Frame-Options") != "DENY" || !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'self'") {
			t.Errorf("GET %s security headers: %v", p, h)
		}
	}
	if code, _, _ := u.do(t, "GET", "/_tarn/ui/assets/../doc.go", "", false); code == 200 {
		t.Errorf("asset path traversal served")
	}
}

func TestSignInRefusesBadCredentials(t *testing.T) {
	u := newTestUI(t, nil)
	for _, c := range []struct{ ak, sk string }{{"AKIDTEST", "wrong"}, {"nobody", "s3cr3t"}, {"", ""}, {"AKIDTEST", ""}} {
		body := `{"access_key":"` + c.ak + `","secret_key":"` + c.sk + `"}`
		code, out, h := u.do(t, "POST", "/_tarn/ui/api/signin", body, false)
		if code != http.StatusUnauthorized || h.Get("Set-Cookie") != "" {
			t.Errorf("sign in %q/%q: %d %s cookie %q", c.ak, c.sk, code, out, h.Get("Set-Cookie"))
		}
	}
	resp, err := u.c.PostForm(u.srv.URL+"/_tarn/ui/api/signin", url.Values{"access_key": {"AKIDTEST"}, "secret_key": {"x"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != Prefix+"?error=signin" || len(resp.Cookies()) != 0 {
		t.Errorf("form sign-in with a bad secret: %d %v", resp.StatusCode, resp.Header)
	}
}

func TestCookieFlags(t *testing.T) {
	u := newTestUI(t, nil)
	resp := u.signIn(t)
	cs := resp.Cookies()
	if len(cs) != 1 {
		t.Fatalf("cookies: %v", cs)
	}
	c := cs[0]
	if c.Name != CookieName || !c.HttpOnly || c.SameSite != http.SameSiteStrictMode || c.Path != Prefix || c.Secure {
		t.Errorf("cookie flags: %+v", c)
	}
	if len(c.Value) != 43 { // 256 bits, base64url without padding
		t.Errorf("cookie value length %d", len(c.Value))
	}
	if d := time.Until(c.Expires); d < 11*time.Hour || d > 13*time.Hour {
		t.Errorf("cookie expires in %v", d)
	}
	// The session is stored by hash, not by id.
	if _, err := u.svc.meta.Get([]byte("session/" + c.Value)); err == nil {
		t.Errorf("session stored under its raw id")
	}
}

func TestSecureCookieOverTLS(t *testing.T) {
	u := newTestUI(t, nil)
	req, _ := http.NewRequest("POST", "https://tarn.example/_tarn/ui/api/signin", strings.NewReader(`{"access_key":"AKIDTEST","secret_key":"s3cr3t"}`))
	req.Header.Set("Content-Type", "application/json")
	req.TLS = &tlsState
	rec := newRec()
	u.svc.Handler().ServeHTTP(rec, req)
	if rec.status != 200 || !strings.Contains(rec.header.Get("Set-Cookie"), "Secure") {
		t.Errorf("TLS sign in: %d %v", rec.status, rec.header)
	}
}

func TestSignOutEndsSession(t *testing.T) {
	u := newTestUI(t, nil)
	u.signIn(t)
	if code, body, _ := u.do(t, "POST", "/_tarn/ui/api/signout", "", true); code != 200 {
		t.Fatalf("sign out: %d %s", code, body)
	}
	if code, _, _ := u.do(t, "GET", "/_tarn/ui/api/session", "", false); code != http.StatusUnauthorized {
		t.Errorf("session after sign-out: %d", code)
	}
}

func TestSessionExpiresAndSurvivesReopen(t *testing.T) {
	u := newTestUI(t, nil)
	cookie := u.signIn(t).Cookies()[0]
	dir := u.dir
	u.close()
	u2 := openTestUI(t, dir, nil)
	now := time.Now()
	u2.svc.now = func() time.Time { return now }
	req, _ := http.NewRequest("GET", "/_tarn/ui/api/session", nil)
	req.AddCookie(cookie)
	rec := newRec()
	u2.svc.Handler().ServeHTTP(rec, req)
	if rec.status != 200 {
		t.Fatalf("session after reopen: %d %s", rec.status, rec.body.String())
	}
	u2.svc.now = func() time.Time { return now.Add(13 * time.Hour) }
	rec = newRec()
	u2.svc.Handler().ServeHTTP(rec, req)
	if rec.status != http.StatusUnauthorized {
		t.Errorf("session after 13 h: %d", rec.status)
	}
}

func TestCrossOriginSignInRefused(t *testing.T) {
	u := newTestUI(t, nil)
	req, _ := http.NewRequest("POST", u.srv.URL+"/_tarn/ui/api/signin", strings.NewReader(`{"access_key":"AKIDTEST","secret_key":"s3cr3t"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden || len(resp.Cookies()) != 0 {
		t.Errorf("cross-site sign-in: %d", resp.StatusCode)
	}
}
