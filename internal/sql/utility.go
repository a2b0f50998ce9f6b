package sql

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
)

// utility answers SHOW, DESCRIBE and EXECUTE from the catalog and the
// prepared statements.
func (x *exec) utility(ctx context.Context, st engine.Statement) (*outcome, error) {
	c := &cursor{toks: st.Tokens, src: st.Text}
	one := func(name string) []colInfo { return []colInfo{{Name: name, Type: "varchar", Precision: 2147483647}} }
	switch {
	case c.accept("SHOW", "TABLES"):
		db := x.db
		if c.accept("IN") || c.accept("FROM") {
			var err error
			if db, err = c.ident(); err != nil {
				return nil, err
			}
		}
		re, err := c.showPattern()
		if err != nil {
			return nil, err
		}
		tables, err := x.s.catalog.Tables(ctx, x.region, db)
		if errors.Is(err, ErrDatabaseNotFound) {
			return nil, ddlError("FAILED: SemanticException [Error 10072]: Database does not exist: %s", db)
		}
		if err != nil {
			return nil, err
		}
		var rows [][]string
		for _, t := range tables {
			if re == nil || re.MatchString(t.Name) {
				rows = append(rows, []string{t.Name})
			}
		}
		sort.Slice(rows, func(i, j int) bool { return rows[i][0] < rows[j][0] })
		return x.textResult(ctx, one("tab_name"), rows)
	case c.accept("SHOW", "VIEWS"):
		db := x.db
		if c.accept("IN") || c.accept("FROM") {
			var err error
			if db, err = c.ident(); err != nil {
				return nil, err
			}
		}
		re, err := c.showPattern()
		if err != nil {
			return nil, err
		}
		tables, err := x.s.catalog.Tables(ctx, x.region, db)
		if err != nil {
			return nil, ddlError("FAILED: SemanticException [Error 10072]: Database does not exist: %s", db)
		}
		var rows [][]string
		for _, t := range tables {
			if t.ViewSQL != "" && (re == nil || re.MatchString(t.Name)) {
				rows = append(rows, []string{t.Name})
			}
		}
		sort.Slice(rows, func(i, j int) bool { return rows[i][0] < rows[j][0] })
		return x.textResult(ctx, one("views"), rows)
	case c.accept("SHOW", "DATABASES"), c.accept("SHOW", "SCHEMAS"):
		re, err := c.showPattern()
		if err != nil {
			return nil, err
		}
		dbs, err := x.s.catalog.Databases(ctx, x.region)
		if err != nil {
			return nil, err
		}
		sort.Strings(dbs)
		var rows [][]string
		for _, d := range dbs {
			if re == nil || re.MatchString(d) {
				rows = append(rows, []string{d})
			}
		}
		return x.textResult(ctx, one("database_name"), rows)
	case c.accept("SHOW", "COLUMNS"):
		if !c.accept("IN") && !c.accept("FROM") {
			return nil, c.errAt("'IN', 'FROM'")
		}
		db, name, _, err := c.name()
		if err != nil {
			return nil, err
		}
		if c.accept("IN") || c.accept("FROM") {
			if db, err = c.ident(); err != nil {
				return nil, err
			}
		}
		t, err := x.table(ctx, db, name)
		if err != nil {
			return nil, err
		}
		var rows [][]string
		for _, col := range append(append([]Column{}, t.Columns...), t.PartitionKeys...) {
			rows = append(rows, []string{col.Name})
		}
		return x.textResult(ctx, one("field"), rows)
	case c.accept("SHOW", "PARTITIONS"):
		db, name, _, err := c.name()
		if err != nil {
			return nil, err
		}
		t, err := x.table(ctx, db, name)
		if err != nil {
			return nil, err
		}
		if len(t.PartitionKeys) == 0 {
			return nil, ddlError("FAILED: SemanticException [Error 10241]: Table %s is not a partitioned table", t.Name)
		}
		var rows [][]string
		for _, p := range t.Partitions {
			parts := make([]string, len(p.Values))
			for i, v := range p.Values {
				parts[i] = strings.ToLower(t.PartitionKeys[i].Name) + "=" + hiveEscape(v)
			}
			rows = append(rows, []string{strings.Join(parts, "/")})
		}
		sort.Slice(rows, func(i, j int) bool { return rows[i][0] < rows[j][0] })
		return x.textResult(ctx, one("partition"), rows)
	case c.accept("SHOW", "CREATE", "TABLE"):
		db, name, _, err := c.name()
		if err != nil {
			return nil, err
		}
		t, err := x.table(ctx, db, name)
		if err != nil {
			return nil, err
		}
		var rows [][]string
		for _, l := range strings.Split(showCreate(t), "\n") {
			rows = append(rows, []string{l})
		}
		return x.textResult(ctx, one("createtab_stmt"), rows)
	case c.accept("SHOW", "TBLPROPERTIES"):
		db, name, _, err := c.name()
		if err != nil {
			return nil, err
		}
		t, err := x.table(ctx, db, name)
		if err != nil {
			return nil, err
		}
		var rows [][]string
		for k, v := range t.Parameters {
			rows = append(rows, []string{k, v})
		}
		sort.Slice(rows, func(i, j int) bool { return rows[i][0] < rows[j][0] })
		return x.textResult(ctx, []colInfo{{Name: "prpt_name", Type: "varchar"}, {Name: "prpt_value", Type: "varchar"}}, rows)
	case c.accept("DESCRIBE"), c.accept("DESC"):
		c.accept("FORMATTED")
		c.accept("EXTENDED")
		db, name, _, err := c.name()
		if err != nil {
			return nil, err
		}
		t, err := x.table(ctx, db, name)
		if err != nil {
			return nil, err
		}
		line := func(n, typ, cm string) []string { return []string{fmt.Sprintf("%-20s\t%-20s\t%s", n, typ, cm)} }
		var rows [][]string
		for _, col := range append(append([]Column{}, t.Columns...), t.PartitionKeys...) {
			rows = append(rows, line(col.Name, col.Type, col.Comment))
		}
		if len(t.PartitionKeys) > 0 {
			rows = append(rows, []string{""}, []string{"# Partition Information"}, line("# col_name", "data_type", "comment"), []string{""})
			for _, col := range t.PartitionKeys {
				rows = append(rows, line(col.Name, col.Type, col.Comment))
			}
		}
		return x.textResult(ctx, one("col_name"), rows)
	case c.accept("EXECUTE"):
		return x.executePrepared(ctx, c)
	case c.accept("PREPARE"):
		name, err := c.ident()
		if err != nil {
			return nil, err
		}
		if err := c.expect("FROM"); err != nil {
			return nil, err
		}
		body := strings.TrimSpace(st.Text[c.peek().Pos:])
		_, err = x.s.putPrepared(ctx, x.region, &preparedStatementInput{StatementName: name, WorkGroup: x.r.WorkGroup, QueryStatement: body}, putUpsert)
		if err != nil {
			return nil, &queryError{Code: "INVALID_PARAMETER_USAGE", Pos: -1, Msg: err.Error()}
		}
		return x.textResult(ctx, nil, nil)
	case c.accept("DEALLOCATE", "PREPARE"):
		name, err := c.ident()
		if err != nil {
			return nil, err
		}
		if err := x.s.meta.Delete([]byte(psKey(x.region, x.r.WorkGroup, name))); err != nil {
			return nil, err
		}
		return x.textResult(ctx, nil, nil)
	}
	return nil, c.errAt("'TABLES', 'DATABASES', 'SCHEMAS', 'COLUMNS', 'PARTITIONS', 'CREATE TABLE', 'TBLPROPERTIES'")
}

