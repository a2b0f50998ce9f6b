package s3

import (
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

const lmMiB = 1 << 20

// randBytes returns n deterministic pseudo-random bytes.
func lmRand(seed uint64, n int) []byte {
	b := make([]byte, n)
	r := rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8)})
	_, _ = r.Read(b)
	return b
}

func mpCreate(t *testing.T, env *testEnv, bucket, key string, opts ...func(*s3.CreateMultipartUploadInput)) string {
	t.Helper()
	in := &s3.CreateMultipartUploadInput{Bucket: aws.String(bucket), Key: aws.String(key)}
	for _, o := range opts {
		o(in)
	}
	out, err := env.client.CreateMultipartUpload(t.Context(), in)
	if err != nil {
		t.Fatalf("CreateMultipartUpload %s: %v", key, err)
	}
	if aws.ToString(out.Bucket) != bucket || aws.ToString(out.Key) != key || !validUploadID(aws.ToString(out.UploadId)) {
		t.Fatalf("CreateMultipartUpload answered %+v", out)
	}
	return aws.ToString(out.UploadId)
}

func mpPart(t *testing.T, env *testEnv, bucket, key, id string, n int32, body []byte, opts ...func(*s3.UploadPartInput)) s3types.CompletedPart {
	t.Helper()
	in := &s3.UploadPartInput{Bucket: aws.String(bucket), Key: aws.String(key), UploadId: aws.String(id),
		PartNumber: aws.Int32(n), Body: bytes.NewReader(body)}
	for _, o := range opts {
		o(in)
	}
	out, err := env.client.UploadPart(t.Context(), in)
	if err != nil {
		t.Fatalf("UploadPart %d: %v", n, err)
	}
	sum := md5.Sum(body)
	if want := `"` + hex.EncodeToString(sum[:]) + `"`; aws.ToString(out.ETag) != want {
		t.Fatalf("UploadPart %d ETag %s, want %s", n, aws.ToString(out.ETag), want)
	}
	return s3types.CompletedPart{PartNumber: aws.Int32(n), ETag: out.ETag, ChecksumCRC32: out.ChecksumCRC32,
		ChecksumCRC32C: out.ChecksumCRC32C, ChecksumSHA256: out.ChecksumSHA256}
}

func mpComplete(t *testing.T, env *testEnv, bucket, key, id string, parts ...s3types.CompletedPart) (*s3.CompleteMultipartUploadOutput, error) {
	t.Helper()
	return env.client.CompleteMultipartUpload(t.Context(), &s3.CompleteMultipartUploadInput{Bucket: aws.String(bucket),
		Key: aws.String(key), UploadId: aws.String(id), MultipartUpload: &s3types.CompletedMultipartUpload{Parts: parts}})
}

// multipartETag is S3's ETag of an object made of these parts.
func lmMultipartETag(parts ...[]byte) string {
	h := md5.New()
	for _, p := range parts {
		s := md5.Sum(p)
		h.Write(s[:])
	}
	return fmt.Sprintf(`"%x-%d"`, h.Sum(nil), len(parts))
}

