package s3

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// TestListMultipartUploads pages with every max-uploads and checks the
// pages against the full listing, with and without a delimiter; uploads of
// one key come in initiation order.
func TestListMultipartUploads(t *testing.T) {
	env := newTestEnv(t)
	seedBucket(t, env.svc, "mp")
	type up struct{ key, id string }
	var all []up
	for _, k := range []string{"b", "a/1", "b", "c", "a/2", "d/e/f", "b"} {
		all = append(all, up{k, mpCreate(t, env, "mp", k)})
	}
	slices.SortStableFunc(all, func(x, y up) int { return strings.Compare(x.key, y.key) }) // stable: creation order within a key
	for _, tc := range []struct {
		prefix, delim string
		want          []string // "key id" or "prefix/"
	}{
		{"", "", nil}, {"", "/", []string{"a/", "b", "b", "b", "c", "d/"}}, {"a/", "", nil}, {"d/", "/", []string{"d/e/"}},
	} {
		if tc.want == nil {
			for _, u := range all {
				if strings.HasPrefix(u.key, tc.prefix) {
					tc.want = append(tc.want, u.key+" "+u.id)
				}
			}
		} else {
			byKey := map[string][]string{}
			for _, u := range all {
				byKey[u.key] = append(byKey[u.key], u.id)
			}
			for i, w := range tc.want {
				if !strings.HasSuffix(w, "/") {
					tc.want[i] = w + " " + byKey[w][0]
					byKey[w] = byKey[w][1:]
				}
			}
		}
		for max := int32(1); max <= int32(len(tc.want))+1; max++ {
			in := &s3.ListMultipartUploadsInput{Bucket: aws.String("mp"), Prefix: aws.String(tc.prefix), MaxUploads: aws.Int32(max)}
			if tc.delim != "" {
				in.Delimiter = aws.String(tc.delim)
			}
			var got []string
			for {
				out, err := env.client.ListMultipartUploads(t.Context(), in)
				if err != nil {
					t.Fatal(err)
				}
				if len(out.Uploads)+len(out.CommonPrefixes) > int(max) {
					t.Fatalf("page of %d > %d", len(out.Uploads)+len(out.CommonPrefixes), max)
				}
				var page []string
				for _, u := range out.Uploads {
					if aws.ToString(u.Initiator.ID) != theOwner.ID || u.StorageClass != "STANDARD" || u.Initiated == nil {
						t.Fatalf("upload %+v", u)
					}
					page = append(page, aws.ToString(u.Key)+" "+aws.ToString(u.UploadId))
				}
				for _, p := range out.CommonPrefixes {
					page = append(page, aws.ToString(p.Prefix))
				}
				slices.Sort(page)
				got = append(got, page...)
				if !aws.ToBool(out.IsTruncated) {
					break
				}
				in.KeyMarker, in.UploadIdMarker = out.NextKeyMarker, out.NextUploadIdMarker
			}
			if !slices.Equal(got, tc.want) {
				t.Fatalf("prefix %q delim %q max %d:\n got %q\nwant %q", tc.prefix, tc.delim, max, got, tc.want)
			}
		}
	}
	// key-marker alone skips every upload of that key.
	out, err := env.client.ListMultipartUploads(t.Context(), &s3.ListMultipartUploadsInput{Bucket: aws.String("mp"), KeyMarker: aws.String("b")})
	if err != nil || len(out.Uploads) != 2 || aws.ToString(out.Uploads[0].Key) != "c" {
		t.Fatalf("after key b: %+v %v", out, err)
	}
	status, body := env.lmDo(t, "GET", "/mp?uploads&max-uploads=0", nil)
	if status != 200 || !strings.Contains(string(body), "<IsTruncated>false</IsTruncated>") || strings.Contains(string(body), "<Upload>") {
		t.Fatalf("max-uploads=0: %s", body)
	}
}

