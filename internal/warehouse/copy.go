package warehouse

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
	"github.com/tarnhq/tarn/internal/pgwire"
)

// copyOpts are the parsed options of a Redshift COPY.
type copyOpts struct {
	table     string
	columns   []string
	from      string
	format    string // "text" (Redshift's default, '|'-delimited), "csv", "json", "parquet"
	delim     string
	quote     string
	header    int
	gzip      bool
	dateFmt   string
	timeFmt   string
	maxErr    int
	emptyNull bool
	blankNull bool
	nullAs    string
	explicit  bool
	fill      bool
}

// prepareCopy parses COPY table [(cols)] FROM 's3://...' [options].
func (se *session) prepareCopy(sig []engine.Token) (runFunc, error) {
	o := &copyOpts{format: "text", delim: "|"}
	i := 1
	var name []string
	for i < len(sig) && (sig[i].Kind == engine.Ident || sig[i].Kind == engine.QuotedIdent) && !sig[i].Is("FROM") {
		name = append(name, identName(sig[i]))
		i++
		if i < len(sig) && sig[i].Text == "." {
			i++
		}
	}
	if len(name) == 0 {
		return nil, errSyntax(textAt(sig, i))
	}
	o.table = strings.Join(name, ".")
	if i < len(sig) && sig[i].Text == "(" {
		e := matching(sig, i)
		if e < 0 {
			return nil, errSyntax(")")
		}
		for _, a := range splitArgs(sig[i+1 : e]) {
			if len(a) != 1 {
				return nil, errSyntax(textAt(a, 0))
			}
			o.columns = append(o.columns, identName(a[0]))
		}
		i = e + 1
	}
	if i+1 >= len(sig) || !sig[i].Is("FROM") {
		return nil, errSyntax(textAt(sig, i))
	}
	if sig[i+1].Is("STDIN") {
		return nil, pgwire.Errorf(pgwire.CodeFeatureNotSupported, "COPY from STDIN is not supported (Redshift loads from Amazon S3)")
	}
	if sig[i+1].Kind != engine.String {
		return nil, pgwire.Errorf(pgwire.CodeFeatureNotSupported, "COPY reads from 's3://bucket/prefix' only")
	}
	o.from = sig[i+1].Value()
	if _, _, err := parseS3(o.from); err != nil {
		return nil, err
	}
	i += 2
	arg := func() (string, error) { // the option's value, after an optional AS
		if i < len(sig) && sig[i].Is("AS") {
			i++
		}
		if i >= len(sig) {
			return "", errSyntax("end of input")
		}
		v := sig[i].Value()
		i++
		return v, nil
	}
	for i < len(sig) {
		t := sig[i]
		i++
		var err error
		switch t.Upper() {
		case "IAM_ROLE", "CREDENTIALS", "ACCESS_KEY_ID", "SECRET_ACCESS_KEY", "SESSION_TOKEN", "REGION", "COMPUPDATE", "STATUPDATE", "ENCODING":
			_, err = arg() // tarn's lake is local: no role to assume
		case "WITH":
			if i < len(sig) && sig[i].Is("CREDENTIALS") {
				i++
				_, err = arg()
			}
		case "FORMAT":
			var f string
			if f, err = arg(); err == nil {
				i--
				err = o.setFormat(sig, &i, f)
			}
		case "CSV", "JSON", "PARQUET", "AVRO", "ORC":
			i--
			err = o.setFormat(sig, &i, t.Text)
		case "DELIMITER":
			o.delim, err = arg()
		case "QUOTE":
			o.quote, err = arg()
		case "IGNOREHEADER":
			var v string
			if v, err = arg(); err == nil {
				o.header, err = strconv.Atoi(v)
			}
		case "MAXERROR":
			var v string
			if v, err = arg(); err == nil {
				o.maxErr, err = strconv.Atoi(v)
			}
		case "DATEFORMAT":
			o.dateFmt, err = arg()
		case "TIMEFORMAT":
			o.timeFmt, err = arg()
		case "NULL":
			o.nullAs, err = arg()
		case "GZIP":
			o.gzip = true
		case "EMPTYASNULL":
			o.emptyNull = true
		case "BLANKSASNULL":
			o.blankNull = true
		case "EXPLICIT_IDS":
			o.explicit = true
		case "FILLRECORD":
			o.fill = true
		case "TRUNCATECOLUMNS", "ACCEPTINVCHARS", "REMOVEQUOTES", "ACCEPTANYDATE", "IGNOREBLANKLINES", "TRIMBLANKS", "ROUNDEC", "ESCAPE", "NOLOAD":
			if t.Is("ACCEPTINVCHARS") && i < len(sig) && sig[i].Kind == engine.String {
				i++
			}
		case "MANIFEST", "BZIP2", "LZOP", "ZSTD", "SSH", "FIXEDWIDTH", "SHAPEFILE", "JSONPATHS":
			return nil, pgwire.Errorf(pgwire.CodeFeatureNotSupported, "COPY option %s is not supported", t.Upper())
		default:
			return nil, errSyntax(t.Text)
		}
		if err != nil {
			return nil, pgwire.Errorf(pgwire.CodeSyntaxError, "invalid value for COPY option %s", t.Upper())
		}
	}
	return func(ctx context.Context, _ []any) (pgwire.Result, error) { return se.runCopy(ctx, o) }, nil
}

