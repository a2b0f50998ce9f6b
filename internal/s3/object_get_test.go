package s3

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestParseRange(t *testing.T) {
	tests := []struct {
		hdr           string
		size          int64
		off, n        int64
		ok, unsatisfy bool
	}{
		{"bytes=0-0", 10, 0, 1, true, false},
		{"bytes=0-9", 10, 0, 10, true, false},
		{"bytes=2-5", 10, 2, 4, true, false},
		{"bytes=5-100", 10, 5, 5, true, false},
		{"bytes=9-", 10, 9, 1, true, false},
		{"bytes=0-", 10, 0, 10, true, false},
		{"bytes=-3", 10, 7, 3, true, false},
		{"bytes=-10", 10, 0, 10, true, false},
		{"bytes=-100", 10, 0, 10, true, false},
		{"bytes=10-", 10, 0, 0, true, true},
		{"bytes=10-20", 10, 0, 0, true, true},
		{"bytes=-0", 10, 0, 0, true, true},
		{"bytes=0-", 0, 0, 0, true, true},
		{"bytes=-1", 0, 0, 0, true, true},
		// Malformed: ignored, the whole object is served.
		{"bytes=5-2", 10, 0, 0, false, false},
		{"bytes=0-1,3-4", 10, 0, 0, false, false},
		{"bytes=", 10, 0, 0, false, false},
		{"bytes=-", 10, 0, 0, false, false},
		{"bytes=a-b", 10, 0, 0, false, false},
		{"bytes=+1-2", 10, 0, 0, false, false},
		{"bytes= 1-2", 10, 0, 0, false, false},
		{"items=0-1", 10, 0, 0, false, false},
		{"0-1", 10, 0, 0, false, false},
		{"bytes=99999999999999999999-", 10, 0, 0, false, false},
	}
	for _, tt := range tests {
		br, ok, err := parseRange(tt.hdr, tt.size)
		if ok != tt.ok || (err != nil) != tt.unsatisfy {
			t.Errorf("parseRange(%q, %d): ok=%v err=%v; want ok=%v unsatisfiable=%v", tt.hdr, tt.size, ok, err, tt.ok, tt.unsatisfy)
			continue
		}
		if ok && err == nil && (br.off != tt.off || br.n != tt.n || !br.partial) {
			t.Errorf("parseRange(%q, %d) = %+v, want off %d n %d", tt.hdr, tt.size, br, tt.off, tt.n)
		}
	}
}

func TestGetRange(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "data")
	env.put(t, "data", "digits", []byte("0123456789"))
	tests := []struct {
		rng, body, contentRange string
		status                  int
	}{
		{"bytes=2-5", "2345", "bytes 2-5/10", 206},
		{"bytes=7-", "789", "bytes 7-9/10", 206},
		{"bytes=-2", "89", "bytes 8-9/10", 206},
		{"bytes=8-50", "89", "bytes 8-9/10", 206},
		{"bytes=5-2", "0123456789", "", 200},
		{"bytes=0-1,4-5", "0123456789", "", 200},
		{"garbage", "0123456789", "", 200},
		{"bytes=10-", "", "bytes */10", 416},
	}
	for _, tt := range tests {
		resp, body := env.send(t, "GET", "/data/digits", nil, map[string]string{"Range": tt.rng})
		if resp.StatusCode != tt.status || resp.Header.Get("Content-Range") != tt.contentRange {
			t.Errorf("Range %q: %d %q, want %d %q", tt.rng, resp.StatusCode, resp.Header.Get("Content-Range"), tt.status, tt.contentRange)
		}
		if tt.status == 416 {
			if errCode(body) != "InvalidRange" || !strings.Contains(string(body), "<ActualObjectSize>10</ActualObjectSize>") {
				t.Errorf("416 body: %s", body)
			}
			continue
		}
		if string(body) != tt.body {
			t.Errorf("Range %q: body %q, want %q", tt.rng, body, tt.body)
		}
	}
	// Through the SDK, with HEAD too.
	out, err := env.client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("data"), Key: aws.String("digits"), Range: aws.String("bytes=1-3")})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(out.Body)
	out.Body.Close()
	if string(b) != "123" || aws.ToString(out.ContentRange) != "bytes 1-3/10" || aws.ToInt64(out.ContentLength) != 3 {
		t.Errorf("SDK range: %q %q %d", b, aws.ToString(out.ContentRange), aws.ToInt64(out.ContentLength))
	}
	_, err = env.client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("data"), Key: aws.String("digits"), Range: aws.String("bytes=20-")})
	wantErr(t, err, "InvalidRange", 416)
	head, err := env.client.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("data"), Key: aws.String("digits"), Range: aws.String("bytes=0-4")})
	if err != nil {
		t.Fatal(err)
	}
	if aws.ToInt64(head.ContentLength) != 5 || aws.ToString(head.ContentRange) != "bytes 0-4/10" {
		t.Errorf("HEAD range: %d %q", aws.ToInt64(head.ContentLength), aws.ToString(head.ContentRange))
	}
}