// TestMultipartRoundTrip: 3 parts of 5 MiB and a small last one become one
// object whose segments are the part blobs, readable whole, by ranges
// crossing part boundaries and by part number.
func TestMultipartRoundTrip(t *testing.T) {
	env := newTestEnv(t)
	seedBucket(t, env.svc, "mp")
	bodies := [][]byte{lmRand(1, 5*lmMiB), lmRand(2, 5*lmMiB), lmRand(3, 5*lmMiB), lmRand(4, 1234)}
	id := mpCreate(t, env, "mp", "big/object.bin", func(in *s3.CreateMultipartUploadInput) {
		in.ContentType, in.Metadata = aws.String("application/x-test"), map[string]string{"color": "blue"}
	})
	var parts []s3types.CompletedPart
	for i, b := range bodies {
		parts = append(parts, mpPart(t, env, "mp", "big/object.bin", id, int32(i+1), b))
	}
	stored, err := env.svc.uploadParts(id)
	if err != nil || len(stored) != 4 {
		t.Fatalf("parts %v %v", stored, err)
	}
	out, err := mpComplete(t, env, "mp", "big/object.bin", id, parts...)
	if err != nil {
		t.Fatal(err)
	}
	want := bytes.Join(bodies, nil)
	if aws.ToString(out.ETag) != lmMultipartETag(bodies...) || aws.ToString(out.Bucket) != "mp" ||
		aws.ToString(out.Key) != "big/object.bin" || aws.ToString(out.Location) != env.srv.URL+"/mp/big/object.bin" {
		t.Fatalf("Complete answered %+v", out)
	}
	if out.ChecksumType != s3types.ChecksumTypeFullObject || aws.ToString(out.ChecksumCRC64NVME) != localChecksum("CRC64NVME", want) {
		t.Fatalf("default checksum %s %q, want FULL_OBJECT %q", out.ChecksumType, aws.ToString(out.ChecksumCRC64NVME), localChecksum("CRC64NVME", want))
	}
	m, err := env.svc.object("mp", "big/object.bin")
	if err != nil {
		t.Fatal(err)
	}
	for i, sg := range m.Segments { // no byte was copied: the parts are the object
		if sg.Blob != stored[i+1].Blob || sg.Size != int64(len(bodies[i])) || m.PartSizes[i] != sg.Size {
			t.Fatalf("segment %d = %+v, part %+v", i, sg, stored[i+1])
		}
	}
	if !bytes.Equal(lmReadDirect(t, env.svc, "mp", "big/object.bin"), want) {
		t.Fatal("segments do not hold the parts in order")
	}
	if got := env.get(t, "mp", "big/object.bin"); !bytes.Equal(got, want) {
		t.Fatalf("GetObject: %d bytes differ", len(got))
	}
	for _, r := range [][2]int{{5*lmMiB - 100, 10*lmMiB + 100}, {15*lmMiB - 1, 15*lmMiB + 1233}, {0, 0}, {5 * lmMiB, 5 * lmMiB}} {
		g, err := env.client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("mp"),
			Key: aws.String("big/object.bin"), Range: aws.String(fmt.Sprintf("bytes=%d-%d", r[0], r[1]))})
		if err != nil {
			t.Fatalf("range %v: %v", r, err)
		}
		b, _ := io.ReadAll(g.Body)
		g.Body.Close()
		if !bytes.Equal(b, want[r[0]:r[1]+1]) {
			t.Fatalf("range %v: got %d bytes, not the object's", r, len(b))
		}
	}
	g, err := env.client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("mp"),
		Key: aws.String("big/object.bin"), PartNumber: aws.Int32(4)})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(g.Body)
	g.Body.Close()
	if !bytes.Equal(b, bodies[3]) || aws.ToInt32(g.PartsCount) != 4 || aws.ToString(g.ContentType) != "application/x-test" ||
		g.Metadata["color"] != "blue" {
		t.Fatalf("part 4: %d bytes, PartsCount %d, %q %v", len(b), aws.ToInt32(g.PartsCount), aws.ToString(g.ContentType), g.Metadata)
	}
	l, err := env.client.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String("mp")})
	if err != nil || len(l.Contents) != 1 || aws.ToInt64(l.Contents[0].Size) != int64(len(want)) ||
		aws.ToString(l.Contents[0].ETag) != lmMultipartETag(bodies...) {
		t.Fatalf("listing %+v %v", l, err)
	}
	ups, err := env.client.ListMultipartUploads(t.Context(), &s3.ListMultipartUploadsInput{Bucket: aws.String("mp")})
	if err != nil || len(ups.Uploads) != 0 {
		t.Fatalf("uploads left: %+v %v", ups, err)
	}
	if left, _ := env.svc.uploadParts(id); len(left) != 0 {
		t.Fatalf("part entries left: %v", left)
	}
	if n := blobCount(t, env); n != 4 {
		t.Fatalf("%d blobs, want the 4 parts", n)
	}
}

