package s3

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strings"

	"github.com/tarnhq/tarn/internal/kv"
	"github.com/tarnhq/tarn/internal/sigv4"
)

// requestRegion is the region of the request's SigV4 scope, or the
// service's region for a scope without one.
func (s *Service) requestRegion(r *http.Request) string {
	if a := sigv4.AuthFrom(r.Context()); a != nil && a.Region != "" {
		return a.Region
	}
	return s.region
}

type createBucketConfiguration struct {
	XMLName            xml.Name  `xml:"CreateBucketConfiguration"`
	LocationConstraint string    `xml:"LocationConstraint"`
	Location           *struct{} `xml:"Location"` // directory buckets
	Bucket             *struct{} `xml:"Bucket"`
}

// parseCreateBucketConfiguration decodes a CreateBucket body. An empty
// body means no configuration; anything else must be a well-formed
// CreateBucketConfiguration document (else MalformedXML).
func parseCreateBucketConfiguration(body []byte) (*createBucketConfiguration, error) {
	var cfg createBucketConfiguration
	if len(bytes.TrimSpace(body)) == 0 {
		return &cfg, nil
	}
	if err := xml.Unmarshal(body, &cfg); err != nil {
		return nil, ErrMalformedXML
	}
	cfg.LocationConstraint = strings.TrimSpace(cfg.LocationConstraint)
	return &cfg, nil
}

// bucketRegion applies S3's LocationConstraint rules: none means
// us-east-1 and is valid only on the us-east-1 endpoint; "us-east-1"
// itself is refused; another region must match a regional endpoint.
func (s *Service) bucketRegion(reqRegion, loc string) (string, error) {
	switch {
	case loc == "":
		if reqRegion != DefaultRegion {
			return "", ErrIllegalLocationConstraint
		}
		return s.region, nil
	case loc == DefaultRegion || !validLocation(loc):
		return "", ErrInvalidLocationConstraint.WithExtra("LocationConstraint", loc)
	case loc == "EU":
		loc = "eu-west-1"
	}
	if reqRegion != DefaultRegion && reqRegion != loc {
		return "", ErrIllegalLocationConstraint.With("The " + loc +
			" location constraint is incompatible for the region specific endpoint this request was sent to.")
	}
	return loc, nil
}

// createBucket is CreateBucket. Re-creating a bucket you own answers
// BucketAlreadyOwnedByYou (409), as S3 does in every region but us-east-1,
// where S3 keeps its legacy 200 OK for a us-east-1 bucket; so does tarn.
func (s *Service) createBucket(c *call) error {
	name := c.bucket
	if !validBucketName(name) {
		return ErrInvalidBucketName.WithExtra("BucketName", name)
	}
	if acl := c.r.Header.Get("x-amz-acl"); acl != "" && acl != "private" || hasGrantHeader(c.r.Header) {
		return ErrBucketACLWithOwnership
	}
	if strings.EqualFold(c.r.Header.Get("x-amz-bucket-object-lock-enabled"), "true") {
		return notImplemented("CreateBucket with object lock")
	}
	body, err := io.ReadAll(io.LimitReader(c.r.Body, maxXMLBody+1))
	if err != nil {
		return err
	}
	if len(body) > maxXMLBody {
		return ErrMalformedXML
	}
	cfg, err := parseCreateBucketConfiguration(body)
	if err != nil {
		return err
	}
	if cfg.Location != nil || cfg.Bucket != nil {
		return notImplemented("CreateBucket for directory buckets")
	}
	region, err := s.bucketRegion(s.requestRegion(c.r), cfg.LocationConstraint)
	if err != nil {
		return err
	}

	s.bucketsMu.Lock()
	defer s.bucketsMu.Unlock()
	existing, err := s.bucket(name)
	switch {
	case err == nil && (region != DefaultRegion || existing.Region != DefaultRegion):
		return ErrBucketAlreadyOwnedByYou.WithExtra("BucketName", name)
	case err == nil:
		// us-east-1's legacy answer: 200 OK (S3 resets the bucket's ACLs,
		// which in tarn are always private).
	case errors.Is(err, ErrNoSuchBucket):
		m := bucketMeta{Created: s.now().UTC().Truncate(1e9), Region: region}
		if err := s.meta.Set(bucketKey(name), mustJSON(m)); err != nil {
			return err
		}
	default:
		return err
	}
	c.w.Header().Set("Location", "/"+name)
	c.w.Header().Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusOK)
	return nil
}

func hasGrantHeader(h http.Header) bool {
	for k := range h {
		if strings.HasPrefix(strings.ToLower(k), "x-amz-grant-") {
			return true
		}
	}
	return false
}

// headBucket is HeadBucket: 200 with the region, or a bodiless 404.
func (s *Service) headBucket(c *call) error {
	m, err := s.bucket(c.bucket)
	if err != nil {
		return err
	}
	h := c.w.Header()
	h.Set("x-amz-bucket-region", m.Region)
	h.Set("x-amz-access-point-alias", "false")
	h.Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusOK)
	return nil
}

// deleteBucket is DeleteBucket: 204, or BucketNotEmpty while any object
// or in-progress multipart upload is in the bucket.
func (s *Service) deleteBucket(c *call) error {
	s.bucketsMu.Lock()
	defer s.bucketsMu.Unlock()
	if _, err := s.bucket(c.bucket); err != nil {
		return err
	}
	for _, prefix := range [][]byte{objectPrefix(c.bucket), []byte(famUpload + c.bucket + "\x00")} {
		empty, err := s.spaceEmpty(prefix)
		if err != nil {
			return err
		}
		if !empty {
			return ErrBucketNotEmpty.WithExtra("BucketName", c.bucket)
		}
	}
	// The bucket and its notification configuration go together.
	b := s.db.NewBatch()
	defer b.Close()
	b.Delete(s.meta, bucketKey(c.bucket))
	b.Delete(s.meta, notifyKey(c.bucket))
	if err := b.Commit(); err != nil {
		return err
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// spaceEmpty reports whether no index key starts with prefix.
func (s *Service) spaceEmpty(prefix []byte) (bool, error) {
	it, err := s.meta.Iter(prefix, kv.PrefixEnd(prefix))
	if err != nil {
		return false, err
	}
	found := it.First()
	if err := it.Close(); err != nil {
		return false, err
	}
	return !found, nil
}

type locationConstraint struct {
	XMLName xml.Name `xml:"LocationConstraint"`
	NS      string   `xml:"xmlns,attr"`
	Region  string   `xml:",chardata"`
}

// getBucketLocation is GetBucketLocation; us-east-1 is the empty
// constraint, as in S3.
func (s *Service) getBucketLocation(c *call) error {
	m, err := s.bucket(c.bucket)
	if err != nil {
		return err
	}
	loc := m.Region
	if loc == DefaultRegion {
		loc = ""
	}
	return writeXML(c.w, locationConstraint{NS: xmlNS, Region: loc})
}

type versioningConfiguration struct {
	XMLName xml.Name `xml:"VersioningConfiguration"`
	NS      string   `xml:"xmlns,attr"`
}

// getBucketVersioning is GetBucketVersioning. tarn buckets are never
// versioned, so the answer is the empty document S3 gives a bucket whose
// versioning was never enabled.
func (s *Service) getBucketVersioning(c *call) error {
	if _, err := s.bucket(c.bucket); err != nil {
		return err
	}
	return writeXML(c.w, versioningConfiguration{NS: xmlNS})
}
