package catalog

import (
	"bytes"
	"encoding/csv"
	"strings"
)

// csvInfo is what CSV detection found.
type csvInfo struct {
	delim  byte
	header bool
	quoted bool
}

// csvDelimiters are the delimiters Glue's built-in CSV classifier tries,
// in order of preference: comma, pipe, tab, semicolon, Ctrl-A.
var csvDelimiters = []byte{',', '|', '\t', ';', 0x01}

// csvValueType is the type of one CSV field ("" is null), as Glue's
// classifier types them: bigint, double, boolean, date (yyyy-MM-dd),
// timestamp (yyyy-MM-dd HH:mm:ss[.fffffffff], or T for the space),
// string.
func csvValueType(v string) *htype {
	v = strings.TrimSpace(v)
	switch {
	case v == "":
		return tNull
	case strings.EqualFold(v, "true") || strings.EqualFold(v, "false"):
		return tBoolean
	}
	if t := numberType(v); t != nil {
		return t
	}
	if isDate(v) {
		return tDate
	}
	if len(v) >= 19 && isDate(v[:10]) && (v[10] == ' ' || v[10] == 'T') && isClock(v[11:]) {
		return tTimestamp
	}
	return tString
}

// numberType is bigint for an integer of at most 18 digits, double for
// a decimal or exponent number, nil otherwise.
func numberType(v string) *htype {
	i := 0
	if v[0] == '+' || v[0] == '-' {
		i++
	}
	digits, frac, dot := 0, 0, false
	for ; i < len(v); i++ {
		c := v[i]
		switch {
		case c >= '0' && c <= '9':
			if dot {
				frac++
			} else {
				digits++
			}
		case c == '.' && !dot:
			dot = true
		case (c == 'e' || c == 'E') && digits+frac > 0:
			j := i + 1
			if j < len(v) && (v[j] == '+' || v[j] == '-') {
				j++
			}
			if j == len(v) {
				return nil
			}
			for ; j < len(v); j++ {
				if v[j] < '0' || v[j] > '9' {
					return nil
				}
			}
			return tDouble
		default:
			return nil
		}
	}
	switch {
	case digits+frac == 0:
		return nil
	case dot:
		return tDouble
	case digits > 18: // beyond bigint: keep it exact
		return tString
	}
	return tBigint
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// isDate: yyyy-MM-dd.
func isDate(v string) bool {
	return len(v) == 10 && v[4] == '-' && v[7] == '-' && allDigits(v[:4]) && allDigits(v[5:7]) && allDigits(v[8:])
}

// isClock: HH:mm:ss with an optional fraction of 1-9 digits.
func isClock(v string) bool {
	if len(v) < 8 || v[2] != ':' || v[5] != ':' || !allDigits(v[:2]) || !allDigits(v[3:5]) || !allDigits(v[6:8]) {
		return false
	}
	rest := v[8:]
	if rest == "" {
		return true
	}
	return rest[0] == '.' && len(rest) >= 2 && len(rest) <= 10 && allDigits(rest[1:])
}

// inferCSV detects the delimiter and header of a CSV sample and types
// its columns. A header is detected as Glue does: every field of the
// first row is a non-empty, distinct string while at least one column's
// data is not string; otherwise columns are col0, col1, ...
func inferCSV(fs *fileSchema, sample []byte, truncated bool, maxRows int) error {
	if truncated { // drop the partial last line
		if i := bytes.LastIndexByte(sample, '\n'); i >= 0 {
			sample = sample[:i+1]
		}
	}
	sample = bytes.TrimPrefix(sample, []byte("\ufeff"))
	var best [][]string
	var bestDelim byte
	firstLine := sample
	if i := bytes.IndexByte(sample, '\n'); i >= 0 {
		firstLine = sample[:i]
	}
	for _, d := range csvDelimiters {
		if bytes.IndexByte(firstLine, d) < 0 {
			continue
		}
		rows := parseCSV(sample, d, maxRows+1)
		if len(rows) == 0 || len(rows[0]) < 2 || len(rows[0]) <= len(best0(best)) {
			continue
		}
		ok := true
		for _, r := range rows {
			if len(r) != len(rows[0]) {
				ok = false
				break
			}
		}
		if ok {
			best, bestDelim = rows, d
		}
	}
	if best == nil {
		return errUnclassified
	}
	ncol := len(best[0])
	types := make([]*htype, ncol)
	for _, r := range best[1:] {
		for i, v := range r {
			types[i] = mergeType(types[i], csvValueType(v))
		}
	}
	header := len(best) > 1
	names := map[string]bool{}
	for _, v := range best[0] {
		v = strings.TrimSpace(v)
		if v == "" || names[strings.ToLower(v)] || csvValueType(v) != tString {
			header = false
		}
		names[strings.ToLower(v)] = true
	}
	if header {
		nonString := false
		for _, t := range types {
			if t != nil && t.kind != "null" && t.kind != "string" {
				nonString = true
			}
		}
		header = nonString
	}
	data := best
	if header {
		data = best[1:]
	} else {
		types = make([]*htype, ncol)
		for _, r := range best {
			for i, v := range r {
				types[i] = mergeType(types[i], csvValueType(v))
			}
		}
	}
	fs.format = "csv"
	fs.csv = csvInfo{delim: bestDelim, header: header, quoted: bytes.IndexByte(sample, '"') >= 0}
	fs.cols = make([]hfield, ncol)
	for i := range ncol {
		name := "col" + itoa(i)
		if header {
			name = strings.ToLower(strings.TrimSpace(best[0][i]))
		}
		t := types[i]
		if t == nil || t.kind == "null" {
			t = tString
		}
		fs.cols[i] = hfield{name: name, t: t}
	}
	fs.records = int64(len(data))
	fs.sampled = int64(len(sample))
	fs.exact = !truncated && len(best) <= maxRows
	return nil
}

func best0(rows [][]string) []string {
	if len(rows) == 0 {
		return nil
	}
	return rows[0]
}

// parseCSV reads up to max records with delimiter d; nil when the sample
// does not parse.
func parseCSV(sample []byte, d byte, max int) [][]string {
	r := csv.NewReader(bytes.NewReader(sample))
	r.Comma = rune(d)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.ReuseRecord = false
	var rows [][]string
	for len(rows) < max {
		rec, err := r.Read()
		if err != nil {
			break
		}
		if len(rec) == 1 && rec[0] == "" {
			continue
		}
		rows = append(rows, rec)
	}
	return rows
}
