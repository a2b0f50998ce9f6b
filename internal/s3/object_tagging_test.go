package s3

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
)

// newClockEnv is newTestEnv with a clock the test moves (unix seconds).
func newClockEnv(t *testing.T) (*testEnv, *atomic.Int64) {
	t.Helper()
	var clock atomic.Int64
	clock.Store(time.Date(2025, 3, 4, 5, 6, 7, 0, time.UTC).Unix())
	env := newTestEnvWith(t, func(o *Options) { o.Now = func() time.Time { return time.Unix(clock.Load(), 0) } })
	return env, &clock
}

func sdkTags(kv ...string) []s3types.Tag {
	tags := []s3types.Tag{} // the SDK wants a TagSet, even an empty one
	for i := 0; i+1 < len(kv); i += 2 {
		tags = append(tags, s3types.Tag{Key: aws.String(kv[i]), Value: aws.String(kv[i+1])})
	}
	return tags
}

// tagPairs flattens an SDK tag set to key, value, key, value...
func tagPairs(tags []s3types.Tag) []string {
	out := []string{}
	for _, t := range tags {
		out = append(out, aws.ToString(t.Key), aws.ToString(t.Value))
	}
	return out
}

func (e *testEnv) tagsOf(t *testing.T, bucket, key string) []string {
	t.Helper()
	out, err := e.client.GetObjectTagging(t.Context(), &s3.GetObjectTaggingInput{Bucket: aws.String(bucket), Key: aws.String(key)})
	if err != nil {
		t.Fatalf("GetObjectTagging %s/%s: %v", bucket, key, err)
	}
	return tagPairs(out.TagSet)
}

func (e *testEnv) putTags(t *testing.T, bucket, key string, kv ...string) error {
	t.Helper()
	_, err := e.client.PutObjectTagging(t.Context(), &s3.PutObjectTaggingInput{Bucket: aws.String(bucket), Key: aws.String(key),
		Tagging: &s3types.Tagging{TagSet: sdkTags(kv...)}})
	return err
}

func wantPairs(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if want == nil {
		want = []string{}
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: tags %q, want %q", what, got, want)
	}
}

func tagCount(n *int32) int32 {
	if n == nil {
		return -1 // header absent
	}
	return *n
}

func TestObjectTaggingRoundTrip(t *testing.T) {
	env, clock := newClockEnv(t)
	env.mkBucket(t, "data")
	put := env.put(t, "data", "dir/obj ü", []byte("hello"))
	wantPairs(t, "new object", env.tagsOf(t, "data", "dir/obj ü"))
	head0, err := env.client.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("data"), Key: aws.String("dir/obj ü")})
	if err != nil {
		t.Fatal(err)
	}
	if n := tagCount(head0.TagCount); n != -1 {
		t.Errorf("HeadObject of an untagged object: TagCount %d, want none", n)
	}

	// Ten tags at every limit, in an order that is not sorted.
	ten := []string{"z", "last letter", "b c+d-e=f.g_h:i/j@k", "2 + 2 = 4", "empty", "",
		strings.Repeat("𝒜", 64), strings.Repeat("文", 256), "ключ", "значение", "number-Ⅷ-²", "digit-١",
		"a", strings.Repeat("v", 256), strings.Repeat("k", 128), "x", "not-aws:reserved", "v", "0", "0"}
	clock.Add(3600)
	if err := env.putTags(t, "data", "dir/obj ü", ten...); err != nil {
		t.Fatal(err)
	}
	wantPairs(t, "after PutObjectTagging", env.tagsOf(t, "data", "dir/obj ü"), ten...)
	get, err := env.client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("data"), Key: aws.String("dir/obj ü")})
	if err != nil {
		t.Fatal(err)
	}
	get.Body.Close()
	head, err := env.client.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("data"), Key: aws.String("dir/obj ü")})
	if err != nil {
		t.Fatal(err)
	}
	if tagCount(get.TagCount) != 10 || tagCount(head.TagCount) != 10 {
		t.Errorf("TagCount: GetObject %d, HeadObject %d, want 10", tagCount(get.TagCount), tagCount(head.TagCount))
	}
	// Tagging changes neither the ETag nor Last-Modified.
	if aws.ToString(head.ETag) != aws.ToString(put.ETag) || !head.LastModified.Equal(*head0.LastModified) {
		t.Errorf("after tagging: ETag %s LastModified %v, want %s %v", aws.ToString(head.ETag), head.LastModified,
			aws.ToString(put.ETag), head0.LastModified)
	}
	if got := env.get(t, "data", "dir/obj ü"); string(got) != "hello" {
		t.Errorf("body %q", got)
	}

	// A new tag set replaces the whole set.
	if err := env.putTags(t, "data", "dir/obj ü", "only", "one"); err != nil {
		t.Fatal(err)
	}
	wantPairs(t, "after replacing", env.tagsOf(t, "data", "dir/obj ü"), "only", "one")
	// An empty tag set is allowed and leaves none.
	if err := env.putTags(t, "data", "dir/obj ü"); err != nil {
		t.Fatal(err)
	}
	wantPairs(t, "after an empty set", env.tagsOf(t, "data", "dir/obj ü"))

	if err := env.putTags(t, "data", "dir/obj ü", "a", "1"); err != nil {
		t.Fatal(err)
	}
	if _, err := env.client.DeleteObjectTagging(t.Context(), &s3.DeleteObjectTaggingInput{Bucket: aws.String("data"), Key: aws.String("dir/obj ü")}); err != nil {
		t.Fatal(err)
	}
	wantPairs(t, "after DeleteObjectTagging", env.tagsOf(t, "data", "dir/obj ü"))
	head, err = env.client.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("data"), Key: aws.String("dir/obj ü")})
	if err != nil {
		t.Fatal(err)
	}
	if n := tagCount(head.TagCount); n != -1 || !head.LastModified.Equal(*head0.LastModified) {
		t.Errorf("after DeleteObjectTagging: TagCount %d LastModified %v", n, head.LastModified)
	}
	// Deleting the tags of an untagged object is fine too.
	if _, err := env.client.DeleteObjectTagging(t.Context(), &s3.DeleteObjectTaggingInput{Bucket: aws.String("data"), Key: aws.String("dir/obj ü")}); err != nil {
		t.Fatal(err)
	}

	// An overwrite without x-amz-tagging drops the tags.
	if err := env.putTags(t, "data", "dir/obj ü", "a", "1"); err != nil {
		t.Fatal(err)
	}
	env.put(t, "data", "dir/obj ü", []byte("again"))
	wantPairs(t, "after an overwrite", env.tagsOf(t, "data", "dir/obj ü"))
}

