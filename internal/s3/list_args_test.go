package s3

import (
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"net/url"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

// encodedResult is the part of a ListBucketResult the encoding test reads.
type encodedResult struct {
	Prefix, Delimiter, StartAfter, Marker, NextMarker, EncodingType string
	Contents                                                        []struct{ Key string }
	CommonPrefixes                                                  []struct{ Prefix string }
}

// TestListEncodingURL checks encoding-type=url on the raw wire (the SDK
// would hide it): Key, Prefix, Delimiter, StartAfter, Marker, NextMarker
// and CommonPrefixes are form-encoded, '/' kept, space as '+'.
func TestListEncodingURL(t *testing.T) {
	env := newTestEnv(t)
	seedBucket(t, env.svc, "enc")
	for _, k := range []string{"a b/c", "a+b", "100%.csv", "ü/x", "tab\tkey", "ctl\x01key", "x~y*z"} {
		seedObject(t, env.svc, "enc", k, []byte("x"))
	}
	tests := []struct {
		query string
		want  encodedResult
	}{
		{"list-type=2&encoding-type=url", encodedResult{EncodingType: "url",
			Contents: keysOf("100%25.csv", "a+b/c", "a%2Bb", "ctl%01key", "tab%09key", "x%7Ey*z", "%C3%BC/x")}},
		{"list-type=2&encoding-type=url&delimiter=/&start-after=" + url.QueryEscape("a b"), encodedResult{
			EncodingType: "url", Delimiter: "/", StartAfter: "a+b",
			Contents:       keysOf("a%2Bb", "ctl%01key", "tab%09key", "x%7Ey*z"),
			CommonPrefixes: prefixesOf("a+b/", "%C3%BC/")}},
		{"list-type=2&encoding-type=url&prefix=" + url.QueryEscape("ü/") + "&delimiter=" + url.QueryEscape("+"),
			encodedResult{EncodingType: "url", Prefix: "%C3%BC/", Delimiter: "%2B", Contents: keysOf("%C3%BC/x")}},
		{"encoding-type=url&delimiter=" + url.QueryEscape(" ") + "&max-keys=1&marker=100", encodedResult{
			EncodingType: "url", Delimiter: "+", Marker: "100", NextMarker: "100%25.csv", Contents: keysOf("100%25.csv")}},
		{"encoding-type=url&delimiter=" + url.QueryEscape(" ") + "&max-keys=1&marker=100%25.csv",
			encodedResult{EncodingType: "url", Delimiter: "+", Marker: "100%25.csv", NextMarker: "a+",
				CommonPrefixes: prefixesOf("a+")}},
	}
	for _, tc := range tests {
		status, body := env.lmDo(t, "GET", "/enc?"+tc.query, nil)
		if status != 200 {
			t.Fatalf("%s: %d %s", tc.query, status, body)
		}
		var got encodedResult
		if err := xml.Unmarshal(body, &got); err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(got) != fmt.Sprint(tc.want) {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.query, got, tc.want)
		}
	}
}

func keysOf(keys ...string) []struct{ Key string } {
	var out []struct{ Key string }
	for _, k := range keys {
		out = append(out, struct{ Key string }{k})
	}
	return out
}

func prefixesOf(ps ...string) []struct{ Prefix string } {
	var out []struct{ Prefix string }
	for _, p := range ps {
		out = append(out, struct{ Prefix string }{p})
	}
	return out
}

