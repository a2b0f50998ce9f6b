package catalog

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math"
	"sort"
	"strings"
)

// maxJSONDepth bounds nesting of inferred JSON values.
const maxJSONDepth = 64

// inferJSON types a sample of JSON records: one object per line (or any
// whitespace-separated sequence of objects), or one top-level array of
// objects. Fields keep their order of first appearance; nested objects
// become struct<...>, arrays array<...>; integers are int (or bigint
// beyond 32 bits), other numbers double. Top-level column names are
// lowercased; the original keys go to the SerDe's paths.
func inferJSON(fs *fileSchema, sample []byte, truncated bool, maxRows int) error {
	dec := json.NewDecoder(bytes.NewReader(sample))
	dec.UseNumber()
	var row *htype
	records, inArray := 0, false
	if t := bytes.TrimLeft(sample, " \t\r\n\ufeff"); len(t) > 0 && t[0] == '[' {
		if _, err := dec.Token(); err != nil {
			return errUnclassified
		}
		inArray = true
	}
	var consumed int64
	for records < maxRows {
		if inArray && !dec.More() {
			break
		}
		t, err := jsonValue(dec, 0)
		if errors.Is(err, io.EOF) && !inArray {
			break
		}
		if err != nil {
			if truncated && records > 0 {
				break // the sample cut the last record
			}
			return errUnclassified
		}
		if t.kind != "struct" {
			return errUnclassified
		}
		row = mergeType(row, t)
		records++
		consumed = dec.InputOffset()
	}
	if row == nil || len(row.fields) == 0 {
		return errUnclassified
	}
	fs.format = "json"
	keys := make([]string, 0, len(row.fields))
	for _, f := range row.fields {
		keys = append(keys, f.name)
		fs.cols = append(fs.cols, hfield{name: strings.ToLower(f.name), t: nullToString(f.t)})
	}
	sort.Strings(keys)
	fs.jsonPaths = keys
	fs.records, fs.sampled = int64(records), consumed
	fs.exact = !truncated && records < maxRows
	return nil
}

// nullToString replaces types never seen non-null by string.
func nullToString(t *htype) *htype {
	switch t.kind {
	case "null":
		return tString
	case "struct":
		out := &htype{kind: "struct", fields: make([]hfield, len(t.fields))}
		for i, f := range t.fields {
			out.fields[i] = hfield{name: f.name, t: nullToString(f.t)}
		}
		return out
	case "array":
		return &htype{kind: "array", elem: nullToString(t.elem)}
	}
	return t
}

// jsonValue reads one value's type from dec, keeping object key order.
func jsonValue(dec *json.Decoder, depth int) (*htype, error) {
	if depth > maxJSONDepth {
		return nil, errors.New("catalog: JSON nested too deep")
	}
	tok, err := dec.Token()
	if err != nil {
		return nil, err
	}
	switch v := tok.(type) {
	case nil:
		return tNull, nil
	case bool:
		return tBoolean, nil
	case string:
		return tString, nil
	case json.Number:
		s := v.String()
		if !strings.ContainsAny(s, ".eE") {
			if n, err := v.Int64(); err == nil {
				if n >= math.MinInt32 && n <= math.MaxInt32 {
					return tInt, nil
				}
				return tBigint, nil
			}
			return tDouble, nil
		}
		return tDouble, nil
	case json.Delim:
		switch v {
		case '{':
			st := &htype{kind: "struct"}
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, err
				}
				k, _ := kt.(string)
				ft, err := jsonValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				st.fields = mergeFields(st.fields, []hfield{{name: k, t: ft}})
			}
			_, err := dec.Token() // }
			return st, err
		case '[':
			var elem *htype
			for dec.More() {
				et, err := jsonValue(dec, depth+1)
				if err != nil {
					return nil, err
				}
				elem = mergeType(elem, et)
			}
			if elem == nil {
				elem = tNull
			}
			_, err := dec.Token() // ]
			return &htype{kind: "array", elem: elem}, err
		}
	}
	return nil, errors.New("catalog: unexpected JSON token")
}