// taggingDocBody is a PutObjectTagging document of key, value pairs.
func taggingDocBody(kv ...string) string {
	var sb strings.Builder
	sb.WriteString(`<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet>`)
	for i := 0; i+1 < len(kv); i += 2 {
		var k, v bytes.Buffer
		_ = xml.EscapeText(&k, []byte(kv[i]))
		_ = xml.EscapeText(&v, []byte(kv[i+1]))
		fmt.Fprintf(&sb, "<Tag><Key>%s</Key><Value>%s</Value></Tag>", k.String(), v.String())
	}
	sb.WriteString("</TagSet></Tagging>")
	return sb.String()
}

func contentMD5(body string) string {
	sum := md5.Sum([]byte(body))
	return base64.StdEncoding.EncodeToString(sum[:])
}

// sendTagging sends PUT ?tagging with body and its Content-MD5.
func (e *testEnv) sendTagging(t *testing.T, path, body string) (*http.Response, []byte) {
	t.Helper()
	return e.send(t, "PUT", path+"?tagging", []byte(body), map[string]string{"Content-MD5": contentMD5(body)})
}

func TestObjectTaggingWire(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "data")
	env.put(t, "data", "obj", []byte("hello"))

	resp, body := env.send(t, "GET", "/data/obj?tagging", nil, nil)
	want := xml.Header + `<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet></TagSet></Tagging>`
	if resp.StatusCode != 200 || string(body) != want || resp.Header.Get("Content-Type") != "application/xml" {
		t.Errorf("GET ?tagging = %d %q %q, want 200 %q", resp.StatusCode, resp.Header.Get("Content-Type"), body, want)
	}
	resp, body = env.sendTagging(t, "/data/obj", taggingDocBody("a", "1", "b c", "x=y"))
	if resp.StatusCode != 200 || len(body) != 0 || resp.Header.Get("Content-Length") != "0" {
		t.Errorf("PUT ?tagging = %d %q", resp.StatusCode, body)
	}
	_, body = env.send(t, "GET", "/data/obj?tagging", nil, nil)
	want = xml.Header + `<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>a</Key><Value>1</Value></Tag>` +
		`<Tag><Key>b c</Key><Value>x=y</Value></Tag></TagSet></Tagging>`
	if string(body) != want {
		t.Errorf("GET ?tagging = %q, want %q", body, want)
	}
	if resp, _ := env.send(t, "HEAD", "/data/obj", nil, nil); resp.Header.Get("x-amz-tagging-count") != "2" {
		t.Errorf("HEAD x-amz-tagging-count %q, want 2", resp.Header.Get("x-amz-tagging-count"))
	}
	// Without a namespace, with a declaration, comments and CDATA.
	doc := "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c --><Tagging>\n <TagSet>\n  <Tag><Key><![CDATA[a b]]></Key><Value>x<!-- c -->y</Value></Tag>\n </TagSet>\n</Tagging>\n"
	if resp, body := env.sendTagging(t, "/data/obj", doc); resp.StatusCode != 200 {
		t.Fatalf("PUT ?tagging = %d %s", resp.StatusCode, body)
	}
	_, body = env.send(t, "GET", "/data/obj?tagging", nil, nil)
	want = xml.Header + `<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet><Tag><Key>a b</Key><Value>xy</Value></Tag></TagSet></Tagging>`
	if string(body) != want {
		t.Errorf("GET ?tagging = %q, want %q", body, want)
	}
	if resp, _ := env.send(t, "HEAD", "/data/obj", nil, nil); resp.Header.Get("x-amz-tagging-count") != "1" {
		t.Errorf("HEAD x-amz-tagging-count %q, want 1", resp.Header.Get("x-amz-tagging-count"))
	}
	resp, body = env.send(t, "DELETE", "/data/obj?tagging", nil, nil)
	if resp.StatusCode != 204 || len(body) != 0 {
		t.Errorf("DELETE ?tagging = %d %q", resp.StatusCode, body)
	}
	// versionId "null" is the only version.
	for _, m := range []string{"GET", "DELETE"} {
		if resp, body := env.send(t, m, "/data/obj?tagging&versionId=null", nil, nil); resp.StatusCode >= 300 {
			t.Errorf("%s ?tagging&versionId=null = %d %s", m, resp.StatusCode, body)
		}
	}
	if resp, body := env.sendTagging(t, "/data/obj?versionId=null&x", taggingDocBody()); resp.StatusCode != 200 {
		t.Errorf("PUT ?tagging&versionId=null = %d %s", resp.StatusCode, body)
	}
}

