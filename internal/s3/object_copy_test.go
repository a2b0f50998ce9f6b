package s3

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestParseCopySource(t *testing.T) {
	tests := []struct {
		in, bucket, key, code string
	}{
		{"src/key", "src", "key", ""},
		{"/src/a/b/c.txt", "src", "a/b/c.txt", ""},
		{"src/sp%20ace%2Bplus+", "src", "sp ace+plus+", ""},
		{url.PathEscape("src") + "/" + strings.ReplaceAll(url.PathEscape("ключ/日本"), "%2F", "/"), "src", "ключ/日本", ""},
		{"src/key?versionId=null", "src", "key", ""},
		{"src/key?versionId=3HL4kqtJlcpXroDTDmJ", "", "", "InvalidArgument"},
		{"src", "", "", "InvalidArgument"},
		{"src/", "", "", "InvalidArgument"},
		{"/src", "", "", "InvalidArgument"},
		{"", "", "", "InvalidArgument"},
		{"src/%zz", "", "", "InvalidArgument"},
	}
	for _, tt := range tests {
		b, k, err := parseCopySource(tt.in)
		code := ""
		if err != nil {
			code = toS3Error(err).Code
		}
		if b != tt.bucket || k != tt.key || code != tt.code {
			t.Errorf("parseCopySource(%q) = %q, %q, %q; want %q, %q, %q", tt.in, b, k, code, tt.bucket, tt.key, tt.code)
		}
	}
}

func TestCopyObject(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "src")
	env.mkBucket(t, "dst")
	body := []byte("copy these bytes")
	srcETag := aws.ToString(env.put(t, "src", "dir/orig file", body, func(in *s3.PutObjectInput) {
		in.ContentType = aws.String("text/plain")
		in.Metadata = map[string]string{"owner": "ann"}
		in.CacheControl = aws.String("no-store")
		in.StorageClass = types.StorageClassStandardIa
		in.ChecksumAlgorithm = types.ChecksumAlgorithmSha256
	}).ETag)
	source := "src/" + url.PathEscape("dir/orig file")

	// COPY (the default): metadata travels, storage class does not.
	out, err := env.client.CopyObject(t.Context(), &s3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("copy1"), CopySource: aws.String(source)})
	if err != nil {
		t.Fatal(err)
	}
	r := out.CopyObjectResult
	if aws.ToString(r.ETag) != srcETag || r.LastModified == nil || aws.ToString(r.ChecksumSHA256) != localChecksum("SHA256", body) {
		t.Errorf("CopyObjectResult = ETag %s, LastModified %v, SHA256 %s", aws.ToString(r.ETag), r.LastModified, aws.ToString(r.ChecksumSHA256))
	}
	h, err := env.client.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("dst"), Key: aws.String("copy1")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(h.ContentType) != "text/plain" || h.Metadata["owner"] != "ann" || aws.ToString(h.CacheControl) != "no-store" || h.StorageClass != "" {
		t.Errorf("COPY directive: type %q meta %v cache %q class %q", aws.ToString(h.ContentType), h.Metadata, aws.ToString(h.CacheControl), h.StorageClass)
	}
	if got := env.get(t, "dst", "copy1"); string(got) != string(body) {
		t.Errorf("copy body = %q", got)
	}

	// REPLACE: the request's metadata, and a new checksum algorithm.
	out, err = env.client.CopyObject(t.Context(), &s3.CopyObjectInput{Bucket: aws.String("dst"), Key: aws.String("copy2"), CopySource: aws.String(source),
		MetadataDirective: types.MetadataDirectiveReplace, ContentType: aws.String("application/x-new"),
		Metadata: map[string]string{"fresh": "yes"}, ChecksumAlgorithm: types.ChecksumAlgorithmCrc32c, StorageClass: types.StorageClassGlacierIr})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(out.CopyObjectResult.ChecksumCRC32C) != localChecksum("CRC32C", body) {
		t.Errorf("CRC32C = %q", aws.ToString(out.CopyObjectResult.ChecksumCRC32C))
	}
	h, err = env.client.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("dst"), Key: aws.String("copy2")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(h.ContentType) != "application/x-new" || h.Metadata["fresh"] != "yes" || h.Metadata["owner"] != "" ||
		h.CacheControl != nil || h.StorageClass != types.StorageClassGlacierIr {
		t.Errorf("REPLACE directive: type %q meta %v cache %v class %q", aws.ToString(h.ContentType), h.Metadata, h.CacheControl, h.StorageClass)
	}

	// Copying an object onto itself needs a change.
	_, err = env.client.CopyObject(t.Context(), &s3.CopyObjectInput{Bucket: aws.String("src"), Key: aws.String("dir/orig file"), CopySource: aws.String(source)})
	wantErr(t, err, "InvalidRequest", 400)
	if _, err = env.client.CopyObject(t.Context(), &s3.CopyObjectInput{Bucket: aws.String("src"), Key: aws.String("dir/orig file"), CopySource: aws.String(source),
		MetadataDirective: types.MetadataDirectiveReplace, Metadata: map[string]string{"v": "2"}}); err != nil {
		t.Fatalf("in-place REPLACE: %v", err)
	}
	if got := env.get(t, "src", "dir/orig file"); string(got) != string(body) {
		t.Errorf("in-place copy body = %q", got)
	}
}