// showPattern reads an optional [LIKE] 'pattern' (Hive: * and |).
func (c *cursor) showPattern() (*regexp.Regexp, error) {
	c.accept("LIKE")
	if c.done() {
		return nil, nil
	}
	p, err := c.str()
	if err != nil {
		return nil, err
	}
	return likePattern(p)
}

// executePrepared runs EXECUTE name [USING v1, v2, ...].
func (x *exec) executePrepared(ctx context.Context, c *cursor) (*outcome, error) {
	name := c.next()
	if name.Kind != engine.Ident && name.Kind != engine.QuotedIdent {
		return nil, c.errAt("<identifier>")
	}
	ps, err := x.s.preparedStatement(x.region, x.r.WorkGroup, name.Value())
	if err != nil {
		return nil, &queryError{Code: "NOT_FOUND", Pos: name.Pos, Msg: fmt.Sprintf("Prepared statement not found: %s", name.Value())}
	}
	var params []string
	if c.accept("USING") {
		rest := c.toks[c.i:]
		depth, start := 0, 0
		for j, t := range rest {
			switch t.Text {
			case "(", "[":
				depth++
			case ")", "]":
				depth--
			case ",":
				if depth == 0 {
					params = append(params, x.src[rest[start].Pos:t.Pos])
					start = j + 1
				}
			}
		}
		if start < len(rest) {
			params = append(params, x.src[rest[start].Pos:])
		}
	}
	for i := range params {
		params[i] = strings.TrimSpace(params[i])
	}
	q, err := bindParams(ps.QueryStatement, params)
	if err != nil {
		return nil, err
	}
	stmts, err := engine.Split(q)
	if err != nil || len(stmts) != 1 {
		return nil, &queryError{Code: "SYNTAX_ERROR", Pos: -1, Msg: "the prepared statement is not one statement"}
	}
	if engine.Classify(stmts[0]) == engine.Utility && (stmts[0].Tokens[0].Is("EXECUTE") || stmts[0].Tokens[0].Is("PREPARE")) {
		return nil, &queryError{Code: "NOT_SUPPORTED", Pos: -1, Msg: "a prepared statement cannot EXECUTE or PREPARE another"}
	}
	out, err := x.statement(ctx, stmts[0])
	if err != nil {
		// Positions in the prepared statement's text mean nothing in the
		// EXECUTE statement's.
		qe := engineError(stmts[0].Text, err)
		qe.Pos, qe.line, qe.col = -1, 0, 0
		return nil, qe
	}
	return out, nil
}