func TestObjectTaggingRequestErrors(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "data")
	env.put(t, "data", "obj", []byte("hello"))
	if err := env.putTags(t, "data", "obj", "keep", "me"); err != nil {
		t.Fatal(err)
	}
	good := taggingDocBody("a", "1")
	md5h := func(b string) map[string]string { return map[string]string{"Content-MD5": contentMD5(b)} }
	for _, tc := range []struct {
		name, method, path, body string
		hdr                      map[string]string
		status                   int
		code, inBody             string
	}{
		{"no Content-MD5", "PUT", "/data/obj?tagging", good, nil, 400, "InvalidRequest", "Missing required header for this request: Content-MD5"},
		{"wrong Content-MD5", "PUT", "/data/obj?tagging", good, md5h("other"), 400, "BadDigest", ""},
		{"bad Content-MD5", "PUT", "/data/obj?tagging", good, map[string]string{"Content-MD5": "nope"}, 400, "InvalidDigest", ""},
		{"wrong checksum", "PUT", "/data/obj?tagging", good, map[string]string{"x-amz-checksum-crc32": "AAAAAA=="}, 400, "BadDigest", ""},
		{"empty body", "PUT", "/data/obj?tagging", "", md5h(""), 400, "MissingRequestBodyError", "Request Body is empty"},
		{"no key GET", "GET", "/data/missing?tagging", "", nil, 404, "NoSuchKey", "<Key>missing</Key>"},
		{"no key PUT", "PUT", "/data/missing?tagging", good, md5h(good), 404, "NoSuchKey", "<Key>missing</Key>"},
		{"no key DELETE", "DELETE", "/data/missing?tagging", "", nil, 404, "NoSuchKey", ""},
		{"no bucket GET", "GET", "/nope/obj?tagging", "", nil, 404, "NoSuchBucket", "<BucketName>nope</BucketName>"},
		{"no bucket PUT", "PUT", "/nope/obj?tagging", good, md5h(good), 404, "NoSuchBucket", ""},
		{"no bucket DELETE", "DELETE", "/nope/obj?tagging", "", nil, 404, "NoSuchBucket", ""},
		{"version GET", "GET", "/data/obj?tagging&versionId=v1", "", nil, 400, "InvalidArgument", "<ArgumentValue>v1</ArgumentValue>"},
		{"version PUT", "PUT", "/data/obj?tagging&versionId=v1", good, md5h(good), 400, "InvalidArgument", "Invalid version id specified"},
		{"version DELETE", "DELETE", "/data/obj?tagging&versionId=v1", "", nil, 400, "InvalidArgument", ""},
		{"POST", "POST", "/data/obj?tagging", "", nil, 405, "MethodNotAllowed", ""},
		{"bucket GET", "GET", "/data?tagging", "", nil, 501, "NotImplemented", "GetBucketTagging"},
		{"bucket PUT", "PUT", "/data?tagging", good, md5h(good), 501, "NotImplemented", "PutBucketTagging"},
		{"bucket DELETE", "DELETE", "/data?tagging", "", nil, 501, "NotImplemented", "DeleteBucketTagging"},
		{"object ACL still unsupported", "GET", "/data/obj?tagging&acl", "", nil, 501, "NotImplemented", "GetObjectAcl"},
	} {
		var b []byte
		if tc.body != "" || tc.method == "PUT" {
			b = []byte(tc.body)
		}
		resp, body := env.send(t, tc.method, tc.path, b, tc.hdr)
		if resp.StatusCode != tc.status || errCode(body) != tc.code || !strings.Contains(string(body), tc.inBody) {
			t.Errorf("%s: %d %s, want %d %s with %q", tc.name, resp.StatusCode, body, tc.status, tc.code, tc.inBody)
		}
	}
	wantPairs(t, "after refused requests", env.tagsOf(t, "data", "obj"), "keep", "me")

	// Through the SDK.
	_, err := env.client.GetObjectTagging(t.Context(), &s3.GetObjectTaggingInput{Bucket: aws.String("data"), Key: aws.String("missing")})
	wantErr(t, err, "NoSuchKey", 404)
	_, err = env.client.GetObjectTagging(t.Context(), &s3.GetObjectTaggingInput{Bucket: aws.String("nope"), Key: aws.String("obj")})
	wantErr(t, err, "NoSuchBucket", 404)
	_, err = env.client.DeleteObjectTagging(t.Context(), &s3.DeleteObjectTaggingInput{Bucket: aws.String("data"), Key: aws.String("missing")})
	wantErr(t, err, "NoSuchKey", 404)
	wantErr(t, env.putTags(t, "data", "missing", "a", "1"), "NoSuchKey", 404)
	_, err = env.client.GetObjectTagging(t.Context(), &s3.GetObjectTaggingInput{Bucket: aws.String("data"), Key: aws.String("obj"), VersionId: aws.String("3HL4kqtJlcpXroDTDmJ")})
	wantErr(t, err, "InvalidArgument", 400)
	_, err = env.client.GetBucketTagging(t.Context(), &s3.GetBucketTaggingInput{Bucket: aws.String("data")})
	wantErr(t, err, "NotImplemented", 501)
	if _, err := env.client.GetObjectTagging(t.Context(), &s3.GetObjectTaggingInput{Bucket: aws.String("data"), Key: aws.String("obj"), VersionId: aws.String("null")}); err != nil {
		t.Errorf("versionId null: %v", err)
	}
}

