package sigv4

import (
	"crypto/hmac"
	"encoding/hex"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	// DefaultMaxSkew is how far a request's date may be from the server's
	// clock, as on AWS.
	DefaultMaxSkew = 15 * time.Minute

	// DefaultMaxBufferedBody bounds a body Verify has to read in full to
	// hash it (a non-S3 request without x-amz-content-sha256). It is above
	// every AWS JSON/query API request limit; the largest is Lambda's 50 MB
	// zip upload, about 67 MB once base64-encoded.
	DefaultMaxBufferedBody = 128 << 20
)

// Options configure a Verifier. The zero value is not useful: Keys must be set.
type Options struct {
	Keys    map[string]string // access key id -> secret access key
	Now     func() time.Time  // nil means time.Now
	MaxSkew time.Duration     // 0 means DefaultMaxSkew (15 * time.Minute)

	// MaxBufferedBody bounds the body of a request whose payload hash is
	// not in x-amz-content-sha256 (every non-S3 SDK request): Verify reads
	// such a body into memory to hash it. 0 means DefaultMaxBufferedBody.
	MaxBufferedBody int64
}

// Verifier verifies AWS Signature Version 4. It is safe for concurrent use.
type Verifier struct {
	keys        map[string]string // read-only after New
	now         func() time.Time
	maxSkew     time.Duration
	maxBuffered int64
	cache       keyCache
}

// New returns a Verifier for opts. It copies opts.Keys.
func New(opts Options) *Verifier {
	v := &Verifier{
		keys:        maps.Clone(opts.Keys),
		now:         opts.Now,
		maxSkew:     opts.MaxSkew,
		maxBuffered: opts.MaxBufferedBody,
	}
	if v.now == nil {
		v.now = time.Now
	}
	if v.maxSkew <= 0 {
		v.maxSkew = DefaultMaxSkew
	}
	if v.maxBuffered <= 0 {
		v.maxBuffered = DefaultMaxBufferedBody
	}
	return v
}

// Verify authenticates r. On success it returns the *Auth. When the payload is
// hashed (hex sha256 in x-amz-content-sha256) or aws-chunked, r.Body is replaced
// by a reader that verifies (and decodes) it while it is read: its Read returns an
// *Error (ErrContentSHA256Mismatch, ErrSignatureDoesNotMatch for a bad chunk
// signature, ErrIncompleteBody, ...) instead of io.EOF when verification fails,
// so a consumer that reads to EOF never accepts unverified bytes.
// A request with no signature at all (no Authorization header, no X-Amz-Signature
// query) returns &Auth{Anonymous: true, DecodedLength: -1}, nil; the caller decides.
//
// A non-S3 request without x-amz-content-sha256 has its body read and
// hashed by Verify itself (bounded by Options.MaxBufferedBody); r.Body is
// then replaced by the buffered, verified bytes. Every error is an *Error.
func (v *Verifier) Verify(r *http.Request) (*Auth, error) {
	vr, err := v.prepare(r)
	if err != nil || vr == nil {
		if err == nil {
			return &Auth{Anonymous: true, DecodedLength: -1}, nil
		}
		return nil, err
	}
	if !hmac.Equal(hmacSHA256(vr.key, vr.stringToSign), vr.sr.Signature) {
		// Also accept the alternative canonical URI (see canonicalURI).
		if vr.altURI == "" || !hmac.Equal(hmacSHA256(vr.key, stringToSign(vr.amzDate, vr.scope,
			canonicalRequest(r, vr.altURI, vr.query, vr.sr.SignedHeaders, vr.payloadHash))), vr.sr.Signature) {
			return nil, signatureMismatch(vr.sr, vr.stringToSign, vr.canonical)
		}
	}
	a := &Auth{
		AccessKey:     vr.sr.Cred.AccessKey,
		Region:        vr.sr.Cred.Region,
		Service:       vr.sr.Cred.Service,
		Presigned:     vr.sr.Presigned,
		DecodedLength: -1,
	}
	cs := chunkSigner{key: vr.key, date: vr.amzDate, scope: vr.scope, seed: vr.sr.Signature}
	if err := installBody(r, a, vr.mode, vr.payloadHash, cs); err != nil {
		return nil, err
	}
	return a, nil
}

