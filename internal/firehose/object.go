package firehose

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tarnhq/tarn/internal/columnar"
)

// Error output types (!{firehose:error-output-type}).
const errPartitioningFailed = "partitioning-failed"

// object is one lake object of a flush and the records it carries.
type object struct {
	key      string
	encoding string // Content-Encoding ("" for none)
	body     []byte
	file     *columnar.File // a converted (Parquet) object; body is nil
}

// size is the object's length in bytes.
func (o object) size() int64 {
	if o.file != nil {
		return o.file.Size
	}
	return int64(len(o.body))
}

// reader reads the object from its start (again, on a retry).
func (o object) reader() (io.Reader, error) {
	if o.file != nil {
		if _, err := o.file.Seek(0, io.SeekStart); err != nil {
			return nil, err
		}
		return o.file, nil
	}
	return bytes.NewReader(o.body), nil
}

// closeObjects releases the staged files of objs.
func closeObjects(objs []object) {
	for _, o := range objs {
		if o.file != nil {
			o.file.Close()
		}
	}
}

// naming is what an object key needs besides the records.
type naming struct {
	stream  string
	version int
	random  func() string // !{firehose:random-string}
	uuid    func() string // the key's unique suffix
	conv    *converter    // set when data format conversion is enabled
}

// objects turns one flush into lake objects, as Firehose names them:
//
//	<evaluated prefix><stream>-<version>-YYYY-MM-DD-HH-MM-SS-<uuid><ext>
//
// where the timestamps are the arrival time of the object's oldest
// record. Without dynamic partitioning a flush is one object; with it,
// one object per distinct partition, plus one error object (error output
// type partitioning-failed) for records whose keys cannot be extracted.
//
// With data format conversion each data object is a Parquet file of the
// records that fit the schema, and the others go to one error object
// (error output type format-conversion-failed). On error no staged file
// is left open.
func objects(batch []record, c *destConfig, n naming) (out []object, err error) {
	defer func() {
		if err != nil {
			closeObjects(out)
			out = nil
		}
	}()
	var convFailed []record
	var convReasons []string
	// data adds the data object(s) of one group of records.
	data := func(ec evalCtx, recs []record) error {
		if n.conv == nil {
			o, err := buildObject(c, n, c.prefix, ec, recs, false)
			if err == nil {
				out = append(out, o)
			}
			return err
		}
		f, kept, failed, reasons, err := n.conv.write(recs)
		if err != nil {
			return err
		}
		convFailed, convReasons = append(convFailed, failed...), append(convReasons, reasons...)
		if f != nil {
			out = append(out, object{key: objectKey(c, n, c.prefix, ec, kept, false), file: f})
		}
		return nil
	}
	convErrors := func() error {
		if len(convFailed) == 0 {
			return nil
		}
		errRecs := make([]record, len(convFailed))
		for i, r := range convFailed {
			errRecs[i] = record{arrival: r.arrival, data: errorLine(r, codeMalformedData, convReasons[i])}
		}
		o, err := buildObject(c, n, c.errPrefix, evalCtx{errorType: errFormatConversionFailed}, errRecs, true)
		if err == nil {
			out = append(out, o)
		}
		return err
	}
	if c.partition == nil {
		if err := data(evalCtx{}, batch); err != nil {
			return out, err
		}
		return out, convErrors()
	}
	type group struct {
		keys map[string]string
		recs []record
	}
	groups := map[string]*group{}
	var order []string
	var failed []record
	var reasons []string
	for _, r := range batch {
		keys, err := c.partition.eval(r.data)
		if err != nil {
			failed, reasons = append(failed, r), append(reasons, err.Error())
			continue
		}
		id := groupID(keys)
		g := groups[id]
		if g == nil {
			g = &group{keys: keys}
			groups[id] = g
			order = append(order, id)
		}
		g.recs = append(g.recs, r)
	}
	for _, id := range order {
		g := groups[id]
		if err := data(evalCtx{keys: g.keys}, g.recs); err != nil {
			return out, err
		}
	}
	if err := convErrors(); err != nil {
		return out, err
	}
	if len(failed) > 0 {
		errRecs := make([]record, len(failed))
		for i, r := range failed {
			errRecs[i] = record{arrival: r.arrival, data: errorLine(r, "DynamicPartitioning.MetadataExtractionFailed", reasons[i])}
		}
		o, err := buildObject(c, n, c.errPrefix, evalCtx{errorType: errPartitioningFailed}, errRecs, true)
		if err != nil {
			return out, err
		}
		out = append(out, o)
	}
	return out, nil
}

func groupID(keys map[string]string) string {
	names := make([]string, 0, len(keys))
	for k := range keys {
		names = append(names, k)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, k := range names {
		b.WriteString(k + "\x00" + keys[k] + "\x00")
	}
	return b.String()
}

// buildObject names and encodes one object of recs.
func buildObject(c *destConfig, n naming, tmpl *prefixTmpl, ec evalCtx, recs []record, isErr bool) (object, error) {
	key := objectKey(c, n, tmpl, ec, recs, isErr)
	var raw bytes.Buffer
	for _, r := range recs {
		raw.Write(r.data)
		if !isErr {
			raw.Write(c.delimiter)
		}
	}
	body, err := compress(c.compress, raw.Bytes(), n.uuid)
	if err != nil {
		return object{}, fmt.Errorf("compress %s: %w", c.compress, err)
	}
	return object{key: key, encoding: contentEncoding[c.compress], body: body}, nil
}

// objectKey names the object of recs (AWS's naming, above). Error
// objects of a converting stream are JSON lines: they get no .parquet.
func objectKey(c *destConfig, n naming, tmpl *prefixTmpl, ec evalCtx, recs []record, isErr bool) string {
	at := recs[0].arrival
	for _, r := range recs[1:] {
		if r.arrival.Before(at) {
			at = r.arrival
		}
	}
	at = at.In(c.loc)
	ec.at, ec.random = at, n.random
	ext := c.ext
	if isErr && c.convert != nil {
		ext = ""
	}
	return tmpl.eval(ec) + n.stream + "-" + strconv.Itoa(n.version) + "-" + at.Format("2006-01-02-15-04-05") + "-" + n.uuid() + ext
}

// errorLine is a failed record as Firehose writes it to the error prefix:
// one JSON document per line with the raw data in base64.
func errorLine(r record, code, msg string) []byte {
	b, _ := json.Marshal(map[string]any{
		"attemptsMade":           1,
		"arrivalTimestamp":       r.arrival.UnixMilli(),
		"errorCode":              code,
		"errorMessage":           msg,
		"attemptEndingTimestamp": time.Now().UnixMilli(),
		"rawData":                r.data,
	})
	return append(b, '\n')
}

// randomString is !{firehose:random-string}: 11 random lowercase letters
// and digits.
func randomString() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	var b [randomLen]byte
	_, _ = rand.Read(b[:])
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b[:])
}

// newUUID is a random (version 4) UUID, the unique suffix of AWS's keys.
func newUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
