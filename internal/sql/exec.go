package sql

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
)

// exec is one query's run.
type exec struct {
	s      *Service
	r      *queryRecord
	region string
	db     string
	src    string                        // the statement as run (parameters bound)
	files  map[string]int64              // lake files the relations named: path → size
	depth  int                           // views being expanded
	only   func(bucket, key string) bool // nil, or the files tables may read (ExecInput.Files)
}

// statement runs st by kind. Error positions are offsets in st.Text.
func (x *exec) statement(ctx context.Context, st engine.Statement) (*outcome, error) {
	x.files = map[string]int64{}
	x.src = st.Text
	var out *outcome
	var err error
	switch engine.Classify(st) {
	case engine.Read:
		if st.Tokens[0].Is("EXPLAIN") {
			out, err = x.explain(ctx, st)
		} else {
			out, err = x.selectQuery(ctx, st.Text)
		}
	case engine.Utility:
		out, err = x.utility(ctx, st)
	case engine.DDL:
		out, err = x.ddl(ctx, st)
	default:
		err = &queryError{Code: "SYNTAX_ERROR", Pos: st.Tokens[0].Pos, Msg: fmt.Sprintf("mismatched input '%s'. Expecting: 'ALTER', 'CREATE', 'DESCRIBE', 'DROP', 'EXECUTE', 'EXPLAIN', 'INSERT', 'MSCK', 'SHOW', <query>", st.Tokens[0].Text)}
	}
	return out, err
}

// scanned is DataScannedInBytes: the sizes of the lake files DuckDB read
// (after pruning); all the named files when the engine could not say.
func (x *exec) scanned(read []string) int64 {
	var n int64
	if read == nil {
		for _, sz := range x.files {
			n += sz
		}
		return n
	}
	seen := map[string]bool{}
	for _, p := range read {
		if sz, ok := x.files[p]; ok && !seen[p] {
			seen[p] = true
			n += sz
		}
	}
	return n
}

// selectQuery translates and runs a read, writing <id>.csv with a header.
func (x *exec) selectQuery(ctx context.Context, q string) (*outcome, error) {
	duck, err := translate(q, x.resolver(ctx))
	if err != nil {
		return nil, err
	}
	f, err := os.CreateTemp(x.s.eng.ScratchDir(), "result-*.csv")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	w := &csvWriter{w: bufio.NewWriterSize(f, 1<<16)}
	out := &outcome{header: true}
	cols, read, err := run(ctx, x.s.eng, duck, func(cols []colInfo) error {
		names := make([]*string, len(cols))
		for i := range cols {
			names[i] = &cols[i].Name
		}
		return w.write(names)
	}, func(v []*string) error {
		out.rows++
		return w.write(v)
	})
	if err != nil {
		return nil, err
	}
	if err := w.w.Flush(); err != nil {
		return nil, err
	}
	out.cols, out.scanned = cols, x.scanned(read)
	if err := x.putResult(ctx, f, ".csv", out); err != nil {
		return nil, err
	}
	return out, nil
}

// textResult writes rows (no header) as the <id>.txt Athena writes for
// utility and DDL statements: one line per row, values tab-separated.
func (x *exec) textResult(ctx context.Context, cols []colInfo, rows [][]string) (*outcome, error) {
	var buf bytes.Buffer
	for _, r := range rows {
		for i, v := range r {
			if i > 0 {
				buf.WriteByte('\t')
			}
			buf.WriteString(v)
		}
		buf.WriteByte('\n')
	}
	f, err := os.CreateTemp(x.s.eng.ScratchDir(), "result-*.txt")
	if err != nil {
		return nil, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	if _, err := f.Write(buf.Bytes()); err != nil {
		return nil, err
	}
	out := &outcome{cols: cols, rows: int64(len(rows))}
	if err := x.putResult(ctx, f, ".txt", out); err != nil {
		return nil, err
	}
	return out, nil
}

// resultMetadata is tarn's <id>.csv.metadata (Athena's own is a binary
// protobuf that only its console reads): the result's columns as JSON.
type resultMetadata struct {
	Format  string    `json:"format"` // "tarn-athena-result-metadata/1"
	Columns []colInfo `json:"columns"`
	Rows    int64     `json:"rows"`
	Header  bool      `json:"header"`
}

// putResult stores the result file f (and its .metadata) under the
// query's output location.
func (x *exec) putResult(ctx context.Context, f *os.File, ext string, out *outcome) error {
	bucket, prefix, err := parseS3(x.r.OutputLocation)
	if err != nil {
		return err
	}
	key := dirPrefix(prefix) + x.r.ID + ext
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if _, err := f.Seek(0, 0); err != nil {
		return err
	}
	ct := "text/plain"
	if ext == ".csv" {
		ct = "text/csv"
	}
	if err := x.s.lake.Put(ctx, bucket, key, f, st.Size(), ct); err != nil {
		return &queryError{Code: "GENERIC_INTERNAL_ERROR", Pos: -1, Category: 1, Type: 401,
			Msg: fmt.Sprintf("Error writing query results to s3://%s/%s: %v", bucket, key, err)}
	}
	meta, _ := json.Marshal(resultMetadata{Format: "tarn-athena-result-metadata/1", Columns: out.cols, Rows: out.rows, Header: out.header})
	if err := x.s.lake.Put(ctx, bucket, key+".metadata", bytes.NewReader(meta), int64(len(meta)), "application/json"); err != nil {
		return &queryError{Code: "GENERIC_INTERNAL_ERROR", Pos: -1, Category: 1, Type: 238, Msg: "Failed to upload metadata to Amazon S3: " + err.Error()}
	}
	out.location = "s3://" + bucket + "/" + key
	return nil
}

// explain answers EXPLAIN [ANALYZE] [(options)] query with DuckDB's plan,
// one line per row under Athena's "Query Plan" column. Trino's options
// (TYPE, FORMAT) are accepted and ignored.
func (x *exec) explain(ctx context.Context, st engine.Statement) (*outcome, error) {
	c := &cursor{toks: st.Tokens, src: st.Text}
	c.accept("EXPLAIN")
	analyze := c.accept("ANALYZE")
	c.accept("VERBOSE")
	if c.accept("(") {
		for !c.done() && !c.accept(")") {
			c.next()
		}
	}
	qstart := c.peek().Pos
	duck, err := translate(st.Text[qstart:], x.resolver(ctx))
	if err != nil {
		return nil, shiftError(err, qstart)
	}
	prefix := "EXPLAIN "
	if analyze {
		prefix = "EXPLAIN ANALYZE "
	}
	var rows [][]string
	cols, read, err := run(ctx, x.s.eng, prefix+duck, nil, func(v []*string) error {
		if len(v) == 2 && v[1] != nil {
			for _, l := range strings.Split(strings.TrimRight(*v[1], "\n"), "\n") {
				rows = append(rows, []string{l})
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	_ = cols
	out, err := x.textResult(ctx, []colInfo{{Name: "Query Plan", Type: "varchar", Precision: 2147483647}}, rows)
	if err != nil {
		return nil, err
	}
	if analyze {
		out.scanned = x.scanned(read)
	}
	return out, nil
}
