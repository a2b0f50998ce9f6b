package s3

import (
	"crypto/md5"
	"encoding/base64"
	"fmt"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func objectIDs(keys ...string) []types.ObjectIdentifier {
	var ids []types.ObjectIdentifier
	for _, k := range keys {
		ids = append(ids, types.ObjectIdentifier{Key: aws.String(k)})
	}
	return ids
}

func TestDeleteObjects(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "multi")
	for _, k := range []string{"a", "b", "c", "d"} {
		env.put(t, "multi", k, []byte(k))
	}
	blobsBefore := blobCount(t, env)
	ids := objectIDs("a", "b", "missing", "a")
	ids = append(ids, types.ObjectIdentifier{Key: aws.String("c"), ETag: aws.String(`"wrong"`)},
		types.ObjectIdentifier{Key: aws.String("d"), VersionId: aws.String("v123")})
	out, err := env.client.DeleteObjects(t.Context(), &s3.DeleteObjectsInput{Bucket: aws.String("multi"), Delete: &types.Delete{Objects: ids}})
	if err != nil {
		t.Fatal(err)
	}
	var deleted, failed []string
	for _, d := range out.Deleted {
		deleted = append(deleted, aws.ToString(d.Key))
	}
	for _, e := range out.Errors {
		failed = append(failed, aws.ToString(e.Key)+":"+aws.ToString(e.Code))
	}
	if got := strings.Join(deleted, ","); got != "a,b,missing,a" {
		t.Errorf("Deleted = %s", got)
	}
	if got := strings.Join(failed, ","); got != "c:PreconditionFailed,d:InvalidArgument" {
		t.Errorf("Errors = %s", got)
	}
	if after := blobCount(t, env); after != blobsBefore-2 {
		t.Errorf("blobs %d → %d, want two fewer", blobsBefore, after)
	}
	for key, want := range map[string]bool{"a": false, "b": false, "c": true, "d": true} {
		_, err := env.client.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("multi"), Key: aws.String(key)})
		if (err == nil) != want {
			t.Errorf("%s exists = %v, want %v", key, err == nil, want)
		}
	}

	// Quiet: only errors are reported.
	out, err = env.client.DeleteObjects(t.Context(), &s3.DeleteObjectsInput{Bucket: aws.String("multi"),
		Delete: &types.Delete{Objects: append(objectIDs("c"), types.ObjectIdentifier{Key: aws.String("d"), ETag: aws.String(`"no"`)}), Quiet: aws.Bool(true)}})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Deleted) != 0 || len(out.Errors) != 1 {
		t.Errorf("quiet: %d deleted, %d errors", len(out.Deleted), len(out.Errors))
	}
	_, err = env.client.DeleteObjects(t.Context(), &s3.DeleteObjectsInput{Bucket: aws.String("nope"), Delete: &types.Delete{Objects: objectIDs("a")}})
	wantErr(t, err, "NoSuchBucket", 404)
}

func deleteBody(n int, quiet string) []byte {
	var b strings.Builder
	b.WriteString(`<Delete xmlns="http://s3.amazonaws.com/doc/2006-03-01/">`)
	if quiet != "" {
		b.WriteString("<Quiet>" + quiet + "</Quiet>")
	}
	for i := 0; i < n; i++ {
		fmt.Fprintf(&b, "<Object><Key>k%d</Key></Object>", i)
	}
	b.WriteString("</Delete>")
	return []byte(b.String())
}

func md5Header(b []byte) map[string]string {
	sum := md5.Sum(b)
	return map[string]string{"Content-MD5": base64.StdEncoding.EncodeToString(sum[:])}
}

func TestDeleteObjectsRaw(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "multi")
	ok1000 := deleteBody(1000, "")
	tests := []struct {
		name   string
		body   []byte
		hdr    map[string]string
		status int
		code   string
	}{
		{"1000 keys", ok1000, md5Header(ok1000), 200, ""},
		{"1001 keys", deleteBody(1001, ""), md5Header(deleteBody(1001, "")), 400, "MalformedXML"},
		{"no keys", deleteBody(0, ""), md5Header(deleteBody(0, "")), 400, "MalformedXML"},
		{"no digest", deleteBody(1, ""), nil, 400, "InvalidRequest"},
		{"wrong md5", deleteBody(1, ""), md5Header([]byte("x")), 400, "BadDigest"},
		{"checksum instead", deleteBody(1, ""), map[string]string{"x-amz-checksum-crc32": localChecksum("CRC32", deleteBody(1, ""))}, 200, ""},
		{"wrong checksum", deleteBody(1, ""), map[string]string{"x-amz-checksum-crc32": localChecksum("CRC32", nil)}, 400, "BadDigest"},
		{"not xml", []byte("nope"), md5Header([]byte("nope")), 400, "MalformedXML"},
		{"bad quiet", deleteBody(1, "maybe"), md5Header(deleteBody(1, "maybe")), 400, "MalformedXML"},
		{"empty key", []byte("<Delete><Object><Key></Key></Object></Delete>"), md5Header([]byte("<Delete><Object><Key></Key></Object></Delete>")), 400, "MalformedXML"},
	}
	for _, tt := range tests {
		resp, body := env.send(t, "POST", "/multi?delete", tt.body, tt.hdr)
		if resp.StatusCode != tt.status || errCode(body) != tt.code {
			t.Errorf("%s: %d %.200s", tt.name, resp.StatusCode, body)
		}
	}
	resp, body := env.send(t, "POST", "/multi?delete", ok1000, md5Header(ok1000))
	if resp.StatusCode != 200 || strings.Count(string(body), "<Deleted>") != 1000 {
		t.Errorf("1000 deletes: %d, %d Deleted", resp.StatusCode, strings.Count(string(body), "<Deleted>"))
	}
}

// FuzzDeleteObjectsXML feeds arbitrary bodies to the DeleteObjects
// parser: it must never panic, and what it accepts obeys the limits.
func FuzzDeleteObjectsXML(f *testing.F) {
	f.Add(deleteBody(3, "true"))
	f.Add([]byte(`<Delete><Object><Key>a</Key><VersionId>null</VersionId><ETag>"x"</ETag></Object></Delete>`))
	f.Add([]byte(`<Delete><Object><Key>&lt;&amp;</Key></Object><Quiet>false</Quiet></Delete>`))
	f.Add([]byte(`<?xml version="1.0"?><Delete/>`))
	f.Add([]byte(`<CreateBucketConfiguration><LocationConstraint>eu-west-1</LocationConstraint></CreateBucketConfiguration>`))
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := parseDeleteRequest(body)
		if err == nil {
			if len(req.Objects) == 0 || len(req.Objects) > maxDeleteKeys {
				t.Fatalf("accepted %d objects", len(req.Objects))
			}
			for _, o := range req.Objects {
				if o.Key == nil || *o.Key == "" {
					t.Fatal("accepted an object without a key")
				}
			}
		} else if toS3Error(err) != ErrMalformedXML {
			t.Fatalf("error %v is not MalformedXML", err)
		}
		if _, err := parseCreateBucketConfiguration(body); err != nil && toS3Error(err) != ErrMalformedXML {
			t.Fatalf("CreateBucketConfiguration error %v", err)
		}
	})
}
