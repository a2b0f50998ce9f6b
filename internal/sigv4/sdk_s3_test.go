package sigv4

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// recorded is what the test server saw of one request.
type recorded struct {
	method, path    string
	mode            string // x-amz-content-sha256 as sent
	contentEncoding []string
	auth            *Auth
	body            []byte
	err             error // from Verify or from reading the body
}

// s3Recorder is an httptest server that verifies every request with a real
// clock and records it; it answers just enough for the SDK to be happy.
type s3Recorder struct {
	srv *httptest.Server
	v   *Verifier
	mu  sync.Mutex
	got []recorded // guarded by mu
}

func newS3Recorder(t *testing.T, useTLS bool) *s3Recorder {
	rec := &s3Recorder{v: New(Options{Keys: testKeys})}
	h := http.HandlerFunc(rec.serve)
	if useTLS {
		rec.srv = httptest.NewTLSServer(h)
	} else {
		rec.srv = httptest.NewServer(h)
	}
	t.Cleanup(rec.srv.Close)
	return rec
}

func (rec *s3Recorder) serve(w http.ResponseWriter, r *http.Request) {
	got := recorded{method: r.Method, path: r.URL.Path, mode: r.Header.Get("X-Amz-Content-Sha256")}
	got.auth, got.err = rec.v.Verify(r)
	got.contentEncoding = r.Header.Values("Content-Encoding")
	if got.err == nil {
		got.body, got.err = io.ReadAll(r.Body)
	}
	rec.mu.Lock()
	rec.got = append(rec.got, got)
	rec.mu.Unlock()
	var e *Error
	if errors.As(got.err, &e) {
		w.WriteHeader(e.Status)
		fmt.Fprintf(w, "<Error><Code>%s</Code><Message>%s</Message></Error>", e.Code, e.Message)
		return
	}
	w.Header().Set("ETag", `"etag"`)
	switch {
	case r.Method == "GET" && r.URL.Query().Has("list-type"):
		io.WriteString(w, `<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></ListBucketResult>`)
	case r.Method == "GET":
		io.WriteString(w, "object bytes")
	case r.Method == "POST" && r.URL.Query().Has("delete"):
		io.WriteString(w, `<DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></DeleteResult>`)
	}
}

func (rec *s3Recorder) last(t *testing.T) recorded {
	t.Helper()
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if len(rec.got) == 0 {
		t.Fatal("the server saw no request")
	}
	return rec.got[len(rec.got)-1]
}

func (rec *s3Recorder) client(calc aws.RequestChecksumCalculation) *s3.Client {
	return s3.New(s3.Options{
		Region:                     "us-east-1",
		Credentials:                credentials.NewStaticCredentialsProvider(testCreds.AccessKeyID, testCreds.SecretAccessKey, ""),
		BaseEndpoint:               aws.String(rec.srv.URL),
		UsePathStyle:               true,
		HTTPClient:                 rec.srv.Client(),
		RequestChecksumCalculation: calc,
		RetryMaxAttempts:           1,
	})
}

const (
	whenSupported = aws.RequestChecksumCalculationWhenSupported
	whenRequired  = aws.RequestChecksumCalculationWhenRequired
)

// onlyReader hides every method but Read, so the SDK cannot seek.
type onlyReader struct{ r io.Reader }

func (o onlyReader) Read(p []byte) (int, error) { return o.r.Read(p) }

