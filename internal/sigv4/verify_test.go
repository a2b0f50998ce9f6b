package sigv4

import (
	"bufio"
	"bytes"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/smithy-go/encoding/httpbinding"
)

// signCase is a request to sign with the SDK signer and verify.
type signCase struct {
	name    string
	service string
	method  string
	path    string // decoded path; for s3 the key is escaped as the S3 client does
	query   string // raw query
	body    string
	payload string // s3 only: x-amz-content-sha256 ("" means the body's hex sha256)
}

var signCases = []signCase{
	{name: "s3 get", service: "s3", method: "GET", path: "/bucket/key.txt"},
	{name: "s3 put", service: "s3", method: "PUT", path: "/bucket/dir/file", body: "hello, world"},
	{name: "s3 unsigned payload", service: "s3", method: "PUT", path: "/bucket/k", body: "data", payload: "UNSIGNED-PAYLOAD"},
	{name: "s3 spaces", service: "s3", method: "GET", path: "/bucket/a b/c  d"},
	{name: "s3 unicode", service: "s3", method: "GET", path: "/bucket/ünï/çødé/日本"},
	{name: "s3 double slash", service: "s3", method: "GET", path: "/bucket//a//b/"},
	{name: "s3 dot segments", service: "s3", method: "GET", path: "/bucket/../a/./b/.."},
	{name: "s3 plus", service: "s3", method: "GET", path: "/bucket/a+b", query: "x=a%2Bb"},
	{name: "s3 specials", service: "s3", method: "GET", path: "/bucket/!$&'()*,;=:@%~"},
	{name: "s3 query repeated and empty", service: "s3", method: "GET", path: "/bucket", query: "list-type=2&prefix=&b=2&b=1&a&delimiter=%2F"},
	{name: "s3 query spaces", service: "s3", method: "GET", path: "/bucket", query: "prefix=a%20b&marker=x+y"},
	{name: "kinesis", service: "kinesis", method: "POST", path: "/", body: `{"StreamName":"s"}`},
	{name: "kinesis empty body", service: "kinesis", method: "POST", path: "/"},
	{name: "dynamodb", service: "dynamodb", method: "POST", path: "/", body: `{"TableName":"t"}`},
	{name: "dynamodb odd path", service: "dynamodb", method: "POST", path: "/a b/ü//../+", body: "{}"},
	{name: "lambda path and query", service: "lambda", method: "GET", path: "/2015-03-31/functions/my:fn/invocations", query: "Qualifier=%24LATEST&b=&b=x"},
}

// signedWire signs c with the SDK signer at t0 and returns the request
// bytes as sent on the wire.
func signedWire(t testing.TB, c signCase) []byte {
	t.Helper()
	req, err := http.NewRequest(c.method, "http://example.amazonaws.com/", strings.NewReader(c.body))
	if err != nil {
		t.Fatal(err)
	}
	if c.body == "" {
		req.Body, req.GetBody, req.ContentLength = http.NoBody, nil, 0
	}
	req.URL.Path = c.path
	if c.service == "s3" {
		req.URL.RawPath = httpbinding.EscapePath(c.path, false)
	}
	req.URL.RawQuery = c.query
	req.Header.Set("X-Custom", "  two   spaces  ")
	req.Header.Set("Content-Type", "application/x-test")
	payload := hexSHA256([]byte(c.body))
	if c.service == "s3" {
		if c.payload != "" {
			payload = c.payload
		}
		req.Header.Set("X-Amz-Content-Sha256", payload)
	}
	sdkSign(t, req, testCreds, c.service, "eu-west-1", payload, t0)
	return wireBytes(t, req)
}

func TestVerifySDKSigned(t *testing.T) {
	for _, c := range signCases {
		t.Run(c.name, func(t *testing.T) {
			r := parseWire(t, signedWire(t, c))
			a, err := newTestVerifier(t0).Verify(r)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			want := Auth{AccessKey: "AKIDEXAMPLE", Region: "eu-west-1", Service: c.service, DecodedLength: -1}
			if a.AccessKey != want.AccessKey || a.Region != want.Region || a.Service != want.Service ||
				a.Anonymous || a.Presigned || a.DecodedLength != -1 {
				t.Errorf("Auth = %+v, want %+v", *a, want)
			}
			body, code := readAllCode(r)
			if code != "" || string(body) != c.body {
				t.Errorf("body = %q, %q; want %q", body, code, c.body)
			}
		})
	}
}

