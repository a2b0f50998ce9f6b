package sigv4

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// presignedURL presigns a GET of path for service at t0, valid for expires.
func presignedURL(t *testing.T, creds aws.Credentials, service, path, query string, expires string) *http.Request {
	t.Helper()
	req, _ := http.NewRequest("GET", "https://example.amazonaws.com"+path, nil)
	q := req.URL.Query()
	for k, vs := range mustParseQuery(t, query) {
		q[k] = vs
	}
	if expires != "" {
		q.Set("X-Amz-Expires", expires)
	}
	req.URL.RawQuery = q.Encode()
	payload := "UNSIGNED-PAYLOAD"
	if service != "s3" {
		payload = emptySHA256
	}
	out, _ := sdkPresign(t, req, creds, service, "us-west-2", payload, t0)
	return out
}

func mustParseQuery(t *testing.T, q string) url.Values {
	v, err := url.ParseQuery(q)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestPresigned(t *testing.T) {
	withToken := testCreds
	withToken.SessionToken = "session/token+="
	tests := []struct {
		name    string
		creds   aws.Credentials
		service string
		path    string
		query   string
		expires string
		now     time.Duration
		want    string
		message string
	}{
		{name: "valid", service: "s3", path: "/bucket/key", expires: "900", now: 10 * time.Minute},
		{name: "odd key", service: "s3", path: "/bucket/a%20b/%C3%BC+c", query: "versionId=1&x=", expires: "60"},
		{name: "session token", creds: withToken, service: "s3", path: "/bucket/key", expires: "60"},
		{name: "non-s3 service", service: "sts", path: "/", query: "Action=GetCallerIdentity&Version=2011-06-15", expires: "60"},
		{name: "last second", service: "s3", path: "/b/k", expires: "900", now: 15 * time.Minute},
		{name: "expired", service: "s3", path: "/b/k", expires: "900", now: 15*time.Minute + time.Second,
			want: "AccessDenied", message: "Request has expired"},
		{name: "one week", service: "s3", path: "/b/k", expires: "604800", now: 7*24*time.Hour - time.Second},
		{name: "early within skew", service: "s3", path: "/b/k", expires: "60", now: -15 * time.Minute},
		{name: "not yet valid", service: "s3", path: "/b/k", expires: "60", now: -16 * time.Minute,
			want: "AccessDenied", message: "Request is not valid yet"},
		{name: "expires too long", service: "s3", path: "/b/k", expires: "604801", want: "AuthorizationQueryParametersError"},
		{name: "expires zero", service: "s3", path: "/b/k", expires: "0", want: "AuthorizationQueryParametersError"},
		{name: "expires not a number", service: "s3", path: "/b/k", expires: "soon", want: "AuthorizationQueryParametersError"},
		{name: "expires missing", service: "s3", path: "/b/k", want: "AuthorizationQueryParametersError"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			creds := tc.creds
			if creds.AccessKeyID == "" {
				creds = testCreds
			}
			r := overWire(t, presignedURL(t, creds, tc.service, tc.path, tc.query, tc.expires))
			a, err := newTestVerifier(t0.Add(tc.now)).Verify(r)
			if got := code(err); got != tc.want {
				t.Fatalf("Verify = %v, want code %q", err, tc.want)
			}
			if err != nil {
				if !strings.Contains(err.Error(), tc.message) {
					t.Errorf("error %q lacks %q", err, tc.message)
				}
				return
			}
			if !a.Presigned || a.Service != tc.service || a.Region != "us-west-2" || a.AccessKey != creds.AccessKeyID {
				t.Errorf("Auth = %+v", *a)
			}
		})
	}
}