// TestS3ClientPutObject sends PutObject through the real SDK S3 client
// (whose middleware picks the payload mode) and checks that the request
// verifies and decodes to the exact bytes, with the checksum trailer.
func TestS3ClientPutObject(t *testing.T) {
	data := testData(300 << 10)
	const key = "dir/a b+c/ü?#%.txt"
	tests := []struct {
		name     string
		tls      bool
		seekable bool
		length   bool // set ContentLength on the input
		calc     aws.RequestChecksumCalculation
		wantMode string // x-amz-content-sha256 the SDK v1.114 sends ("hex": a digest)
		wantCode string // Verify's answer, "" for success
	}{
		{"https unseekable with length", true, false, true, whenSupported, streamingUnsigned, ""},
		{"https seekable", true, true, false, whenSupported, streamingUnsigned, ""},
		{"https seekable when required", true, true, false, whenRequired, unsignedPayload, ""},
		{"https unseekable when required", true, false, true, whenRequired, unsignedPayload, ""},
		// Without a length the SDK sends no x-amz-decoded-content-length;
		// S3 refuses that too.
		{"https unseekable unknown length", true, false, false, whenSupported, streamingUnsigned, "MissingContentLength"},
		{"http seekable", false, true, false, whenSupported, "hex", ""},
		{"http seekable when required", false, true, false, whenRequired, "hex", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rec := newS3Recorder(t, tc.tls)
			in := &s3.PutObjectInput{Bucket: aws.String("bucket"), Key: aws.String(key)}
			if tc.seekable {
				in.Body = bytes.NewReader(data)
			} else {
				in.Body = onlyReader{bytes.NewReader(data)}
			}
			if tc.length {
				in.ContentLength = aws.Int64(int64(len(data)))
			}
			_, sdkErr := rec.client(tc.calc).PutObject(context.Background(), in)
			got := rec.last(t)
			t.Logf("%s: x-amz-content-sha256=%s content-encoding(after Verify)=%q trailer=%v", tc.name, got.mode, got.contentEncoding, trailerOf(got))
			if mode := got.mode; mode != tc.wantMode && !(tc.wantMode == "hex" && isHexDigest(mode)) {
				t.Errorf("SDK sent x-amz-content-sha256 %q, want %q", mode, tc.wantMode)
			}
			if code(got.err) != tc.wantCode {
				t.Fatalf("server: %v, want code %q (SDK: %v)", got.err, tc.wantCode, sdkErr)
			}
			if tc.wantCode != "" {
				return
			}
			if sdkErr != nil {
				t.Fatalf("PutObject: %v", sdkErr)
			}
			if got.path != "/bucket/"+key {
				t.Errorf("path %q", got.path)
			}
			if !bytes.Equal(got.body, data) {
				t.Fatalf("body: %d bytes, want %d", len(got.body), len(data))
			}
			if strings.HasPrefix(got.mode, "STREAMING-") {
				if got.auth.DecodedLength != int64(len(data)) || len(got.contentEncoding) != 0 {
					t.Errorf("DecodedLength %d, Content-Encoding %q", got.auth.DecodedLength, got.contentEncoding)
				}
				if want := crc32Trailer(data)[0][1]; got.auth.Trailer.Get("X-Amz-Checksum-Crc32") != want {
					t.Errorf("trailer %v, want crc32 %s", got.auth.Trailer, want)
				}
			}
		})
	}
}

func trailerOf(r recorded) http.Header {
	if r.auth == nil {
		return nil
	}
	return r.auth.Trailer
}

// TestS3ClientOperations runs other request shapes through the SDK.
func TestS3ClientOperations(t *testing.T) {
	for _, useTLS := range []bool{false, true} {
		rec := newS3Recorder(t, useTLS)
		c := rec.client(whenSupported)
		ctx := context.Background()
		ops := map[string]func() error{
			"GetObject": func() error {
				out, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("b"), Key: aws.String("a/ü b"), Range: aws.String("bytes=0-3")})
				if err == nil {
					out.Body.Close()
				}
				return err
			},
			"ListObjectsV2": func() error {
				_, err := c.ListObjectsV2(ctx, &s3.ListObjectsV2Input{Bucket: aws.String("b"), Prefix: aws.String("a b/+"), Delimiter: aws.String("/"), StartAfter: aws.String("")})
				return err
			},
			"DeleteObjects": func() error {
				_, err := c.DeleteObjects(ctx, &s3.DeleteObjectsInput{Bucket: aws.String("b"), Delete: &types.Delete{
					Objects: []types.ObjectIdentifier{{Key: aws.String("k1")}, {Key: aws.String("k 2")}}}})
				return err
			},
			"PresignedGet": func() error {
				p, err := s3.NewPresignClient(c).PresignGetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("b"), Key: aws.String("x y/z")})
				if err != nil {
					return err
				}
				req, _ := http.NewRequest(p.Method, p.URL, nil)
				req.Header = p.SignedHeader.Clone()
				resp, err := rec.srv.Client().Do(req)
				if err != nil {
					return err
				}
				resp.Body.Close()
				if resp.StatusCode != 200 {
					return fmt.Errorf("status %d", resp.StatusCode)
				}
				return nil
			},
		}
		for name, op := range ops {
			t.Run(fmt.Sprintf("%s/tls=%v", name, useTLS), func(t *testing.T) {
				sdkErr := op()
				got := rec.last(t)
				t.Logf("%s: x-amz-content-sha256=%q presigned=%v", name, got.mode, got.auth != nil && got.auth.Presigned)
				if got.err != nil || sdkErr != nil {
					t.Fatalf("server: %v; SDK: %v", got.err, sdkErr)
				}
			})
		}
	}
}
