package catalog

import (
	"strconv"
	"strings"
)

// Format is the data format of t's files: "parquet", "csv", "json", or
// "" when tarn cannot tell (ORC, Avro, views, ...). It is derived from the
// SerDe, then the InputFormat, then the classification parameter.
func (t *Table) Format() string {
	sd := t.StorageDescriptor
	lib, in := "", ""
	if sd != nil {
		in = strings.ToLower(sd.InputFormat)
		if sd.SerdeInfo != nil {
			lib = strings.ToLower(sd.SerdeInfo.SerializationLibrary)
		}
	}
	switch {
	case strings.Contains(lib, "parquet") || strings.Contains(in, "parquet"):
		return "parquet"
	case strings.Contains(lib, "json"):
		return "json"
	case strings.Contains(lib, "opencsvserde") || strings.Contains(lib, "lazysimpleserde"):
		return "csv"
	}
	switch c := strings.ToLower(t.Parameters["classification"]); c {
	case "parquet", "csv", "json":
		return c
	}
	if strings.Contains(in, "textinputformat") {
		return "csv" // Hive's default text table: LazySimpleSerDe with Ctrl-A
	}
	return ""
}

// CSVOptions are how a CSV table's files are read.
type CSVOptions struct {
	Delimiter   string // one character; Hive's default is Ctrl-A (\x01)
	Quote       string // "" when fields are not quoted (LazySimpleSerDe)
	Escape      string
	SkipHeader  int  // lines to skip at the top of each file (skip.header.line.count)
	AllStrings  bool // OpenCSVSerde reads every column as string
	Compression string
}

// CSVOptions reads the SerDe and table parameters of a CSV table:
// OpenCSVSerde's separatorChar/quoteChar/escapeChar, LazySimpleSerDe's
// field.delim (or serialization.format), the table's
// skip.header.line.count.
func (t *Table) CSVOptions() CSVOptions {
	o := CSVOptions{Delimiter: "\x01"}
	if sd := t.StorageDescriptor; sd != nil && sd.SerdeInfo != nil {
		p := sd.SerdeInfo.Parameters
		if strings.Contains(strings.ToLower(sd.SerdeInfo.SerializationLibrary), "opencsvserde") {
			o.Delimiter, o.Quote, o.Escape, o.AllStrings = ",", `"`, `\`, true
			if v := p["separatorChar"]; v != "" {
				o.Delimiter = v
			}
			if v := p["quoteChar"]; v != "" {
				o.Quote = v
			}
			if v := p["escapeChar"]; v != "" {
				o.Escape = v
			}
		} else if v := p["field.delim"]; v != "" {
			o.Delimiter = v
		} else if v := p["serialization.format"]; v != "" && v != "1" {
			o.Delimiter = v
		}
	}
	if v := t.Parameters["delimiter"]; v != "" && o.Delimiter == "\x01" {
		o.Delimiter = v
	}
	skip := t.Parameters["skip.header.line.count"]
	if sd := t.StorageDescriptor; skip == "" && sd != nil && sd.SerdeInfo != nil {
		skip = sd.SerdeInfo.Parameters["skip.header.line.count"]
	}
	if n, err := strconv.Atoi(skip); err == nil && n > 0 {
		o.SkipHeader = n
	}
	o.Compression = t.Parameters["compressionType"]
	return o
}