// TestPutObjectTaggingInvalid: every refused tag set gets S3's error
// (code, message, TagKey/TagValue) and changes nothing.
func TestPutObjectTaggingInvalid(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "data")
	env.put(t, "data", "obj", []byte("hello"))
	if err := env.putTags(t, "data", "obj", "keep", "me"); err != nil {
		t.Fatal(err)
	}
	eleven := []string{}
	for i := range 11 {
		eleven = append(eleven, "key-"+strconv.Itoa(i), "")
	}
	type want struct {
		code, msg, tagKey, tagValue string
	}
	invalidKey := func(k string) want { return want{"InvalidTag", "The TagKey you have provided is invalid", k, ""} }
	invalidValue := func(v string) want { return want{"InvalidTag", "The TagValue you have provided is invalid", "k", v} }
	tests := []struct {
		name string
		tags []string
		want want
	}{
		{"11 tags", eleven, want{"BadRequest", "Object tags cannot be greater than 10", "", ""}},
		{"same key twice", []string{"a", "1", "a", "2"}, want{"InvalidTag", "Cannot provide multiple Tags with the same key", "a", ""}},
		{"key of 129", []string{strings.Repeat("k", 129), ""}, invalidKey(strings.Repeat("k", 129))},
		{"key of 65 astral letters", []string{strings.Repeat("𝒜", 65), ""}, invalidKey(strings.Repeat("𝒜", 65))},
		{"empty key", []string{"", "v"}, invalidKey("")},
		{"value of 257", []string{"k", strings.Repeat("v", 257)}, invalidValue(strings.Repeat("v", 257))},
		{"value of 129 astral letters", []string{"k", strings.Repeat("𝒜", 129)}, invalidValue(strings.Repeat("𝒜", 129))},
		{"system key", []string{"aws:cost", "v"}, want{"InvalidTag", "System tags cannot be added/updated by requester", "aws:cost", ""}},
		{"system key in capitals", []string{"AWS:cost", "v"}, want{"InvalidTag",
			`Invalid Tag. Tags cannot start with "aws:"(case insensitive) unless they are System Tags that start with "aws:"(case sensitive)`, "AWS:cost", ""}},
	}
	for _, bad := range []string{"a,b", "a;b", "a?b", "a!b", "a*b", "a#b", "a%b", "a(b)", "a&b", "a<b", "a\tb", "a\nb", "😀", "key-\u0345"} {
		tests = append(tests,
			struct {
				name string
				tags []string
				want want
			}{"key " + strconv.Quote(bad), []string{bad, "v"}, invalidKey(bad)},
			struct {
				name string
				tags []string
				want want
			}{"value " + strconv.Quote(bad), []string{"k", bad}, invalidValue(bad)})
	}
	for _, tc := range tests {
		err := env.putTags(t, "data", "obj", tc.tags...)
		if code, status := apiErr(err); code != tc.want.code || status != 400 {
			t.Errorf("%s: %v, want %s/400", tc.name, err, tc.want.code)
			continue
		}
		// The wire error, for the message and the extra elements.
		doc := taggingDocBody(tc.tags...)
		resp, body := env.sendTagging(t, "/data/obj", doc)
		var e struct {
			Code, Message    string
			TagKey, TagValue *string
		}
		if err := xml.Unmarshal(body, &e); err != nil || resp.StatusCode != 400 {
			t.Errorf("%s: %d %s", tc.name, resp.StatusCode, body)
			continue
		}
		if e.Code != tc.want.code || e.Message != tc.want.msg {
			t.Errorf("%s: %s %q, want %s %q", tc.name, e.Code, e.Message, tc.want.code, tc.want.msg)
		}
		if e.TagKey == nil && tc.want.code != "BadRequest" || e.TagKey != nil && *e.TagKey != tc.want.tagKey {
			t.Errorf("%s: TagKey %v, want %q", tc.name, e.TagKey, tc.want.tagKey)
		}
		if e.TagValue == nil && tc.want.tagValue != "" || e.TagValue != nil && *e.TagValue != tc.want.tagValue {
			t.Errorf("%s: TagValue %v, want %q", tc.name, e.TagValue, tc.want.tagValue)
		}
	}
	// Documents that are not a tag set.
	for _, doc := range []string{
		"<Tagging><TagSet>",
		"<Tagging></Tagging>",
		"<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>",
		"<Tagging><TagSet><Tag><Value>a</Value></Tag></TagSet></Tagging>",
		"<Tagging><TagSet><Tag><Key>a</Key><Key>b</Key><Value/></Tag></TagSet></Tagging>",
		"<Tagging><TagSet><Tag><Key>a</Key><Value>1</Value><Extra/></Tag></TagSet></Tagging>",
		"<Tagging><TagSet><Tag><Key><b>a</b></Key><Value>1</Value></Tag></TagSet></Tagging>",
		"<Tagging><TagSet><Item/></TagSet></Tagging>",
		"<Tagging><TagSet></TagSet><TagSet></TagSet></Tagging>",
		"<Tagging><TagSet>text</TagSet></Tagging>",
		"<Tags><TagSet></TagSet></Tags>",
		"<Tagging><TagSet></TagSet></Tagging><Tagging><TagSet></TagSet></Tagging>",
		"<Tagging><TagSet></TagSet></Tagging>trailing",
		"<!DOCTYPE x><Tagging><TagSet></TagSet></Tagging>",
		"<Tagging><TagSet></Tagging></TagSet>",
		"not xml",
		"<Tagging><TagSet><Tag><Key>\xff</Key><Value/></Tag></TagSet></Tagging>",
	} {
		resp, body := env.sendTagging(t, "/data/obj", doc)
		if resp.StatusCode != 400 || errCode(body) != "MalformedXML" {
			t.Errorf("document %q: %d %s, want MalformedXML", doc, resp.StatusCode, body)
		}
	}
	wantPairs(t, "after refused tag sets", env.tagsOf(t, "data", "obj"), "keep", "me")
}

