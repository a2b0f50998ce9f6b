package ui

import (
	"crypto/tls"
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/tarnhq/tarn/internal/kv"
)

// testUI is a Service on an httptest server with the test key pair.
type testUI struct {
	svc  *Service
	srv  *httptest.Server
	db   *kv.DB
	dir  string
	csrf string
	c    *http.Client
}

func secrets(ak string) (string, bool) {
	if ak == "AKIDTEST" {
		return "s3cr3t", true
	}
	return "", false
}

func newTestUI(t *testing.T, upstream http.Handler) *testUI {
	t.Helper()
	dir := t.TempDir()
	return openTestUI(t, dir, upstream)
}

func openTestUI(t *testing.T, dir string, upstream http.Handler) *testUI {
	t.Helper()
	db, err := kv.Open(dir, kv.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	svc, err := New(Options{Upstream: upstream, Secret: secrets, Meta: db.Space("ui/")})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(svc.Handler())
	jar, _ := cookiejar.New(nil)
	u := &testUI{svc: svc, srv: srv, db: db, dir: dir, c: &http.Client{Jar: jar,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	t.Cleanup(u.close)
	return u
}

func (u *testUI) close() {
	if u.srv != nil {
		u.srv.Close()
		u.db.Close()
		u.srv = nil
	}
}

// do sends method path with a JSON body; csrf adds the token header.
func (u *testUI) do(t *testing.T, method, path, body string, csrf bool) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(method, u.srv.URL+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if csrf {
		req.Header.Set(CSRFHeader, u.csrf)
	}
	resp, err := u.c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), resp.Header
}

func (u *testUI) signIn(t *testing.T) *http.Response {
	t.Helper()
	resp, err := u.c.PostForm(u.srv.URL+"/_tarn/ui/api/signin", url.Values{"access_key": {"AKIDTEST"}, "secret_key": {"s3cr3t"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in: %d", resp.StatusCode)
	}
	code, body, _ := u.do(t, "GET", "/_tarn/ui/api/session", "", false)
	var s struct{ CSRF string }
	if code != 200 || json.Unmarshal([]byte(body), &s) != nil || s.CSRF == "" {
		t.Fatalf("session: %d %s", code, body)
	}
	u.csrf = s.CSRF
	return resp
}

var tlsState tls.ConnectionState

func newRec() *recorder { return &recorder{header: http.Header{}, status: http.StatusOK} }
