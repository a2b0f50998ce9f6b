package s3

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
)

func TestBucketNames(t *testing.T) {
	env := newTestEnv(t)
	tests := []struct {
		name string
		ok   bool
	}{
		{"abc", true},
		{"my-bucket.data-1", true},
		{strings.Repeat("a", 63), true},
		{"1.2.3", true},
		{"ab", false},
		{strings.Repeat("a", 64), false},
		{"My-Bucket", false},
		{"-abc", false},
		{"abc-", false},
		{".abc", false},
		{"abc.", false},
		{"a..b", false},
		{"a_b", false},
		{"192.168.5.4", false},
		{"192.168.05.004", false},
		{"xn--abc", false},
		{"sthree-abc", false},
		{"amzn-s3-demo-abc", false},
		{"abc-s3alias", false},
		{"abc--ol-s3", false},
		{"abc.mrap", false},
		{"abc--x-s3", false},
		{"abc--table-s3", false},
	}
	for _, tt := range tests {
		if strings.HasSuffix(tt.name, "--x-s3") {
			// The SDK takes these for directory buckets (CreateSession
			// first), so send the request raw.
			resp, body := env.send(t, "PUT", "/"+tt.name, nil, nil)
			if resp.StatusCode != 400 || errCode(body) != "InvalidBucketName" {
				t.Errorf("CreateBucket(%q) = %d %s", tt.name, resp.StatusCode, body)
			}
			continue
		}
		_, err := env.client.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String(tt.name)})
		if tt.ok && err != nil {
			t.Errorf("CreateBucket(%q): %v", tt.name, err)
		}
		if !tt.ok {
			if code, status := apiErr(err); code != "InvalidBucketName" || status != 400 {
				t.Errorf("CreateBucket(%q) = %q/%d (%v), want InvalidBucketName/400", tt.name, code, status, err)
			}
		}
	}
}

// TestCreateBucketTwice: S3 answers BucketAlreadyOwnedByYou in every
// region but us-east-1, which keeps a legacy 200 OK.
func TestCreateBucketTwice(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "twice")
	if _, err := env.client.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String("twice")}); err != nil {
		t.Errorf("re-create in us-east-1: %v, want 200 OK", err)
	}
	eu := &s3.CreateBucketInput{Bucket: aws.String("twice-eu"), CreateBucketConfiguration: &types.CreateBucketConfiguration{
		LocationConstraint: types.BucketLocationConstraintEuWest1}}
	if _, err := env.client.CreateBucket(t.Context(), eu); err != nil {
		t.Fatal(err)
	}
	_, err := env.client.CreateBucket(t.Context(), eu)
	wantErr(t, err, "BucketAlreadyOwnedByYou", 409)
	var owned *types.BucketAlreadyOwnedByYou
	if !errors.As(err, &owned) {
		t.Errorf("err %T is not *types.BucketAlreadyOwnedByYou", err)
	}
}

func TestCreateBucketLocation(t *testing.T) {
	env := newTestEnv(t)
	out, err := env.client.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String("eu-data"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: types.BucketLocationConstraintEuWest1}})
	if err != nil {
		t.Fatal(err)
	}
	if got := aws.ToString(out.Location); got != "/eu-data" {
		t.Errorf("Location = %q", got)
	}
	env.mkBucket(t, "us-data")
	for bucket, want := range map[string]types.BucketLocationConstraint{"eu-data": "eu-west-1", "us-data": ""} {
		loc, err := env.client.GetBucketLocation(t.Context(), &s3.GetBucketLocationInput{Bucket: aws.String(bucket)})
		if err != nil {
			t.Fatal(err)
		}
		if loc.LocationConstraint != want {
			t.Errorf("%s: LocationConstraint = %q, want %q", bucket, loc.LocationConstraint, want)
		}
		head, err := env.client.HeadBucket(t.Context(), &s3.HeadBucketInput{Bucket: aws.String(bucket)})
		if err != nil {
			t.Fatal(err)
		}
		if wantRegion := map[string]string{"eu-data": "eu-west-1", "us-data": "us-east-1"}[bucket]; aws.ToString(head.BucketRegion) != wantRegion {
			t.Errorf("%s: x-amz-bucket-region = %q, want %q", bucket, aws.ToString(head.BucketRegion), wantRegion)
		}
	}
	_, err = env.client.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String("explicit-us"),
		CreateBucketConfiguration: &types.CreateBucketConfiguration{LocationConstraint: "us-east-1"}})
	wantErr(t, err, "InvalidLocationConstraint", 400)

	refused := []struct {
		name, bucket string
		body         []byte
		hdr          map[string]string
		status       int
		code         string
	}{
		{"malformed config", "badxml", []byte("<CreateBucketConfiguration><Loc"), nil, 400, "MalformedXML"},
		{"public ACL", "acl-public", nil, map[string]string{"x-amz-acl": "public-read"}, 400, "InvalidBucketAclWithObjectOwnership"},
		{"object lock", "locked", nil, map[string]string{"x-amz-bucket-object-lock-enabled": "true"}, 501, "NotImplemented"},
	}
	for _, tt := range refused {
		resp, body := env.send(t, "PUT", "/"+tt.bucket, tt.body, tt.hdr)
		if resp.StatusCode != tt.status || errCode(body) != tt.code {
			t.Errorf("%s: %d %s", tt.name, resp.StatusCode, body)
		}
	}
	if resp, body := env.send(t, "PUT", "/acl-private", nil, map[string]string{"x-amz-acl": "private"}); resp.StatusCode != 200 {
		t.Errorf("private ACL: %d %s", resp.StatusCode, body)
	}
}

