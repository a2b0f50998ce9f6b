package sigv4

import (
	"errors"
	"net/http"
	"testing"
)

func asError(err error, e **Error) bool { return errors.As(err, e) }

const goodCred = "Credential=AKIDEXAMPLE/20240101/us-east-1/s3/aws4_request"
const goodSig = "Signature=" + emptySHA256

func TestParseAuthorization(t *testing.T) {
	tests := []struct {
		name, header string
		want         string // error code, "" for success
	}{
		{"sdk form", "AWS4-HMAC-SHA256 " + goodCred + ", SignedHeaders=host;x-amz-date, " + goodSig, ""},
		{"no spaces", "AWS4-HMAC-SHA256 " + goodCred + ",SignedHeaders=host," + goodSig, ""},
		{"any order", "AWS4-HMAC-SHA256 " + goodSig + ", SignedHeaders=host, " + goodCred, ""},
		{"extra spaces", "AWS4-HMAC-SHA256   " + goodCred + " ,  SignedHeaders=host ,  " + goodSig, ""},
		{"bad signature value", "AWS4-HMAC-SHA256 " + goodCred + ", SignedHeaders=host, Signature=zz", ""},
		{"no space after algorithm", "AWS4-HMAC-SHA256" + goodCred, "AuthorizationHeaderMalformed"},
		{"algorithm only", "AWS4-HMAC-SHA256", "AuthorizationHeaderMalformed"},
		{"sigv2", "AWS AKIDEXAMPLE:c2lnbmF0dXJl", "InvalidRequest"},
		{"sigv4a", "AWS4-ECDSA-P256-SHA256 Credential=x", "InvalidRequest"},
		{"bearer", "Bearer token", "InvalidArgument"},
		{"missing signature", "AWS4-HMAC-SHA256 " + goodCred + ", SignedHeaders=host", "AuthorizationHeaderMalformed"},
		{"missing credential", "AWS4-HMAC-SHA256 SignedHeaders=host, " + goodSig, "AuthorizationHeaderMalformed"},
		{"missing signed headers", "AWS4-HMAC-SHA256 " + goodCred + ", " + goodSig, "AuthorizationHeaderMalformed"},
		{"duplicate", "AWS4-HMAC-SHA256 " + goodCred + ", " + goodCred + ", SignedHeaders=host, " + goodSig, "AuthorizationHeaderMalformed"},
		{"unknown component", "AWS4-HMAC-SHA256 " + goodCred + ", SignedHeaders=host, Foo=bar, " + goodSig, "AuthorizationHeaderMalformed"},
		{"component without =", "AWS4-HMAC-SHA256 " + goodCred + ", SignedHeaders, " + goodSig, "AuthorizationHeaderMalformed"},
		{"trailing comma", "AWS4-HMAC-SHA256 " + goodCred + ", SignedHeaders=host, " + goodSig + ",", "AuthorizationHeaderMalformed"},
		{"empty signed headers", "AWS4-HMAC-SHA256 " + goodCred + ", SignedHeaders=, " + goodSig, "AuthorizationHeaderMalformed"},
		{"empty signed header name", "AWS4-HMAC-SHA256 " + goodCred + ", SignedHeaders=host;;x, " + goodSig, "AuthorizationHeaderMalformed"},
		{"short credential", "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/s3, SignedHeaders=host, " + goodSig, "AuthorizationHeaderMalformed"},
		{"long credential", "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/s3/aws4_request/x, SignedHeaders=host, " + goodSig, "AuthorizationHeaderMalformed"},
		{"empty key", "AWS4-HMAC-SHA256 Credential=/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, " + goodSig, "AuthorizationHeaderMalformed"},
		{"bad date", "AWS4-HMAC-SHA256 Credential=AKID/20241301/us-east-1/s3/aws4_request, SignedHeaders=host, " + goodSig, "AuthorizationHeaderMalformed"},
		{"empty region", "AWS4-HMAC-SHA256 Credential=AKID/20240101//s3/aws4_request, SignedHeaders=host, " + goodSig, "AuthorizationHeaderMalformed"},
		{"empty service", "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1//aws4_request, SignedHeaders=host, " + goodSig, "AuthorizationHeaderMalformed"},
		{"bad terminal", "AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/s3/aws4_reques, SignedHeaders=host, " + goodSig, "AuthorizationHeaderMalformed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			sr, err := parseAuthorization(tc.header)
			if got := code(err); got != tc.want {
				t.Fatalf("parseAuthorization(%q) = %v, want code %q", tc.header, err, tc.want)
			}
			if err == nil && (sr.Cred.AccessKey != "AKIDEXAMPLE" || sr.Cred.Service != "s3" || sr.Cred.Region != "us-east-1") {
				t.Errorf("parsed %+v", sr.Cred)
			}
		})
	}
}