// showCreate renders a table's DDL as SHOW CREATE TABLE does.
func showCreate(t *TableDef) string {
	var b strings.Builder
	fmt.Fprintf(&b, "CREATE EXTERNAL TABLE `%s`.`%s`(\n", t.Database, t.Name)
	for i, c := range t.Columns {
		sep := ","
		if i == len(t.Columns)-1 {
			sep = ")"
		}
		fmt.Fprintf(&b, "  `%s` %s%s\n", c.Name, c.Type, sep)
	}
	if len(t.PartitionKeys) > 0 {
		b.WriteString("PARTITIONED BY ( \n")
		for i, c := range t.PartitionKeys {
			sep := ", "
			if i == len(t.PartitionKeys)-1 {
				sep = ")"
			}
			fmt.Fprintf(&b, "  `%s` %s%s\n", c.Name, c.Type, sep)
		}
	}
	m := tableMetadata(t)
	fmt.Fprintf(&b, "ROW FORMAT SERDE \n  '%s' \n", m.Parameters["serde.serialization.lib"])
	fmt.Fprintf(&b, "STORED AS INPUTFORMAT \n  '%s' \nOUTPUTFORMAT \n  '%s'\n", m.Parameters["inputformat"], m.Parameters["outputformat"])
	fmt.Fprintf(&b, "LOCATION\n  '%s'", t.Location)
	if len(t.Parameters) > 0 {
		keys := make([]string, 0, len(t.Parameters))
		for k := range t.Parameters {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		b.WriteString("\nTBLPROPERTIES (\n")
		for i, k := range keys {
			sep := ", "
			if i == len(keys)-1 {
				sep = ")"
			}
			fmt.Fprintf(&b, "  '%s'='%s'%s\n", k, t.Parameters[k], sep)
		}
	}
	return strings.TrimRight(b.String(), "\n")
}