// TestUploadPartCopy copies a range of an object into a part and a whole
// small object into the last one.
func TestUploadPartCopy(t *testing.T) {
	env := newTestEnv(t)
	seedBucket(t, env.svc, "mp")
	seedBucket(t, env.svc, "src")
	big := lmRand(7, 6*lmMiB)
	src := seedObject(t, env.svc, "src", "big file", big)
	seedObject(t, env.svc, "src", "tail", []byte("the tail"))
	id := mpCreate(t, env, "mp", "k")
	ctx := t.Context()
	copyPart := func(n int32, source, rng string, opts ...func(*s3.UploadPartCopyInput)) (*s3.UploadPartCopyOutput, error) {
		in := &s3.UploadPartCopyInput{Bucket: aws.String("mp"), Key: aws.String("k"), UploadId: aws.String(id),
			PartNumber: aws.Int32(n), CopySource: aws.String(source)}
		if rng != "" {
			in.CopySourceRange = aws.String(rng)
		}
		for _, o := range opts {
			o(in)
		}
		return env.client.UploadPartCopy(ctx, in)
	}
	first := big[100 : 100+5*lmMiB]
	out1, err := copyPart(1, "src/big%20file", fmt.Sprintf("bytes=100-%d", 100+5*lmMiB-1))
	if err != nil {
		t.Fatal(err)
	}
	sum := md5.Sum(first)
	if got := aws.ToString(out1.CopyPartResult.ETag); got != `"`+hex.EncodeToString(sum[:])+`"` || out1.CopyPartResult.LastModified == nil {
		t.Fatalf("CopyPartResult %+v", out1.CopyPartResult)
	}
	out2, err := copyPart(2, "/src/tail", "", func(in *s3.UploadPartCopyInput) {
		in.CopySourceIfMatch = aws.String(`"` + lmMD5Hex([]byte("the tail")) + `"`)
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		source, rng, code string
		opt               func(*s3.UploadPartCopyInput)
	}{
		{"src/big%20file", "bytes=5-4", "InvalidArgument", nil},
		{"src/big%20file", "bytes=0-" + fmt.Sprint(len(big)), "InvalidArgument", nil},
		{"src/big%20file", "chars=0-1", "InvalidArgument", nil},
		{"src/nokey", "", "NoSuchKey", nil},
		{"nobucket/k", "", "NoSuchBucket", nil},
		{"src", "", "InvalidArgument", nil},
		{"src/tail?versionId=v1", "", "InvalidArgument", nil},
		{"src/tail", "", "PreconditionFailed", func(in *s3.UploadPartCopyInput) { in.CopySourceIfMatch = aws.String(`"nope"`) }},
		{"src/tail", "", "PreconditionFailed", func(in *s3.UploadPartCopyInput) { in.CopySourceIfNoneMatch = aws.String("*") }},
		{"src/tail", "", "PreconditionFailed", func(in *s3.UploadPartCopyInput) { in.CopySourceIfModifiedSince = aws.Time(src.LastModified) }},
	} {
		var opts []func(*s3.UploadPartCopyInput)
		if tc.opt != nil {
			opts = append(opts, tc.opt)
		}
		if _, err := copyPart(3, tc.source, tc.rng, opts...); sdkCode(err) != tc.code {
			t.Errorf("copy %s %s: %v, want %s", tc.source, tc.rng, err, tc.code)
		}
	}
	res, err := mpComplete(t, env, "mp", "k", id,
		s3types.CompletedPart{PartNumber: aws.Int32(1), ETag: out1.CopyPartResult.ETag},
		s3types.CompletedPart{PartNumber: aws.Int32(2), ETag: out2.CopyPartResult.ETag})
	if err != nil {
		t.Fatal(err)
	}
	want := append(slices.Clone(first), "the tail"...)
	if aws.ToString(res.ETag) != lmMultipartETag(first, []byte("the tail")) || !bytes.Equal(env.get(t, "mp", "k"), want) {
		t.Fatalf("copied object wrong (ETag %s)", aws.ToString(res.ETag))
	}
}

func lmMD5Hex(b []byte) string { s := md5.Sum(b); return hex.EncodeToString(s[:]) }

// TestMultipartChecksums: COMPOSITE is the algorithm over the binary part
// checksums, suffixed -N; FULL_OBJECT is the CRC of the whole object.
func TestMultipartChecksums(t *testing.T) {
	env := newTestEnv(t)
	seedBucket(t, env.svc, "mp")
	bodies := [][]byte{lmRand(11, 5*lmMiB), lmRand(12, 777)}
	whole := bytes.Join(bodies, nil)
	for _, tc := range []struct {
		algo s3types.ChecksumAlgorithm
		typ  s3types.ChecksumType
	}{
		{s3types.ChecksumAlgorithmCrc32, ""}, {s3types.ChecksumAlgorithmSha256, ""},
		{s3types.ChecksumAlgorithmCrc32c, s3types.ChecksumTypeFullObject}, {s3types.ChecksumAlgorithmCrc64nvme, ""},
	} {
		key := "k-" + string(tc.algo)
		id := mpCreate(t, env, "mp", key, func(in *s3.CreateMultipartUploadInput) { in.ChecksumAlgorithm, in.ChecksumType = tc.algo, tc.typ })
		var parts []s3types.CompletedPart
		var raw []byte
		for i, b := range bodies {
			p := mpPart(t, env, "mp", key, id, int32(i+1), b, func(in *s3.UploadPartInput) { in.ChecksumAlgorithm = tc.algo })
			dec, _ := base64.StdEncoding.DecodeString(localChecksum(string(tc.algo), b))
			raw = append(raw, dec...)
			parts = append(parts, p)
		}
		out, err := mpComplete(t, env, "mp", key, id, parts...)
		if err != nil {
			t.Fatalf("%s: %v", tc.algo, err)
		}
		wantType, want := s3types.ChecksumTypeComposite, localChecksum(string(tc.algo), raw)+"-2"
		if tc.typ == s3types.ChecksumTypeFullObject || tc.algo == s3types.ChecksumAlgorithmCrc64nvme {
			wantType, want = s3types.ChecksumTypeFullObject, localChecksum(string(tc.algo), whole)
		}
		got := map[s3types.ChecksumAlgorithm]*string{"CRC32": out.ChecksumCRC32, "CRC32C": out.ChecksumCRC32C,
			"SHA256": out.ChecksumSHA256, "CRC64NVME": out.ChecksumCRC64NVME}[tc.algo]
		if aws.ToString(got) != want || out.ChecksumType != wantType {
			t.Errorf("%s: checksum %q %s, want %q %s", tc.algo, aws.ToString(got), out.ChecksumType, want, wantType)
		}
		l, err := env.client.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String("mp"), Prefix: aws.String(key)})
		if err != nil || len(l.Contents) != 1 || l.Contents[0].ChecksumType != wantType || l.Contents[0].ChecksumAlgorithm[0] != tc.algo {
			t.Errorf("%s: listing %+v %v", tc.algo, l, err)
		}
	}
	// A part checksum that does not match, or of another algorithm.
	id := mpCreate(t, env, "mp", "bad", func(in *s3.CreateMultipartUploadInput) { in.ChecksumAlgorithm = s3types.ChecksumAlgorithmCrc32 })
	for _, tc := range []struct{ hdr, val, code string }{
		{"x-amz-checksum-crc32", localChecksum("CRC32", []byte("other")), "BadDigest"},
		{"x-amz-checksum-crc32c", localChecksum("CRC32C", []byte("x")), "InvalidRequest"},
		{"x-amz-checksum-crc32", "!!", "InvalidRequest"},
	} {
		status, body := env.lmDo(t, "PUT", "/mp/bad?partNumber=1&uploadId="+id, []byte("x"), tc.hdr, tc.val)
		if status != 400 || errCode(body) != tc.code {
			t.Errorf("%s: %d %s, want %s", tc.hdr, status, body, tc.code)
		}
	}
	p := mpPart(t, env, "mp", "bad", id, 1, []byte("x"), func(in *s3.UploadPartInput) { in.ChecksumAlgorithm = s3types.ChecksumAlgorithmCrc32 })
	p.ChecksumCRC32 = aws.String(localChecksum("CRC32", []byte("y")))
	if _, err := mpComplete(t, env, "mp", "bad", id, p); sdkCode(err) != "InvalidPart" {
		t.Errorf("complete with a wrong part checksum: %v", err)
	}
}

func TestListUploadsEncoding(t *testing.T) {
	env := newTestEnv(t)
	seedBucket(t, env.svc, "mp")
	mpCreate(t, env, "mp", "a b/c+d")
	for q, want := range map[string]string{
		"uploads&encoding-type=url":                "<Key>a+b/c%2Bd</Key>",
		"uploads&encoding-type=url&delimiter=/":    "<CommonPrefixes><Prefix>a+b/</Prefix></CommonPrefixes>",
		"uploads&encoding-type=url&key-marker=a+b": "<KeyMarker>a+b</KeyMarker>",
		"uploads&delimiter=/":                      "<CommonPrefixes><Prefix>a b/</Prefix></CommonPrefixes>",
	} {
		status, body := env.lmDo(t, "GET", "/mp?"+q, nil)
		if status != 200 || !strings.Contains(string(body), want) {
			t.Errorf("%s: %d %s, want %s", q, status, body, want)
		}
	}
	status, body := env.lmDo(t, "GET", "/mp?uploads&encoding-type=xml", nil)
	if status != 400 || errCode(body) != "InvalidArgument" {
		t.Errorf("bad encoding: %d %s", status, body)
	}
}