func TestTaggingHeader(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "data")
	for _, tc := range []struct {
		header string
		want   []string
	}{
		{"a=1&b=2", []string{"a", "1", "b", "2"}},
		{"b=2&a=1", []string{"b", "2", "a", "1"}},
		{"a&b=", []string{"a", "", "b", ""}},
		{"a%20b=c%2Bd&e+f=g=h", []string{"a b", "c+d", "e f", "g=h"}},
		{"%C3%BC=%E6%96%87", []string{"ü", "文"}},
		{"&&", nil},
		{"&k=v&", []string{"k", "v"}},
	} {
		env.put(t, "data", "obj", []byte("x"), func(in *s3.PutObjectInput) { in.Tagging = aws.String(tc.header) })
		wantPairs(t, "x-amz-tagging "+tc.header, env.tagsOf(t, "data", "obj"), tc.want...)
		head, err := env.client.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("data"), Key: aws.String("obj")})
		if err != nil {
			t.Fatal(err)
		}
		if n, want := tagCount(head.TagCount), int32(len(tc.want)/2); n != want && !(want == 0 && n == -1) {
			t.Errorf("x-amz-tagging %s: TagCount %d, want %d", tc.header, n, want)
		}
	}
	eleven := []string{}
	for i := range 11 {
		eleven = append(eleven, "k"+strconv.Itoa(i)+"=")
	}
	for _, tc := range []struct {
		header, code string
		inBody       string
	}{
		{"a=1&a=2", "InvalidArgument", "<ArgumentName>x-amz-tagging</ArgumentName><ArgumentValue>a=1&amp;a=2</ArgumentValue>"},
		{"a=&a=", "InvalidArgument", "shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates."},
		{"=1", "InvalidArgument", "<ArgumentValue>=1</ArgumentValue>"},
		{"a=%FF", "InvalidArgument", ""},
		{"%FF=1", "InvalidArgument", ""},
		{"a=%zz", "InvalidArgument", ""},
		{strings.Join(eleven, "&"), "BadRequest", "Object tags cannot be greater than 10"},
		{"a,b=1", "InvalidTag", "<TagKey>a,b</TagKey>"},
		{"k=a%2Ab", "InvalidTag", "<Message>The TagValue you have provided is invalid</Message><TagKey>k</TagKey><TagValue>a*b</TagValue>"},
		{"aws:cost=1", "InvalidTag", "<TagKey>aws:cost</TagKey>"},
		{"k=" + strings.Repeat("v", 257), "InvalidTag", "The TagValue you have provided is invalid"},
	} {
		_, err := env.client.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("data"), Key: aws.String("new"),
			Body: strings.NewReader("x"), Tagging: aws.String(tc.header)})
		if code, status := apiErr(err); code != tc.code || status != 400 {
			t.Errorf("PutObject x-amz-tagging %q: %v, want %s", tc.header, err, tc.code)
		}
		resp, body := env.send(t, "PUT", "/data/new", []byte("x"), map[string]string{"x-amz-tagging": tc.header})
		if resp.StatusCode != 400 || errCode(body) != tc.code || !strings.Contains(string(body), tc.inBody) {
			t.Errorf("PUT x-amz-tagging %q: %d %s, want %s with %q", tc.header, resp.StatusCode, body, tc.code, tc.inBody)
		}
		_, err = env.client.CreateMultipartUpload(t.Context(), &s3.CreateMultipartUploadInput{Bucket: aws.String("data"),
			Key: aws.String("new"), Tagging: aws.String(tc.header)})
		if code, _ := apiErr(err); code != tc.code {
			t.Errorf("CreateMultipartUpload x-amz-tagging %q: %v, want %s", tc.header, err, tc.code)
		}
	}
	_, err := env.client.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("data"), Key: aws.String("new")})
	wantErr(t, err, "NotFound", 404)
	ups, err := env.client.ListMultipartUploads(t.Context(), &s3.ListMultipartUploadsInput{Bucket: aws.String("data")})
	if err != nil || len(ups.Uploads) != 0 {
		t.Errorf("uploads after refused creations: %v %v", ups, err)
	}
}

