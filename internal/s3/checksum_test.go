package s3

import (
	"context"
	"crypto/md5"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/tarnhq/tarn/internal/blob"
	"github.com/tarnhq/tarn/internal/request"
	"github.com/tarnhq/tarn/internal/sigv4"
)

func localChecksum(algo string, body []byte) string {
	h := newChecksum(algo)
	h.Write(body)
	return base64.StdEncoding.EncodeToString(h.Sum(nil))
}

// Known vectors: "hello world" under each algorithm, as the AWS SDK's own
// tests and S3 compute them.
func TestChecksumVectors(t *testing.T) {
	want := map[string]string{
		"CRC32":     "DUoRhQ==",
		"CRC32C":    "yZRlqg==",
		"CRC64NVME": "jSnVw/bqjr4=",
		"SHA1":      "Kq5sNclPz7QV2+lfQIuc6R7oRu0=",
		"SHA256":    "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=",
	}
	for algo, w := range want {
		if got := localChecksum(algo, []byte("hello world")); got != w {
			t.Errorf("%s(hello world) = %s, want %s", algo, got, w)
		}
	}
}

func TestPutChecksumsThroughSDK(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "cks")
	body := []byte(strings.Repeat("checksum me ", 1000))
	for _, algo := range []types.ChecksumAlgorithm{types.ChecksumAlgorithmCrc32, types.ChecksumAlgorithmCrc32c,
		types.ChecksumAlgorithmCrc64nvme, types.ChecksumAlgorithmSha1, types.ChecksumAlgorithmSha256} {
		key := "obj-" + string(algo)
		out := env.put(t, "cks", key, body, func(in *s3.PutObjectInput) { in.ChecksumAlgorithm = algo })
		want := localChecksum(string(algo), body)
		got := map[types.ChecksumAlgorithm]*string{"CRC32": out.ChecksumCRC32, "CRC32C": out.ChecksumCRC32C,
			"CRC64NVME": out.ChecksumCRC64NVME, "SHA1": out.ChecksumSHA1, "SHA256": out.ChecksumSHA256}[algo]
		if aws.ToString(got) != want || out.ChecksumType != types.ChecksumTypeFullObject {
			t.Errorf("%s: PutObject checksum %q (%s), want %q", algo, aws.ToString(got), out.ChecksumType, want)
		}
		// GetObject with checksum mode: the SDK validates the body against it.
		g, err := env.client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("cks"), Key: aws.String(key),
			ChecksumMode: types.ChecksumModeEnabled})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.ReadAll(g.Body); err != nil {
			t.Errorf("%s: body fails the SDK's checksum validation: %v", algo, err)
		}
		g.Body.Close()
		h, err := env.client.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("cks"), Key: aws.String(key),
			ChecksumMode: types.ChecksumModeEnabled})
		if err != nil {
			t.Fatal(err)
		}
		got = map[types.ChecksumAlgorithm]*string{"CRC32": h.ChecksumCRC32, "CRC32C": h.ChecksumCRC32C,
			"CRC64NVME": h.ChecksumCRC64NVME, "SHA1": h.ChecksumSHA1, "SHA256": h.ChecksumSHA256}[algo]
		if aws.ToString(got) != want {
			t.Errorf("%s: HeadObject checksum %q, want %q", algo, aws.ToString(got), want)
		}
	}
}

