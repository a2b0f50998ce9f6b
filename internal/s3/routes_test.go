package s3

import "testing"

func TestUnsupportedOpNames(t *testing.T) {
	for _, tc := range []struct {
		sub, method string
		hasKey      bool
		want        string
	}{
		{"tagging", "GET", false, "GetBucketTagging"},
		{"tagging", "PUT", false, "PutBucketTagging"},
		{"tagging", "DELETE", false, "DeleteBucketTagging"},
		{"acl", "GET", false, "GetBucketAcl"},
		{"notification", "PUT", false, "PutBucketNotificationConfiguration"},
		{"restore", "POST", true, "RestoreObject"},
		{"versions", "GET", false, "ListObjectVersions"},
	} {
		if got := unsupportedOp(unsupportedSub[tc.sub], tc.method, tc.hasKey); got != tc.want {
			t.Errorf("%s %s (key %v) = %s, want %s", tc.method, tc.sub, tc.hasKey, got, tc.want)
		}
	}
}
