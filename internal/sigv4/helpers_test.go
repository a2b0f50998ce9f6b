package sigv4

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/smithy-go/logging"
)

var (
	// t0 is the signing time of most tests.
	t0 = time.Date(2024, 1, 1, 12, 0, 0, 0, time.UTC)

	testCreds = aws.Credentials{
		AccessKeyID:     "AKIDEXAMPLE",
		SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
	}
	// testKeys holds testCreds and the key of the S3 documentation examples.
	testKeys = map[string]string{
		"AKIDEXAMPLE":          "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
		"AKIAIOSFODNN7EXAMPLE": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
	}
)

func newTestVerifier(now time.Time) *Verifier {
	return New(Options{Keys: testKeys, Now: func() time.Time { return now }})
}

func hexSHA256(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// wireBytes serializes a client request as it goes on the wire.
func wireBytes(t testing.TB, req *http.Request) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := req.Write(&b); err != nil {
		t.Fatalf("write request: %v", err)
	}
	return b.Bytes()
}

// parseWire reads a request the way net/http's server does (Host moved to
// r.Host, RequestURI set, Transfer-Encoding moved out of the header).
func parseWire(t testing.TB, b []byte) *http.Request {
	t.Helper()
	r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(b)))
	if err != nil {
		t.Fatalf("read request: %v\n%s", err, b)
	}
	return r
}

// overWire turns a client request into the request a server would see.
func overWire(t testing.TB, req *http.Request) *http.Request {
	t.Helper()
	return parseWire(t, wireBytes(t, req))
}

// sdkLog is what the SDK signer logged: its canonical request and string
// to sign.
type sdkLog struct{ canonical, stringToSign string }

func sdkSigner(service string, log *sdkLog) *v4.Signer {
	return v4.NewSigner(func(o *v4.SignerOptions) {
		o.DisableURIPathEscaping = service == "s3"
		o.LogSigning = true
		o.Logger = logging.LoggerFunc(func(_ logging.Classification, _ string, v ...any) {
			if len(v) >= 2 {
				log.canonical, _ = v[0].(string)
				log.stringToSign, _ = v[1].(string)
			}
		})
	})
}

// sdkSign signs req in place with the SDK's signer (Authorization header).
func sdkSign(t testing.TB, req *http.Request, creds aws.Credentials, service, region, payloadHash string, at time.Time) sdkLog {
	t.Helper()
	var log sdkLog
	if err := sdkSigner(service, &log).SignHTTP(context.Background(), creds, req, payloadHash, service, region, at); err != nil {
		t.Fatalf("SignHTTP: %v", err)
	}
	return log
}

// sdkPresign presigns req with the SDK's signer and returns the request a
// client would send for the presigned URL.
func sdkPresign(t testing.TB, req *http.Request, creds aws.Credentials, service, region, payloadHash string, at time.Time) (*http.Request, sdkLog) {
	t.Helper()
	var log sdkLog
	u, hdr, err := sdkSigner(service, &log).PresignHTTP(context.Background(), creds, req, payloadHash, service, region, at)
	if err != nil {
		t.Fatalf("PresignHTTP: %v", err)
	}
	var body io.Reader
	if req.GetBody != nil {
		body, _ = req.GetBody()
	}
	out, err := http.NewRequest(req.Method, u, body)
	if err != nil {
		t.Fatalf("new presigned request: %v", err)
	}
	for k, vs := range hdr {
		if k == "Host" {
			continue
		}
		out.Header[k] = vs
	}
	return out, log
}

// newServer starts an httptest server for the test.
func newServer(t testing.TB, h http.HandlerFunc) *httptest.Server {
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv
}

// code is the AWS error code of err, "" for nil.
func code(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if !errors.As(err, &e) {
		return "not an *Error: " + err.Error()
	}
	return e.Code
}

// readAllCode reads r.Body to the end and returns the bytes and the code
// of the error the body ended with ("" for io.EOF).
func readAllCode(r *http.Request) ([]byte, string) {
	b, err := io.ReadAll(r.Body)
	return b, code(err)
}
