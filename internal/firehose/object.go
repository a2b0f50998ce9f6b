package firehose

import (
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Error output types (!{firehose:error-output-type}).
const errPartitioningFailed = "partitioning-failed"

// object is one lake object of a flush and the records it carries.
type object struct {
	key  string
	body []byte
}

// naming is what an object key needs besides the records.
type naming struct {
	stream  string
	version int
	random  func() string // !{firehose:random-string}
	uuid    func() string // the key's unique suffix
}

// objects turns one flush into lake objects, as Firehose names them:
//
//	<evaluated prefix><stream>-<version>-YYYY-MM-DD-HH-MM-SS-<uuid><ext>
//
// where the timestamps are the arrival time of the object's oldest
// record. Without dynamic partitioning a flush is one object; with it,
// one object per distinct partition, plus one error object (error output
// type partitioning-failed) for records whose keys cannot be extracted.
func objects(batch []record, c *destConfig, n naming) ([]object, error) {
	if c.partition == nil {
		o, err := buildObject(c, n, c.prefix, evalCtx{}, batch, false)
		return []object{o}, err
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
	var out []object
	for _, id := range order {
		g := groups[id]
		o, err := buildObject(c, n, c.prefix, evalCtx{keys: g.keys}, g.recs, false)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	if len(failed) > 0 {
		errRecs := make([]record, len(failed))
		for i, r := range failed {
			errRecs[i] = record{arrival: r.arrival, data: errorLine(r, "DynamicPartitioning.MetadataExtractionFailed", reasons[i])}
		}
		o, err := buildObject(c, n, c.errPrefix, evalCtx{errorType: errPartitioningFailed}, errRecs, true)
		if err != nil {
			return nil, err
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
	at := recs[0].arrival
	for _, r := range recs[1:] {
		if r.arrival.Before(at) {
			at = r.arrival
		}
	}
	at = at.In(c.loc)
	ec.at, ec.random = at, n.random
	prefix := tmpl.eval(ec)
	key := prefix + n.stream + "-" + strconv.Itoa(n.version) + "-" + at.Format("2006-01-02-15-04-05") + "-" + n.uuid() + c.ext
	var raw bytes.Buffer
	for _, r := range recs {
		raw.Write(r.data)
		if !isErr {
			raw.Write(c.delimiter)
		}
	}
	if !c.gzip {
		return object{key: key, body: raw.Bytes()}, nil
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	if _, err := zw.Write(raw.Bytes()); err != nil {
		return object{}, err
	}
	if err := zw.Close(); err != nil {
		return object{}, err
	}
	return object{key: key, body: z.Bytes()}, nil
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
