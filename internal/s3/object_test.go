package s3

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/tarnhq/tarn/internal/kv"
)

func TestPutGetRoundTrip(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "data")
	body := []byte("hello, lake")
	sum := md5.Sum(body)
	out := env.put(t, "data", "greeting.txt", body, func(in *s3.PutObjectInput) {
		in.ContentType = aws.String("text/plain")
		in.ContentEncoding = aws.String("identity")
		in.ContentDisposition = aws.String(`attachment; filename="g.txt"`)
		in.ContentLanguage = aws.String("en")
		in.CacheControl = aws.String("max-age=60")
		in.Expires = aws.Time(time.Date(2030, 1, 2, 3, 4, 5, 0, time.UTC))
		in.Metadata = map[string]string{"color": "blue", "Mixed-Case": "Value With Spaces"}
		in.StorageClass = types.StorageClassStandardIa
	})
	wantETag := `"` + hex.EncodeToString(sum[:]) + `"`
	if aws.ToString(out.ETag) != wantETag {
		t.Errorf("PutObject ETag = %s, want %s", aws.ToString(out.ETag), wantETag)
	}
	if out.ChecksumCRC64NVME == nil || out.ChecksumType != types.ChecksumTypeFullObject {
		t.Errorf("no default CRC64NVME checksum: %v %q", out.ChecksumCRC64NVME, out.ChecksumType)
	}
	got, err := env.client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("data"), Key: aws.String("greeting.txt")})
	if err != nil {
		t.Fatal(err)
	}
	defer got.Body.Close()
	var buf bytes.Buffer
	buf.ReadFrom(got.Body)
	checks := []struct{ name, got, want string }{
		{"body", buf.String(), string(body)},
		{"ETag", aws.ToString(got.ETag), wantETag},
		{"Content-Type", aws.ToString(got.ContentType), "text/plain"},
		{"Content-Encoding", aws.ToString(got.ContentEncoding), "identity"},
		{"Content-Disposition", aws.ToString(got.ContentDisposition), `attachment; filename="g.txt"`},
		{"Content-Language", aws.ToString(got.ContentLanguage), "en"},
		{"Cache-Control", aws.ToString(got.CacheControl), "max-age=60"},
		{"Expires", aws.ToString(got.ExpiresString), "Wed, 02 Jan 2030 03:04:05 GMT"},
		{"meta color", got.Metadata["color"], "blue"},
		{"meta mixed-case", got.Metadata["mixed-case"], "Value With Spaces"},
		{"storage class", string(got.StorageClass), "STANDARD_IA"},
		{"Accept-Ranges", aws.ToString(got.AcceptRanges), "bytes"},
		{"SSE", string(got.ServerSideEncryption), "AES256"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %q, want %q", c.name, c.got, c.want)
		}
	}
	if aws.ToInt64(got.ContentLength) != int64(len(body)) || got.LastModified == nil {
		t.Errorf("Content-Length %d, Last-Modified %v", aws.ToInt64(got.ContentLength), got.LastModified)
	}

	head, err := env.client.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("data"), Key: aws.String("greeting.txt")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt64(head.ContentLength) != int64(len(body)) || aws.ToString(head.ETag) != wantETag || head.Metadata["color"] != "blue" {
		t.Errorf("HeadObject = %+v", head)
	}
}

func TestPutDefaults(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "data")
	if resp, _ := env.send(t, "PUT", "/data/plain", []byte{}, nil); resp.StatusCode != 200 {
		t.Fatalf("PUT: %d", resp.StatusCode)
	}
	resp, body := env.send(t, "GET", "/data/plain", nil, nil)
	if resp.StatusCode != 200 || len(body) != 0 {
		t.Fatalf("GET empty object: %d %q", resp.StatusCode, body)
	}
	if got := resp.Header.Get("Content-Type"); got != "binary/octet-stream" {
		t.Errorf("default Content-Type = %q", got)
	}
	if got := resp.Header.Get("x-amz-storage-class"); got != "" {
		t.Errorf("STANDARD objects carry no x-amz-storage-class, got %q", got)
	}
	if got := resp.Header.Get("ETag"); got != `"d41d8cd98f00b204e9800998ecf8427e"` {
		t.Errorf("empty ETag = %s", got)
	}
	if got := resp.Header.Get("x-amz-checksum-crc64nvme"); got != "" {
		t.Errorf("checksum without x-amz-checksum-mode: %q", got)
	}
	// aws-chunked is a transfer coding, never stored.
	resp, _ = env.send(t, "PUT", "/data/chunked", []byte("x"), map[string]string{"Content-Encoding": "aws-chunked,gzip"})
	if resp.StatusCode != 200 {
		t.Fatalf("PUT: %d", resp.StatusCode)
	}
	resp, _ = env.send(t, "HEAD", "/data/chunked", nil, nil)
	if got := resp.Header.Get("Content-Encoding"); got != "gzip" {
		t.Errorf("Content-Encoding = %q, want gzip", got)
	}
}

