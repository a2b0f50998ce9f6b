package catalog

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"strings"
	"testing"

	"github.com/tarnhq/tarn/internal/datadriven"
)

// TestInfer runs testdata/infer/*.txt: "infer file=<name> [gzip]" with
// the file's content as input, or "infer parquet=<fixture>"; the output
// is what the crawler learns from the file.
func TestInfer(t *testing.T) {
	datadriven.Run(t, "testdata/infer/*.txt", func(t *testing.T, c datadriven.Case) string {
		args := map[string]string{}
		for _, f := range strings.Fields(c.Command)[1:] {
			k, v, _ := strings.Cut(f, "=")
			args[k] = v
		}
		lake := newDirLake(t)
		key := args["file"]
		switch {
		case args["parquet"] != "":
			key = args["parquet"]
			lake.copyFixture(t, "b", key, key)
		case args["gzip"] != "" || strings.HasSuffix(key, ".gz"):
			var buf bytes.Buffer
			zw := gzip.NewWriter(&buf)
			zw.Write([]byte(c.Input))
			zw.Close()
			lake.put(t, "b", key, buf.Bytes())
		default:
			lake.put(t, "b", key, []byte(c.Input))
		}
		lim := SampleLimits{}.withDefaults()
		if v := args["rows"]; v != "" {
			lim.Rows = atoiOr(v, 0)
		}
		if v := args["bytes"]; v != "" {
			lim.Bytes = int64(atoiOr(v, 0))
		}
		fs, err := inferFile(t.Context(), lake, "b", key, lim)
		if err != nil {
			return "error: " + err.Error() + "\n"
		}
		return renderSchema(fs)
	})
}

func renderSchema(fs *fileSchema) string {
	var b strings.Builder
	fmt.Fprintf(&b, "format=%s compression=%s records=%d exact=%v", fs.format, fs.compression, fs.records, fs.exact)
	if fs.format == "csv" {
		fmt.Fprintf(&b, " delimiter=%q header=%v quoted=%v", string(fs.csv.delim), fs.csv.header, fs.csv.quoted)
	}
	if fs.format == "json" {
		fmt.Fprintf(&b, " paths=%s", strings.Join(fs.jsonPaths, ","))
	}
	b.WriteString("\n")
	for _, c := range fs.cols {
		fmt.Fprintf(&b, "%s %s\n", c.name, c.t)
	}
	return b.String()
}
