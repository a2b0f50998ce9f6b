package s3

import (
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"

	"github.com/tarnhq/tarn/internal/kv"
)

// maxBucketsPage is the largest max-buckets ListBuckets accepts (and the
// page size when a request asks for none of the paging parameters).
const maxBucketsPage = 10000

type listAllMyBucketsResult struct {
	XMLName           xml.Name   `xml:"ListAllMyBucketsResult"`
	NS                string     `xml:"xmlns,attr"`
	Owner             owner      `xml:"Owner"`
	Buckets           bucketList `xml:"Buckets"` // present even when empty, as in S3
	ContinuationToken string     `xml:"ContinuationToken,omitempty"`
	Prefix            string     `xml:"Prefix,omitempty"`
}

type bucketList struct {
	Bucket []bucketEntry `xml:"Bucket"`
}

type bucketEntry struct {
	Name         string `xml:"Name"`
	CreationDate string `xml:"CreationDate"`
	BucketRegion string `xml:"BucketRegion,omitempty"`
}

// bucketTokenPrefix marks tarn's ListBuckets continuation tokens; the
// token is base64url("lb1:" + last bucket name returned).
const bucketTokenPrefix = "lb1:"

func bucketToken(last string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(bucketTokenPrefix + last))
}

// parseBucketToken returns the bucket name a token resumes after, or
// ErrInvalidContinuationToken for anything tarn did not issue.
func parseBucketToken(tok string) (string, error) {
	raw, err := base64.RawURLEncoding.DecodeString(tok)
	if err != nil {
		return "", ErrInvalidContinuationToken
	}
	last, ok := strings.CutPrefix(string(raw), bucketTokenPrefix)
	if !ok || last == "" {
		return "", ErrInvalidContinuationToken
	}
	return last, nil
}

// listBuckets is ListBuckets: every bucket in name order, with the
// optional paging of newer S3 (max-buckets, continuation-token, prefix,
// bucket-region). BucketRegion is reported when any of those is given.
func (s *Service) listBuckets(c *call) error {
	paged := has(c.q, "max-buckets") || has(c.q, "continuation-token") || has(c.q, "prefix") || has(c.q, "bucket-region")
	limit := maxBucketsPage
	if has(c.q, "max-buckets") {
		n, err := strconv.Atoi(c.q.Get("max-buckets"))
		if err != nil || n < 1 || n > maxBucketsPage {
			return ErrInvalidArgument.With("Argument max-buckets must be an integer between 1 and 10000").
				WithExtra("ArgumentName", "max-buckets").WithExtra("ArgumentValue", c.q.Get("max-buckets"))
		}
		limit = n
	}
	prefix, region := c.q.Get("prefix"), c.q.Get("bucket-region")
	lower := bucketKey(prefix)
	if tok := c.q.Get("continuation-token"); tok != "" {
		last, err := parseBucketToken(tok)
		if err != nil {
			return err
		}
		if after := append(bucketKey(last), 0); string(after) > string(lower) {
			lower = after
		}
	}
	out := listAllMyBucketsResult{NS: xmlNS, Owner: theOwner, Prefix: prefix}
	it, err := s.meta.Iter(lower, kv.PrefixEnd(bucketKey(prefix)))
	if err != nil {
		return err
	}
	var more bool
	for ok := it.First(); ok; ok = it.Next() {
		raw, err := it.Value()
		if err != nil {
			it.Close()
			return err
		}
		var m bucketMeta
		if err := json.Unmarshal(raw, &m); err != nil {
			key := string(it.Key())
			it.Close()
			return fmt.Errorf("decode bucket %q: %w", key, err)
		}
		if region != "" && m.Region != region {
			continue
		}
		if len(out.Buckets.Bucket) == limit {
			more = true
			break
		}
		e := bucketEntry{Name: strings.TrimPrefix(string(it.Key()), famBucket), CreationDate: s3Time(m.Created)}
		if paged {
			e.BucketRegion = m.Region
		}
		out.Buckets.Bucket = append(out.Buckets.Bucket, e)
	}
	if err := it.Close(); err != nil {
		return err
	}
	if more {
		out.ContinuationToken = bucketToken(out.Buckets.Bucket[len(out.Buckets.Bucket)-1].Name)
	}
	return writeXML(c.w, out)
}