// TestListArgumentErrors: bad arguments, forged tokens and missing buckets.
func TestListArgumentErrors(t *testing.T) {
	env := newTestEnv(t)
	seedBucket(t, env.svc, "args")
	seedBucket(t, env.svc, "other")
	seedObject(t, env.svc, "args", "k1", nil)
	seedObject(t, env.svc, "args", "k2", nil)
	good := encodeListToken("args", "k1")
	flip := []byte(good)
	flip[3] ^= 1
	tests := []struct {
		query, code, msg string
		status           int
	}{
		{"/args?list-type=2&encoding-type=xml", "InvalidArgument", "Invalid Encoding Method specified in Request", 400},
		{"/args?encoding-type=URL", "InvalidArgument", "Invalid Encoding Method specified in Request", 400},
		{"/args?list-type=2&max-keys=abc", "InvalidArgument", "Provided max-keys not an integer or within integer range", 400},
		{"/args?list-type=2&max-keys=99999999999", "InvalidArgument", "Provided max-keys not an integer or within integer range", 400},
		{"/args?max-keys=-1", "InvalidArgument", "Argument maxKeys must be an integer between 0 and 2147483647", 400},
		{"/args?list-type=2&continuation-token=", "InvalidArgument", "The continuation token provided is incorrect", 400},
		{"/args?list-type=2&continuation-token=%21%21", "InvalidArgument", "The continuation token provided is incorrect", 400},
		{"/args?list-type=2&continuation-token=" + url.QueryEscape(base64.StdEncoding.EncodeToString([]byte("k1"))), "InvalidArgument", "The continuation token provided is incorrect", 400},
		{"/args?list-type=2&continuation-token=" + url.QueryEscape(string(flip)), "InvalidArgument", "The continuation token provided is incorrect", 400},
		{"/args?list-type=2&continuation-token=" + url.QueryEscape(encodeListToken("other", "k1")), "InvalidArgument", "The continuation token provided is incorrect", 400},
		{"/nosuch?list-type=2", "NoSuchBucket", "The specified bucket does not exist", 404},
		{"/nosuch", "NoSuchBucket", "The specified bucket does not exist", 404},
		{"/nosuch?uploads", "NoSuchBucket", "The specified bucket does not exist", 404},
		{"/args?uploads&max-uploads=x", "InvalidArgument", "Provided max-uploads not an integer or within integer range", 400},
	}
	for _, tc := range tests {
		status, body := env.lmDo(t, "GET", tc.query, nil)
		var e struct{ Code, Message string }
		_ = xml.Unmarshal(body, &e)
		if status != tc.status || e.Code != tc.code || e.Message != tc.msg {
			t.Errorf("%s: %d %s %q, want %d %s %q", tc.query, status, e.Code, e.Message, tc.status, tc.code, tc.msg)
		}
	}
	// A genuine token resumes after its key, whatever start-after says.
	out, err := env.client.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String("args"),
		ContinuationToken: aws.String(good), StartAfter: aws.String("k2")})
	if err != nil {
		t.Fatal(err)
	}
	if len(out.Contents) != 1 || aws.ToString(out.Contents[0].Key) != "k2" || aws.ToString(out.StartAfter) != "k2" {
		t.Fatalf("token listing %+v", out)
	}
}

// TestListMaxKeys: max-keys 0 answers an empty untruncated page, the
// default and the cap are 1000, and a 1000-key page can end on a prefix.
func TestListMaxKeys(t *testing.T) {
	env := newTestEnv(t)
	seedBucket(t, env.svc, "many")
	var keys []string
	for i := range 1500 {
		keys = append(keys, fmt.Sprintf("k%04d", i))
	}
	keys = append(keys, "zdir/a", "zdir/b")
	seedIndexOnly(t, env.svc, "many", keys)
	for _, tc := range []struct {
		max       *int32
		wantN     int
		wantMax   int32
		truncated bool
	}{
		{aws.Int32(0), 0, 0, false},
		{nil, 1000, 1000, true},
		{aws.Int32(5000), 1000, 1000, true},
		{aws.Int32(1000), 1000, 1000, true},
	} {
		out, err := env.client.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String("many"), MaxKeys: tc.max})
		if err != nil {
			t.Fatal(err)
		}
		if n := len(out.Contents); n != tc.wantN || aws.ToInt32(out.MaxKeys) != tc.wantMax || aws.ToBool(out.IsTruncated) != tc.truncated {
			t.Errorf("max %v: %d items, MaxKeys %d, truncated %v", aws.ToInt32(tc.max), n, aws.ToInt32(out.MaxKeys), aws.ToBool(out.IsTruncated))
		}
	}
	// The page after k0500..k1499 is exactly the CommonPrefix zdir/.
	out, err := env.client.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String("many"),
		Delimiter: aws.String("/"), StartAfter: aws.String("k0499")})
	if err != nil {
		t.Fatal(err)
	}
	out2, err := env.client.ListObjectsV2(t.Context(), &s3.ListObjectsV2Input{Bucket: aws.String("many"),
		Delimiter: aws.String("/"), ContinuationToken: out.NextContinuationToken})
	if err != nil {
		t.Fatal(err)
	}
	if len(out2.Contents) != 0 || len(out2.CommonPrefixes) != 1 || aws.ToString(out2.CommonPrefixes[0].Prefix) != "zdir/" ||
		aws.ToBool(out2.IsTruncated) {
		t.Fatalf("last page %+v", out2)
	}
	if len(out.Contents) != 1000 || aws.ToString(out.Contents[0].Key) != "k0500" || !aws.ToBool(out.IsTruncated) {
		t.Fatalf("first page: %d keys from %q", len(out.Contents), aws.ToString(out.Contents[0].Key))
	}
}