// TestVerifyTampered changes one part of each signed request at a time.
func TestVerifyTampered(t *testing.T) {
	type tamper struct {
		name      string
		now       time.Duration // verifier clock relative to t0
		keys      map[string]string
		edit      func(r *http.Request)
		verify    string // code from Verify
		read      string // code from reading the body, when Verify passes
		skipEmpty bool   // not applicable to a request without a body
	}
	other := func(m string) string {
		if m == "GET" {
			return "HEAD"
		}
		return "GET"
	}
	tampers := []tamper{
		{name: "untouched"},
		{name: "method", edit: func(r *http.Request) { r.Method = other(r.Method) }, verify: "SignatureDoesNotMatch"},
		{name: "path", edit: func(r *http.Request) { r.RequestURI = "/x" + r.RequestURI }, verify: "SignatureDoesNotMatch"},
		{name: "path suffix", edit: func(r *http.Request) {
			p, q, ok := strings.Cut(r.RequestURI, "?")
			r.RequestURI = p + "a/" + map[bool]string{true: "?" + q}[ok]
		}, verify: "SignatureDoesNotMatch"},
		{name: "query added", edit: func(r *http.Request) {
			r.RequestURI += map[bool]string{true: "&", false: "?"}[strings.Contains(r.RequestURI, "?")] + "extra=1"
		}, verify: "SignatureDoesNotMatch"},
		{name: "signed header", edit: func(r *http.Request) { r.Header.Set("X-Custom", "other") }, verify: "SignatureDoesNotMatch"},
		{name: "content type", edit: func(r *http.Request) { r.Header.Set("Content-Type", "text/plain") }, verify: "SignatureDoesNotMatch"},
		{name: "host", edit: func(r *http.Request) { r.Host = "evil.example.com" }, verify: "SignatureDoesNotMatch"},
		{name: "date", edit: func(r *http.Request) { r.Header.Set("X-Amz-Date", "20240101T120001Z") }, verify: "SignatureDoesNotMatch"},
		{name: "signature", edit: func(r *http.Request) {
			h := r.Header.Get("Authorization")
			last := "0"
			if h[len(h)-1] == '0' {
				last = "1"
			}
			r.Header.Set("Authorization", h[:len(h)-1]+last)
		}, verify: "SignatureDoesNotMatch"},
		{name: "body", skipEmpty: true, edit: func(r *http.Request) {
			b, _ := io.ReadAll(r.Body)
			b[0] ^= 1
			r.Body = io.NopCloser(bytes.NewReader(b))
		}, read: "XAmzContentSHA256Mismatch", verify: "SignatureDoesNotMatch"},
		{name: "wrong secret", keys: map[string]string{"AKIDEXAMPLE": "not the secret"}, verify: "SignatureDoesNotMatch"},
		{name: "unknown key", keys: map[string]string{"AKIDOTHER": "x"}, verify: "InvalidAccessKeyId"},
		{name: "clock ahead within skew", now: 14 * time.Minute},
		{name: "clock behind within skew", now: -14 * time.Minute},
		{name: "clock ahead", now: 16 * time.Minute, verify: "RequestTimeTooSkewed"},
		{name: "clock behind", now: -16 * time.Minute, verify: "RequestTimeTooSkewed"},
	}
	for _, c := range signCases {
		wire := signedWire(t, c)
		for _, tc := range tampers {
			if tc.skipEmpty && c.body == "" {
				continue
			}
			t.Run(c.name+"/"+tc.name, func(t *testing.T) {
				r := parseWire(t, wire)
				if tc.edit != nil {
					tc.edit(r)
				}
				keys := testKeys
				if tc.keys != nil {
					keys = tc.keys
				}
				v := New(Options{Keys: keys, Now: func() time.Time { return t0.Add(tc.now) }})
				wantVerify, wantRead := tc.verify, ""
				if tc.name == "body" {
					// Only a body hashed by Verify itself fails in Verify.
					wantVerify, wantRead = "", tc.read
					switch {
					case c.service != "s3":
						wantVerify, wantRead = tc.verify, ""
					case c.payload == "UNSIGNED-PAYLOAD":
						wantRead = ""
					}
				}
				_, err := v.Verify(r)
				if got := code(err); got != wantVerify {
					t.Fatalf("Verify: code %q (%v), want %q", got, err, wantVerify)
				}
				if err != nil {
					return
				}
				if _, got := readAllCode(r); got != wantRead {
					t.Errorf("read body: code %q, want %q", got, wantRead)
				}
			})
		}
	}
}

// TestVerifyEquivalentForms rewrites a signed request into forms AWS treats
// as the same canonical request.
func TestVerifyEquivalentForms(t *testing.T) {
	wire := signedWire(t, signCase{service: "s3", method: "GET", path: "/bucket/k", query: "b=2&b=1&a=x%20y&e="})
	edits := map[string]func(r *http.Request){
		"query reordered":         func(r *http.Request) { r.RequestURI = "/bucket/k?e=&b=1&a=x%20y&b=2" },
		"plus for space":          func(r *http.Request) { r.RequestURI = "/bucket/k?a=x+y&b=1&b=2&e=" },
		"empty value without =":   func(r *http.Request) { r.RequestURI = "/bucket/k?a=x%20y&b=1&b=2&e" },
		"lowercase escapes":       func(r *http.Request) { r.RequestURI = "/bucket/k?a=x%20y&b=%31&b=2&e=" },
		"header spaces":           func(r *http.Request) { r.Header.Set("X-Custom", "two spaces") },
		"absolute request target": func(r *http.Request) { r.RequestURI = "http://example.amazonaws.com" + r.RequestURI },
	}
	for name, edit := range edits {
		t.Run(name, func(t *testing.T) {
			r := parseWire(t, wire)
			edit(r)
			if _, err := newTestVerifier(t0).Verify(r); err != nil {
				t.Fatalf("Verify: %v", err)
			}
		})
	}
}

