package s3

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Object tagging: GetObjectTagging, PutObjectTagging and
// DeleteObjectTagging (GET/PUT/DELETE /<bucket>/<key>?tagging), and the
// x-amz-tagging header of PutObject, CreateMultipartUpload and CopyObject
// (with x-amz-tagging-directive). Tags live in the object's index entry
// (objectMeta.Tags) in the order they were given; changing them rewrites
// that entry under the key lock and keeps its ETag and LastModified, as S3
// does. Bucket tagging (?tagging without a key) is not served.

// S3's limits on object tags. Lengths count UTF-16 code units: S3 keeps
// tags in UTF-16, so a character outside the BMP takes two.
const (
	maxObjectTags  = 10
	maxTagKeyLen   = 128
	maxTagValueLen = 256
)

// objectTag is one tag of an object or of a multipart upload.
type objectTag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

const taggingHeaderMsg = "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates."

var (
	errMissingContentMD5    = ErrInvalidRequest.With("Missing required header for this request: Content-MD5")
	errUnknownTagDirective  = ErrInvalidArgument.With("Unknown tagging directive.").WithExtra("ArgumentName", "x-amz-tagging-directive")
	errInvalidTagKey        = ErrInvalidTag.With("The TagKey you have provided is invalid")
	errInvalidTagValue      = ErrInvalidTag.With("The TagValue you have provided is invalid")
	errDuplicateTagKey      = ErrInvalidTag.With("Cannot provide multiple Tags with the same key")
	errSystemTagKey         = ErrInvalidTag.With("System tags cannot be added/updated by requester")
	errReservedTagKeyPrefix = ErrInvalidTag.With(`Invalid Tag. Tags cannot start with "aws:"(case insensitive) unless they are System Tags that start with "aws:"(case sensitive)`)
)

// routeObjectTagging routes ?tagging on a key.
func routeObjectTagging(c *call) (string, handlerFunc) {
	switch c.r.Method {
	case http.MethodGet:
		return "GetObjectTagging", (*Service).getObjectTagging
	case http.MethodPut:
		return "PutObjectTagging", (*Service).putObjectTagging
	case http.MethodDelete:
		return "DeleteObjectTagging", (*Service).deleteObjectTagging
	}
	return "Unknown", methodNotAllowed
}

// taggingDoc is the document of GetObjectTagging (and the one
// PutObjectTagging takes, which parseTaggingXML reads).
type taggingDoc struct {
	XMLName xml.Name `xml:"Tagging"`
	NS      string   `xml:"xmlns,attr,omitempty"`
	TagSet  struct {
		Tags []tagElem `xml:"Tag"`
	} `xml:"TagSet"` // always present, empty when the object has no tags
}

type tagElem struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

func newTaggingDoc(tags []objectTag) taggingDoc {
	d := taggingDoc{NS: xmlNS}
	for _, t := range tags {
		d.TagSet.Tags = append(d.TagSet.Tags, tagElem(t))
	}
	return d
}

// getObjectTagging is GetObjectTagging: the object's tags, an empty
// TagSet if it has none.
func (s *Service) getObjectTagging(c *call) error {
	if err := checkVersionID(c); err != nil {
		return err
	}
	m, err := s.lookupObject(c.bucket, c.key)
	if err != nil {
		return err
	}
	return writeXML(c.w, newTaggingDoc(m.Tags))
}

// putObjectTagging is PutObjectTagging: the body (which must carry
// Content-MD5 or an x-amz-checksum-* and match it) is a Tagging document
// whose tags replace the object's. Nothing changes unless every tag is
// valid.
func (s *Service) putObjectTagging(c *call) error {
	if err := checkVersionID(c); err != nil {
		return err
	}
	bc, err := parseBodyCheck(c.r.Header, "x-amz-sdk-checksum-algorithm")
	if err != nil {
		return err
	}
	if bc.MD5 == nil && !bc.Explicit {
		return errMissingContentMD5
	}
	body, err := io.ReadAll(io.LimitReader(c.r.Body, maxXMLBody+1))
	if err != nil {
		return err // a sigv4 verification error, or a broken connection
	}
	if len(body) > maxXMLBody {
		return ErrMalformedXML
	}
	hs := bc.newHashes()
	hs.Write(body)
	if _, err := bc.verify(c.r, hs); err != nil {
		return err
	}
	if len(body) == 0 {
		return ErrMissingRequestBody
	}
	tags, err := parseTaggingXML(body)
	if err != nil {
		return err
	}
	if err := s.setObjectTags(c.bucket, c.key, tags); err != nil {
		return err
	}
	c.w.Header().Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusOK)
	return nil
}

