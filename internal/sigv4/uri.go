package sigv4

import (
	"net/url"
	"strings"
)

// canonicalURI returns the CanonicalURI line for a path as sent, and an
// alternative ("" if none) that Verify also accepts.
//
// S3 decodes the path and encodes each segment again with SigV4's strict
// rules (so "/test$file.text" signs as "/test%24file.text", as in the S3
// documentation); the alternative is the path exactly as sent, for clients
// that sign what they send. Other services' SDK signers escape the path as
// sent once more ("%20" becomes "%2520"), without normalizing it; the
// alternative is the same after removing "." and ".." segments and empty
// ones, as botocore normalizes.
func canonicalURI(rawPath string, s3 bool) (uri, alt string) {
	if rawPath == "" {
		rawPath = "/"
	}
	if s3 {
		uri = reencodeS3Path(rawPath)
		if uri != rawPath {
			alt = rawPath
		}
		return uri, alt
	}
	uri = uriEncode(rawPath, false)
	if n := removeDotSegments(rawPath); n != rawPath {
		alt = uriEncode(n, false)
	}
	return uri, alt
}

// reencodeS3Path decodes each '/'-separated segment of rawPath and encodes
// it again with SigV4's strict rules. A "%2F" in a segment stays "%2F", so
// the key the path names is unchanged; a segment that is not valid
// percent-encoding is encoded as sent.
func reencodeS3Path(rawPath string) string {
	if strictlyEncoded(rawPath) {
		return rawPath
	}
	segs := strings.Split(rawPath, "/")
	for i, s := range segs {
		if u, err := url.PathUnescape(s); err == nil {
			s = u
		}
		segs[i] = uriEncode(s, true)
	}
	return strings.Join(segs, "/")
}

// strictlyEncoded reports whether reencodeS3Path would return p unchanged:
// p holds only unreserved bytes, '/', and uppercase %XX escapes of bytes
// that must be escaped.
func strictlyEncoded(p string) bool {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if unreserved[c] || c == '/' {
			continue
		}
		if c != '%' || i+2 >= len(p) {
			return false
		}
		h, l := unhexUpper(p[i+1]), unhexUpper(p[i+2])
		if h < 0 || l < 0 || unreserved[h<<4|l] {
			return false
		}
		i += 2
	}
	return true
}

func unhexUpper(c byte) int {
	switch {
	case '0' <= c && c <= '9':
		return int(c - '0')
	case 'A' <= c && c <= 'F':
		return int(c-'A') + 10
	}
	return -1
}

// removeDotSegments drops empty, "." and ".." segments of a path (".."
// removing the one before it), keeping a trailing slash.
func removeDotSegments(p string) string {
	var out []string
	for seg := range strings.SplitSeq(p, "/") {
		switch seg {
		case "", ".":
		case "..":
			if len(out) > 0 {
				out = out[:len(out)-1]
			}
		default:
			out = append(out, seg)
		}
	}
	n := "/" + strings.Join(out, "/")
	if strings.HasSuffix(p, "/") && n != "/" {
		n += "/"
	}
	return n
}