// verification is a signed request taken apart: what it claims, and the
// canonical request and string to sign Verify computed for it.
type verification struct {
	sr           *signedRequest
	s3           bool
	amzDate      string
	scope        string
	key          []byte // signing key of the scope
	mode         payloadMode
	payloadHash  string
	uri, query   string // canonical URI and query lines
	altURI       string // alternative canonical URI, "" if none
	canonical    string
	stringToSign string
}

// prepare parses and checks everything about r but the signature itself.
// It returns nil, nil for an anonymous request.
func (v *Verifier) prepare(r *http.Request) (*verification, error) {
	rawPath, rawQ := requestTarget(r)
	params := parseQuery(rawQ)
	authz := r.Header.Get("Authorization")
	inQuery := params.has("X-Amz-Signature") || params.has("X-Amz-Algorithm") || params.has("X-Amz-Credential")
	switch {
	case authz != "" && inQuery:
		return nil, ErrInvalidArgument.WithMessage("Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization header should be specified").
			withDetails("ArgumentName", "Authorization", "ArgumentValue", authz)
	case authz == "" && !inQuery:
		if params.has("AWSAccessKeyId") && params.has("Signature") {
			return nil, unsupportedAuthorization("AWS ") // SigV2 query auth
		}
		return nil, nil
	}

	vr := &verification{}
	var t time.Time
	var err error
	if authz != "" {
		if vr.sr, err = parseAuthorization(authz); err != nil {
			return nil, err
		}
		if vr.amzDate, t, err = headerTime(r); err != nil {
			return nil, err
		}
	} else {
		if vr.sr, vr.amzDate, err = parsePresigned(params); err != nil {
			return nil, err
		}
		if t, err = time.Parse(amzDateFormat, vr.amzDate); err != nil {
			return nil, ErrAuthorizationQuery.WithMessage("X-Amz-Date must be in the ISO8601 Long Format \"yyyyMMdd'T'HHmmss'Z'\"")
		}
	}
	sr := vr.sr
	secret, ok := v.keys[sr.Cred.AccessKey]
	if !ok {
		return nil, ErrInvalidAccessKeyID.withDetails("AWSAccessKeyId", sr.Cred.AccessKey)
	}
	if err := v.checkTime(sr, vr.amzDate, t); err != nil {
		return nil, err
	}
	vr.s3 = sr.Cred.Service == "s3"
	if err := checkSignedHeaders(r, sr, vr.s3); err != nil {
		return nil, err
	}
	if vr.mode, vr.payloadHash, err = v.payloadHash(r, sr, vr.s3); err != nil {
		return nil, err
	}
	vr.key = v.cache.get(secret, sr.Cred.Date, sr.Cred.Region, sr.Cred.Service)
	vr.scope = sr.Cred.scope()
	vr.query = canonicalQuery(params, sr.Presigned)
	vr.uri, vr.altURI = canonicalURI(rawPath, vr.s3)
	vr.canonical = canonicalRequest(r, vr.uri, vr.query, sr.SignedHeaders, vr.payloadHash)
	vr.stringToSign = stringToSign(vr.amzDate, vr.scope, vr.canonical)
	return vr, nil
}

// headerTime returns the request time of a header-signed request: from
// X-Amz-Date, else from Date.
func headerTime(r *http.Request) (string, time.Time, error) {
	bad := ErrAccessDenied.WithMessage("AWS authentication requires a valid Date or x-amz-date header")
	if d := r.Header.Get("X-Amz-Date"); d != "" {
		t, err := time.Parse(amzDateFormat, d)
		if err != nil {
			return "", time.Time{}, bad
		}
		return d, t, nil
	}
	if d := r.Header.Get("Date"); d != "" {
		t, err := http.ParseTime(d)
		if err != nil {
			return "", time.Time{}, bad
		}
		t = t.UTC()
		return t.Format(amzDateFormat), t, nil
	}
	return "", time.Time{}, bad
}

