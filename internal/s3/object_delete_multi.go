package s3

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"sort"
	"strings"
)

// maxDeleteKeys is S3's limit of keys in one DeleteObjects request.
const maxDeleteKeys = 1000

type deleteRequest struct {
	XMLName xml.Name            `xml:"Delete"`
	Quiet   bool                `xml:"Quiet"`
	Objects []deleteRequestItem `xml:"Object"`
}

type deleteRequestItem struct {
	Key       *string `xml:"Key"`
	VersionID *string `xml:"VersionId"`
	ETag      string  `xml:"ETag"`
}

type deleteResult struct {
	XMLName xml.Name        `xml:"DeleteResult"`
	NS      string          `xml:"xmlns,attr"`
	Deleted []deletedObject `xml:"Deleted"`
	Errors  []deleteError   `xml:"Error"`
}

type deletedObject struct {
	Key       string `xml:"Key"`
	VersionID string `xml:"VersionId,omitempty"`
}

type deleteError struct {
	Key       string `xml:"Key"`
	VersionID string `xml:"VersionId,omitempty"`
	Code      string `xml:"Code"`
	Message   string `xml:"Message"`
}

// parseDeleteRequest decodes a DeleteObjects body: 1 to 1000 Object
// elements, each with a non-empty Key. Anything else is MalformedXML.
func parseDeleteRequest(body []byte) (*deleteRequest, error) {
	var req deleteRequest
	if err := xml.Unmarshal(body, &req); err != nil {
		return nil, ErrMalformedXML
	}
	if len(req.Objects) == 0 || len(req.Objects) > maxDeleteKeys {
		return nil, ErrMalformedXML
	}
	for _, o := range req.Objects {
		if o.Key == nil || *o.Key == "" {
			return nil, ErrMalformedXML
		}
	}
	return &req, nil
}

// deleteObjects is DeleteObjects. The body must carry Content-MD5 or an
// x-amz-checksum-* (S3 requires one) and match it. All keys are deleted
// in one atomic index batch; each gets a Deleted or an Error entry, and
// Quiet mode reports only the errors.
func (s *Service) deleteObjects(c *call) error {
	bc, err := parseBodyCheck(c.r.Header, "x-amz-sdk-checksum-algorithm")
	if err != nil {
		return err
	}
	if bc.MD5 == nil && !bc.Explicit {
		return ErrInvalidRequest.With("Missing required header for this request: Content-MD5")
	}
	body, err := io.ReadAll(io.LimitReader(c.r.Body, maxXMLBody+1))
	if err != nil {
		return err
	}
	if len(body) > maxXMLBody {
		return ErrMalformedXML
	}
	hs := bc.newHashes()
	hs.Write(body)
	if _, err := bc.verify(c.r, hs); err != nil {
		return err
	}
	req, err := parseDeleteRequest(body)
	if err != nil {
		return err
	}
	if _, err := s.bucket(c.bucket); err != nil {
		return err
	}
	res, old, err := s.deleteMany(c.r.Context(), c.bucket, req)
	if err != nil {
		return err
	}
	for _, m := range old {
		s.deleteBlobs(c.r.Context(), m.Segments)
	}
	res.NS = xmlNS
	if req.Quiet {
		res.Deleted = nil
	}
	return writeXML(c.w, res)
}

// deleteMany removes the entries of req's keys under all their key locks
// in one batch and returns the replaced metas, whose blobs the caller
// deletes.
func (s *Service) deleteMany(ctx context.Context, bucket string, req *deleteRequest) (*deleteResult, []*objectMeta, error) {
	s.bucketsMu.RLock()
	defer s.bucketsMu.RUnlock()
	keys := make([]string, len(req.Objects))
	for i, o := range req.Objects {
		keys[i] = *o.Key
	}
	defer s.lockKeys(bucket, keys)()
	if _, err := s.bucket(bucket); err != nil {
		return nil, nil, err
	}
	res := &deleteResult{}
	var old []*objectMeta
	b := s.db.NewBatch()
	defer b.Close()
	gone := map[string]bool{}
	notify := false
	for _, o := range req.Objects {
		key, vid := *o.Key, ""
		if o.VersionID != nil {
			vid = *o.VersionID
		}
		fail := func(e *Error) {
			res.Errors = append(res.Errors, deleteError{Key: key, VersionID: vid, Code: e.Code, Message: e.Message})
		}
		if vid != "" && vid != "null" {
			fail(ErrInvalidArgument.With("Invalid version id specified"))
			continue
		}
		var cur *objectMeta
		if !gone[key] {
			m, err := s.object(bucket, key)
			if err != nil && !errors.Is(err, ErrNoSuchKey) {
				return nil, nil, err
			}
			cur = m
		}
		if err := (writeCond{ifMatch: strings.TrimSpace(o.ETag)}).check(key, cur); err != nil {
			var e *Error
			errors.As(err, &e)
			fail(e)
			continue
		}
		if cur != nil {
			b.Delete(s.meta, objectKey(bucket, key))
			n, err := s.addEvents(ctx, b, bucket, key, evDelete, nil) // the outbox: same batch
			if err != nil {
				return nil, nil, err
			}
			notify = notify || n
			old = append(old, cur)
			gone[key] = true
		}
		res.Deleted = append(res.Deleted, deletedObject{Key: key, VersionID: vid})
	}
	if !b.Empty() {
		if err := b.Commit(); err != nil {
			return nil, nil, err
		}
	}
	if notify {
		s.wakeRelay()
	}
	return res, old, nil
}

// lockKeys locks the stripes of every key of bucket, in ascending stripe
// order (so it cannot deadlock with other lockers), and returns the
// func that unlocks them.
func (s *Service) lockKeys(bucket string, keys []string) func() {
	set := map[int]bool{}
	for _, k := range keys {
		set[keyStripe(bucket, k)] = true
	}
	idx := make([]int, 0, len(set))
	for i := range set {
		idx = append(idx, i)
	}
	sort.Ints(idx)
	for _, i := range idx {
		s.keyLocks[i].Lock()
	}
	return func() {
		for _, i := range idx {
			s.keyLocks[i].Unlock()
		}
	}
}
