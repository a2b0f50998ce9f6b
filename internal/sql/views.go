package sql

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
)

// viewSchemaParam is the table parameter holding the schema a view's
// unqualified names resolve in: the creating session's, as Trino does.
const viewSchemaParam = "tarn_view_schema"

// maxViewDepth bounds views over views (and catches a view that names
// itself).
const maxViewDepth = 16

// createView runs CREATE [OR REPLACE] VIEW [db.]v AS query: the query is
// checked (translated and planned) and stored with its columns.
func (x *exec) createView(ctx context.Context, c *cursor, st engine.Statement, replace bool) (*outcome, error) {
	db, name, pos, err := c.name()
	if err != nil {
		return nil, err
	}
	db = x.dbOr(db)
	if err := c.expect("AS"); err != nil {
		return nil, err
	}
	qstart := c.peek().Pos
	body := strings.TrimSpace(st.Text[qstart:])
	duck, err := translate(body, x.resolver(ctx))
	if err != nil {
		return nil, shiftError(err, qstart)
	}
	cols, err := x.probe(ctx, duck)
	if err != nil {
		return nil, err
	}
	t := TableDef{Database: db, Name: name, ViewSQL: body, CreateTime: x.s.now().Unix(),
		Parameters: map[string]string{"presto_view": "true", "comment": "Presto View", viewSchemaParam: x.db}}
	for _, col := range cols {
		t.Columns = append(t.Columns, Column{Name: col.Name, Type: hiveType(col.Duck)})
	}
	old, err := x.s.catalog.Table(ctx, x.region, db, name)
	switch {
	case err == nil && (!replace || old.ViewSQL == ""):
		return nil, &queryError{Code: "TABLE_ALREADY_EXISTS", Pos: pos, Msg: fmt.Sprintf("View 'awsdatacatalog.%s.%s' already exists", db, name)}
	case err == nil:
		if err := x.s.catalog.DropTable(ctx, x.region, db, name); err != nil {
			return nil, err
		}
	case errors.Is(err, ErrDatabaseNotFound):
		return nil, &queryError{Code: "SCHEMA_NOT_FOUND", Pos: pos, Msg: fmt.Sprintf("Schema '%s' does not exist", db)}
	case !errors.Is(err, ErrTableNotFound):
		return nil, err
	}
	if err := x.s.catalog.CreateTable(ctx, x.region, t); err != nil {
		return nil, err
	}
	return x.textResult(ctx, nil, nil)
}

// dropView runs DROP VIEW [IF EXISTS] [db.]v.
func (x *exec) dropView(ctx context.Context, c *cursor) (*outcome, error) {
	ifExists := c.accept("IF", "EXISTS")
	db, name, pos, err := c.name()
	if err != nil {
		return nil, err
	}
	db = x.dbOr(db)
	t, err := x.s.catalog.Table(ctx, x.region, db, name)
	if err != nil || t.ViewSQL == "" {
		if ifExists && err != nil {
			return x.textResult(ctx, nil, nil)
		}
		return nil, &queryError{Code: "TABLE_NOT_FOUND", Pos: pos, Msg: fmt.Sprintf("View 'awsdatacatalog.%s.%s' does not exist", db, name)}
	}
	if err := x.s.catalog.DropTable(ctx, x.region, db, name); err != nil {
		return nil, err
	}
	return x.textResult(ctx, nil, nil)
}

// viewRelation translates a view's query (names in it resolve in the
// view's database) into a relation.
func (x *exec) viewRelation(ctx context.Context, t *TableDef, ref tableRef) (string, error) {
	if x.depth >= maxViewDepth {
		return "", &queryError{Code: "VIEW_IS_RECURSIVE", Pos: ref.Pos, Msg: fmt.Sprintf("View is recursive: awsdatacatalog.%s.%s", t.Database, t.Name)}
	}
	inner := *x
	inner.db = t.Database
	if s := t.Parameters[viewSchemaParam]; s != "" {
		inner.db = s
	}
	inner.depth = x.depth + 1
	duck, err := translate(t.ViewSQL, inner.resolver(ctx))
	if err != nil {
		var qe *queryError
		if errors.As(err, &qe) {
			return "", &queryError{Code: "VIEW_IS_STALE", Pos: ref.Pos, Msg: fmt.Sprintf("View 'awsdatacatalog.%s.%s' is stale or in invalid state: %s", t.Database, t.Name, qe.Msg)}
		}
		return "", err
	}
	return "(" + duck + ")", nil
}