func TestCopyObjectErrors(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "src")
	etag := aws.ToString(env.put(t, "src", "k", []byte("v")).ETag)
	h, err := env.client.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("src"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	mtime := aws.ToTime(h.LastModified)
	copyIn := func(f func(*s3.CopyObjectInput)) error {
		in := &s3.CopyObjectInput{Bucket: aws.String("src"), Key: aws.String("dst"), CopySource: aws.String("src/k")}
		f(in)
		_, err := env.client.CopyObject(t.Context(), in)
		return err
	}
	tests := []struct {
		name   string
		f      func(*s3.CopyObjectInput)
		code   string
		status int
	}{
		{"ok", func(in *s3.CopyObjectInput) {}, "", 0},
		{"no source key", func(in *s3.CopyObjectInput) { in.CopySource = aws.String("src/nope") }, "NoSuchKey", 404},
		{"no source bucket", func(in *s3.CopyObjectInput) { in.CopySource = aws.String("nope/k") }, "NoSuchBucket", 404},
		{"no dest bucket", func(in *s3.CopyObjectInput) { in.Bucket = aws.String("nope") }, "NoSuchBucket", 404},
		{"bad source", func(in *s3.CopyObjectInput) { in.CopySource = aws.String("justbucket") }, "InvalidArgument", 400},
		{"version", func(in *s3.CopyObjectInput) { in.CopySource = aws.String("src/k?versionId=abc") }, "InvalidArgument", 400},
		{"null version", func(in *s3.CopyObjectInput) { in.CopySource = aws.String("src/k?versionId=null") }, "", 0},
		{"bad directive", func(in *s3.CopyObjectInput) { in.MetadataDirective = "MERGE" }, "InvalidArgument", 400},
		{"bad algo", func(in *s3.CopyObjectInput) { in.ChecksumAlgorithm = "MD4" }, "InvalidRequest", 400},
		{"if-match ok", func(in *s3.CopyObjectInput) { in.CopySourceIfMatch = aws.String(etag) }, "", 0},
		{"if-match bad", func(in *s3.CopyObjectInput) { in.CopySourceIfMatch = aws.String(`"x"`) }, "PreconditionFailed", 412},
		{"if-none-match hit", func(in *s3.CopyObjectInput) { in.CopySourceIfNoneMatch = aws.String(etag) }, "PreconditionFailed", 412},
		{"if-none-match miss", func(in *s3.CopyObjectInput) { in.CopySourceIfNoneMatch = aws.String(`"x"`) }, "", 0},
		{"if-modified-since later", func(in *s3.CopyObjectInput) { in.CopySourceIfModifiedSince = aws.Time(mtime.Add(time.Hour)) }, "PreconditionFailed", 412},
		{"if-modified-since earlier", func(in *s3.CopyObjectInput) { in.CopySourceIfModifiedSince = aws.Time(mtime.Add(-time.Hour)) }, "", 0},
		{"if-unmodified-since earlier", func(in *s3.CopyObjectInput) { in.CopySourceIfUnmodifiedSince = aws.Time(mtime.Add(-time.Hour)) }, "PreconditionFailed", 412},
		{"match true beats unmodified false", func(in *s3.CopyObjectInput) {
			in.CopySourceIfMatch = aws.String(etag)
			in.CopySourceIfUnmodifiedSince = aws.Time(mtime.Add(-time.Hour))
		}, "", 0},
		{"dest if-none-match", func(in *s3.CopyObjectInput) { in.IfNoneMatch = aws.String("*") }, "PreconditionFailed", 412},
		{"dest key too long", func(in *s3.CopyObjectInput) { in.Key = aws.String(strings.Repeat("k", 1025)) }, "KeyTooLongError", 400},
	}
	for _, tt := range tests {
		err := copyIn(tt.f)
		if code, status := apiErr(err); code != tt.code || status != tt.status {
			t.Errorf("%s: got %q/%d (%v), want %q/%d", tt.name, code, status, err, tt.code, tt.status)
		}
	}
}