// TestVerifyMultiValueHeader signs a header sent on two lines.
func TestVerifyMultiValueHeader(t *testing.T) {
	req, _ := http.NewRequest("GET", "http://example.amazonaws.com/bucket/k", nil)
	req.Header.Add("X-Amz-Meta-List", "a")
	req.Header.Add("X-Amz-Meta-List", " b  c ")
	req.Header.Set("X-Amz-Content-Sha256", emptySHA256)
	log := sdkSign(t, req, testCreds, "s3", "us-east-1", emptySHA256, t0)
	if !strings.Contains(log.canonical, "x-amz-meta-list:a,b c\n") {
		t.Fatalf("SDK canonical request lacks the joined header:\n%s", log.canonical)
	}
	if _, err := newTestVerifier(t0).Verify(overWire(t, req)); err != nil {
		t.Fatalf("Verify: %v", err)
	}
}

func TestVerifyServerRoundTrip(t *testing.T) {
	// Through a real net/http server: Host, Content-Length and
	// Transfer-Encoding are where the server puts them.
	v := newTestVerifier(t0)
	for _, chunkedTE := range []bool{false, true} {
		c := signCase{service: "s3", method: "PUT", path: "/bucket/a b", body: "payload bytes"}
		r := serveOnce(t, v, func(req *http.Request) {
			if chunkedTE {
				req.ContentLength = -1
			}
		}, c)
		if r.err != nil || r.body != c.body {
			t.Errorf("transfer-encoding chunked=%v: body %q, err %v", chunkedTE, r.body, r.err)
		}
	}
}

type served struct {
	body string
	err  error
}

// serveOnce signs c (after prepare) and sends it to an httptest server that
// verifies it.
func serveOnce(t *testing.T, v *Verifier, prepare func(*http.Request), c signCase) served {
	t.Helper()
	var got served
	srv := newServer(t, func(w http.ResponseWriter, r *http.Request) {
		if _, err := v.Verify(r); err != nil {
			got.err = err
			return
		}
		b, err := io.ReadAll(r.Body)
		got.body, got.err = string(b), err
	})
	req, _ := http.NewRequest(c.method, srv.URL, strings.NewReader(c.body))
	req.URL.Path, req.URL.RawPath = c.path, httpbinding.EscapePath(c.path, false)
	prepare(req)
	payload := hexSHA256([]byte(c.body))
	req.Header.Set("X-Amz-Content-Sha256", payload)
	sdkSign(t, req, testCreds, c.service, "us-east-1", payload, t0)
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return got
}

func TestScope(t *testing.T) {
	r := parseWire(t, signedWire(t, signCases[0]))
	if s, reg, ok := Scope(r); !ok || s != "s3" || reg != "eu-west-1" {
		t.Errorf("Scope(header) = %q, %q, %v", s, reg, ok)
	}
	q := url.Values{"X-Amz-Credential": {"AKID/20240101/ap-south-1/sqs/aws4_request"}}
	r, _ = http.NewRequest("GET", "http://h/?"+q.Encode(), nil)
	if s, reg, ok := Scope(r); !ok || s != "sqs" || reg != "ap-south-1" {
		t.Errorf("Scope(query) = %q, %q, %v", s, reg, ok)
	}
	r, _ = http.NewRequest("GET", "http://h/", nil)
	if _, _, ok := Scope(r); ok {
		t.Error("Scope(anonymous) ok")
	}
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1")
	if _, _, ok := Scope(r); ok {
		t.Error("Scope(short credential) ok")
	}
}

func TestVerifySessionToken(t *testing.T) {
	creds := testCreds
	creds.SessionToken = "FQoGZXIvYXdzE//token+with/odd=chars"
	req, _ := http.NewRequest("GET", "http://example.amazonaws.com/bucket/k", nil)
	req.Header.Set("X-Amz-Content-Sha256", emptySHA256)
	sdkSign(t, req, creds, "s3", "us-east-1", emptySHA256, t0)
	if req.Header.Get("X-Amz-Security-Token") == "" {
		t.Fatal("the SDK did not send the token")
	}
	a, err := newTestVerifier(t0).Verify(overWire(t, req))
	if err != nil || a.AccessKey != creds.AccessKeyID {
		t.Fatalf("Verify = %+v, %v", a, err)
	}
}

// TestVerifyConcurrent shares one Verifier (and its key cache) between
// goroutines; run with -race.
func TestVerifyConcurrent(t *testing.T) {
	v := newTestVerifier(t0)
	var wires [][]byte
	for _, c := range signCases[:6] {
		wires = append(wires, signedWire(t, c))
	}
	done := make(chan error)
	for g := range 8 {
		go func() {
			var err error
			for i := range 50 {
				var r *http.Request
				if r, err = http.ReadRequest(bufio.NewReader(bytes.NewReader(wires[(g+i)%len(wires)]))); err != nil {
					break
				}
				if _, err = v.Verify(r); err != nil {
					break
				}
				if _, err = io.Copy(io.Discard, r.Body); err != nil {
					break
				}
			}
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