func TestBucketRegionRules(t *testing.T) {
	s := &Service{region: DefaultRegion}
	tests := []struct {
		reqRegion, loc, want, code string
	}{
		{"us-east-1", "", "us-east-1", ""},
		{"us-east-1", "eu-west-1", "eu-west-1", ""},
		{"eu-west-1", "eu-west-1", "eu-west-1", ""},
		{"us-east-1", "EU", "eu-west-1", ""},
		{"eu-west-1", "", "", "IllegalLocationConstraintException"},
		{"eu-west-1", "ap-south-1", "", "IllegalLocationConstraintException"},
		{"us-east-1", "us-east-1", "", "InvalidLocationConstraint"},
		{"us-east-1", "mars-1", "", "InvalidLocationConstraint"},
	}
	for _, tt := range tests {
		got, err := s.bucketRegion(tt.reqRegion, tt.loc)
		code := ""
		if err != nil {
			code = toS3Error(err).Code
		}
		if got != tt.want || code != tt.code {
			t.Errorf("bucketRegion(%q, %q) = %q, %q; want %q, %q", tt.reqRegion, tt.loc, got, code, tt.want, tt.code)
		}
	}
}

func TestHeadAndDeleteBucket(t *testing.T) {
	env := newTestEnv(t)
	_, err := env.client.HeadBucket(t.Context(), &s3.HeadBucketInput{Bucket: aws.String("nope")})
	wantErr(t, err, "NotFound", 404) // HEAD errors have no body: the SDK names the status
	resp, body := env.send(t, "HEAD", "/nope", nil, nil)
	if resp.StatusCode != 404 || len(body) != 0 {
		t.Errorf("HEAD missing bucket: %d %q", resp.StatusCode, body)
	}
	_, err = env.client.DeleteBucket(t.Context(), &s3.DeleteBucketInput{Bucket: aws.String("nope")})
	wantErr(t, err, "NoSuchBucket", 404)

	env.mkBucket(t, "full")
	env.put(t, "full", "k", []byte("x"))
	_, err = env.client.DeleteBucket(t.Context(), &s3.DeleteBucketInput{Bucket: aws.String("full")})
	wantErr(t, err, "BucketNotEmpty", 409)
	if _, err := env.client.DeleteObject(t.Context(), &s3.DeleteObjectInput{Bucket: aws.String("full"), Key: aws.String("k")}); err != nil {
		t.Fatal(err)
	}

	// An in-progress multipart upload also keeps the bucket.
	mp, err := env.client.CreateMultipartUpload(t.Context(), &s3.CreateMultipartUploadInput{Bucket: aws.String("full"), Key: aws.String("mp")})
	if err != nil {
		t.Fatal(err)
	}
	_, err = env.client.DeleteBucket(t.Context(), &s3.DeleteBucketInput{Bucket: aws.String("full")})
	wantErr(t, err, "BucketNotEmpty", 409)
	if _, err := env.client.AbortMultipartUpload(t.Context(), &s3.AbortMultipartUploadInput{Bucket: aws.String("full"),
		Key: aws.String("mp"), UploadId: mp.UploadId}); err != nil {
		t.Fatal(err)
	}
	if _, err := env.client.DeleteBucket(t.Context(), &s3.DeleteBucketInput{Bucket: aws.String("full")}); err != nil {
		t.Fatal(err)
	}
}

