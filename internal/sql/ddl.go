package sql

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
)

// ddlError is a Hive-style DDL failure as Athena reports it.
func ddlError(format string, args ...any) error {
	return &queryError{Pos: -1, Msg: fmt.Sprintf(format, args...), Category: 2, Type: 1003}
}

func (x *exec) dbOr(db string) string {
	if db == "" {
		return x.db
	}
	return db
}

// ddl runs the DDL statements tarn implements.
func (x *exec) ddl(ctx context.Context, st engine.Statement) (*outcome, error) {
	c := &cursor{toks: st.Tokens, src: st.Text}
	switch {
	case c.accept("CREATE", "EXTERNAL", "TABLE"):
		return x.createExternal(ctx, c)
	case c.accept("CREATE", "DATABASE"), c.accept("CREATE", "SCHEMA"):
		ifNot := c.accept("IF", "NOT", "EXISTS")
		name, err := c.ident()
		if err != nil {
			return nil, err
		}
		err = x.s.catalog.CreateDatabase(ctx, x.region, name)
		if errors.Is(err, ErrExists) {
			if ifNot {
				return x.textResult(ctx, nil, nil)
			}
			return nil, ddlError("FAILED: AlreadyExistsException: Database %s already exists", name)
		}
		if err != nil {
			return nil, err
		}
		return x.textResult(ctx, nil, nil)
	case c.accept("CREATE", "TABLE"):
		return x.ctas(ctx, c, st)
	case c.accept("CREATE", "VIEW"):
		return x.createView(ctx, c, st, false)
	case c.accept("CREATE", "OR", "REPLACE", "VIEW"):
		return x.createView(ctx, c, st, true)
	case c.accept("DROP", "VIEW"):
		return x.dropView(ctx, c)
	case c.accept("INSERT", "INTO"):
		return x.insert(ctx, c, st)
	case c.accept("DROP", "TABLE"):
		ifExists := c.accept("IF", "EXISTS")
		db, name, _, err := c.name()
		if err != nil {
			return nil, err
		}
		err = x.s.catalog.DropTable(ctx, x.region, x.dbOr(db), name)
		if errors.Is(err, ErrTableNotFound) || errors.Is(err, ErrDatabaseNotFound) {
			if ifExists {
				return x.textResult(ctx, nil, nil)
			}
			return nil, ddlError("FAILED: SemanticException [Error 10001]: Table not found %s", name)
		}
		if err != nil {
			return nil, err
		}
		return x.textResult(ctx, nil, nil)
	case c.accept("DROP", "DATABASE"), c.accept("DROP", "SCHEMA"):
		ifExists := c.accept("IF", "EXISTS")
		name, err := c.ident()
		if err != nil {
			return nil, err
		}
		cascade := c.accept("CASCADE")
		tables, err := x.s.catalog.Tables(ctx, x.region, name)
		if errors.Is(err, ErrDatabaseNotFound) {
			if ifExists {
				return x.textResult(ctx, nil, nil)
			}
			return nil, ddlError("FAILED: SemanticException [Error 10072]: Database does not exist: %s", name)
		}
		if err != nil {
			return nil, err
		}
		if len(tables) > 0 && !cascade {
			return nil, ddlError("FAILED: Execution Error, return code 1 from org.apache.hadoop.hive.ql.exec.DDLTask. InvalidOperationException(message:Database %s is not empty. One or more tables exist.)", name)
		}
		for _, t := range tables {
			if err := x.s.catalog.DropTable(ctx, x.region, name, t.Name); err != nil {
				return nil, err
			}
		}
		if err := x.s.catalog.DropDatabase(ctx, x.region, name); err != nil {
			return nil, err
		}
		return x.textResult(ctx, nil, nil)
	case c.accept("UNLOAD"):
		return x.unload(ctx, c, st)
	case c.accept("MSCK", "REPAIR", "TABLE"):
		return x.msck(ctx, c)
	case c.accept("ALTER", "TABLE"):
		return x.alterTable(ctx, c)
	}
	return nil, c.errAt("a statement")
}

