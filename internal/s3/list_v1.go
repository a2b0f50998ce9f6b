package s3

// ListObjects (v1): GET /<bucket> without list-type=2.

// listObjectsV1 lists keys after marker. As in S3, NextMarker is sent only
// when the request has a delimiter (without one, clients resume after the
// last key), and every object carries its Owner.
func (s *Service) listObjectsV1(c *call) error {
	p, err := parseListParams(c.q, "max-keys")
	if err != nil {
		return err
	}
	if _, err := s.bucket(c.bucket); err != nil {
		return err
	}
	marker := c.q.Get("marker")
	page, err := s.scanObjects(listQuery{bucket: c.bucket, prefix: p.prefix,
		delimiter: p.delimiter, after: marker, max: p.max})
	if err != nil {
		return err
	}
	d := newXMLDoc("ListBucketResult")
	d.text("Name", c.bucket)
	d.text("Prefix", p.enc(p.prefix))
	d.text("Marker", p.enc(marker))
	if page.truncated && p.delimiter != "" {
		d.text("NextMarker", p.enc(page.last()))
	}
	d.int("MaxKeys", int64(p.max))
	d.opt("Delimiter", p.enc(p.delimiter))
	d.opt("EncodingType", p.encodingType())
	d.bool("IsTruncated", page.truncated)
	d.items(p, page, true)
	return d.send(c.w, "ListBucketResult")
}
