package s3

import (
	"bytes"
	"encoding/xml"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Listing documents are written by hand rather than by encoding/xml's
// reflection, which cost half of a 1000-key page. The bytes are what
// encoding/xml writes for the same elements (text escaped by
// xml.EscapeText); the golden files in testdata/list pin them.

// xmlDoc accumulates one response document.
type xmlDoc struct{ b bytes.Buffer }

func newXMLDoc(root string) *xmlDoc {
	d := &xmlDoc{}
	d.b.WriteString(xml.Header)
	d.b.WriteString("<" + root + ` xmlns="` + xmlNS + `">`)
	return d
}

func (d *xmlDoc) open(name string) {
	d.b.WriteByte('<')
	d.b.WriteString(name)
	d.b.WriteByte('>')
}

func (d *xmlDoc) close(name string) {
	d.b.WriteString("</")
	d.b.WriteString(name)
	d.b.WriteByte('>')
}

// text writes an element holding v (even when empty).
func (d *xmlDoc) text(name, v string) {
	d.open(name)
	if plainXML(v) {
		d.b.WriteString(v)
	} else {
		_ = xml.EscapeText(&d.b, []byte(v)) // a bytes.Buffer never fails
	}
	d.close(name)
}

// plainXML reports whether s is printable ASCII that needs no escaping.
func plainXML(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < 0x20 || c > 0x7e, c == '<', c == '>', c == '&', c == '"', c == '\'':
			return false
		}
	}
	return true
}

// opt writes an element holding v unless v is empty.
func (d *xmlDoc) opt(name, v string) {
	if v != "" {
		d.text(name, v)
	}
}

func (d *xmlDoc) int(name string, n int64) {
	d.open(name)
	d.b.Write(strconv.AppendInt(d.b.AvailableBuffer(), n, 10))
	d.close(name)
}

func (d *xmlDoc) bool(name string, v bool) {
	d.open(name)
	d.b.WriteString(strconv.FormatBool(v))
	d.close(name)
}

func (d *xmlDoc) owner(name string) {
	d.open(name)
	d.text("ID", theOwner.ID)
	d.text("DisplayName", theOwner.DisplayName)
	d.close(name)
}

// items writes a page's <Contents> then its <CommonPrefixes>, names
// encoded as p asks; withOwner adds <Owner> to each object.
func (d *xmlDoc) items(p listParams, page listPage, withOwner bool) {
	for _, it := range page.items {
		m := it.meta
		if m == nil {
			continue
		}
		d.open("Contents")
		d.text("Key", p.enc(it.key))
		d.open("LastModified")
		d.b.Write(appendS3Time(d.b.AvailableBuffer(), m.LastModified))
		d.close("LastModified")
		d.open("ETag")
		d.b.WriteString("&#34;")
		d.b.WriteString(m.ETag) // hex, or hex-N
		d.b.WriteString("&#34;")
		d.close("ETag")
		if m.ChecksumAlgo != "" {
			d.text("ChecksumAlgorithm", m.ChecksumAlgo)
			d.text("ChecksumType", orDefault(m.ChecksumType, checksumFullObject))
		}
		d.int("Size", m.Size)
		if withOwner {
			d.owner("Owner")
		}
		d.text("StorageClass", storageClassOf(m.StorageClass))
		d.close("Contents")
	}
	for _, it := range page.items {
		if it.meta == nil {
			d.open("CommonPrefixes")
			d.text("Prefix", p.enc(it.key))
			d.close("CommonPrefixes")
		}
	}
}

// send closes the root element and writes the document with status 200.
func (d *xmlDoc) send(w http.ResponseWriter, root string) error {
	d.close(root)
	w.Header().Set("Content-Type", "application/xml")
	w.Header().Set("Content-Length", strconv.Itoa(d.b.Len()))
	w.WriteHeader(http.StatusOK)
	_, err := w.Write(d.b.Bytes())
	return err
}

// appendS3Time appends s3Time(t) to b without time.Format's generality.
func appendS3Time(b []byte, t time.Time) []byte {
	t = t.UTC()
	y, mo, dd := t.Date()
	h, mi, sec := t.Clock()
	if y < 0 || y > 9999 {
		return append(b, s3Time(t)...)
	}
	num := func(n, width int) {
		for p := width - 1; p >= 0; p-- {
			b = append(b, 0)
		}
		for p := len(b) - 1; p >= len(b)-width; p-- {
			b[p] = byte('0' + n%10)
			n /= 10
		}
	}
	num(y, 4)
	b = append(b, '-')
	num(int(mo), 2)
	b = append(b, '-')
	num(dd, 2)
	b = append(b, 'T')
	num(h, 2)
	b = append(b, ':')
	num(mi, 2)
	b = append(b, ':')
	num(sec, 2)
	b = append(b, '.')
	num(t.Nanosecond()/1e6, 3)
	return append(b, 'Z')
}

// orDefault returns v, or def when v is empty.
func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

type commonPrefix struct {
	Prefix string `xml:"Prefix"`
}

// listEscape is S3's encoding-type=url: form encoding (a space becomes
// '+') that leaves A-Z a-z 0-9 - _ . * and '/' alone and %XX-escapes
// every other byte of the UTF-8 string.
func listEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9',
			c == '-', c == '_', c == '.', c == '*', c == '/':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// enc applies listEscape when the request asked for encoding-type=url.
func (p listParams) enc(s string) string {
	if p.encode {
		return listEscape(s)
	}
	return s
}

func (p listParams) encodingType() string {
	if p.encode {
		return "url"
	}
	return ""
}