func TestCopyObjectTagging(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "data")
	env.put(t, "data", "src", []byte("source bytes"), func(in *s3.PutObjectInput) {
		in.Tagging = aws.String("a=1&b=2")
		in.Metadata = map[string]string{"m": "1"}
	})
	copyTo := func(dst string, opts ...func(*s3.CopyObjectInput)) error {
		in := &s3.CopyObjectInput{Bucket: aws.String("data"), Key: aws.String(dst), CopySource: aws.String("data/src")}
		for _, o := range opts {
			o(in)
		}
		_, err := env.client.CopyObject(t.Context(), in)
		return err
	}
	for _, tc := range []struct {
		name string
		opt  func(*s3.CopyObjectInput)
		want []string
	}{
		{"default", func(*s3.CopyObjectInput) {}, []string{"a", "1", "b", "2"}},
		{"COPY ignores x-amz-tagging", func(in *s3.CopyObjectInput) {
			in.TaggingDirective = s3types.TaggingDirectiveCopy
			in.Tagging = aws.String("c=3")
		}, []string{"a", "1", "b", "2"}},
		{"REPLACE", func(in *s3.CopyObjectInput) {
			in.TaggingDirective = s3types.TaggingDirectiveReplace
			in.Tagging = aws.String("c=3")
		}, []string{"c", "3"}},
		{"REPLACE without tags", func(in *s3.CopyObjectInput) { in.TaggingDirective = s3types.TaggingDirectiveReplace }, nil},
		{"metadata REPLACE keeps the tags", func(in *s3.CopyObjectInput) {
			in.MetadataDirective = s3types.MetadataDirectiveReplace
		}, []string{"a", "1", "b", "2"}},
	} {
		if err := copyTo("dst", tc.opt); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		wantPairs(t, tc.name, env.tagsOf(t, "data", "dst"), tc.want...)
	}
	err := copyTo("bad", func(in *s3.CopyObjectInput) { in.TaggingDirective = "MERGE" })
	wantErr(t, err, "InvalidArgument", 400)
	resp, body := env.send(t, "PUT", "/data/bad", nil, map[string]string{"x-amz-copy-source": "data/src", "x-amz-tagging-directive": "MERGE"})
	if resp.StatusCode != 400 || !strings.Contains(string(body), "<ArgumentName>x-amz-tagging-directive</ArgumentName><ArgumentValue>MERGE</ArgumentValue>") {
		t.Errorf("unknown directive: %d %s", resp.StatusCode, body)
	}
	err = copyTo("bad", func(in *s3.CopyObjectInput) {
		in.TaggingDirective = s3types.TaggingDirectiveReplace
		in.Tagging = aws.String("a=1&a=2")
	})
	wantErr(t, err, "InvalidArgument", 400)
	err = copyTo("bad", func(in *s3.CopyObjectInput) {
		in.TaggingDirective = s3types.TaggingDirectiveReplace
		in.Tagging = aws.String("aws:x=1")
	})
	wantErr(t, err, "InvalidTag", 400)
	_, err = env.client.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("data"), Key: aws.String("bad")})
	wantErr(t, err, "NotFound", 404)
	// Replacing only the tags does not make a copy onto itself legal.
	err = copyTo("src", func(in *s3.CopyObjectInput) {
		in.TaggingDirective = s3types.TaggingDirectiveReplace
		in.Tagging = aws.String("c=3")
	})
	wantErr(t, err, "InvalidRequest", 400)
	// A copy onto itself with new metadata keeps the tags.
	if err := copyTo("src", func(in *s3.CopyObjectInput) { in.MetadataDirective = s3types.MetadataDirectiveReplace }); err != nil {
		t.Fatal(err)
	}
	wantPairs(t, "copy onto itself", env.tagsOf(t, "data", "src"), "a", "1", "b", "2")
}