func TestGetPartNumberSinglePart(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "data")
	env.put(t, "data", "k", []byte("whole"))
	out, err := env.client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("data"), Key: aws.String("k"), PartNumber: aws.Int32(1)})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(out.Body)
	out.Body.Close()
	if string(b) != "whole" || out.PartsCount != nil {
		t.Errorf("part 1 of a simple object: %q, parts count %v", b, out.PartsCount)
	}
	_, err = env.client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("data"), Key: aws.String("k"), PartNumber: aws.Int32(2)})
	wantErr(t, err, "InvalidPartNumber", 416)
	for _, q := range []string{"0", "10001", "x"} {
		resp, body := env.send(t, "GET", "/data/k?partNumber="+q, nil, nil)
		if resp.StatusCode != 400 || errCode(body) != "InvalidArgument" {
			t.Errorf("partNumber=%s: %d %s", q, resp.StatusCode, body)
		}
	}
	resp, body := env.send(t, "GET", "/data/k?partNumber=1", nil, map[string]string{"Range": "bytes=0-1"})
	if resp.StatusCode != 400 || errCode(body) != "InvalidRequest" {
		t.Errorf("Range with partNumber: %d %s", resp.StatusCode, body)
	}
}

func TestReadConditions(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "data")
	etag := aws.ToString(env.put(t, "data", "k", []byte("v")).ETag)
	head, err := env.client.HeadObject(t.Context(), &s3.HeadObjectInput{Bucket: aws.String("data"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	mtime := aws.ToTime(head.LastModified)
	before, after := httpTime(mtime.Add(-time.Hour)), httpTime(mtime.Add(time.Hour))
	at := httpTime(mtime)
	tests := []struct {
		name   string
		hdr    map[string]string
		status int
	}{
		{"if-match true", map[string]string{"If-Match": etag}, 200},
		{"if-match list", map[string]string{"If-Match": `"zzz", ` + etag}, 200},
		{"if-match star", map[string]string{"If-Match": "*"}, 200},
		{"if-match false", map[string]string{"If-Match": `"zzz"`}, 412},
		{"if-none-match true", map[string]string{"If-None-Match": `"zzz"`}, 200},
		{"if-none-match false", map[string]string{"If-None-Match": etag}, 304},
		{"if-modified-since before", map[string]string{"If-Modified-Since": before}, 200},
		{"if-modified-since at", map[string]string{"If-Modified-Since": at}, 304},
		{"if-modified-since after", map[string]string{"If-Modified-Since": after}, 304},
		{"if-unmodified-since after", map[string]string{"If-Unmodified-Since": after}, 200},
		{"if-unmodified-since at", map[string]string{"If-Unmodified-Since": at}, 200},
		{"if-unmodified-since before", map[string]string{"If-Unmodified-Since": before}, 412},
		{"bad date ignored", map[string]string{"If-Unmodified-Since": "yesterday"}, 200},
		// S3's documented precedence.
		{"match true + unmodified false", map[string]string{"If-Match": etag, "If-Unmodified-Since": before}, 200},
		{"none-match false + modified true", map[string]string{"If-None-Match": etag, "If-Modified-Since": before}, 304},
		{"none-match true + modified false", map[string]string{"If-None-Match": `"zzz"`, "If-Modified-Since": after}, 200},
		{"match false + none-match false", map[string]string{"If-Match": `"zzz"`, "If-None-Match": etag}, 412},
		{"unmodified false + modified false", map[string]string{"If-Unmodified-Since": before, "If-Modified-Since": after}, 412},
	}
	for _, tt := range tests {
		for _, method := range []string{"GET", "HEAD"} {
			resp, body := env.send(t, method, "/data/k", nil, tt.hdr)
			if resp.StatusCode != tt.status {
				t.Errorf("%s %s: status %d, want %d", method, tt.name, resp.StatusCode, tt.status)
			}
			switch tt.status {
			case http.StatusNotModified:
				if len(body) != 0 || resp.Header.Get("ETag") != etag || resp.Header.Get("Last-Modified") == "" {
					t.Errorf("%s %s: 304 with body %q, ETag %q, Last-Modified %q", method, tt.name, body, resp.Header.Get("ETag"), resp.Header.Get("Last-Modified"))
				}
			case http.StatusPreconditionFailed:
				if method == "GET" && errCode(body) != "PreconditionFailed" {
					t.Errorf("%s %s: body %s", method, tt.name, body)
				}
			}
		}
	}
	// The SDK surfaces 304 as an error with status 304.
	_, err = env.client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("data"), Key: aws.String("k"), IfNoneMatch: aws.String(etag)})
	if _, status := apiErr(err); status != 304 {
		t.Errorf("SDK If-None-Match: %v", err)
	}
	_, err = env.client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("data"), Key: aws.String("k"), IfMatch: aws.String(`"nope"`)})
	wantErr(t, err, "PreconditionFailed", 412)
}