// unescapeDelim undoes Hive's escapes in a delimiter literal: \t, \n,
// \001 (octal) and \u0001.
func unescapeDelim(s string) string {
	if !strings.HasPrefix(s, `\`) || len(s) < 2 {
		return s
	}
	switch {
	case s == `\t`:
		return "\t"
	case s == `\n`:
		return "\n"
	case strings.HasPrefix(s, `\u`):
		if n, err := strconv.ParseUint(s[2:], 16, 32); err == nil {
			return string(rune(n))
		}
	default:
		if n, err := strconv.ParseUint(s[1:], 8, 32); err == nil {
			return string(rune(n))
		}
	}
	return s
}

// columns reads (name type [COMMENT 'c'], ...).
func (c *cursor) columns() ([]Column, error) {
	if err := c.expect("("); err != nil {
		return nil, err
	}
	var cols []Column
	for {
		name, err := c.ident()
		if err != nil {
			return nil, err
		}
		typ, err := c.hiveTypeText()
		if err != nil {
			return nil, err
		}
		col := Column{Name: name, Type: typ}
		if c.accept("COMMENT") {
			if col.Comment, err = c.str(); err != nil {
				return nil, err
			}
		}
		cols = append(cols, col)
		if c.accept(",") {
			continue
		}
		return cols, c.expect(")")
	}
}

func (x *exec) createExternal(ctx context.Context, c *cursor) (*outcome, error) {
	ifNot := c.accept("IF", "NOT", "EXISTS")
	db, name, _, err := c.name()
	if err != nil {
		return nil, err
	}
	t := TableDef{Database: x.dbOr(db), Name: name, Parameters: map[string]string{}, CreateTime: x.s.now().Unix()}
	if t.Columns, err = c.columns(); err != nil {
		return nil, err
	}
	serde, storedAs, inputFormat := "", "", ""
	delim, hasRowFormat := "", false
	for !c.done() {
		switch {
		case c.accept("COMMENT"):
			cm, err := c.str()
			if err != nil {
				return nil, err
			}
			t.Parameters["comment"] = cm
		case c.accept("PARTITIONED", "BY"):
			if t.PartitionKeys, err = c.columns(); err != nil {
				return nil, err
			}
		case c.accept("ROW", "FORMAT", "DELIMITED"):
			hasRowFormat = true
			for {
				switch {
				case c.accept("FIELDS", "TERMINATED", "BY"):
					if delim, err = c.str(); err != nil {
						return nil, err
					}
					if c.accept("ESCAPED", "BY") {
						if _, err = c.str(); err != nil {
							return nil, err
						}
					}
					continue
				case c.accept("COLLECTION", "ITEMS", "TERMINATED", "BY"), c.accept("MAP", "KEYS", "TERMINATED", "BY"),
					c.accept("LINES", "TERMINATED", "BY"), c.accept("NULL", "DEFINED", "AS"):
					if _, err = c.str(); err != nil {
						return nil, err
					}
					continue
				}
				break
			}
		case c.accept("ROW", "FORMAT", "SERDE"):
			hasRowFormat = true
			if serde, err = c.str(); err != nil {
				return nil, err
			}
			if c.accept("WITH", "SERDEPROPERTIES") {
				props, err := c.properties()
				if err != nil {
					return nil, err
				}
				for k, v := range props {
					t.Parameters["serde.param."+k] = v
				}
				for _, k := range []string{"field.delim", "separatorChar", "serialization.format"} {
					if v, ok := props[k]; ok && (k != "serialization.format" || delim == "") {
						delim = v
					}
				}
			}
		case c.accept("STORED", "AS", "INPUTFORMAT"):
			if inputFormat, err = c.str(); err != nil {
				return nil, err
			}
			if err := c.expect("OUTPUTFORMAT"); err != nil {
				return nil, err
			}
			if _, err = c.str(); err != nil {
				return nil, err
			}
		case c.accept("STORED", "AS"):
			f, err := c.ident()
			if err != nil {
				return nil, err
			}
			storedAs = f
		case c.accept("LOCATION"):
			if t.Location, err = c.str(); err != nil {
				return nil, err
			}
		case c.accept("TBLPROPERTIES"):
			props, err := c.properties()
			if err != nil {
				return nil, err
			}
			for k, v := range props {
				t.Parameters[k] = v
			}
		default:
			return nil, c.errAt("'COMMENT', 'PARTITIONED', 'ROW', 'STORED', 'LOCATION', 'TBLPROPERTIES'")
		}
	}
	lower := strings.ToLower(serde + " " + storedAs + " " + inputFormat)
	switch {
	case strings.Contains(lower, "parquet"):
		t.Format = FormatParquet
	case strings.Contains(lower, "json"):
		t.Format = FormatJSON
	case strings.Contains(lower, "orc") || strings.Contains(lower, "avro") || strings.Contains(lower, "ion") || strings.Contains(lower, "sequencefile"):
		return nil, &queryError{Code: "NOT_SUPPORTED", Pos: -1, Msg: "tarn reads PARQUET, TEXTFILE (delimited) and JSON tables; not " + strings.TrimSpace(lower)}
	default:
		t.Format = FormatCSV
		switch {
		case delim != "":
			t.Delimiter = unescapeDelim(delim)
		case strings.Contains(lower, "opencsv"):
			t.Delimiter = ","
		case !hasRowFormat || strings.Contains(lower, "lazysimple"):
			t.Delimiter = "\x01" // Hive's default field delimiter
		}
	}
	if t.Location == "" {
		return nil, &queryError{Code: "SYNTAX_ERROR", Pos: -1, Msg: "tarn needs a LOCATION 's3://bucket/prefix/' for CREATE EXTERNAL TABLE"}
	}
	if _, _, err := parseS3(t.Location); err != nil {
		return nil, ddlError("FAILED: SemanticException Invalid location %s: must be an s3:// path", t.Location)
	}
	if v, ok := t.Parameters["skip.header.line.count"]; ok {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 {
			return nil, ddlError("FAILED: SemanticException Invalid skip.header.line.count %q", v)
		}
		t.SkipHeader = n
	}
	err = x.s.catalog.CreateTable(ctx, x.region, t)
	switch {
	case errors.Is(err, ErrExists):
		if ifNot {
			return x.textResult(ctx, nil, nil)
		}
		return nil, ddlError("FAILED: Execution Error, return code 1 from org.apache.hadoop.hive.ql.exec.DDLTask. AlreadyExistsException(message:Table %s already exists)", name)
	case errors.Is(err, ErrDatabaseNotFound):
		return nil, ddlError("FAILED: SemanticException [Error 10072]: Database does not exist: %s", t.Database)
	case err != nil:
		return nil, err
	}
	return x.textResult(ctx, nil, nil)
}

// table loads a table for DDL, with Hive's not-found message.
func (x *exec) table(ctx context.Context, db, name string) (*TableDef, error) {
	t, err := x.s.catalog.Table(ctx, x.region, x.dbOr(db), name)
	if errors.Is(err, ErrTableNotFound) || errors.Is(err, ErrDatabaseNotFound) {
		return nil, ddlError("FAILED: SemanticException [Error 10001]: Table not found %s.%s", x.dbOr(db), name)
	}
	return t, err
}