func TestPresignedTampered(t *testing.T) {
	base := presignedURL(t, testCreds, "s3", "/bucket/key", "versionId=7", "900")
	edits := []struct {
		name string
		edit func(q url.Values)
		want string
	}{
		{"version", func(q url.Values) { q.Set("versionId", "8") }, "SignatureDoesNotMatch"},
		{"added param", func(q url.Values) { q.Set("acl", "") }, "SignatureDoesNotMatch"},
		{"expires", func(q url.Values) { q.Set("X-Amz-Expires", "901") }, "SignatureDoesNotMatch"},
		{"signature", func(q url.Values) { q.Set("X-Amz-Signature", strings.Repeat("0", 64)) }, "SignatureDoesNotMatch"},
		{"short signature", func(q url.Values) { q.Set("X-Amz-Signature", "abc") }, "SignatureDoesNotMatch"},
		{"algorithm", func(q url.Values) { q.Set("X-Amz-Algorithm", "AWS4-HMAC-SHA512") }, "AuthorizationQueryParametersError"},
		{"credential", func(q url.Values) { q.Set("X-Amz-Credential", "AKIDEXAMPLE/20240101/us-west-2/s3") }, "AuthorizationQueryParametersError"},
		{"credential date", func(q url.Values) { q.Set("X-Amz-Credential", "AKIDEXAMPLE/20240102/us-west-2/s3/aws4_request") }, "AuthorizationQueryParametersError"},
		{"date format", func(q url.Values) { q.Set("X-Amz-Date", "2024-01-01T12:00:00Z") }, "AuthorizationQueryParametersError"},
		{"unknown key", func(q url.Values) { q.Set("X-Amz-Credential", "AKIDNOPE/20240101/us-west-2/s3/aws4_request") }, "InvalidAccessKeyId"},
		{"no signature", func(q url.Values) { q.Del("X-Amz-Signature") }, "AuthorizationQueryParametersError"},
		{"no algorithm", func(q url.Values) { q.Del("X-Amz-Algorithm") }, "AuthorizationQueryParametersError"},
		{"no credential", func(q url.Values) { q.Del("X-Amz-Credential") }, "AuthorizationQueryParametersError"},
		{"no date", func(q url.Values) { q.Del("X-Amz-Date") }, "AuthorizationQueryParametersError"},
		{"no signed headers", func(q url.Values) { q.Del("X-Amz-SignedHeaders") }, "AuthorizationQueryParametersError"},
		{"host not signed", func(q url.Values) { q.Set("X-Amz-SignedHeaders", "x-amz-date") }, "AccessDenied"},
	}
	for _, tc := range edits {
		t.Run(tc.name, func(t *testing.T) {
			r := base.Clone(t.Context())
			q := r.URL.Query()
			tc.edit(q)
			r.URL.RawQuery = q.Encode()
			if _, err := newTestVerifier(t0).Verify(overWire(t, r)); code(err) != tc.want {
				t.Errorf("Verify = %v, want %q", err, tc.want)
			}
		})
	}
	t.Run("unsigned x-amz header", func(t *testing.T) {
		r := base.Clone(t.Context())
		r.Header.Set("X-Amz-Acl", "public-read")
		_, err := newTestVerifier(t0).Verify(overWire(t, r))
		var e *Error
		if code(err) != "AccessDenied" || !asError(err, &e) || len(e.Details) != 1 || e.Details[0].Value != "x-amz-acl" {
			t.Errorf("Verify = %v (%+v), want AccessDenied naming x-amz-acl", err, e)
		}
	})
	t.Run("header and query", func(t *testing.T) {
		r := base.Clone(t.Context())
		r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=x")
		if _, err := newTestVerifier(t0).Verify(overWire(t, r)); code(err) != "InvalidArgument" {
			t.Errorf("Verify = %v, want InvalidArgument", err)
		}
	})
}

func TestAnonymous(t *testing.T) {
	for _, target := range []string{"/", "/bucket/key?list-type=2", "/b?Signature=x"} {
		r := parseWire(t, []byte("GET "+target+" HTTP/1.1\r\nHost: h\r\n\r\n"))
		a, err := newTestVerifier(t0).Verify(r)
		if err != nil || !a.Anonymous || a.DecodedLength != -1 || a.AccessKey != "" {
			t.Errorf("%s: Verify = %+v, %v; want anonymous", target, a, err)
		}
	}
	r := parseWire(t, []byte("GET /b?AWSAccessKeyId=AKID&Signature=x&Expires=1 HTTP/1.1\r\nHost: h\r\n\r\n"))
	if _, err := newTestVerifier(t0).Verify(r); code(err) != "InvalidRequest" {
		t.Errorf("SigV2 query: Verify = %v, want InvalidRequest", err)
	}
}
