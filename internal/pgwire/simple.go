package pgwire

import (
	"context"

	"github.com/jackc/pgx/v5/pgproto3"
)

// simpleQuery runs a Query message: each statement the session splits
// out is prepared, described (RowDescription, text format) and run to
// the end; the first error ends the query. It returns true to end the
// connection.
func (c *conn) simpleQuery(sql string) bool {
	// A Query destroys the unnamed statement and portal.
	c.closePortal("")
	c.closeStmt("")
	var stmts []string
	err := c.call(func(ctx context.Context) error {
		var err error
		stmts, err = c.sess.Split(ctx, sql)
		return err
	})
	if err == nil && len(stmts) == 0 {
		c.be.Send(&pgproto3.EmptyQueryResponse{})
	}
	for i := 0; err == nil && i < len(stmts); i++ {
		err = c.simpleStatement(stmts[i])
	}
	if err != nil && c.sendError(nil, err) {
		return true
	}
	return c.ready(err != nil)
}

func (c *conn) simpleStatement(sql string) error {
	ps, err := c.prepare(sql, nil)
	if err != nil {
		return err
	}
	defer ps.release(c)
	if ps.desc.Empty {
		c.be.Send(&pgproto3.EmptyQueryResponse{})
		return nil
	}
	p := c.newPortal(ps, nil, make([]int16, len(ps.desc.Columns)))
	defer func() {
		c.finish(p)
		p.cancel(nil)
		ps.release(c)
	}()
	if len(ps.desc.ParamOIDs) > 0 {
		return Errorf("42P02", "there is no parameter $1")
	}
	if len(ps.desc.Columns) > 0 {
		c.sendRowDescription(ps.desc.Columns, nil)
	}
	return c.execute(p, 0)
}
