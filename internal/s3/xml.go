package s3

import (
	"bytes"
	"encoding/xml"
	"io"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/tarnhq/tarn/internal/request"
)

// xmlNS is the namespace S3 puts on every response document.
const xmlNS = "http://s3.amazonaws.com/doc/2006-03-01/"

// maxXMLBody bounds request documents (DeleteObjects allows 1000 keys of
// 1024 bytes; CompleteMultipartUpload 10,000 parts).
const maxXMLBody = 4 << 20

// writeXML writes v as an XML document with status 200.
func writeXML(w http.ResponseWriter, v any) error {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	if err := xml.NewEncoder(&buf).Encode(v); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(buf.Bytes())
	return err
}

// readXML decodes the request body (at most maxXMLBody bytes) into v.
// An empty, oversized or malformed body is MalformedXML.
func readXML(r *http.Request, v any) error {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxXMLBody+1))
	if err != nil {
		return err // a sigv4 verification error, or a broken connection
	}
	if len(body) == 0 || len(body) > maxXMLBody {
		return ErrMalformedXML
	}
	if err := xml.Unmarshal(body, v); err != nil {
		return ErrMalformedXML
	}
	return nil
}

// s3Time formats t as S3 does in XML bodies.
func s3Time(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// httpTime formats t for Last-Modified and similar headers.
func httpTime(t time.Time) string { return t.UTC().Format(http.TimeFormat) }

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// hostID is the x-amz-id-2 value: S3 sends an opaque host id; tarn sends
// the request id again so logs can be joined.
func hostID(r *http.Request) string { return request.ID(r.Context()) }

func sortExtra(e []extraElem) {
	sort.Slice(e, func(i, j int) bool { return e[i].XMLName.Local < e[j].XMLName.Local })
}

// owner is the single account that owns everything in tarn.
type owner struct {
	ID          string `xml:"ID"`
	DisplayName string `xml:"DisplayName"`
}

var theOwner = owner{ID: "75aa57f09aa0c8caeab4f8c24e99d10f8e7faeebf76c078efc7c6caea54ba06a", DisplayName: "tarn"}