// TestMultipartOverwrite: completing over an existing object deletes the
// old object's blobs, and unlisted parts' blobs, after the commit.
func TestMultipartOverwrite(t *testing.T) {
	env := newTestEnv(t)
	seedBucket(t, env.svc, "mp")
	seedObject(t, env.svc, "mp", "k", []byte("old"))
	id := mpCreate(t, env, "mp", "k")
	p1 := mpPart(t, env, "mp", "k", id, 1, []byte("one"))
	mpPart(t, env, "mp", "k", id, 2, []byte("two"))
	if n := blobCount(t, env); n != 3 {
		t.Fatalf("%d blobs before", n)
	}
	if _, err := mpComplete(t, env, "mp", "k", id, p1); err != nil {
		t.Fatal(err)
	}
	if got := string(lmReadDirect(t, env.svc, "mp", "k")); got != "one" {
		t.Fatalf("object holds %q", got)
	}
	if n := blobCount(t, env); n != 1 {
		t.Fatalf("%d blobs after, want only part 1's", n)
	}
}

func TestMultipartMetadataArgs(t *testing.T) {
	env := newTestEnv(t)
	seedBucket(t, env.svc, "mp")
	for _, tc := range []struct {
		hdr  []string
		code string
	}{
		{[]string{"x-amz-checksum-algorithm", "MD5"}, "InvalidRequest"},
		{[]string{"x-amz-checksum-type", "COMPOSITE"}, "InvalidRequest"},
		{[]string{"x-amz-checksum-algorithm", "SHA256", "x-amz-checksum-type", "FULL_OBJECT"}, "InvalidRequest"},
		{[]string{"x-amz-checksum-algorithm", "CRC64NVME", "x-amz-checksum-type", "COMPOSITE"}, "InvalidRequest"},
		{[]string{"x-amz-checksum-algorithm", "CRC32", "x-amz-checksum-type", "HALF"}, "InvalidRequest"},
		{[]string{"x-amz-storage-class", "COLD"}, "InvalidStorageClass"},
		{[]string{"x-amz-meta-big", strings.Repeat("v", 2048)}, "MetadataTooLarge"},
	} {
		status, body := env.lmDo(t, "POST", "/mp/k?uploads", nil, tc.hdr...)
		if status != 400 || errCode(body) != tc.code {
			t.Errorf("%v: %d %s, want %s", tc.hdr, status, body, tc.code)
		}
	}
	status, body := env.lmDo(t, "POST", "/nosuch/k?uploads", nil)
	if status != 404 || errCode(body) != "NoSuchBucket" {
		t.Errorf("missing bucket: %d %s", status, body)
	}
	status, body = env.lmDo(t, "POST", "/mp/"+strings.Repeat("k", 1025)+"?uploads", nil)
	if status != 400 || errCode(body) != "KeyTooLongError" {
		t.Errorf("long key: %d %s", status, body)
	}
}

// TestCompleteLocationVirtualHost: Location follows the addressing style.
func TestCompleteLocationVirtualHost(t *testing.T) {
	env := newTestEnv(t)
	seedBucket(t, env.svc, "vhb")
	c := env.vhostClient()
	ctx := t.Context()
	up, err := c.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("vhb"), Key: aws.String("a b/c")})
	if err != nil {
		t.Fatal(err)
	}
	p, err := c.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("vhb"), Key: aws.String("a b/c"), UploadId: up.UploadId,
		PartNumber: aws.Int32(1), Body: strings.NewReader("x")})
	if err != nil {
		t.Fatal(err)
	}
	out, err := c.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("vhb"), Key: aws.String("a b/c"),
		UploadId: up.UploadId, MultipartUpload: &s3types.CompletedMultipartUpload{Parts: []s3types.CompletedPart{{PartNumber: aws.Int32(1), ETag: p.ETag}}}})
	if err != nil {
		t.Fatal(err)
	}
	if loc := aws.ToString(out.Location); !strings.HasPrefix(loc, "http://vhb.localhost:") || !strings.HasSuffix(loc, "/a%20b/c") {
		t.Fatalf("Location %q", loc)
	}
}
