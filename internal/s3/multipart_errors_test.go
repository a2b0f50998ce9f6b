package s3

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// completeXML renders a CompleteMultipartUpload document by hand, for
// documents the SDK would not send.
func completeXML(parts ...string) string {
	var b strings.Builder
	b.WriteString(`<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`)
	for i := 0; i+1 < len(parts); i += 2 {
		fmt.Fprintf(&b, "<Part><PartNumber>%s</PartNumber><ETag>%s</ETag></Part>", parts[i], parts[i+1])
	}
	b.WriteString("</CompleteMultipartUpload>")
	return b.String()
}

// TestCompleteErrors: every refused completion leaves the upload intact;
// the final good one drops the unlisted part's blob.
func TestCompleteErrors(t *testing.T) {
	env := newTestEnv(t)
	seedBucket(t, env.svc, "mp")
	id := mpCreate(t, env, "mp", "k")
	p1 := mpPart(t, env, "mp", "k", id, 1, lmRand(1, 5*lmMiB))
	p2 := mpPart(t, env, "mp", "k", id, 2, []byte("small two"))
	p3 := mpPart(t, env, "mp", "k", id, 3, []byte("small three"))
	e1, e2, e3 := aws.ToString(p1.ETag), aws.ToString(p2.ETag), aws.ToString(p3.ETag)
	bare := strings.Trim(e1, `"`)
	q := "/mp/k?uploadId=" + id
	tests := []struct {
		name, path, body, code string
		status                 int
	}{
		{"too small", q, completeXML("2", e2, "3", e3), "EntityTooSmall", 400},
		{"wrong etag", q, completeXML("1", e2), "InvalidPart", 400},
		{"unknown part", q, completeXML("1", e1, "4", e3), "InvalidPart", 400},
		{"part 0", q, completeXML("0", e1), "InvalidPart", 400},
		{"descending", q, completeXML("3", e3, "1", e1), "InvalidPartOrder", 400},
		{"duplicate", q, completeXML("1", e1, "1", e1), "InvalidPartOrder", 400},
		{"no parts", q, completeXML(), "MalformedXML", 400},
		{"empty body", q, "", "MalformedXML", 400},
		{"not xml", q, "{parts: 1}", "MalformedXML", 400},
		{"bad number", q, completeXML("one", e1), "MalformedXML", 400},
		{"other root", q, "<Complete><Part><PartNumber>1</PartNumber></Part></Complete>", "MalformedXML", 400},
		{"forged id", "/mp/k?uploadId=../../x", completeXML("1", e1), "NoSuchUpload", 404},
		{"unknown id", "/mp/k?uploadId=" + newUploadID(lmSeedTime), completeXML("1", e1), "NoSuchUpload", 404},
		{"other key", "/mp/k2?uploadId=" + id, completeXML("1", e1), "NoSuchUpload", 404},
		{"no bucket", "/nosuch/k?uploadId=" + id, completeXML("1", e1), "NoSuchBucket", 404},
	}
	for _, tc := range tests {
		status, body := env.lmDo(t, "POST", tc.path, []byte(tc.body))
		if status != tc.status || errCode(body) != tc.code {
			t.Errorf("%s: %d %s, want %d %s", tc.name, status, body, tc.status, tc.code)
		}
	}
	// ETags may come quoted or bare; the last part may be small.
	status, body := env.lmDo(t, "POST", q, []byte(completeXML("1", bare, "3", e3)))
	if status != 200 || !strings.Contains(string(body), "<ETag>&#34;"+strings.Trim(lmMultipartETag(lmRand(1, 5*lmMiB), []byte("small three")), `"`)) {
		t.Fatalf("complete: %d %s", status, body)
	}
	if n := blobCount(t, env); n != 2 {
		t.Fatalf("%d blobs, want parts 1 and 3", n)
	}
	status, body = env.lmDo(t, "POST", q, []byte(completeXML("1", e1)))
	if status != 404 || errCode(body) != "NoSuchUpload" {
		t.Fatalf("second complete: %d %s", status, body)
	}
}