func TestMultipartTagging(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "mpt")
	id := mpCreate(t, env, "mpt", "big", func(in *s3.CreateMultipartUploadInput) { in.Tagging = aws.String("stage=raw&team=data") })
	p1 := lmRand(1, 5*lmMiB)
	parts := []s3types.CompletedPart{mpPart(t, env, "mpt", "big", id, 1, p1), mpPart(t, env, "mpt", "big", id, 2, []byte("tail"))}
	// The upload's tags reach the object only at completion.
	_, err := env.client.GetObjectTagging(t.Context(), &s3.GetObjectTaggingInput{Bucket: aws.String("mpt"), Key: aws.String("big")})
	wantErr(t, err, "NoSuchKey", 404)
	if _, err := mpComplete(t, env, "mpt", "big", id, parts...); err != nil {
		t.Fatal(err)
	}
	wantPairs(t, "completed upload", env.tagsOf(t, "mpt", "big"), "stage", "raw", "team", "data")
	head, err := env.client.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("mpt"), Key: aws.String("big"), PartNumber: aws.Int32(2)})
	if err != nil {
		t.Fatal(err)
	}
	if tagCount(head.TagCount) != 2 {
		t.Errorf("TagCount %d, want 2", tagCount(head.TagCount))
	}
	// Tagging a multipart object keeps its ETag and parts.
	if err := env.putTags(t, "mpt", "big", "stage", "clean"); err != nil {
		t.Fatal(err)
	}
	head2, err := env.client.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("mpt"), Key: aws.String("big"), PartNumber: aws.Int32(2)})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToString(head2.ETag) != aws.ToString(head.ETag) || aws.ToInt32(head2.PartsCount) != 2 || aws.ToInt64(head2.ContentLength) != 4 {
		t.Errorf("after tagging: ETag %s parts %d length %d", aws.ToString(head2.ETag), aws.ToInt32(head2.PartsCount), aws.ToInt64(head2.ContentLength))
	}
	if got := env.get(t, "mpt", "big"); !bytes.Equal(got, append(p1, "tail"...)) {
		t.Error("bytes changed by tagging")
	}
	// An upload without tags makes an untagged object.
	id = mpCreate(t, env, "mpt", "big")
	if _, err := mpComplete(t, env, "mpt", "big", id, mpPart(t, env, "mpt", "big", id, 1, []byte("x"))); err != nil {
		t.Fatal(err)
	}
	wantPairs(t, "untagged upload", env.tagsOf(t, "mpt", "big"))
}

