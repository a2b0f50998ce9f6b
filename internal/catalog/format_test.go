package catalog

import (
	"fmt"
	"testing"
)

func TestTableFormat(t *testing.T) {
	sd := func(in, lib string, p map[string]string) *StorageDescriptor {
		return &StorageDescriptor{InputFormat: in, SerdeInfo: &SerDeInfo{SerializationLibrary: lib, Parameters: p}}
	}
	for _, c := range []struct {
		t    Table
		want string
		csv  string
	}{
		{Table{StorageDescriptor: sd(ParquetInputFormat, ParquetSerDe, nil)}, "parquet", ""},
		{Table{StorageDescriptor: sd(TextInputFormat, OpenXJSONSerDe, nil)}, "json", ""},
		{Table{StorageDescriptor: sd(TextInputFormat, HiveJSONSerDe, nil)}, "json", ""},
		{Table{StorageDescriptor: sd(TextInputFormat, LazySimpleSerDe, map[string]string{"field.delim": "|"}),
			Parameters: map[string]string{"skip.header.line.count": "1"}}, "csv", `{| "" "" 1 false }`},
		{Table{StorageDescriptor: sd(TextInputFormat, OpenCSVSerDe, map[string]string{"separatorChar": ";"}),
			Parameters: map[string]string{"compressionType": "gzip"}}, "csv", `{; "\"" "\\" 0 true gzip}`},
		{Table{StorageDescriptor: sd(TextInputFormat, LazySimpleSerDe, map[string]string{"skip.header.line.count": "2"})}, "csv", `{"\x01" "" "" 2 false }`},
		{Table{StorageDescriptor: sd("org.apache.hadoop.hive.ql.io.orc.OrcInputFormat", "org.apache.hadoop.hive.ql.io.orc.OrcSerde", nil)}, "", ""},
		{Table{Parameters: map[string]string{"classification": "Parquet"}}, "parquet", ""},
		{Table{}, "", ""},
	} {
		if got := c.t.Format(); got != c.want {
			t.Errorf("Format(%+v) = %q, want %q", c.t.StorageDescriptor, got, c.want)
		}
		if c.csv != "" {
			o := c.t.CSVOptions()
			got := fmt.Sprintf("{%s %q %q %d %v %s}", o.Delimiter, o.Quote, o.Escape, o.SkipHeader, o.AllStrings, o.Compression)
			if o.Delimiter == "\x01" {
				got = fmt.Sprintf("{%q %q %q %d %v %s}", o.Delimiter, o.Quote, o.Escape, o.SkipHeader, o.AllStrings, o.Compression)
			}
			if got != c.csv {
				t.Errorf("CSVOptions = %s, want %s", got, c.csv)
			}
		}
	}
}