// TestVerifyHeaderErrors covers failures Verify finds around the header.
func TestVerifyHeaderErrors(t *testing.T) {
	const auth = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-content-sha256;x-amz-date, " + goodSig
	tests := []struct {
		name string
		hdr  map[string]string
		want string
	}{
		{"no date", map[string]string{"X-Amz-Date": ""}, "AccessDenied"},
		{"bad x-amz-date", map[string]string{"X-Amz-Date": "20240101 120000"}, "AccessDenied"},
		{"date header", map[string]string{"X-Amz-Date": "", "Date": "Mon, 01 Jan 2024 12:00:00 GMT"}, "SignatureDoesNotMatch"},
		{"bad date header", map[string]string{"X-Amz-Date": "", "Date": "yesterday"}, "AccessDenied"},
		{"scope date differs", map[string]string{"X-Amz-Date": "20240102T000000Z"}, "AuthorizationHeaderMalformed"},
		{"no content sha256", map[string]string{"X-Amz-Content-Sha256": ""}, "InvalidRequest"},
		{"bad content sha256", map[string]string{"X-Amz-Content-Sha256": "abc"}, "InvalidArgument"},
		{"unsigned x-amz header", map[string]string{"X-Amz-Acl": "private"}, "AccessDenied"},
		{"bad signature", nil, "SignatureDoesNotMatch"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, _ := http.NewRequest("GET", "http://example.com/b/k", nil)
			r.Header.Set("Authorization", auth)
			r.Header.Set("X-Amz-Date", "20240101T120000Z")
			r.Header.Set("X-Amz-Content-Sha256", emptySHA256)
			for k, v := range tc.hdr {
				if v == "" {
					r.Header.Del(k)
				} else {
					r.Header.Set(k, v)
				}
			}
			_, err := newTestVerifier(t0).Verify(r)
			if got := code(err); got != tc.want {
				t.Fatalf("Verify = %v, want %q", err, tc.want)
			}
		})
	}
}

func TestSignatureMismatchDetails(t *testing.T) {
	r, _ := http.NewRequest("GET", "http://example.com/b/k", nil)
	r.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20240101/us-east-1/s3/aws4_request, SignedHeaders=host;x-amz-date, "+goodSig)
	r.Header.Set("X-Amz-Date", "20240101T120000Z")
	r.Header.Set("X-Amz-Content-Sha256", "UNSIGNED-PAYLOAD")
	_, err := newTestVerifier(t0).Verify(r)
	var e *Error
	if !errors.As(err, &e) || !errors.Is(err, ErrSignatureDoesNotMatch) {
		t.Fatalf("Verify = %v", err)
	}
	want := []string{"AWSAccessKeyId", "StringToSign", "SignatureProvided", "StringToSignBytes", "CanonicalRequest", "CanonicalRequestBytes"}
	if len(e.Details) != len(want) {
		t.Fatalf("Details = %+v", e.Details)
	}
	for i, d := range e.Details {
		if d.Name != want[i] {
			t.Errorf("Details[%d] = %q, want %q", i, d.Name, want[i])
		}
	}
	if e.Details[4].Value != "GET\n/b/k\n\nhost:example.com\nx-amz-date:20240101T120000Z\n\nhost;x-amz-date\nUNSIGNED-PAYLOAD" {
		t.Errorf("CanonicalRequest = %q", e.Details[4].Value)
	}
	if e.Details[3].Value[:11] != "41 57 53 34" {
		t.Errorf("StringToSignBytes = %q", e.Details[3].Value[:11])
	}
}