// deleteObjectTagging is DeleteObjectTagging: 204, the object keeps no tags.
func (s *Service) deleteObjectTagging(c *call) error {
	if err := checkVersionID(c); err != nil {
		return err
	}
	if err := s.setObjectTags(c.bucket, c.key, nil); err != nil {
		return err
	}
	c.w.WriteHeader(http.StatusNoContent)
	return nil
}

// setObjectTags replaces the tags of bucket/key. Under bucketsMu (read)
// and the key lock it re-reads the current entry and writes it back with
// tags in one batch, so a concurrent overwrite is never undone; ETag,
// LastModified and the blobs stay as they are. NoSuchBucket / NoSuchKey
// when there is no such object.
func (s *Service) setObjectTags(bucket, key string, tags []objectTag) error {
	s.bucketsMu.RLock()
	defer s.bucketsMu.RUnlock()
	unlock := s.lockKey(bucket, key)
	defer unlock()
	m, err := s.lookupObject(bucket, key)
	if err != nil {
		return err
	}
	m.Tags = tags
	b := s.db.NewBatch() // Commit closes it
	b.Set(s.meta, objectKey(bucket, key), mustJSON(m))
	return b.Commit()
}

// copyTagging reads CopyObject's x-amz-tagging-directive: COPY (the
// default) keeps the source's tags and ignores x-amz-tagging; REPLACE
// takes the tags of x-amz-tagging (none if absent).
func copyTagging(h http.Header) (replace bool, tags []objectTag, err error) {
	switch d := h.Get("x-amz-tagging-directive"); d {
	case "", "COPY":
		return false, nil, nil
	case "REPLACE":
		tags, err = parseTaggingHeader(h.Get("x-amz-tagging"))
		return true, tags, err
	default:
		return false, nil, errUnknownTagDirective.WithExtra("ArgumentValue", d)
	}
}

// parseTaggingHeader reads an x-amz-tagging value: URL query encoding of
// "k1=v1&k2=v2" ("k" alone is a tag with an empty value; empty pairs are
// skipped). A bad escape, text that is not UTF-8, an empty key or a key
// given twice is InvalidArgument; then the tags are checked as
// PutObjectTagging's (checkTags).
func parseTaggingHeader(v string) ([]objectTag, error) {
	if v == "" {
		return nil, nil
	}
	bad := ErrInvalidArgument.With(taggingHeaderMsg).WithExtra("ArgumentName", "x-amz-tagging").WithExtra("ArgumentValue", v)
	var tags []objectTag
	seen := map[string]bool{}
	for _, pair := range strings.Split(v, "&") {
		if pair == "" {
			continue
		}
		rawKey, rawValue, _ := strings.Cut(pair, "=")
		k, err := url.QueryUnescape(rawKey)
		if err != nil || k == "" || !utf8.ValidString(k) || seen[k] {
			return nil, bad
		}
		val, err := url.QueryUnescape(rawValue)
		if err != nil || !utf8.ValidString(val) {
			return nil, bad
		}
		seen[k] = true
		tags = append(tags, objectTag{Key: k, Value: val})
	}
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	return tags, nil
}

// checkTags enforces S3's rules on a tag set: at most 10 tags (BadRequest),
// then for each tag: a key not given before, not starting with "aws:" (in
// any case), of 1 to 128 and a value of at most 256 UTF-16 code units of
// letters, numbers, separators and _ . : / = + - @ (InvalidTag, naming
// the tag).
func checkTags(tags []objectTag) error {
	if len(tags) > maxObjectTags {
		return ErrTooManyTags
	}
	seen := make(map[string]bool, len(tags))
	for _, t := range tags {
		switch {
		case seen[t.Key]:
			return errDuplicateTagKey.WithExtra("TagKey", t.Key)
		case strings.HasPrefix(t.Key, "aws:"):
			return errSystemTagKey.WithExtra("TagKey", t.Key)
		case len(t.Key) >= 4 && strings.EqualFold(t.Key[:4], "aws:"):
			return errReservedTagKeyPrefix.WithExtra("TagKey", t.Key)
		case t.Key == "" || !validTagText(t.Key, maxTagKeyLen):
			return errInvalidTagKey.WithExtra("TagKey", t.Key)
		case !validTagText(t.Value, maxTagValueLen):
			return errInvalidTagValue.WithExtra("TagKey", t.Key).WithExtra("TagValue", t.Value)
		}
		seen[t.Key] = true
	}
	return nil
}

