package tarntest

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
)

// onlyReader hides Seek, so the SDK must stream the body (aws-chunked with
// a trailing checksum, the newest SDK default for PutObject).
type onlyReader struct{ io.Reader }

func apiCode(err error) string {
	var ae smithy.APIError
	if errors.As(err, &ae) {
		return ae.ErrorCode()
	}
	return ""
}

// TestSDKDefaultsRoundTrip drives the full stack (listener, SigV4,
// aws-chunked decoding, S3, fsblob, Pebble) with the SDK's defaults.
func TestSDKDefaultsRoundTrip(t *testing.T) {
	env := Start(t)
	c := env.S3()
	ctx := t.Context()
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("lake")}); err != nil {
		t.Fatal(err)
	}
	bodies := map[string][]byte{
		"seekable":  bytes.Repeat([]byte("s"), 100_000),
		"streamed":  bytes.Repeat([]byte("t"), 300_000),
		"empty":     {},
		"crc32c":    []byte("checked"),
		"dir/ü x+y": []byte("odd key"),
	}
	for key, body := range bodies {
		in := &s3.PutObjectInput{Bucket: aws.String("lake"), Key: aws.String(key), Body: bytes.NewReader(body)}
		switch key {
		case "streamed":
			in.Body, in.ContentLength = onlyReader{bytes.NewReader(body)}, aws.Int64(int64(len(body)))
		case "crc32c":
			in.ChecksumAlgorithm = types.ChecksumAlgorithmCrc32c
		}
		var opts []func(*s3.Options)
		if key == "streamed" {
			// Over plain HTTP the SDK can only stream an unseekable body
			// with an unsigned payload.
			opts = append(opts, s3.WithAPIOptions(v4.SwapComputePayloadSHA256ForUnsignedPayloadMiddleware))
		}
		if _, err := c.PutObject(ctx, in, opts...); err != nil {
			t.Fatalf("put %s: %v", key, err)
		}
	}
	for key, body := range bodies {
		got, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("lake"), Key: aws.String(key)})
		if err != nil {
			t.Fatalf("get %s: %v", key, err)
		}
		b, _ := io.ReadAll(got.Body)
		got.Body.Close()
		if !bytes.Equal(b, body) {
			t.Errorf("%s: got %d bytes, want %d", key, len(b), len(body))
		}
	}
}

func TestSignatureErrors(t *testing.T) {
	env := Start(t)
	ctx := t.Context()
	tests := []struct {
		name, key, secret, code string
	}{
		{"wrong secret", "test", "wrong", "SignatureDoesNotMatch"},
		{"unknown key", "nobody", "test", "InvalidAccessKeyId"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := env.S3(func(o *s3.Options) {
				o.Credentials = credentials.NewStaticCredentialsProvider(tc.key, tc.secret, "")
			})
			_, err := c.ListBuckets(ctx, &s3.ListBucketsInput{})
			if apiCode(err) != tc.code {
				t.Errorf("got %v, want %s", err, tc.code)
			}
		})
	}
}

// signedAt signs a ListBuckets request as if sent at t.
func signedAt(t *testing.T, env *Env, at time.Time) *http.Request {
	req, _ := http.NewRequest(http.MethodGet, env.Endpoint+"/", nil)
	const emptySHA = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	req.Header.Set("X-Amz-Content-Sha256", emptySHA)
	creds := aws.Credentials{AccessKeyID: "test", SecretAccessKey: "test"}
	if err := v4.NewSigner().SignHTTP(context.Background(), creds, req, emptySHA, "s3", "us-east-1", at); err != nil {
		t.Fatal(err)
	}
	return req
}

func TestClockSkew(t *testing.T) {
	env := Start(t)
	for _, tc := range []struct {
		offset time.Duration
		status int
	}{{0, 200}, {14 * time.Minute, 200}, {-16 * time.Minute, 403}, {16 * time.Minute, 403}} {
		resp, err := http.DefaultClient.Do(signedAt(t, env, time.Now().Add(tc.offset)))
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status {
			t.Errorf("offset %v: status %d, want %d: %s", tc.offset, resp.StatusCode, tc.status, body)
		}
		if tc.status == 403 && !strings.Contains(string(body), "RequestTimeTooSkewed") {
			t.Errorf("offset %v: body %s lacks RequestTimeTooSkewed", tc.offset, body)
		}
		if resp.Header.Get("x-amz-request-id") == "" {
			t.Errorf("offset %v: no request id", tc.offset)
		}
	}
}

func TestPresignedURLs(t *testing.T) {
	env := Start(t)
	c := env.S3()
	ctx := t.Context()
	c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("pre")})
	c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("pre"), Key: aws.String("k"), Body: strings.NewReader("presigned")})
	pc := s3.NewPresignClient(c)
	ok, err := pc.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("pre"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.Get(ok.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || string(body) != "presigned" {
		t.Errorf("presigned GET: %d %q", resp.StatusCode, body)
	}
	old, err := pc.PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("pre"), Key: aws.String("k")},
		func(o *s3.PresignOptions) {
			o.Expires = time.Second
			o.Presigner = fixedTimePresigner{o.Presigner, time.Now().Add(-time.Minute)}
		})
	if err != nil {
		t.Fatal(err)
	}
	resp, err = http.Get(old.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 403 || !strings.Contains(string(body), "expired") {
		t.Errorf("expired presign: %d %s", resp.StatusCode, body)
	}
	put, err := pc.PresignPutObject(ctx, &s3.PutObjectInput{Bucket: aws.String("pre"), Key: aws.String("up")})
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(http.MethodPut, put.URL, strings.NewReader("uploaded"))
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Errorf("presigned PUT: %d", resp.StatusCode)
	}
}

// fixedTimePresigner signs as if at a fixed time.
type fixedTimePresigner struct {
	s3.HTTPPresignerV4
	at time.Time
}

func (f fixedTimePresigner) PresignHTTP(ctx context.Context, creds aws.Credentials, r *http.Request, payloadHash, service, region string, _ time.Time, opts ...func(*v4.SignerOptions)) (string, http.Header, error) {
	return f.HTTPPresignerV4.PresignHTTP(ctx, creds, r, payloadHash, service, region, f.at, opts...)
}

func TestAnonymousDenied(t *testing.T) {
	env := Start(t)
	resp, err := http.Get(env.Endpoint + "/somebucket/key")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 403 || !strings.Contains(string(body), "<Code>AccessDenied</Code>") {
		t.Errorf("anonymous GET: %d %s", resp.StatusCode, body)
	}
}