func (o *copyOpts) setFormat(sig []engine.Token, i *int, f string) error {
	switch strings.ToUpper(f) {
	case "CSV":
		o.format, o.delim, o.quote = "csv", ",", `"`
		*i++
		if *i < len(sig) && sig[*i].Is("QUOTE") {
			*i++
			if *i < len(sig) && sig[*i].Is("AS") {
				*i++
			}
			if *i < len(sig) {
				o.quote = sig[*i].Value()
				*i++
			}
		}
	case "JSON":
		o.format = "json"
		*i++
		if *i < len(sig) && sig[*i].Kind == engine.String {
			v := strings.ToLower(sig[*i].Value())
			if v != "auto" && v != "auto ignorecase" {
				return pgwire.Errorf(pgwire.CodeFeatureNotSupported, "COPY JSON with a JSONPaths file is not supported; use 'auto'")
			}
			*i++
		}
	case "PARQUET":
		o.format = "parquet"
		*i++
	default:
		return pgwire.Errorf(pgwire.CodeFeatureNotSupported, "COPY FORMAT %s is not supported", strings.ToUpper(f))
	}
	return nil
}

// targetColumn is a column of the COPY target.
type targetColumn struct{ name, typ, def string }

// targetColumns reads the table's columns; IDENTITY columns (a
// nextval default) are skipped unless EXPLICIT_IDS.
func (se *session) targetColumns(ctx context.Context, o *copyOpts) (schema, table string, cols []targetColumn, err error) {
	schema, table = se.schema(), o.table
	if s, t, ok := strings.Cut(o.table, "."); ok {
		schema, table = s, t
	}
	rows, err := se.conn.QueryContext(ctx, `SELECT column_name, data_type, coalesce(column_default, '') FROM information_schema.columns
		WHERE table_schema = ? AND table_name = ? ORDER BY ordinal_position`, schema, table)
	if err != nil {
		return "", "", nil, err
	}
	defer rows.Close()
	var all []targetColumn
	for rows.Next() {
		var c targetColumn
		if err := rows.Scan(&c.name, &c.typ, &c.def); err != nil {
			return "", "", nil, err
		}
		all = append(all, c)
	}
	if len(all) == 0 {
		return "", "", nil, &pgwire.Error{Code: pgwire.CodeUndefinedTable, Message: fmt.Sprintf("relation %q does not exist", o.table)}
	}
	if len(o.columns) > 0 {
		by := map[string]targetColumn{}
		for _, c := range all {
			by[strings.ToLower(c.name)] = c
		}
		for _, n := range o.columns {
			c, ok := by[n]
			if !ok {
				return "", "", nil, &pgwire.Error{Code: pgwire.CodeUndefinedColumn, Message: fmt.Sprintf("column %q of relation %q does not exist", n, table)}
			}
			cols = append(cols, c)
		}
		return schema, table, cols, rows.Err()
	}
	for _, c := range all {
		if !o.explicit && strings.HasPrefix(c.def, "nextval(") {
			continue
		}
		cols = append(cols, c)
	}
	return schema, table, cols, rows.Err()
}