// validTagText reports whether s matches S3's tag pattern
// ^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$ within max UTF-16 code units.
func validTagText(s string, max int) bool {
	n := 0
	for _, r := range s {
		n++
		if r > 0xFFFF {
			n++ // a surrogate pair
		}
		if n > max {
			return false
		}
		if !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.In(r, unicode.Z) && !strings.ContainsRune("_.:/=+-@", r) {
			return false
		}
	}
	return true
}

// parseTaggingXML reads a PutObjectTagging document:
//
//	<Tagging><TagSet><Tag><Key>k</Key><Value>v</Value></Tag>...</TagSet></Tagging>
//
// (any namespace). The root must be Tagging with exactly one TagSet; each
// Tag has exactly one Key and one Value holding text only; no other
// element or text may appear. Anything else is MalformedXML; the tags
// are then checked by checkTags. It never panics, whatever body holds.
func parseTaggingXML(body []byte) ([]objectTag, error) {
	tags, err := decodeTagging(xml.NewDecoder(bytes.NewReader(body)))
	if err != nil {
		return nil, err
	}
	if err := checkTags(tags); err != nil {
		return nil, err
	}
	return tags, nil
}

func decodeTagging(d *xml.Decoder) ([]objectTag, error) {
	var tags []objectTag
	sawRoot := false
	for {
		tok, err := d.Token()
		if err == io.EOF && sawRoot {
			return tags, nil
		}
		if err != nil {
			return nil, ErrMalformedXML
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if sawRoot || tok.Name.Local != "Tagging" {
				return nil, ErrMalformedXML
			}
			sawRoot = true
			sawSet := false
			err := xmlChildren(d, func(se xml.StartElement) error {
				if se.Name.Local != "TagSet" || sawSet {
					return ErrMalformedXML
				}
				sawSet = true
				return xmlChildren(d, func(se xml.StartElement) error {
					if se.Name.Local != "Tag" {
						return ErrMalformedXML
					}
					t, err := decodeTag(d)
					tags = append(tags, t)
					return err
				})
			})
			if err != nil {
				return nil, err
			}
			if !sawSet {
				return nil, ErrMalformedXML
			}
		case xml.CharData:
			if len(bytes.TrimSpace(tok)) > 0 {
				return nil, ErrMalformedXML
			}
		case xml.Directive:
			return nil, ErrMalformedXML // no DOCTYPE
		}
	}
}

// decodeTag reads the content of a Tag element, up to its end.
func decodeTag(d *xml.Decoder) (objectTag, error) {
	var t objectTag
	var sawKey, sawValue bool
	err := xmlChildren(d, func(se xml.StartElement) error {
		var dst *string
		switch {
		case se.Name.Local == "Key" && !sawKey:
			sawKey, dst = true, &t.Key
		case se.Name.Local == "Value" && !sawValue:
			sawValue, dst = true, &t.Value
		default:
			return ErrMalformedXML
		}
		s, err := xmlText(d)
		*dst = s
		return err
	})
	if err == nil && (!sawKey || !sawValue) {
		err = ErrMalformedXML
	}
	return t, err
}

// xmlChildren calls fn for each child element of the element just opened
// (fn must consume the child up to its end) and returns after the
// element's end. Text other than white space is MalformedXML.
func xmlChildren(d *xml.Decoder, fn func(xml.StartElement) error) error {
	for {
		tok, err := d.Token()
		if err != nil {
			return ErrMalformedXML // including EOF: the element never ended
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if err := fn(tok); err != nil {
				return err
			}
		case xml.EndElement:
			return nil // the decoder checks that it matches
		case xml.CharData:
			if len(bytes.TrimSpace(tok)) > 0 {
				return ErrMalformedXML
			}
		case xml.Directive:
			return ErrMalformedXML
		}
	}
}

// xmlText returns the text of the element just opened (character data
// and CDATA sections; comments are skipped) and consumes its end. A child
// element is MalformedXML.
func xmlText(d *xml.Decoder) (string, error) {
	var sb strings.Builder
	for {
		tok, err := d.Token()
		if err != nil {
			return "", ErrMalformedXML
		}
		switch tok := tok.(type) {
		case xml.CharData:
			sb.Write(tok)
		case xml.EndElement:
			return sb.String(), nil
		case xml.StartElement, xml.Directive:
			return "", ErrMalformedXML
		}
	}
}