// TestTaggingConcurrentOverwrite: PutObjectTagging racing overwrites of
// the same key never brings back a replaced object (whose blobs are gone).
func TestTaggingConcurrentOverwrite(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "data")
	env.put(t, "data", "k", []byte("v0"))
	var wg sync.WaitGroup
	const rounds = 30
	wg.Go(func() {
		for i := 1; i <= rounds; i++ {
			if _, err := env.client.PutObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("data"), Key: aws.String("k"),
				Body: strings.NewReader("v" + strconv.Itoa(i))}); err != nil {
				t.Error(err)
			}
		}
	})
	for g := range 4 {
		wg.Go(func() {
			for i := range rounds {
				if err := env.putTags(t, "data", "k", "g", strconv.Itoa(g), "i", strconv.Itoa(i)); err != nil {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if got := env.get(t, "data", "k"); string(got) != "v"+strconv.Itoa(rounds) {
		t.Errorf("body %q, want the last overwrite", got)
	}
}

func TestTaggingRoutes(t *testing.T) {
	for _, tc := range []struct {
		method, target, op string
		served             bool
	}{
		{"GET", "/b/k?tagging", "GetObjectTagging", true},
		{"PUT", "/b/k?tagging", "PutObjectTagging", true},
		{"DELETE", "/b/k?tagging", "DeleteObjectTagging", true},
		{"PUT", "/b/k?tagging&uploadId=x", "PutObjectTagging", true},
		{"GET", "/b?tagging", "GetBucketTagging", false},
		{"PUT", "/b?tagging", "PutBucketTagging", false},
		{"DELETE", "/b?tagging", "DeleteBucketTagging", false},
	} {
		r := httptest.NewRequest(tc.method, tc.target, nil)
		c := &call{r: r, q: r.URL.Query(), bucket: "b"}
		if strings.HasPrefix(tc.target, "/b/k") {
			c.key = "k"
		}
		op, h := route(c)
		if op != tc.op || (h != nil) != tc.served {
			t.Errorf("%s %s = %s (handler %v), want %s (served %v)", tc.method, tc.target, op, h != nil, tc.op, tc.served)
		}
	}
}

// Datadriven parser tests: testdata/tagging/*.txt hold blocks
//
//	xml <document>        PutObjectTagging's body (rest of the line, or a
//	header <value>        Go-quoted string); x-amz-tagging's value
//	tag "k" "v"           the expected tag set, one line a tag, or
//	error Code: message   the error, then its extra elements
//	  TagKey "k"
//	----
//
// -rewrite regenerates the expected outputs.
func TestTaggingDatadriven(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "tagging", "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/tagging files: %v", err)
	}
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			raw, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			var out strings.Builder
			for _, b := range parseDD(t, string(raw)) {
				for _, c := range b.comments {
					out.WriteString(c + "\n")
				}
				out.WriteString(b.cmd + "\n")
				verb, arg, _ := strings.Cut(b.cmd, " ")
				if strings.HasPrefix(arg, `"`) {
					if arg, err = strconv.Unquote(arg); err != nil {
						t.Fatalf("%s: %v", b.cmd, err)
					}
				}
				var tags []objectTag
				switch verb {
				case "xml":
					tags, err = parseTaggingXML([]byte(arg))
				case "header":
					tags, err = parseTaggingHeader(arg)
				default:
					t.Fatalf("%s: unknown directive %q", file, b.cmd)
				}
				got := renderTagResult(tags, err)
				if want := strings.Join(b.body, "\n"); !rewriteFlag() && got != want {
					t.Errorf("%s: %s\n got:\n%s\nwant:\n%s", file, b.cmd, got, want)
				}
				out.WriteString(got + "\n----\n")
			}
			if rewriteFlag() {
				if err := os.WriteFile(file, []byte(out.String()), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func renderTagResult(tags []objectTag, err error) string {
	var lines []string
	if err != nil {
		e := toS3Error(err)
		lines = append(lines, fmt.Sprintf("error %s: %s", e.Code, e.Message))
		names := make([]string, 0, len(e.Extra))
		for k := range e.Extra {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, k := range names {
			lines = append(lines, fmt.Sprintf("  %s %s", k, strconv.Quote(e.Extra[k])))
		}
		return strings.Join(lines, "\n")
	}
	if len(tags) == 0 {
		return "no tags"
	}
	for _, t := range tags {
		lines = append(lines, fmt.Sprintf("tag %s %s", strconv.Quote(t.Key), strconv.Quote(t.Value)))
	}
	return strings.Join(lines, "\n")
}

// FuzzTaggingXML: any body is either refused with MalformedXML or one of
// the tag errors, or yields a valid tag set that survives the trip through
// GetObjectTagging's document unchanged. It never panics.
func FuzzTaggingXML(f *testing.F) {
	for _, seed := range []string{
		taggingDocBody(), taggingDocBody("a", "1", "b c", ""), taggingDocBody("a", "1", "a", "2"),
		taggingDocBody(strings.Repeat("𝒜", 64), strings.Repeat("文", 256)), taggingDocBody("aws:x", "1"),
		"<Tagging><TagSet><Tag><Key><![CDATA[k]]></Key><Value>v<!--c--></Value></Tag></TagSet></Tagging>",
		"<?xml version=\"1.0\"?><Tagging><TagSet/></Tagging>", "<Tagging><TagSet>", "<Tagging></Tagging>",
		"<Tagging><TagSet><Tag><Key>a</Key></Tag></TagSet></Tagging>", "", "\x00\xff<", "<a><b>",
		"<Tagging><TagSet><Tag><Key>&amp;</Key><Value>&#x41;</Value></Tag></TagSet></Tagging>",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		tags, err := parseTaggingXML(body)
		if err != nil {
			if !errors.Is(err, ErrMalformedXML) && !errors.Is(err, ErrInvalidTag) && !errors.Is(err, ErrTooManyTags) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		if len(tags) > maxObjectTags {
			t.Fatalf("%d tags accepted", len(tags))
		}
		if err := checkTags(tags); err != nil {
			t.Fatalf("accepted tags fail the check: %v", err)
		}
		var buf bytes.Buffer
		if err := xml.NewEncoder(&buf).Encode(newTaggingDoc(tags)); err != nil {
			t.Fatal(err)
		}
		again, err := parseTaggingXML(buf.Bytes())
		if err != nil || !slices.Equal(again, tags) {
			t.Fatalf("round trip of %q: %q, %v", tags, again, err)
		}
	})
}
