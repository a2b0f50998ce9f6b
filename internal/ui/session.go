package ui

import (
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"

	"github.com/tarnhq/tarn/internal/kv"
)

// CookieName is the session cookie; CSRFHeader carries the CSRF token.
const (
	CookieName = "tarn_ui_session"
	CSRFHeader = "X-Tarn-CSRF"
)

// session is what Meta keeps under session/<sha256(id)>: never the id
// itself (a copy of the database does not hand out live cookies) and
// never the secret.
type session struct {
	AccessKey string    `json:"access_key"`
	CSRF      string    `json:"csrf"`
	Created   time.Time `json:"created"`
	Expires   time.Time `json:"expires"`
}

func sessionKey(id string) []byte {
	sum := sha256.Sum256([]byte(id))
	return []byte("session/" + hex.EncodeToString(sum[:]))
}

func randomToken() string {
	b := make([]byte, 32) // 256 bits
	_, _ = rand.Read(b)   // crypto/rand.Read never fails (it panics instead)
	return base64.RawURLEncoding.EncodeToString(b)
}

// newSession stores a session for accessKey and returns its id.
func (s *Service) newSession(accessKey string) (string, *session, error) {
	now := s.now()
	id := randomToken()
	sess := &session{AccessKey: accessKey, CSRF: randomToken(), Created: now.UTC(), Expires: now.Add(s.ttl).UTC()}
	b, _ := json.Marshal(sess)
	if err := s.meta.Set(sessionKey(id), b); err != nil {
		return "", nil, fmt.Errorf("store session: %w", err)
	}
	return id, sess, nil
}

// lookup returns the live session of r's cookie, or errUnauthorized.
func (s *Service) lookup(r *http.Request) (*session, string, error) {
	c, err := r.Cookie(CookieName)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return nil, "", errUnauthorized
	}
	b, err := s.meta.Get(sessionKey(c.Value))
	if errors.Is(err, kv.ErrNotFound) {
		return nil, "", errUnauthorized
	}
	if err != nil {
		return nil, "", err
	}
	var sess session
	if err := json.Unmarshal(b, &sess); err != nil {
		return nil, "", fmt.Errorf("decode session: %w", err)
	}
	if !s.now().Before(sess.Expires) {
		_ = s.meta.Delete(sessionKey(c.Value))
		return nil, "", errUnauthorized
	}
	return &sess, c.Value, nil
}

// sweepSessions deletes every expired session.
func (s *Service) sweepSessions() error {
	it, err := s.meta.Iter([]byte("session/"), kv.PrefixEnd([]byte("session/")))
	if err != nil {
		return err
	}
	var dead [][]byte
	now := s.now()
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.Value()
		if err != nil {
			break
		}
		var sess session
		if json.Unmarshal(v, &sess) != nil || !now.Before(sess.Expires) {
			dead = append(dead, append([]byte(nil), it.Key()...))
		}
	}
	if err := it.Close(); err != nil {
		return err
	}
	for _, k := range dead {
		if err := s.meta.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// auth wraps h: it refuses requests without a session (401) and, when
// changes is set, without the session's CSRF token in CSRFHeader (403).
func (s *Service) auth(changes bool, h func(http.ResponseWriter, *http.Request, *session)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sess, _, err := s.lookup(r)
		if err != nil {
			writeErr(w, err)
			return
		}
		if changes || !isSafeMethod(r.Method) {
			got := r.Header.Get(CSRFHeader)
			if got == "" || subtle.ConstantTimeCompare([]byte(got), []byte(sess.CSRF)) != 1 {
				writeErr(w, errForbidden)
				return
			}
		}
		h(w, r, sess)
	})
}

func isSafeMethod(m string) bool {
	return m == http.MethodGet || m == http.MethodHead || m == http.MethodOptions
}

// checkCredentials compares in constant time, also for an unknown key.
func (s *Service) checkCredentials(accessKey, secret string) bool {
	want, ok := s.secret(accessKey)
	if !ok {
		want = "\x00tarn-no-such-key\x00"
	}
	eq := subtle.ConstantTimeCompare([]byte(secret), []byte(want)) == 1
	return ok && eq && accessKey != ""
}

func (s *Service) serveSignIn(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	var in struct {
		AccessKey string `json:"access_key"`
		SecretKey string `json:"secret_key"`
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	isForm := ct == "application/x-www-form-urlencoded" || ct == "multipart/form-data"
	if isForm {
		if err := r.ParseForm(); err != nil {
			writeErr(w, fmt.Errorf("%w: %v", errBadRequest, err))
			return
		}
		in.AccessKey, in.SecretKey = r.PostForm.Get("access_key"), r.PostForm.Get("secret_key")
	} else if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeErr(w, fmt.Errorf("%w: sign-in body: %v", errBadRequest, err))
		return
	}
	wantsJSON := !isForm || strings.Contains(r.Header.Get("Accept"), "application/json")
	if !s.checkCredentials(in.AccessKey, in.SecretKey) {
		s.log.Info("ui sign-in refused", "access_key", in.AccessKey, "remote", r.RemoteAddr)
		if wantsJSON {
			writeErr(w, errBadCredentials)
		} else {
			http.Redirect(w, r, Prefix+"?error=signin", http.StatusSeeOther)
		}
		return
	}
	// Replace any session the browser already had.
	if c, err := r.Cookie(CookieName); err == nil && len(c.Value) <= 100 {
		_ = s.meta.Delete(sessionKey(c.Value))
	}
	_ = s.sweepSessions()
	id, sess, err := s.newSession(in.AccessKey)
	if err != nil {
		writeErr(w, err)
		return
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: id, Path: Prefix, Expires: sess.Expires,
		MaxAge: int(s.ttl.Seconds()), HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	s.log.Info("ui sign-in", "access_key", in.AccessKey)
	if wantsJSON {
		writeJSON(w, http.StatusOK, s.sessionView(sess))
		return
	}
	http.Redirect(w, r, Prefix, http.StatusSeeOther)
}

func (s *Service) serveSignOut(w http.ResponseWriter, r *http.Request, _ *session) {
	if _, id, err := s.lookup(r); err == nil {
		if err := s.meta.Delete(sessionKey(id)); err != nil {
			writeErr(w, err)
			return
		}
	}
	http.SetCookie(w, &http.Cookie{Name: CookieName, Value: "", Path: Prefix, MaxAge: -1,
		HttpOnly: true, Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
	writeJSON(w, http.StatusOK, map[string]bool{"signed_out": true})
}

func (s *Service) serveSession(w http.ResponseWriter, r *http.Request, sess *session) {
	writeJSON(w, http.StatusOK, s.sessionView(sess))
}

func (s *Service) sessionView(sess *session) map[string]any {
	return map[string]any{"access_key": sess.AccessKey, "region": s.region, "csrf": sess.CSRF,
		"expires": sess.Expires.Format(time.RFC3339), "services": ProxyServices}
}