func TestDeleteEmptyBucket(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "gone")
	resp, _ := env.send(t, "DELETE", "/gone", nil, nil)
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("DeleteBucket status %d", resp.StatusCode)
	}
	_, err := env.client.HeadBucket(t.Context(), &s3.HeadBucketInput{Bucket: aws.String("gone")})
	wantErr(t, err, "NotFound", 404)
	env.mkBucket(t, "gone") // the name is free again
}

func TestListBuckets(t *testing.T) {
	env := newTestEnv(t)
	names := []string{"zeta", "alpha", "beta-1", "beta-2", "gamma"}
	for _, n := range names {
		env.mkBucket(t, n)
	}
	out, err := env.client.ListBuckets(t.Context(), &s3.ListBucketsInput{})
	if err != nil {
		t.Fatal(err)
	}
	got := bucketNames(out.Buckets)
	if want := "alpha,beta-1,beta-2,gamma,zeta"; got != want {
		t.Errorf("ListBuckets = %s, want %s", got, want)
	}
	if out.Owner == nil || aws.ToString(out.Owner.ID) == "" || out.Buckets[0].CreationDate == nil {
		t.Errorf("missing Owner or CreationDate: %+v", out)
	}
	if out.Buckets[0].BucketRegion != nil {
		t.Errorf("BucketRegion without paging parameters: %q", aws.ToString(out.Buckets[0].BucketRegion))
	}

	var pages []string
	p := s3.NewListBucketsPaginator(env.client, &s3.ListBucketsInput{MaxBuckets: aws.Int32(2)})
	for p.HasMorePages() {
		page, err := p.NextPage(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		pages = append(pages, bucketNames(page.Buckets))
		if len(page.Buckets) > 0 && aws.ToString(page.Buckets[0].BucketRegion) != "us-east-1" {
			t.Errorf("BucketRegion = %q", aws.ToString(page.Buckets[0].BucketRegion))
		}
	}
	if got, want := strings.Join(pages, "|"), "alpha,beta-1|beta-2,gamma|zeta"; got != want {
		t.Errorf("pages = %s, want %s", got, want)
	}

	out, err = env.client.ListBuckets(t.Context(), &s3.ListBucketsInput{Prefix: aws.String("beta")})
	if err != nil {
		t.Fatal(err)
	}
	if got := bucketNames(out.Buckets); got != "beta-1,beta-2" || aws.ToString(out.Prefix) != "beta" {
		t.Errorf("prefix beta: %s (prefix %q)", got, aws.ToString(out.Prefix))
	}

	for _, bad := range []string{"0", "10001", "x"} {
		resp, body := env.send(t, "GET", "/?max-buckets="+bad, nil, nil)
		if resp.StatusCode != 400 || errCode(body) != "InvalidArgument" {
			t.Errorf("max-buckets=%s: %d %s", bad, resp.StatusCode, body)
		}
	}
	_, err = env.client.ListBuckets(t.Context(), &s3.ListBucketsInput{ContinuationToken: aws.String("forged")})
	wantErr(t, err, "InvalidArgument", 400)
}

func bucketNames(bs []types.Bucket) string {
	var names []string
	for _, b := range bs {
		names = append(names, aws.ToString(b.Name))
	}
	return strings.Join(names, ",")
}

func TestGetBucketVersioning(t *testing.T) {
	env := newTestEnv(t)
	env.mkBucket(t, "vers")
	out, err := env.client.GetBucketVersioning(t.Context(), &s3.GetBucketVersioningInput{Bucket: aws.String("vers")})
	if err != nil {
		t.Fatal(err)
	}
	if out.Status != "" || out.MFADelete != "" {
		t.Errorf("versioning = %q/%q, want empty", out.Status, out.MFADelete)
	}
	_, body := env.send(t, "GET", "/vers?versioning", nil, nil)
	if want := fmt.Sprintf(`<VersioningConfiguration xmlns="%s"></VersioningConfiguration>`, xmlNS); !strings.Contains(string(body), want) {
		t.Errorf("body = %s", body)
	}
	_, err = env.client.GetBucketVersioning(t.Context(), &s3.GetBucketVersioningInput{Bucket: aws.String("nope")})
	wantErr(t, err, "NoSuchBucket", 404)
}
