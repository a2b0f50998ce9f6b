package s3

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"strconv"

	"github.com/tarnhq/tarn/internal/kv"
)

// ListParts (GET /<bucket>/<key>?uploadId=ID) and ListMultipartUploads
// (GET /<bucket>?uploads), both paged by bounded index scans.

type listPartsResult struct {
	XMLName              xml.Name     `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListPartsResult"`
	Bucket               string       `xml:"Bucket"`
	Key                  string       `xml:"Key"`
	UploadID             string       `xml:"UploadId"`
	Initiator            owner        `xml:"Initiator"`
	Owner                owner        `xml:"Owner"`
	StorageClass         string       `xml:"StorageClass"`
	ChecksumAlgorithm    string       `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType         string       `xml:"ChecksumType,omitempty"`
	PartNumberMarker     int          `xml:"PartNumberMarker"`
	NextPartNumberMarker int          `xml:"NextPartNumberMarker"`
	MaxParts             int          `xml:"MaxParts"`
	IsTruncated          bool         `xml:"IsTruncated"`
	Parts                []listedPart `xml:"Part"`
}

type listedPart struct {
	PartNumber   int    `xml:"PartNumber"`
	LastModified string `xml:"LastModified"`
	ETag         string `xml:"ETag"`
	Size         int64  `xml:"Size"`
	mpChecksums
}

func (s *Service) listParts(c *call) error {
	maxParts, marker := maxListKeys, 0
	var err error
	if has(c.q, "max-parts") {
		if maxParts, err = parseMax(c.q.Get("max-parts"), "max-parts"); err != nil {
			return err
		}
	}
	if has(c.q, "part-number-marker") {
		n, err := strconv.ParseInt(c.q.Get("part-number-marker"), 10, 32)
		if err != nil || n < 0 {
			return ErrInvalidArgument.With("Provided part-number-marker not an integer or within integer range")
		}
		marker = int(min(n, 10000))
	}
	if _, err := s.bucket(c.bucket); err != nil {
		return err
	}
	id := c.q.Get("uploadId")
	up, err := s.upload(c.bucket, c.key, id)
	if err != nil {
		return err
	}
	res := listPartsResult{Bucket: c.bucket, Key: c.key, UploadID: id, Initiator: theOwner, Owner: theOwner,
		StorageClass: storageClassOf(up.StorageClass), ChecksumAlgorithm: up.ChecksumAlgo,
		ChecksumType: up.ChecksumType, PartNumberMarker: marker, MaxParts: maxParts}
	pre := partPrefix(id)
	it, err := s.meta.Iter(pre, kv.PrefixEnd(pre))
	if err != nil {
		return err
	}
	for ok := maxParts > 0 && it.SeekGE(partKey(id, marker+1)); ok; ok = it.Next() {
		if len(res.Parts) == maxParts {
			res.IsTruncated = true
			break
		}
		n, _ := mpPartNumber(string(it.Key()[len(pre):]))
		raw, err := it.Value()
		var pm partMeta
		if err == nil {
			err = mpUnmarshalPart(raw, &pm)
		}
		if err != nil {
			it.Close()
			return err
		}
		res.Parts = append(res.Parts, listedPart{PartNumber: n, LastModified: s3Time(pm.LastModified),
			ETag: `"` + pm.ETag + `"`, Size: pm.Size, mpChecksums: mpChecksumsOf(pm.shownChecksum())})
		res.NextPartNumberMarker = n
	}
	if err := it.Close(); err != nil {
		return err
	}
	return writeXML(c.w, res)
}

type listUploadsResult struct {
	XMLName            xml.Name       `xml:"http://s3.amazonaws.com/doc/2006-03-01/ ListMultipartUploadsResult"`
	Bucket             string         `xml:"Bucket"`
	KeyMarker          string         `xml:"KeyMarker"`
	UploadIDMarker     string         `xml:"UploadIdMarker"`
	NextKeyMarker      string         `xml:"NextKeyMarker,omitempty"`
	NextUploadIDMarker string         `xml:"NextUploadIdMarker,omitempty"`
	Delimiter          string         `xml:"Delimiter,omitempty"`
	Prefix             string         `xml:"Prefix"`
	EncodingType       string         `xml:"EncodingType,omitempty"`
	MaxUploads         int            `xml:"MaxUploads"`
	IsTruncated        bool           `xml:"IsTruncated"`
	Uploads            []listedUpload `xml:"Upload"`
	CommonPrefixes     []commonPrefix `xml:"CommonPrefixes"`
}

type listedUpload struct {
	Key               string `xml:"Key"`
	UploadID          string `xml:"UploadId"`
	Initiator         owner  `xml:"Initiator"`
	Owner             owner  `xml:"Owner"`
	StorageClass      string `xml:"StorageClass"`
	Initiated         string `xml:"Initiated"`
	ChecksumAlgorithm string `xml:"ChecksumAlgorithm,omitempty"`
	ChecksumType      string `xml:"ChecksumType,omitempty"`
}

// listMultipartUploads lists uploads by key, then initiation time (the
// order of their ids). With upload-id-marker, the uploads of key-marker
// after that id come first; without it, key-marker's uploads are skipped.
func (s *Service) listMultipartUploads(c *call) error {
	p, err := parseListParams(c.q, "max-uploads")
	if err != nil {
		return err
	}
	if _, err := s.bucket(c.bucket); err != nil {
		return err
	}
	keyMarker, idMarker := c.q.Get("key-marker"), c.q.Get("upload-id-marker")
	res := listUploadsResult{Bucket: c.bucket, KeyMarker: p.enc(keyMarker), UploadIDMarker: idMarker,
		Delimiter: p.enc(p.delimiter), Prefix: p.enc(p.prefix), EncodingType: p.encodingType(), MaxUploads: p.max}
	if p.max == 0 {
		return writeXML(c.w, res)
	}
	base := []byte(famUpload + c.bucket + "\x00")
	lower := joinKey(base, p.prefix)
	start := lower
	if keyMarker != "" {
		st := kv.PrefixEnd(joinKey(base, keyMarker, 0))
		if idMarker != "" {
			st = joinKey(base, keyMarker+"\x00"+idMarker, 0)
		}
		if bytes.Compare(st, start) > 0 {
			start = st
		}
	}
	it, err := s.meta.Iter(lower, kv.PrefixEnd(lower))
	if err != nil {
		return err
	}
	defer it.Close()
	var last, lastID string
	n := 0
	for ok := it.SeekGE(start); ok; {
		rest := it.Key()[len(base):]
		if len(rest) < uploadIDLen+1 || rest[len(rest)-uploadIDLen-1] != 0 {
			return fmt.Errorf("s3: corrupt upload entry %q", it.Key())
		}
		key, id := string(rest[:len(rest)-uploadIDLen-1]), string(rest[len(rest)-uploadIDLen:])
		cp := rollUp(key, p.prefix, p.delimiter)
		if cp == keyMarker && cp != "" {
			ok = it.SeekGE(kv.PrefixEnd(joinKey(base, cp)))
			continue
		}
		if n == p.max {
			res.IsTruncated = true
			break
		}
		n++
		if cp != "" {
			res.CommonPrefixes = append(res.CommonPrefixes, commonPrefix{Prefix: p.enc(cp)})
			last, lastID = cp, ""
			ok = it.SeekGE(kv.PrefixEnd(joinKey(base, cp)))
			continue
		}
		raw, err := it.Value()
		var m uploadMeta
		if err == nil {
			err = json.Unmarshal(raw, &m)
		}
		if err != nil {
			return fmt.Errorf("decode upload %q: %w", key, err)
		}
		res.Uploads = append(res.Uploads, listedUpload{Key: p.enc(key), UploadID: id, Initiator: theOwner,
			Owner: theOwner, StorageClass: storageClassOf(m.StorageClass), Initiated: s3Time(m.Initiated),
			ChecksumAlgorithm: m.ChecksumAlgo, ChecksumType: m.ChecksumType})
		last, lastID = key, id
		ok = it.Next()
	}
	if res.IsTruncated {
		res.NextKeyMarker, res.NextUploadIDMarker = p.enc(last), lastID
	}
	return writeXML(c.w, res)
}
