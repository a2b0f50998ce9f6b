package sigv4

import "testing"

func TestCanonicalURI(t *testing.T) {
	tests := []struct {
		raw      string
		s3       bool
		uri, alt string
	}{
		{"", true, "/", ""},
		{"/", false, "/", ""},
		{"/bucket/key", true, "/bucket/key", ""},
		{"/bucket/a%20b/%C3%BC", true, "/bucket/a%20b/%C3%BC", ""},
		{"/bucket/a%2Fb", true, "/bucket/a%2Fb", ""},
		{"/bucket/%c3%bc", true, "/bucket/%C3%BC", "/bucket/%c3%bc"},
		{"/test$file.text", true, "/test%24file.text", "/test$file.text"},
		{"/b/a+b", true, "/b/a%2Bb", "/b/a+b"},
		{"/b/%41", true, "/b/A", "/b/%41"},
		{"/b/%zz", true, "/b/%25zz", "/b/%zz"},
		{"/b/%", true, "/b/%25", "/b/%"},
		{"/b//../k", true, "/b//../k", ""},
		{"/a%20b", false, "/a%2520b", ""},
		{"/a/../b", false, "/a/../b", "/b"},
		{"//a/./b/", false, "//a/./b/", "/a/b/"},
		{"/a/..", false, "/a/..", "/"},
		{"/..", false, "/..", "/"},
	}
	for _, tc := range tests {
		uri, alt := canonicalURI(tc.raw, tc.s3)
		if uri != tc.uri || alt != tc.alt {
			t.Errorf("canonicalURI(%q, s3=%v) = %q, %q; want %q, %q", tc.raw, tc.s3, uri, alt, tc.uri, tc.alt)
		}
	}
}

// TestVerifyNormalizedPath accepts a non-S3 request whose client signed the
// path with dot segments removed (as botocore does).
func TestVerifyNormalizedPath(t *testing.T) {
	wire := signedWire(t, signCase{service: "execute-api", method: "GET", path: "/stage/b"})
	r := parseWire(t, wire)
	r.RequestURI = "/stage/a/../b"
	if _, err := newTestVerifier(t0).Verify(r); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	r = parseWire(t, wire)
	r.RequestURI = "/stage/a/b"
	if _, err := newTestVerifier(t0).Verify(r); code(err) != "SignatureDoesNotMatch" {
		t.Fatalf("Verify = %v, want SignatureDoesNotMatch", err)
	}
}
