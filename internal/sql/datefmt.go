package sql

import "strings"

// dateFormat converts a Trino/MySQL date_format/date_parse format to a
// DuckDB strftime/strptime format.
func dateFormat(f string) string {
	var b strings.Builder
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c != '%' || i+1 == len(f) {
			if c == '%' {
				b.WriteString("%%")
				continue
			}
			b.WriteByte(c)
			continue
		}
		i++
		switch f[i] {
		case 'a', 'b', 'd', 'H', 'I', 'j', 'm', 'p', 'S', 'Y', 'y', 'f', 'W', 'M', 'T', 'r', 'c', 'e', 'h', 'i', 'k', 'l', 's', 'v', '%':
			b.WriteString(map[byte]string{
				'a': "%a", 'b': "%b", 'd': "%d", 'H': "%H", 'I': "%I", 'j': "%j", 'm': "%m", 'p': "%p",
				'S': "%S", 'Y': "%Y", 'y': "%y", 'f': "%f", 'W': "%A", 'M': "%B", 'T': "%H:%M:%S",
				'r': "%I:%M:%S %p", 'c': "%-m", 'e': "%-d", 'h': "%I", 'i': "%M", 'k': "%-H",
				'l': "%-I", 's': "%S", 'v': "%V", '%': "%%",
			}[f[i]])
		default:
			b.WriteByte('%')
			b.WriteByte(f[i])
		}
	}
	return b.String()
}

// jodaFormat converts a Joda-Time pattern (parse_datetime,
// format_datetime) to a DuckDB strftime/strptime format.
func jodaFormat(f string) string {
	repl := map[string]string{
		"yyyy": "%Y", "yy": "%y", "y": "%Y", "YYYY": "%Y", "xxxx": "%G",
		"MMMM": "%B", "MMM": "%b", "MM": "%m", "M": "%-m",
		"dd": "%d", "d": "%-d", "DDD": "%j",
		"HH": "%H", "H": "%-H", "hh": "%I", "h": "%-I", "kk": "%H",
		"mm": "%M", "m": "%-M", "ss": "%S", "s": "%-S",
		"SSSSSS": "%f", "SSS": "%g", "SS": "%g", "S": "%g",
		"a": "%p", "EEEE": "%A", "EEE": "%a", "E": "%a",
		"ZZ": "%z", "Z": "%z", "z": "%Z", "zzzz": "%Z",
	}
	var b strings.Builder
	for i := 0; i < len(f); {
		c := f[i]
		switch {
		case c == '\'':
			j := strings.IndexByte(f[i+1:], '\'')
			if j < 0 {
				b.WriteString(strings.ReplaceAll(f[i+1:], "%", "%%"))
				return b.String()
			}
			if j == 0 {
				b.WriteByte('\'') // '' is a quote
			} else {
				b.WriteString(strings.ReplaceAll(f[i+1:i+1+j], "%", "%%"))
			}
			i += j + 2
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(f) && f[j] == c {
				j++
			}
			run := f[i:j]
			if r, ok := repl[run]; ok {
				b.WriteString(r)
			} else {
				b.WriteString(run)
			}
			i = j
		case c == '%':
			b.WriteString("%%")
			i++
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String()
}