func TestPutErrors(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "data")
	bigMeta := map[string]string{"a": strings.Repeat("x", 2048)}
	tests := []struct {
		name   string
		in     *s3.PutObjectInput
		code   string
		status int
	}{
		{"no bucket", &s3.PutObjectInput{Bucket: aws.String("nope"), Key: aws.String("k")}, "NoSuchBucket", 404},
		{"key too long", &s3.PutObjectInput{Bucket: aws.String("data"), Key: aws.String(strings.Repeat("k", 1025))}, "KeyTooLongError", 400},
		{"metadata too large", &s3.PutObjectInput{Bucket: aws.String("data"), Key: aws.String("k"), Metadata: bigMeta}, "MetadataTooLarge", 400},
		{"bad storage class", &s3.PutObjectInput{Bucket: aws.String("data"), Key: aws.String("k"), StorageClass: "PLATINUM"}, "InvalidStorageClass", 400},
		{"acl", &s3.PutObjectInput{Bucket: aws.String("data"), Key: aws.String("k"), ACL: types.ObjectCannedACLPublicRead}, "AccessControlListNotSupported", 400},
		{"tagging", &s3.PutObjectInput{Bucket: aws.String("data"), Key: aws.String("k"), Tagging: aws.String("a=1&a=2")}, "InvalidArgument", 400},
		{"kms", &s3.PutObjectInput{Bucket: aws.String("data"), Key: aws.String("k"), ServerSideEncryption: types.ServerSideEncryptionAwsKms}, "NotImplemented", 501},
		{"object lock", &s3.PutObjectInput{Bucket: aws.String("data"), Key: aws.String("k"), ObjectLockLegalHoldStatus: types.ObjectLockLegalHoldStatusOn}, "InvalidRequest", 400},
		{"if-none-match etag", &s3.PutObjectInput{Bucket: aws.String("data"), Key: aws.String("k"), IfNoneMatch: aws.String(`"abc"`)}, "NotImplemented", 501},
	}
	for _, tt := range tests {
		tt.in.Body = strings.NewReader("body")
		_, err := env.client.PutObject(t.Context(), tt.in)
		if code, status := apiErr(err); code != tt.code || status != tt.status {
			t.Errorf("%s: got %q/%d (%v), want %q/%d", tt.name, code, status, err, tt.code, tt.status)
		}
	}
	// Metadata of exactly 2 KB (names and values) is allowed.
	env.put(t, "data", "k", nil, func(in *s3.PutObjectInput) {
		in.Metadata = map[string]string{"a": strings.Repeat("x", 2047)}
	})
}

func TestKeyEdgeCases(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "keys")
	keys := []string{
		"ключ/日本語/🚀.txt",
		"with spaces and +plus+ & amp",
		"..",
		"a/../b",
		"./dot",
		"a//b",
		"/leading-slash",
		"trailing/",
		"percent%20literal%2F",
		"query?x=1#frag",
		"tab\tand~tilde",
		strings.Repeat("k", 1024),
		strings.Repeat("é", 512), // 1024 bytes of UTF-8
	}
	for i, k := range keys {
		body := []byte{byte(i), 'v'}
		env.put(t, "keys", k, body)
		if got := env.get(t, "keys", k); !bytes.Equal(got, body) {
			t.Errorf("key %q: got %q, want %q", k, got, body)
		}
	}
	_, err := env.client.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("keys"),
		Key: aws.String(strings.Repeat("é", 512) + "x"), Body: strings.NewReader("v")})
	wantErr(t, err, "KeyTooLongError", 400)

	// The index holds exactly the keys sent: nothing was cleaned or merged.
	stored := map[string]bool{}
	it, err := env.svc.meta.Iter(objectPrefix("keys"), kv.PrefixEnd(objectPrefix("keys")))
	if err != nil {
		t.Fatal(err)
	}
	for ok := it.First(); ok; ok = it.Next() {
		stored[strings.TrimPrefix(string(it.Key()), string(objectPrefix("keys")))] = true
	}
	it.Close()
	for _, k := range keys {
		if !stored[k] {
			t.Errorf("key %q not stored as sent", k)
		}
	}
	if len(stored) != len(keys) {
		t.Errorf("%d keys stored, want %d", len(stored), len(keys))
	}
}

