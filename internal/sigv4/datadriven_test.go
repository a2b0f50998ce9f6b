package sigv4

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tarnhq/tarn/internal/datadriven"
)

// The files in testdata/canonical hold canonical request cases:
//
//	# comment
//	<command> [key=value ...]
//	<raw HTTP request: request line, headers, blank line, body>
//	----
//	<expected output>
//	====
//
// Commands:
//
//	sign service=S region=R       sign the request with the SDK signer at t0
//	presign service=S region=R expires=N
//	                              presign it with the SDK signer at t0
//	verify [now=YYYYMMDDTHHMMSSZ] verify the request as written
//
// For sign and presign the test also requires that the canonical request
// and string to sign Verify computes (or their alternative, see
// canonicalURI) equal the ones the SDK signer logged.
// The output is the canonical request, string to sign, signature and the
// outcome of Verify (and of reading the body). -rewrite regenerates it.
func TestDataDriven(t *testing.T) {
	datadriven.Run(t, "testdata/canonical/*.txt", func(t *testing.T, c datadriven.Case) string {
		return runCase(t, c.File, c)
	})
}

// rawRequest turns a case's input into wire bytes: CRLF line ends in the
// head, the body as written (without its last newline), and a
// Content-Length when the body is not empty and the head has none.
func rawRequest(input string) []byte {
	head, body, _ := strings.Cut(input, "\n\n")
	body = strings.TrimSuffix(body, "\n")
	head = strings.ReplaceAll(strings.TrimSuffix(head, "\n"), "\n", "\r\n")
	if body != "" && !strings.Contains(strings.ToLower(head), "\r\ncontent-length:") {
		head += "\r\nContent-Length: " + strconv.Itoa(len(body))
	}
	return []byte(head + "\r\n\r\n" + body)
}

func runCase(t *testing.T, file string, c datadriven.Case) string {
	fields := strings.Fields(c.Command)
	args := map[string]string{}
	for _, f := range fields[1:] {
		k, v, _ := strings.Cut(f, "=")
		args[k] = v
	}
	where := fmt.Sprintf("%s:%d", file, c.Line)
	wire := rawRequest(c.Input)
	now := t0
	var sdk *sdkLog
	switch fields[0] {
	case "sign", "presign":
		wire, sdk = sdkSignInput(t, where, fields[0] == "presign", wire, args)
	case "verify":
		if s, ok := args["now"]; ok {
			var err error
			if now, err = time.Parse(amzDateFormat, s); err != nil {
				t.Fatalf("%s: now: %v", where, err)
			}
		}
	default:
		t.Fatalf("%s: unknown command %q", where, fields[0])
	}
	v := New(Options{Keys: testKeys, Now: func() time.Time { return now }})
	var out strings.Builder
	r0 := parseWire(t, wire)
	vr, err := v.prepare(r0)
	if vr != nil {
		fmt.Fprintf(&out, "canonical request:\n%s\nstring to sign:\n%s\nsignature: %s\n",
			vr.canonical, vr.stringToSign, hex.EncodeToString(hmacSHA256(vr.key, vr.stringToSign)))
		altCanonical, altSTS := "", ""
		if vr.altURI != "" {
			altCanonical = canonicalRequest(r0, vr.altURI, vr.query, vr.sr.SignedHeaders, vr.payloadHash)
			altSTS = stringToSign(vr.amzDate, vr.scope, altCanonical)
			fmt.Fprintf(&out, "alternative canonical URI: %s\nalternative signature: %s\n",
				vr.altURI, hex.EncodeToString(hmacSHA256(vr.key, altSTS)))
		}
		switch {
		case sdk == nil:
		case sdk.canonical == vr.canonical && sdk.stringToSign == vr.stringToSign:
		case sdk.canonical == altCanonical && sdk.stringToSign == altSTS:
			out.WriteString("the SDK signed the alternative\n")
		default:
			t.Errorf("%s: the SDK signed\n%s\n%s\nVerify computed\n%s\n%s", where, sdk.canonical, sdk.stringToSign, vr.canonical, vr.stringToSign)
		}
	}
	r := parseWire(t, wire)
	a, err := v.Verify(r)
	switch {
	case err != nil:
		fmt.Fprintf(&out, "verify: %s\n", errLine(err))
	case a.Anonymous:
		out.WriteString("verify: anonymous\n")
	default:
		body, err := io.ReadAll(r.Body)
		fmt.Fprintf(&out, "verify: ok\nbody: %q\n", body)
		if err != nil {
			fmt.Fprintf(&out, "read: %s\n", errLine(err))
		}
	}
	return out.String()
}

func errLine(err error) string {
	if e, ok := err.(*Error); ok {
		return e.Code + ": " + e.Message
	}
	return "not an *Error: " + err.Error()
}

// sdkSignInput signs (or presigns) the request in wire with the SDK signer
// at t0 and returns the signed request's wire bytes and the SDK's log.
func sdkSignInput(t *testing.T, where string, presign bool, wire []byte, args map[string]string) ([]byte, *sdkLog) {
	in := parseWire(t, wire)
	body, _ := io.ReadAll(in.Body)
	req, err := http.NewRequest(in.Method, "http://"+in.Host+in.RequestURI, bytes.NewReader(body))
	if err != nil {
		t.Fatalf("%s: %v", where, err)
	}
	if len(body) == 0 {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	req.Header = in.Header.Clone()
	service, region := args["service"], args["region"]
	payload := req.Header.Get("X-Amz-Content-Sha256")
	if payload == "" {
		payload = hexSHA256(body)
		if presign && service == "s3" {
			payload = unsignedPayload
		}
	}
	if !presign {
		log := sdkSign(t, req, testCreds, service, region, payload, t0)
		return wireBytes(t, req), &log
	}
	if exp, ok := args["expires"]; ok {
		q := req.URL.Query()
		q.Set("X-Amz-Expires", exp)
		req.URL.RawQuery = q.Encode()
	}
	out, log := sdkPresign(t, req, testCreds, service, region, payload, t0)
	return wireBytes(t, out), &log
}