func TestAbortMultipartUpload(t *testing.T) {
	env := newTestEnv(t)
	seedBucket(t, env.svc, "mp")
	id := mpCreate(t, env, "mp", "k")
	mpPart(t, env, "mp", "k", id, 1, []byte("one"))
	mpPart(t, env, "mp", "k", id, 2, []byte("two"))
	if n := blobCount(t, env); n != 2 {
		t.Fatalf("%d blobs", n)
	}
	status, body := env.lmDo(t, "DELETE", "/mp/k?uploadId="+id, nil)
	if status != 204 || len(body) != 0 {
		t.Fatalf("abort: %d %s", status, body)
	}
	if n := blobCount(t, env); n != 0 {
		t.Fatalf("%d blobs after abort", n)
	}
	ctx := t.Context()
	_, err := env.client.AbortMultipartUpload(ctx, &s3.AbortMultipartUploadInput{Bucket: aws.String("mp"), Key: aws.String("k"), UploadId: aws.String(id)})
	if sdkCode(err) != "NoSuchUpload" {
		t.Fatalf("second abort: %v", err)
	}
	_, err = env.client.ListParts(ctx, &s3.ListPartsInput{Bucket: aws.String("mp"), Key: aws.String("k"), UploadId: aws.String(id)})
	if sdkCode(err) != "NoSuchUpload" {
		t.Fatalf("ListParts after abort: %v", err)
	}
	_, err = env.client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("mp"), Key: aws.String("k"), UploadId: aws.String(id),
		PartNumber: aws.Int32(3), Body: strings.NewReader("x")})
	if sdkCode(err) != "NoSuchUpload" || blobCount(t, env) != 0 {
		t.Fatalf("UploadPart after abort: %v", err)
	}
}

func TestUploadPartNumbers(t *testing.T) {
	env := newTestEnv(t)
	seedBucket(t, env.svc, "mp")
	id := mpCreate(t, env, "mp", "k")
	for _, n := range []string{"0", "10001", "-1", "abc", "", "1.5"} {
		status, body := env.lmDo(t, "PUT", "/mp/k?uploadId="+id+"&partNumber="+url.QueryEscape(n), []byte("x"))
		if status != 400 || errCode(body) != "InvalidArgument" ||
			!strings.Contains(string(body), "Part number must be an integer between 1 and 10000, inclusive") {
			t.Errorf("partNumber %q: %d %s", n, status, body)
		}
	}
	mpPart(t, env, "mp", "k", id, 10000, []byte("last"))
	status, body := env.lmDo(t, "PUT", "/mp/k?uploadId=nope&partNumber=1", []byte("x"))
	if status != 404 || errCode(body) != "NoSuchUpload" {
		t.Errorf("unknown upload: %d %s", status, body)
	}
	status, body = env.lmDo(t, "PUT", "/mp/k?uploadId="+id+"&partNumber=1", []byte("x"), "Content-MD5", "1B2M2Y8AsgTpgAmY7PhCfg==")
	if status != 400 || errCode(body) != "BadDigest" {
		t.Errorf("bad Content-MD5: %d %s", status, body)
	}
	status, body = env.lmDo(t, "PUT", "/mp/k?uploadId="+id+"&partNumber=1", []byte("x"), "Content-MD5", "bm9wZQ==")
	if status != 400 || errCode(body) != "InvalidDigest" {
		t.Errorf("invalid Content-MD5: %d %s", status, body)
	}
	if n := blobCount(t, env); n != 1 {
		t.Errorf("%d blobs, want only part 10000's", n)
	}
}

