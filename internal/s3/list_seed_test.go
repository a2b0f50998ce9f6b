package s3

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tarnhq/tarn/internal/kv"
)

// Helpers that write index state directly (bypassing CreateBucket and
// PutObject), so listing tests are deterministic and independent of the
// object handlers, and benchmarks can seed 100k keys quickly.

// lmSeedTime is the LastModified of every seeded object.
var lmSeedTime = time.Date(2024, 5, 6, 7, 8, 9, 0, time.UTC)

func seedBucket(tb testing.TB, s *Service, name string) {
	tb.Helper()
	if err := s.meta.Set(bucketKey(name), mustJSON(bucketMeta{Created: lmSeedTime, Region: DefaultRegion})); err != nil {
		tb.Fatal(err)
	}
}

// seedObject stores body as bucket/key, as PutObject would (one blob, MD5
// ETag, default CRC64NVME checksum), with LastModified lmSeedTime.
func seedObject(tb testing.TB, s *Service, bucket, key string, body []byte) *objectMeta {
	tb.Helper()
	id, n, err := s.blobs.Put(tb.Context(), bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	sum := md5.Sum(body)
	ck := newChecksum(defaultChecksum)
	ck.Write(body)
	m := &objectMeta{Segments: []segment{{Blob: id, Size: n}}, Size: n, ETag: hex.EncodeToString(sum[:]),
		LastModified: lmSeedTime, ContentType: defaultCType, ChecksumAlgo: defaultChecksum,
		Checksum: base64.StdEncoding.EncodeToString(ck.Sum(nil)), ChecksumType: checksumFullObject}
	if err := s.meta.Set(objectKey(bucket, key), mustJSON(m)); err != nil {
		tb.Fatal(err)
	}
	return m
}

// seedIndexOnly writes index entries for keys (no blobs: they are never
// read), in batches, for benchmarks.
func seedIndexOnly(tb testing.TB, s *Service, bucket string, keys []string) {
	tb.Helper()
	m := mustJSON(objectMeta{Size: 1, ETag: "0cc175b9c0f1b6a831c399e269772661", LastModified: lmSeedTime})
	var b *kv.Batch
	for i, k := range keys {
		if b == nil {
			b = s.db.NewBatch()
		}
		b.Set(s.meta, objectKey(bucket, k), m)
		if i%10000 == 9999 || i == len(keys)-1 {
			if err := b.Commit(); err != nil {
				tb.Fatal(err)
			}
			b = nil
		}
	}
}

// readDirect returns the bytes of bucket/key read from its segments.
func lmReadDirect(tb testing.TB, s *Service, bucket, key string) []byte {
	tb.Helper()
	m, err := s.object(bucket, key)
	if err != nil {
		tb.Fatal(err)
	}
	var out []byte
	for _, sg := range m.Segments {
		r, err := s.blobs.Open(tb.Context(), sg.Blob)
		if err != nil {
			tb.Fatal(err)
		}
		b, err := io.ReadAll(io.NewSectionReader(r, 0, r.Size()))
		r.Close()
		if err != nil {
			tb.Fatal(err)
		}
		out = append(out, b...)
	}
	return out
}

// prettyXML re-indents an XML document for golden files, dropping the
// declaration and the per-request RequestId and HostId elements.
func lmPrettyXML(body []byte) (string, error) {
	dec := xml.NewDecoder(bytes.NewReader(body))
	var out strings.Builder
	enc := xml.NewEncoder(&out)
	enc.Indent("", "  ")
	skip := 0
	for {
		tok, err := dec.RawToken()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.ProcInst:
			continue
		case xml.CharData:
			if len(bytes.TrimSpace(t)) == 0 {
				continue
			}
		case xml.StartElement:
			if skip > 0 || t.Name.Local == "RequestId" || t.Name.Local == "HostId" {
				skip++
				continue
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
		}
		if skip > 0 {
			continue
		}
		if err := enc.EncodeToken(xml.CopyToken(tok)); err != nil {
			return "", err
		}
	}
	if err := enc.Flush(); err != nil {
		return "", err
	}
	return out.String(), nil
}

// do sends a request the SDK would not send (or whose answer it would
// decode), returning status and body. The Authorization header makes the
// harness treat it as signed; hdr holds name, value pairs.
func (env *testEnv) lmDo(tb testing.TB, method, pathQuery string, body []byte, hdr ...string) (int, []byte) {
	tb.Helper()
	req, err := http.NewRequestWithContext(tb.Context(), method, env.srv.URL+pathQuery, bytes.NewReader(body))
	if err != nil {
		tb.Fatal(err)
	}
	req.Header.Set("Authorization", "AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/s3/aws4_request")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := env.srv.Client().Do(req)
	if err != nil {
		tb.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatal(err)
	}
	return resp.StatusCode, out
}