func TestGetMissing(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "data")
	_, err := env.client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("data"), Key: aws.String("nope")})
	wantErr(t, err, "NoSuchKey", 404)
	_, err = env.client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("nobucket"), Key: aws.String("k")})
	wantErr(t, err, "NoSuchBucket", 404)
	_, err = env.client.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("data"), Key: aws.String("nope")})
	wantErr(t, err, "NotFound", 404)

	resp, body := env.send(t, "GET", "/data/nope", nil, nil)
	if resp.StatusCode != 404 || !strings.Contains(string(body), "<Key>nope</Key>") {
		t.Errorf("NoSuchKey body lacks Key: %s", body)
	}
	resp, body = env.send(t, "HEAD", "/data/nope", nil, nil)
	if resp.StatusCode != 404 || len(body) != 0 {
		t.Errorf("HEAD error has a body: %d %q", resp.StatusCode, body)
	}
	env.put(t, "data", "k", []byte("v"))
	resp, body = env.send(t, "GET", "/data/k?versionId=abc", nil, nil)
	if resp.StatusCode != 400 || errCode(body) != "InvalidArgument" {
		t.Errorf("versionId=abc: %d %s", resp.StatusCode, body)
	}
	if resp, _ := env.send(t, "GET", "/data/k?versionId=null", nil, nil); resp.StatusCode != 200 {
		t.Errorf("versionId=null: %d", resp.StatusCode)
	}
}

func TestDeleteObject(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "data")
	etag := aws.ToString(env.put(t, "data", "k", []byte("v")).ETag)
	del := func(key string, ifMatch *string) error {
		_, err := env.client.DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String("data"), Key: aws.String(key), IfMatch: ifMatch})
		return err
	}
	wantErr(t, del("k", aws.String(`"0000"`)), "PreconditionFailed", 412)
	if err := del("k", aws.String(etag)); err != nil {
		t.Fatal(err)
	}
	_, err := env.client.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("data"), Key: aws.String("k")})
	wantErr(t, err, "NotFound", 404)
	if err := del("k", nil); err != nil {
		t.Errorf("deleting a missing key: %v, want 204", err)
	}
	wantErr(t, del("k", aws.String("*")), "NoSuchKey", 404)
	_, err = env.client.DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String("nope"), Key: aws.String("k")})
	wantErr(t, err, "NoSuchBucket", 404)
	resp, _ := env.send(t, "DELETE", "/data/k", nil, nil)
	if resp.StatusCode != 204 {
		t.Errorf("DELETE status %d, want 204", resp.StatusCode)
	}
}

func TestConditionalPut(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "data")
	put := func(body string, opt func(*s3.PutObjectInput)) (string, error) {
		in := &s3.PutObjectInput{Bucket: aws.String("data"), Key: aws.String("k"), Body: strings.NewReader(body)}
		opt(in)
		out, err := env.client.PutObject(t.Context(), in)
		if err != nil {
			return "", err
		}
		return aws.ToString(out.ETag), nil
	}
	ifNone := func(in *s3.PutObjectInput) { in.IfNoneMatch = aws.String("*") }
	_, err := put("v0", func(in *s3.PutObjectInput) { in.IfMatch = aws.String(`"x"`) })
	wantErr(t, err, "NoSuchKey", 404)
	etag, err := put("v1", ifNone)
	if err != nil {
		t.Fatal(err)
	}
	_, err = put("v2", ifNone)
	wantErr(t, err, "PreconditionFailed", 412)
	_, err = put("v3", func(in *s3.PutObjectInput) { in.IfMatch = aws.String(`"0123"`) })
	wantErr(t, err, "PreconditionFailed", 412)
	if _, err := put("v4", func(in *s3.PutObjectInput) { in.IfMatch = aws.String(etag) }); err != nil {
		t.Fatal(err)
	}
	if got := string(env.get(t, "data", "k")); got != "v4" {
		t.Errorf("body = %q, want v4", got)
	}
}

func TestArchivedObjectNeedsRestore(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "cold")
	env.put(t, "cold", "k", []byte("frozen"), func(in *s3.PutObjectInput) { in.StorageClass = types.StorageClassGlacier })
	_, err := env.client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("cold"), Key: aws.String("k")})
	wantErr(t, err, "InvalidObjectState", 403)
	h, err := env.client.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("cold"), Key: aws.String("k")})
	if err != nil || h.StorageClass != types.StorageClassGlacier {
		t.Errorf("HEAD: %v, class %q", err, h.StorageClass)
	}
}
