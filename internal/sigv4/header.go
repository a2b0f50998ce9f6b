package sigv4

import (
	"encoding/hex"
	"net/http"
	"strconv"
	"strings"
	"time"
)

const (
	algorithm     = "AWS4-HMAC-SHA256"
	scopeTerminal = "aws4_request"
	amzDateFormat = "20060102T150405Z"
	scopeFormat   = "20060102"

	// maxExpires is the longest X-Amz-Expires AWS accepts: one week.
	maxExpires = 7 * 24 * 60 * 60
)

// credential is the parsed AKID/DATE/REGION/SERVICE/aws4_request scope.
type credential struct {
	AccessKey string
	Date      string // YYYYMMDD
	Region    string
	Service   string
}

// scope returns DATE/REGION/SERVICE/aws4_request.
func (c credential) scope() string {
	return c.Date + "/" + c.Region + "/" + c.Service + "/" + scopeTerminal
}

// signedRequest is what a request claims about its signature, parsed from
// the Authorization header or from the presigned query parameters.
type signedRequest struct {
	Cred          credential
	SignedHeaders []string // as listed, lowercase, in the client's order
	Signature     []byte   // 32 bytes, decoded from hex
	SignatureHex  string   // as sent
	Presigned     bool
	Expires       time.Duration // presigned only
}

// parseCredential parses AKID/YYYYMMDD/REGION/SERVICE/aws4_request. base is
// the error to report (ErrAuthorizationHeader or ErrAuthorizationQuery).
func parseCredential(s string, base *Error) (credential, error) {
	parts := strings.Split(s, "/")
	if len(parts) != 5 {
		return credential{}, malformed(base, "the Credential is mal-formed; expecting \"<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request\".")
	}
	c := credential{AccessKey: parts[0], Date: parts[1], Region: parts[2], Service: parts[3]}
	switch {
	case c.AccessKey == "":
		return c, malformed(base, "a non-empty Access Key (AKID) must be provided in the credential.")
	case !validScopeDate(c.Date):
		return c, malformed(base, "invalid credential date \""+c.Date+"\".")
	case c.Region == "":
		return c, malformed(base, "the region must not be empty.")
	case c.Service == "":
		return c, malformed(base, "the service must not be empty.")
	case parts[4] != scopeTerminal:
		return c, malformed(base, "incorrect terminal \""+parts[4]+"\". This endpoint uses \"aws4_request\".")
	}
	return c, nil
}

// malformed appends a specific reason to the generic message of base.
func malformed(base *Error, reason string) *Error {
	msg := strings.TrimSuffix(base.Message, ".")
	if base == ErrAuthorizationQuery {
		msg = "Error parsing the X-Amz-Credential parameter"
	}
	return base.WithMessage(msg + "; " + reason)
}

func validScopeDate(s string) bool {
	if len(s) != 8 {
		return false
	}
	_, err := time.Parse(scopeFormat, s)
	return err == nil
}

// parseSignedHeaders splits "host;x-amz-date" into its names. Every name
// must be non-empty.
func parseSignedHeaders(s string) ([]string, bool) {
	if s == "" {
		return nil, false
	}
	names := strings.Split(s, ";")
	for i, n := range names {
		if n == "" {
			return nil, false
		}
		names[i] = strings.ToLower(n)
	}
	return names, true
}

// parseSignature decodes the 64 hex digit signature. Anything else is
// reported as a mismatch, as AWS does.
func parseSignature(s string) ([]byte, bool) {
	if len(s) != 64 {
		return nil, false
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, false
	}
	return b, true
}

// parseAuthorization parses an "AWS4-HMAC-SHA256 Credential=...,
// SignedHeaders=..., Signature=..." header value. Components may be
// separated by "," with optional spaces, in any order; each must appear
// exactly once. A malformed signature value is not an error here (the
// caller reports SignatureDoesNotMatch); Signature is then nil.
func parseAuthorization(h string) (*signedRequest, error) {
	rest, ok := strings.CutPrefix(h, algorithm)
	if !ok {
		return nil, unsupportedAuthorization(h)
	}
	if rest == "" || rest[0] != ' ' {
		return nil, malformed(ErrAuthorizationHeader, "the authorization header requires the components Credential, SignedHeaders and Signature.")
	}
	var cred, signed, sig string
	var seen [3]bool
	for part := range strings.SplitSeq(rest, ",") {
		part = strings.Trim(part, " ")
		key, val, ok := strings.Cut(part, "=")
		if !ok {
			return nil, malformed(ErrAuthorizationHeader, "the authorization component \""+part+"\" is malformed.")
		}
		var i int
		switch key {
		case "Credential":
			i, cred = 0, val
		case "SignedHeaders":
			i, signed = 1, val
		case "Signature":
			i, sig = 2, val
		default:
			return nil, malformed(ErrAuthorizationHeader, "the authorization component \""+part+"\" is malformed.")
		}
		if seen[i] {
			return nil, malformed(ErrAuthorizationHeader, "the authorization component \""+key+"\" appears more than once.")
		}
		seen[i] = true
	}
	if !seen[0] || !seen[1] || !seen[2] {
		return nil, malformed(ErrAuthorizationHeader, "the authorization header requires the components Credential, SignedHeaders and Signature.")
	}
	c, err := parseCredential(cred, ErrAuthorizationHeader)
	if err != nil {
		return nil, err
	}
	names, ok := parseSignedHeaders(signed)
	if !ok {
		return nil, malformed(ErrAuthorizationHeader, "the SignedHeaders component \""+signed+"\" is malformed.")
	}
	b, _ := parseSignature(sig)
	return &signedRequest{Cred: c, SignedHeaders: names, Signature: b, SignatureHex: sig}, nil
}

