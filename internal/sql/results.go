package sql

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
)

// colInfo is one result column as ColumnInfo reports it; Duck is DuckDB's
// type name.
type colInfo struct {
	Name      string `json:"name"`
	Type      string `json:"type"`
	Precision int    `json:"precision"`
	Scale     int    `json:"scale"`
	Duck      string `json:"duck,omitempty"`
}

var simpleName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_$]*$`)

// columnName is the name Athena gives a result column: lowercased, and
// _colN for an expression that has no alias.
func columnName(name string, i int) string {
	if !simpleName.MatchString(name) || name == "count_star" {
		return fmt.Sprintf("_col%d", i)
	}
	return strings.ToLower(name)
}

// run executes the read-only query q on e, calling each for every row
// (values rendered as Athena does, nil for NULL). It returns the columns
// and the lake files the query read.
func run(ctx context.Context, e *engine.Engine, q string, head func([]colInfo) error, each func([]*string) error) ([]colInfo, []string, error) {
	rows, err := e.Query(ctx, q)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	types, err := rows.ColumnTypes()
	if err != nil {
		return nil, nil, err
	}
	cols := make([]colInfo, len(types))
	for i, ct := range types {
		duck := ct.DatabaseTypeName()
		name, p, s := athenaType(duck)
		cols[i] = colInfo{Name: columnName(ct.Name(), i), Type: name, Precision: p, Scale: s, Duck: duck}
	}
	if head != nil {
		if err := head(cols); err != nil {
			return nil, nil, err
		}
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		out := make([]*string, len(cols))
		for i, v := range vals {
			if s, ok := formatValue(v, cols[i].Duck); ok {
				out[i] = &s
			}
		}
		if err := each(out); err != nil {
			return nil, nil, err
		}
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if err := rows.Close(); err != nil {
		return nil, nil, err
	}
	return cols, rows.FilesRead(), nil
}

// result is a whole result in memory (tests and small utility results).
type result struct {
	cols []colInfo
	rows [][]*string
}

func collect(ctx context.Context, e *engine.Engine, q string, limit int) (*result, error) {
	r := &result{}
	cols, _, err := run(ctx, e, q, nil, func(v []*string) error {
		if limit > 0 && len(r.rows) >= limit {
			return errors.New("sql: result too large")
		}
		r.rows = append(r.rows, v)
		return nil
	})
	r.cols = cols
	return r, err
}

// csvWriter writes Athena's CSV: every value quoted (quotes doubled),
// NULL as an empty unquoted field, "\n" line ends, a header row first.
type csvWriter struct {
	w *bufio.Writer
}

func (c *csvWriter) write(vals []*string) error {
	for i, v := range vals {
		if i > 0 {
			c.w.WriteByte(',')
		}
		if v != nil {
			c.w.WriteByte('"')
			c.w.WriteString(strings.ReplaceAll(*v, `"`, `""`))
			c.w.WriteByte('"')
		}
	}
	return c.w.WriteByte('\n')
}

// csvReader reads what csvWriter writes (and RFC 4180 CSV generally),
// keeping NULL (an empty unquoted field) apart from "" (an empty string).
type csvReader struct {
	r   *bufio.Reader
	pos int64 // bytes consumed
}

// read returns the next record, or io.EOF.
func (c *csvReader) read() ([]*string, error) {
	var rec []*string
	var field strings.Builder
	quoted, inQuotes, any := false, false, false
	end := func() {
		if quoted || field.Len() > 0 {
			s := field.String()
			rec = append(rec, &s)
		} else {
			rec = append(rec, nil)
		}
		field.Reset()
		quoted = false
	}
	for {
		b, err := c.r.ReadByte()
		if err == nil {
			c.pos++
		}
		if err == io.EOF {
			if !any {
				return nil, io.EOF
			}
			end()
			return rec, nil
		}
		if err != nil {
			return nil, err
		}
		any = true
		switch {
		case inQuotes:
			if b == '"' {
				if n, err := c.r.Peek(1); err == nil && n[0] == '"' {
					c.r.ReadByte()
					c.pos++
					field.WriteByte('"')
				} else {
					inQuotes = false
				}
			} else {
				field.WriteByte(b)
			}
		case b == '"':
			inQuotes, quoted = true, true
		case b == ',':
			end()
		case b == '\r':
		case b == '\n':
			end()
			return rec, nil
		default:
			field.WriteByte(b)
		}
	}
}
