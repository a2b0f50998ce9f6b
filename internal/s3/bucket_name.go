package s3

import (
	"regexp"
	"strings"
)

// Bucket naming rules of general purpose buckets, as the S3 user guide
// lists them ("General purpose bucket naming rules").
var (
	reservedBucketPrefixes = []string{"xn--", "sthree-", "amzn-s3-demo-"}
	reservedBucketSuffixes = []string{"-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"}
	locationRE             = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)
)

// validBucketName reports whether name may be given to a new bucket:
// 3-63 characters of [a-z0-9.-], starting and ending with a letter or
// digit, no "..", not an IPv4 address, no reserved prefix or suffix.
func validBucketName(name string) bool {
	if len(name) < 3 || len(name) > 63 {
		return false
	}
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	if !alnum(name[0]) || !alnum(name[len(name)-1]) || strings.Contains(name, "..") {
		return false
	}
	if looksLikeIPv4(name) {
		return false
	}
	for _, p := range reservedBucketPrefixes {
		if strings.HasPrefix(name, p) {
			return false
		}
	}
	for _, s := range reservedBucketSuffixes {
		if strings.HasSuffix(name, s) {
			return false
		}
	}
	return true
}

// looksLikeIPv4 reports whether name is a dotted quad of 1-3 digit
// numbers ("192.168.5.4", also "192.168.05.004"), which S3 refuses.
func looksLikeIPv4(name string) bool {
	parts := strings.Split(name, ".")
	if len(parts) != 4 {
		return false
	}
	for _, p := range parts {
		if p == "" || len(p) > 3 {
			return false
		}
		for i := 0; i < len(p); i++ {
			if p[i] < '0' || p[i] > '9' {
				return false
			}
		}
	}
	return true
}

func alnum(c byte) bool { return c >= 'a' && c <= 'z' || c >= '0' && c <= '9' }

// validLocation reports whether loc has the shape of an AWS region name
// (us-east-2, ap-southeast-1, us-gov-west-1) or is the legacy "EU".
func validLocation(loc string) bool { return loc == "EU" || locationRE.MatchString(loc) }