// TestUploadPartReplace: a part number uploaded again replaces the part,
// and the first upload's blob is deleted.
func TestUploadPartReplace(t *testing.T) {
	env := newTestEnv(t)
	seedBucket(t, env.svc, "mp")
	id := mpCreate(t, env, "mp", "k")
	mpPart(t, env, "mp", "k", id, 1, []byte("first"))
	p := mpPart(t, env, "mp", "k", id, 1, []byte("second"))
	if n := blobCount(t, env); n != 1 {
		t.Fatalf("%d blobs after replacing", n)
	}
	lp, err := env.client.ListParts(t.Context(), &s3.ListPartsInput{Bucket: aws.String("mp"), Key: aws.String("k"), UploadId: aws.String(id)})
	if err != nil || len(lp.Parts) != 1 || aws.ToString(lp.Parts[0].ETag) != aws.ToString(p.ETag) || aws.ToInt64(lp.Parts[0].Size) != 6 {
		t.Fatalf("ListParts %+v %v", lp, err)
	}
	if _, err := mpComplete(t, env, "mp", "k", id, p); err != nil {
		t.Fatal(err)
	}
	if got := string(env.get(t, "mp", "k")); got != "second" {
		t.Fatalf("object %q", got)
	}
}

func TestListPartsPagination(t *testing.T) {
	env := newTestEnv(t)
	seedBucket(t, env.svc, "mp")
	id := mpCreate(t, env, "mp", "k", func(in *s3.CreateMultipartUploadInput) { in.StorageClass = s3types.StorageClassStandardIa })
	nums := []int32{1, 2, 3, 5, 8, 13, 21}
	for _, n := range nums {
		mpPart(t, env, "mp", "k", id, n, []byte(strings.Repeat("p", int(n))))
	}
	for max := int32(1); max <= 8; max++ {
		var got []int32
		in := &s3.ListPartsInput{Bucket: aws.String("mp"), Key: aws.String("k"), UploadId: aws.String(id), MaxParts: aws.Int32(max)}
		for pages := 0; ; pages++ {
			out, err := env.client.ListParts(t.Context(), in)
			if err != nil {
				t.Fatal(err)
			}
			if aws.ToInt32(out.MaxParts) != max || len(out.Parts) > int(max) || out.StorageClass != s3types.StorageClassStandardIa ||
				aws.ToString(out.Initiator.ID) != theOwner.ID || aws.ToString(out.Owner.ID) != theOwner.ID ||
				aws.ToString(out.PartNumberMarker) != aws.ToString(in.PartNumberMarker) && in.PartNumberMarker != nil {
				t.Fatalf("max %d page %d: %+v", max, pages, out)
			}
			for _, p := range out.Parts {
				if aws.ToInt64(p.Size) != int64(aws.ToInt32(p.PartNumber)) || p.LastModified == nil || p.ChecksumCRC64NVME != nil {
					t.Fatalf("part %+v", p)
				}
				got = append(got, aws.ToInt32(p.PartNumber))
			}
			if !aws.ToBool(out.IsTruncated) {
				break
			}
			in.PartNumberMarker = out.NextPartNumberMarker
		}
		if fmt.Sprint(got) != fmt.Sprint(nums) {
			t.Fatalf("max %d: parts %v", max, got)
		}
	}
	out, err := env.client.ListParts(t.Context(), &s3.ListPartsInput{Bucket: aws.String("mp"), Key: aws.String("k"),
		UploadId: aws.String(id), PartNumberMarker: aws.String("5"), MaxParts: aws.Int32(2)})
	if err != nil || len(out.Parts) != 2 || aws.ToInt32(out.Parts[0].PartNumber) != 8 ||
		aws.ToString(out.NextPartNumberMarker) != "13" || !aws.ToBool(out.IsTruncated) {
		t.Fatalf("after 5: %+v %v", out, err)
	}
	for _, q := range []string{"&max-parts=x", "&part-number-marker=-2", "&max-parts=-1"} {
		status, body := env.lmDo(t, "GET", "/mp/k?uploadId="+id+q, nil)
		if status != 400 || errCode(body) != "InvalidArgument" {
			t.Errorf("%s: %d %s", q, status, body)
		}
	}
}