func TestResponseOverrides(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "data")
	env.put(t, "data", "k", []byte("v"), func(in *s3.PutObjectInput) { in.ContentType = aws.String("text/plain") })
	out, err := env.client.GetObject(t.Context(), &s3.GetObjectInput{Bucket: aws.String("data"), Key: aws.String("k"),
		ResponseContentType:        aws.String("application/json"),
		ResponseContentDisposition: aws.String("inline"),
		ResponseCacheControl:       aws.String("no-cache"),
		ResponseContentLanguage:    aws.String("fr"),
		ResponseContentEncoding:    aws.String("identity"),
		ResponseExpires:            aws.Time(time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC)),
	})
	if err != nil {
		t.Fatal(err)
	}
	out.Body.Close()
	got := []string{aws.ToString(out.ContentType), aws.ToString(out.ContentDisposition), aws.ToString(out.CacheControl),
		aws.ToString(out.ContentLanguage), aws.ToString(out.ContentEncoding), aws.ToString(out.ExpiresString)}
	want := []string{"application/json", "inline", "no-cache", "fr", "identity", "Wed, 01 Jan 2031 00:00:00 GMT"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("overrides = %q, want %q", got, want)
	}
}

func TestAnonymousDenied(t *testing.T) {
	env := newTestEnv(t)
	resp, err := http.Get(env.srv.URL + "/data/k")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 403 {
		t.Errorf("anonymous GET: %d, want 403", resp.StatusCode)
	}
}

func TestGetPartNumberMultipart(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "data")
	ctx := t.Context()
	mp, err := env.client.CreateMultipartUpload(ctx, &s3.CreateMultipartUploadInput{Bucket: aws.String("data"), Key: aws.String("mp")})
	if err != nil {
		t.Fatal(err)
	}
	parts := [][]byte{[]byte(strings.Repeat("a", 5<<20)), []byte("tail part")}
	var done []types.CompletedPart
	for i, p := range parts {
		out, err := env.client.UploadPart(ctx, &s3.UploadPartInput{Bucket: aws.String("data"), Key: aws.String("mp"),
			UploadId: mp.UploadId, PartNumber: aws.Int32(int32(i + 1)), Body: bytes.NewReader(p)})
		if err != nil {
			t.Fatal(err)
		}
		done = append(done, types.CompletedPart{ETag: out.ETag, PartNumber: aws.Int32(int32(i + 1))})
	}
	if _, err := env.client.CompleteMultipartUpload(ctx, &s3.CompleteMultipartUploadInput{Bucket: aws.String("data"), Key: aws.String("mp"),
		UploadId: mp.UploadId, MultipartUpload: &types.CompletedMultipartUpload{Parts: done}}); err != nil {
		t.Fatal(err)
	}
	total := int64(len(parts[0]) + len(parts[1]))
	for n, want := range map[int32]string{1: fmt.Sprintf("bytes 0-%d/%d", len(parts[0])-1, total), 2: fmt.Sprintf("bytes %d-%d/%d", len(parts[0]), total-1, total)} {
		out, err := env.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String("data"), Key: aws.String("mp"), PartNumber: aws.Int32(n)})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(out.Body)
		out.Body.Close()
		if !bytes.Equal(b, parts[n-1]) || aws.ToString(out.ContentRange) != want || aws.ToInt32(out.PartsCount) != 2 {
			t.Errorf("part %d: %d bytes, range %q, parts count %d", n, len(b), aws.ToString(out.ContentRange), aws.ToInt32(out.PartsCount))
		}
	}
	_, err = env.client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("data"), Key: aws.String("mp"), PartNumber: aws.Int32(3)})
	wantErr(t, err, "RequestedRangeNotSatisfiable", 416) // HEAD: no body, the SDK names the status
	// The whole object reads across both segments.
	if got := env.get(t, "data", "mp"); int64(len(got)) != total || !bytes.Equal(got[len(parts[0]):], parts[1]) {
		t.Errorf("whole multipart object: %d bytes", len(got))
	}
}