// checkTime checks the scope date against the request date, and the
// request date against the clock: within MaxSkew for a header-signed
// request, within [date-MaxSkew, date+X-Amz-Expires] for a presigned one.
func (v *Verifier) checkTime(sr *signedRequest, amzDate string, t time.Time) error {
	if sr.Cred.Date != amzDate[:8] {
		if sr.Presigned {
			return ErrAuthorizationQuery.WithMessage("Invalid credential date \"" + sr.Cred.Date +
				"\". This date is not the same as X-Amz-Date: \"" + amzDate[:8] + "\".")
		}
		return malformed(ErrAuthorizationHeader, "Invalid credential date. Date is not the same as X-Amz-Date.")
	}
	now := v.now().UTC()
	const iso = "2006-01-02T15:04:05Z"
	if sr.Presigned {
		if t.After(now.Add(v.maxSkew)) {
			return ErrNotYetValid.withDetails("X-Amz-Date", amzDate, "ServerTime", now.Format(iso))
		}
		if now.After(t.Add(sr.Expires)) {
			return ErrExpiredPresign.withDetails(
				"X-Amz-Expires", strconv.FormatInt(int64(sr.Expires/time.Second), 10),
				"Expires", t.Add(sr.Expires).Format(iso),
				"ServerTime", now.Format(iso))
		}
		return nil
	}
	if d := now.Sub(t); d > v.maxSkew || d < -v.maxSkew {
		return ErrRequestTimeTooSkewed.withDetails(
			"RequestTime", amzDate,
			"ServerTime", now.Format(iso),
			"MaxAllowedSkewMilliseconds", strconv.FormatInt(v.maxSkew.Milliseconds(), 10))
	}
	return nil
}

// checkSignedHeaders requires host to be signed and, for S3, every x-amz-*
// header present to be signed (x-amz-content-sha256 is covered by the
// payload hash line anyway).
func checkSignedHeaders(r *http.Request, sr *signedRequest, s3 bool) error {
	var missing []string
	if !slices.Contains(sr.SignedHeaders, "host") {
		missing = append(missing, "host")
	}
	if s3 {
		for k := range r.Header {
			if len(k) <= 6 || !strings.EqualFold(k[:6], "x-amz-") {
				continue
			}
			if lk := strings.ToLower(k); lk != "x-amz-content-sha256" && !slices.Contains(sr.SignedHeaders, lk) {
				missing = append(missing, lk)
			}
		}
	}
	if len(missing) == 0 {
		return nil
	}
	slices.Sort(missing)
	return ErrHeadersNotSigned.withDetails("HeadersNotSigned", strings.Join(missing, ", "))
}

// signatureMismatch is SignatureDoesNotMatch with the details S3 returns.
func signatureMismatch(sr *signedRequest, sts, creq string) *Error {
	return ErrSignatureDoesNotMatch.withDetails(
		"AWSAccessKeyId", sr.Cred.AccessKey,
		"StringToSign", sts,
		"SignatureProvided", sr.SignatureHex,
		"StringToSignBytes", spacedHex(sts),
		"CanonicalRequest", creq,
		"CanonicalRequestBytes", spacedHex(creq))
}

// spacedHex renders s as "41 57 53", the way S3 shows signed bytes.
func spacedHex(s string) string {
	if s == "" {
		return ""
	}
	b := make([]byte, 0, 3*len(s))
	for i := 0; i < len(s); i++ {
		if i > 0 {
			b = append(b, ' ')
		}
		b = hex.AppendEncode(b, []byte{s[i]})
	}
	return string(b)
}
