package tpch

import (
	"bufio"
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"
	"strconv"
	"time"
)

// runJob generates one job's rows into its tables' part files and
// returns the row count per table. Rows are written as '|'-delimited text
// (Go formats text much faster than it can hand values to DuckDB one by
// one through cgo); for Parquet, DuckDB then reads that text with its
// parallel CSV reader and writes the Parquet file. Files appear only when
// complete.
func (g *gen) runJob(ctx context.Context, db *sql.DB, dir string, f Format, j job) (map[string]int64, error) {
	counts := map[string]int64{}
	csvs := make([]*csvWriter, len(j.tables))
	emit := make([]emitter, len(j.tables))
	for i, t := range j.tables {
		w, err := newCSVWriter(partPath(dir, t.Name, j.part, "tbl"), t)
		if err != nil {
			return nil, err
		}
		defer w.abort()
		csvs[i] = w
		emit[i] = func(vals []driver.Value) error {
			n := counts[t.Name] + 1
			counts[t.Name] = n
			if n%8192 == 0 && ctx.Err() != nil {
				return ctx.Err()
			}
			w.write(vals)
			return nil
		}
	}
	if err := j.run(newRNG(g.seed, j.stream, uint64(j.part)), emit); err != nil {
		return nil, err
	}
	for _, w := range csvs {
		if err := w.flush(); err != nil {
			return nil, err
		}
	}
	if f&Parquet != 0 {
		for i, t := range j.tables {
			if err := toParquet(ctx, db, t, csvs[i].tmpPath(), partPath(dir, t.Name, j.part, "parquet")); err != nil {
				return nil, err
			}
		}
	}
	if f&CSV != 0 {
		for _, w := range csvs {
			if err := w.commit(); err != nil {
				return nil, err
			}
		}
	}
	return counts, nil
}

// toParquet has DuckDB read a .tbl file and write it as Parquet at path
// with the table's column types.
func toParquet(ctx context.Context, db *sql.DB, t *Table, tbl, path string) error {
	tmp := path + ".tmp"
	q := fmt.Sprintf("COPY (SELECT * FROM %s) TO %s (FORMAT parquet, COMPRESSION snappy)", t.readCSV(tbl), sqlString(tmp))
	if _, err := db.ExecContext(ctx, q); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("tpch: write %s: %w", t.Name, err)
	}
	return os.Rename(tmp, path)
}

// csvWriter writes one .tbl part: fields separated by '|', one row a
// line, decimals with two digits, dates as YYYY-MM-DD.
type csvWriter struct {
	path string
	f    *os.File
	w    *bufio.Writer
	t    *Table
	buf  []byte
	done bool
}

func newCSVWriter(path string, t *Table) (*csvWriter, error) {
	f, err := os.Create(path + ".tmp")
	if err != nil {
		return nil, err
	}
	return &csvWriter{path: path, f: f, w: bufio.NewWriterSize(f, 1<<20), t: t}, nil
}

func (w *csvWriter) write(vals []driver.Value) {
	b := w.buf[:0]
	for i, c := range w.t.Columns {
		if i > 0 {
			b = append(b, '|')
		}
		switch c.kind {
		case kInt, kBigint:
			b = strconv.AppendInt(b, vals[i].(int64), 10)
		case kDecimal:
			b = appendCents(b, vals[i].(int64))
		case kDate:
			b = appendDate(b, vals[i].(int64))
		default:
			b = append(b, vals[i].(string)...)
		}
	}
	b = append(b, '\n')
	w.w.Write(b) // errors surface at commit's Flush
	w.buf = b
}

func (w *csvWriter) tmpPath() string { return w.path + ".tmp" }

// flush writes out and closes the temporary file.
func (w *csvWriter) flush() error {
	err := w.w.Flush()
	if cerr := w.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// commit renames the flushed temporary file to its final name.
func (w *csvWriter) commit() error {
	w.done = true
	return os.Rename(w.tmpPath(), w.path)
}

// abort removes the temporary file unless commit ran.
func (w *csvWriter) abort() {
	if !w.done {
		w.f.Close()
		os.Remove(w.tmpPath())
	}
}

func appendCents(b []byte, c int64) []byte {
	if c < 0 {
		b = append(b, '-')
		c = -c
	}
	b = strconv.AppendInt(b, c/100, 10)
	return append(b, '.', byte('0'+c/10%10), byte('0'+c%10))
}

// dateStrings caches YYYY-MM-DD for the days dates fall on.
var dateStrings = func() []string {
	out := make([]string, endDate+200-startDate)
	for i := range out {
		out[i] = time.Unix((startDate+int64(i))*86400, 0).UTC().Format(time.DateOnly)
	}
	return out
}()

func appendDate(b []byte, d int64) []byte {
	if i := d - startDate; i >= 0 && i < int64(len(dateStrings)) {
		return append(b, dateStrings[i]...)
	}
	return time.Unix(d*86400, 0).UTC().AppendFormat(b, time.DateOnly)
}
