package catalog

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// FuzzParquetFooter: a footer of any bytes parses or fails cleanly.
func FuzzParquetFooter(f *testing.F) {
	files, _ := filepath.Glob("testdata/parquet/*.parquet")
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		n := int(binary.LittleEndian.Uint32(b[len(b)-8:]))
		f.Add(b[len(b)-8-n : len(b)-8])
	}
	f.Fuzz(func(t *testing.T, footer []byte) {
		elems, _, err := parseFooter(footer)
		if err != nil {
			return
		}
		cols, err := parquetColumns(elems)
		if err == nil {
			for _, c := range cols {
				_ = c.t.String()
			}
		}
		// The whole-file path agrees.
		file := append(append([]byte("PAR1"), footer...), 0, 0, 0, 0, 'P', 'A', 'R', '1')
		binary.LittleEndian.PutUint32(file[len(file)-8:], uint32(len(footer)))
		_, _ = inferParquet(bytes.NewReader(file), int64(len(file)))
	})
}

// FuzzInferText: CSV and JSON inference of any sample never panics, and
// what it infers renders.
func FuzzInferText(f *testing.F) {
	for _, s := range []string{"a,b\n1,2\n", "{\"a\":{\"b\":[1,{\"c\":null}]}}\n", "[{\"x\":1}]", "x|y\n\"q\"|2\n", "\ufeffa;b\n1;2", "{\"a\":"} {
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, sample []byte, truncated bool) {
		for _, fn := range []func(*fileSchema, []byte, bool, int) error{inferCSV, inferJSON} {
			fs := &fileSchema{}
			if err := fn(fs, sample, truncated, 50); err == nil {
				for _, c := range fs.cols {
					if c.t.String() == "" {
						t.Fatalf("empty type for %q", c.name)
					}
				}
			}
		}
	})
}
