package s3

import (
	"context"
	"net/http"
	"strings"
)

// UploadPart: PUT /<bucket>/<key>?partNumber=N&uploadId=ID. The body is
// read and verified exactly as a PutObject's (declaredLength,
// parseBodyCheck, storeBody), into a blob of its own.

func (s *Service) uploadPart(c *call) error {
	n, err := mpPartNumberArg(c)
	if err != nil {
		return err
	}
	if _, err := s.bucket(c.bucket); err != nil {
		return err
	}
	id := c.q.Get("uploadId")
	up, err := s.upload(c.bucket, c.key, id)
	if err != nil {
		return err
	}
	size, err := declaredLength(c.r)
	if err != nil {
		return err
	}
	if size > maxPutSize {
		return ErrEntityTooLarge.WithExtra("ProposedSize", itoa(size)).WithExtra("MaxSizeAllowed", itoa(maxPutSize))
	}
	bc, err := parseBodyCheck(c.r.Header, "x-amz-sdk-checksum-algorithm")
	if err != nil {
		return err
	}
	implicit, err := mpPartAlgo(up, bc)
	if err != nil {
		return err
	}
	ctx := c.r.Context()
	om, err := s.storeBody(ctx, c.r, c.r.Body, size, bc)
	if err != nil {
		return err
	}
	pm := partMeta{Blob: om.Segments[0].Blob, Size: om.Size, ETag: om.ETag, ChecksumAlgo: bc.Algo,
		Checksum: om.Checksum, Implicit: implicit, LastModified: s.now().UTC().Truncate(1e9)}
	if err := s.mpCommitPart(ctx, c.bucket, c.key, id, n, pm); err != nil {
		return err
	}
	h := c.w.Header()
	h.Set("ETag", `"`+pm.ETag+`"`)
	h.Set("x-amz-server-side-encryption", "AES256")
	if algo, v := pm.shownChecksum(); algo != "" {
		h.Set(checksumHeader(algo), v)
	}
	h.Set("Content-Length", "0")
	c.w.WriteHeader(http.StatusOK)
	return nil
}

// mpPartAlgo settles which algorithm bc sums a part of up with: the
// upload's, which the part may only repeat; else the part's own; else the
// default, computed implicitly for the object's default checksum.
func mpPartAlgo(up *uploadMeta, bc *bodyCheck) (implicit bool, err error) {
	if up.ChecksumAlgo == "" {
		return !bc.Explicit, nil
	}
	if bc.Explicit && bc.Algo != up.ChecksumAlgo {
		return false, ErrInvalidRequest.With("Checksum Type mismatch occurred, expected checksum Type: " +
			strings.ToLower(up.ChecksumAlgo) + ", actual checksum Type: " + strings.ToLower(bc.Algo))
	}
	bc.Algo = up.ChecksumAlgo
	return false, nil
}

// mpCommitPart records pm as part n of the upload, replacing (and then
// deleting the blob of) any earlier upload of that number. If the upload
// is gone meanwhile (aborted or completed), pm's blob is deleted and the
// answer is NoSuchUpload.
func (s *Service) mpCommitPart(ctx context.Context, bucket, key, id string, n int, pm partMeta) error {
	unlock := s.lockKey(bucket, key)
	if _, err := s.upload(bucket, key, id); err != nil {
		unlock()
		s.mpDropBlob(ctx, pm.Blob)
		return err
	}
	var old partMeta
	oldErr := getJSON(s.meta, partKey(id, n), &old)
	if err := s.meta.Set(partKey(id, n), mustJSON(pm)); err != nil {
		unlock()
		s.mpDropBlob(ctx, pm.Blob)
		return err
	}
	unlock()
	if oldErr == nil {
		s.mpDropBlob(ctx, old.Blob)
	}
	return nil
}