func blobCount(t testing.TB, env *testEnv) int {
	t.Helper()
	n := 0
	if err := env.svc.blobs.List(t.Context(), func(blob.ID) error { n++; return nil }); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestPutDigestErrors(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "cks")
	body := []byte("the body")
	md5sum := md5.Sum(body)
	goodMD5 := base64.StdEncoding.EncodeToString(md5sum[:])
	wrong32 := localChecksum("CRC32", []byte("other"))
	tests := []struct {
		name string
		hdr  map[string]string
		code string
		msg  string
	}{
		{"md5 not base64", map[string]string{"Content-MD5": "%%%"}, "InvalidDigest", ""},
		{"md5 short", map[string]string{"Content-MD5": base64.StdEncoding.EncodeToString([]byte("short"))}, "InvalidDigest", ""},
		{"md5 empty", map[string]string{"Content-MD5": ""}, "InvalidDigest", ""},
		{"md5 mismatch", map[string]string{"Content-MD5": base64.StdEncoding.EncodeToString(make([]byte, 16))}, "BadDigest", "The Content-MD5 you specified did not match what we received."},
		{"md5 ok", map[string]string{"Content-MD5": goodMD5}, "", ""},
		{"crc32 mismatch", map[string]string{"x-amz-checksum-crc32": wrong32}, "BadDigest", "The CRC32 you specified did not match the calculated checksum."},
		{"sha256 mismatch", map[string]string{"x-amz-checksum-sha256": localChecksum("SHA256", nil)}, "BadDigest", "The SHA256 you specified did not match the calculated checksum."},
		{"crc32 invalid", map[string]string{"x-amz-checksum-crc32": "AAAA"}, "InvalidRequest", "Value for x-amz-checksum-crc32 header is invalid."},
		{"two checksums", map[string]string{"x-amz-checksum-crc32": localChecksum("CRC32", body), "x-amz-checksum-sha1": localChecksum("SHA1", body)}, "InvalidRequest", "Expecting a single x-amz-checksum- header. Multiple checksum Types are not allowed."},
		{"sdk algo without value", map[string]string{"x-amz-sdk-checksum-algorithm": "CRC32"}, "InvalidRequest", ""},
		{"sdk algo unknown", map[string]string{"x-amz-sdk-checksum-algorithm": "MD4", "x-amz-checksum-crc32": localChecksum("CRC32", body)}, "InvalidRequest", ""},
		{"sdk algo differs", map[string]string{"x-amz-sdk-checksum-algorithm": "SHA1", "x-amz-checksum-crc32": localChecksum("CRC32", body)}, "BadDigest", ""},
		{"crc32c ok + md5 ok", map[string]string{"x-amz-checksum-crc32c": localChecksum("CRC32C", body), "Content-MD5": goodMD5}, "", ""},
		{"bad trailer name", map[string]string{"x-amz-trailer": "x-amz-foo"}, "InvalidRequest", ""},
	}
	for _, tt := range tests {
		before := blobCount(t, env)
		resp, rb := env.send(t, "PUT", "/cks/obj", body, tt.hdr)
		if tt.code == "" {
			if resp.StatusCode != 200 {
				t.Errorf("%s: %d %s", tt.name, resp.StatusCode, rb)
			}
			continue
		}
		if resp.StatusCode != 400 || errCode(rb) != tt.code || tt.msg != "" && !strings.Contains(string(rb), tt.msg) {
			t.Errorf("%s: %d %s, want %s %q", tt.name, resp.StatusCode, rb, tt.code, tt.msg)
		}
		if after := blobCount(t, env); after != before {
			t.Errorf("%s: %d blobs before, %d after a refused PUT", tt.name, before, after)
		}
	}
	// A refused overwrite leaves the old object in place.
	if got := string(env.get(t, "cks", "obj")); got != string(body) {
		t.Errorf("object = %q", got)
	}
	// Through the SDK: a wrong Content-MD5.
	_, err := env.client.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("cks"), Key: aws.String("x"),
		Body: strings.NewReader("abc"), ContentMD5: aws.String(goodMD5)})
	wantErr(t, err, "BadDigest", 400)
}

// trailerAuth is testAuth for aws-chunked uploads with a trailing
// checksum: as the platform's sigv4 decoder does, it fills Auth.Trailer
// when the body reaches EOF (here from the test-only X-Test-Trailer).
func trailerAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := request.With(r.Context(), request.NewInfo("s3"))
		a := &sigv4.Auth{AccessKey: "test", Region: "us-east-1", Service: "s3", DecodedLength: r.ContentLength}
		tr := http.Header{}
		if v := r.Header.Get("X-Test-Trailer"); v != "" {
			name, val, _ := strings.Cut(v, ":")
			tr.Set(name, val)
		}
		r.Body = &eofTrailer{ReadCloser: r.Body, a: a, tr: tr}
		next.ServeHTTP(w, r.WithContext(sigv4.WithAuth(ctx, a)))
	})
}

type eofTrailer struct {
	io.ReadCloser
	a  *sigv4.Auth
	tr http.Header
}

func (b *eofTrailer) Read(p []byte) (int, error) {
	n, err := b.ReadCloser.Read(p)
	if err == io.EOF {
		b.a.Trailer = b.tr
	}
	return n, err
}

func TestPutTrailerChecksum(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "cks")
	srv := httptest.NewServer(trailerAuth(env.svc.Handler()))
	defer srv.Close()
	body := "trailing checksum body"
	tests := []struct {
		name, trailer string
		status        int
		code          string
	}{
		{"good", "x-amz-checksum-crc32c:" + localChecksum("CRC32C", []byte(body)), 200, ""},
		{"mismatch", "x-amz-checksum-crc32c:" + localChecksum("CRC32C", []byte("x")), 400, "BadDigest"},
		{"missing", "", 400, "MalformedTrailerError"},
		{"invalid", "x-amz-checksum-crc32c:!!", 400, "InvalidRequest"},
	}
	for _, tt := range tests {
		req, _ := http.NewRequestWithContext(context.Background(), "PUT", srv.URL+"/cks/"+tt.name, strings.NewReader(body))
		req.Header.Set("Authorization", "AWS4-HMAC-SHA256 x")
		req.Header.Set("x-amz-trailer", "x-amz-checksum-crc32c")
		req.Header.Set("x-amz-sdk-checksum-algorithm", "CRC32C")
		if tt.trailer != "" {
			req.Header.Set("X-Test-Trailer", tt.trailer)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		rb, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tt.status || errCode(rb) != tt.code {
			t.Errorf("%s: %d %s", tt.name, resp.StatusCode, rb)
		}
		if tt.status == 200 && resp.Header.Get("x-amz-checksum-crc32c") != localChecksum("CRC32C", []byte(body)) {
			t.Errorf("%s: response checksum %q", tt.name, resp.Header.Get("x-amz-checksum-crc32c"))
		}
	}
}
