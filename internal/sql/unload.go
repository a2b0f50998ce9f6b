package sql

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
)

// unload runs UNLOAD (query) TO 's3://...' [WITH (...)]: the query's
// result written as files, no table registered. The target must be empty
// unless the write is partitioned; a manifest of the written files goes to
// the result location as <id>-manifest.csv.
func (x *exec) unload(ctx context.Context, c *cursor, st engine.Statement) (*outcome, error) {
	open := c.peek()
	if err := c.expect("("); err != nil {
		return nil, err
	}
	toks, _ := engine.Lex(st.Text)
	var openIdx int
	for i, t := range toks {
		if t.Pos == open.Pos {
			openIdx = i
		}
	}
	closeIdx := matchParen(toks, openIdx)
	if closeIdx < 0 {
		return nil, syntaxError(st.Text, open.Pos, "mismatched input '('")
	}
	qstart, qend := open.Pos+1, toks[closeIdx].Pos
	for !c.done() && c.peek().Pos <= qend {
		c.next()
	}
	if err := c.expect("TO"); err != nil {
		return nil, err
	}
	loc, err := c.str()
	if err != nil {
		return nil, err
	}
	props := ctasProps{format: "parquet"}
	if c.accept("WITH") {
		if props, err = c.ctasProps(); err != nil {
			return nil, err
		}
	}
	if !c.done() {
		return nil, c.errAt("'WITH'")
	}
	format, ext, err := writeFormat(props.format)
	if err != nil {
		return nil, err
	}
	loc = dirPrefix(loc)
	bucket, prefix, err := parseS3(loc)
	if err != nil {
		return nil, &queryError{Code: "INVALID_TABLE_PROPERTY", Pos: -1, Msg: "UNLOAD needs an s3:// location: " + loc}
	}
	if len(props.partitionedBy) == 0 {
		existing, err := x.s.lake.Files(ctx, bucket, prefix)
		if err != nil && !errors.Is(err, ErrNoSuchBucket) {
			return nil, err
		}
		if len(existing) > 0 {
			return nil, &queryError{Code: "HIVE_PATH_ALREADY_EXISTS", Pos: -1, Msg: fmt.Sprintf("Target directory %s already exists. UNLOAD will not overwrite existing data.", loc)}
		}
	}
	duck, err := translate(st.Text[qstart:qend], x.resolver(ctx))
	if err != nil {
		return nil, shiftError(err, qstart)
	}
	cols, err := x.probe(ctx, duck)
	if err != nil {
		return nil, err
	}
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.Name
	}
	t := &TableDef{Location: loc, Format: format, Delimiter: props.delimiter}
	if format == FormatCSV && t.Delimiter == "" {
		t.Delimiter = ","
	}
	w, err := x.write(ctx, duck, names, nil, props.partitionedBy, t, ext, props.compression)
	if err != nil {
		return nil, err
	}
	var manifest strings.Builder
	for _, k := range w.keys {
		manifest.WriteString("s3://" + bucket + "/" + k + "\n")
	}
	rb, rp, err := parseS3(x.r.OutputLocation)
	if err != nil {
		return nil, err
	}
	m := manifest.String()
	if err := x.s.lake.Put(ctx, rb, dirPrefix(rp)+x.r.ID+"-manifest.csv", strings.NewReader(m), int64(len(m)), "text/csv"); err != nil {
		return nil, err
	}
	res, err := x.textResult(ctx, nil, nil)
	if err != nil {
		return nil, err
	}
	res.updates, res.scanned = w.rows, x.scanned(w.read)
	return res, nil
}