// unsupportedAuthorization is the error for an Authorization header that
// is not SigV4 with HMAC-SHA256.
func unsupportedAuthorization(h string) *Error {
	switch {
	case strings.HasPrefix(h, "AWS "), strings.HasPrefix(h, "AWS4-"):
		// SigV2, SigV4a (AWS4-ECDSA-P256-SHA256) and friends.
		return ErrInvalidRequest.WithMessage("The authorization mechanism you have provided is not supported. Please use AWS4-HMAC-SHA256.")
	default:
		return ErrInvalidArgument.WithMessage("Unsupported Authorization Type").withDetails("ArgumentName", "Authorization", "ArgumentValue", h)
	}
}

// parsePresigned parses the X-Amz-* query parameters of a presigned URL.
// It returns the parsed request and the X-Amz-Date value.
func parsePresigned(q queryParams) (*signedRequest, string, error) {
	alg, okAlg := q.get("X-Amz-Algorithm")
	cred, okCred := q.get("X-Amz-Credential")
	sig, okSig := q.get("X-Amz-Signature")
	date, okDate := q.get("X-Amz-Date")
	signed, okSigned := q.get("X-Amz-SignedHeaders")
	exp, okExp := q.get("X-Amz-Expires")
	if !okAlg || !okCred || !okSig || !okDate || !okSigned || !okExp {
		return nil, "", ErrAuthorizationQuery
	}
	if alg != algorithm {
		return nil, "", ErrAuthorizationQuery.WithMessage("X-Amz-Algorithm only supports \"AWS4-HMAC-SHA256\"")
	}
	c, err := parseCredential(cred, ErrAuthorizationQuery)
	if err != nil {
		return nil, "", err
	}
	secs, err := strconv.ParseInt(exp, 10, 64)
	switch {
	case err != nil:
		return nil, "", ErrAuthorizationQuery.WithMessage("X-Amz-Expires should be a number")
	case secs < 1:
		return nil, "", ErrAuthorizationQuery.WithMessage("X-Amz-Expires must be non-negative and greater than zero")
	case secs > maxExpires:
		return nil, "", ErrAuthorizationQuery.WithMessage("X-Amz-Expires must be less than a week (in seconds) that is 604800")
	}
	names, ok := parseSignedHeaders(signed)
	if !ok {
		return nil, "", ErrAuthorizationQuery.WithMessage("X-Amz-SignedHeaders is malformed")
	}
	b, _ := parseSignature(sig)
	return &signedRequest{
		Cred: c, SignedHeaders: names, Signature: b, SignatureHex: sig,
		Presigned: true, Expires: time.Duration(secs) * time.Second,
	}, date, nil
}

// Scope returns the service and region of r's credential scope (from the
// Authorization header or the X-Amz-Credential query parameter) without
// verifying anything; ok is false when r carries no SigV4 credential.
func Scope(r *http.Request) (service, region string, ok bool) {
	var cred string
	if h := r.Header.Get("Authorization"); h != "" {
		_, rest, found := strings.Cut(h, "Credential=")
		if !found || !strings.HasPrefix(h, algorithm) {
			return "", "", false
		}
		if i := strings.IndexAny(rest, ", "); i >= 0 {
			rest = rest[:i]
		}
		cred = rest
	} else {
		v, found := parseQuery(rawQuery(r)).get("X-Amz-Credential")
		if !found {
			return "", "", false
		}
		cred = v
	}
	parts := strings.Split(cred, "/")
	if len(parts) != 5 || parts[2] == "" || parts[3] == "" {
		return "", "", false
	}
	return parts[3], parts[2], true
}
