package pgwire

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5/pgproto3"
)

// prepared is a statement in the connection's map or held by portals;
// the Statement is closed when the last holder lets go.
type prepared struct {
	stmt Statement
	desc Description
	refs int
}

func (ps *prepared) release(c *conn) {
	ps.refs--
	if ps.refs == 0 {
		if err := ps.stmt.Close(); err != nil {
			c.s.log.Debug("pgwire: statement close", "pid", c.pid, "err", err)
		}
	}
}

// portal is a bound statement, run by one or more Execute messages.
type portal struct {
	ps      *prepared
	params  []any
	formats []int16 // one per column
	ctx     context.Context
	cancel  context.CancelCauseFunc
	res     Result // nil until the first Execute
	done    bool
	failed  bool
	paged   bool // an Execute stopped at its row limit
	tag     string
}

// sessionErr marks an error a session returned, already mapped to the
// client's *Error: the session knows about it, so Aborter is not called.
type sessionErr struct{ e *Error }

func (s *sessionErr) Error() string { return s.e.Error() }
func (s *sessionErr) Unwrap() error { return s.e }

func isSessionError(err error) bool {
	var se *sessionErr
	return errors.As(err, &se)
}

// fromSession maps a session error under the ctx it ran with.
func fromSession(ctx context.Context, err error) error {
	return &sessionErr{toError(ctx, err)}
}

// call runs f with a context a CancelRequest can cancel.
func (c *conn) call(f func(ctx context.Context) error) error {
	ctx, cancel := context.WithCancelCause(c.ctx)
	defer cancel(nil)
	c.setRunning(cancel)
	defer c.setRunning(nil)
	if err := f(ctx); err != nil {
		return fromSession(ctx, err)
	}
	return nil
}

func (c *conn) prepare(sql string, oids []uint32) (*prepared, error) {
	var ps *prepared
	err := c.call(func(ctx context.Context) error {
		st, err := c.sess.Prepare(ctx, sql, oids)
		if err != nil {
			return err
		}
		ps = &prepared{stmt: st, desc: st.Describe(), refs: 1}
		return nil
	})
	return ps, err
}

func (c *conn) parse(m *pgproto3.Parse) error {
	if m.Name != "" {
		if _, dup := c.stmts[m.Name]; dup {
			return Errorf(CodeDuplicatePreparedStatement, "prepared statement %q already exists", m.Name)
		}
	} else {
		c.closeStmt("")
	}
	ps, err := c.prepare(m.Query, append([]uint32(nil), m.ParameterOIDs...))
	if err != nil {
		return err
	}
	c.stmts[m.Name] = ps
	c.be.Send(&pgproto3.ParseComplete{})
	return nil
}

func (c *conn) bind(m *pgproto3.Bind) error {
	ps := c.stmts[m.PreparedStatement]
	if ps == nil {
		return Errorf(CodeInvalidSQLStatementName, "prepared statement %q does not exist", m.PreparedStatement)
	}
	if m.DestinationPortal != "" {
		if _, dup := c.portals[m.DestinationPortal]; dup {
			return Errorf(CodeDuplicateCursor, "portal %q already exists", m.DestinationPortal)
		}
	} else {
		c.closePortal("")
	}
	oids := ps.desc.ParamOIDs
	if len(m.Parameters) != len(oids) {
		return Errorf(CodeProtocolViolation, "bind message supplies %d parameters, but prepared statement %q requires %d",
			len(m.Parameters), m.PreparedStatement, len(oids))
	}
	pf := m.ParameterFormatCodes
	if len(pf) > 1 && len(pf) != len(m.Parameters) {
		return Errorf(CodeProtocolViolation, "bind message has %d parameter formats but %d parameters", len(pf), len(m.Parameters))
	}
	params := make([]any, len(m.Parameters))
	for i, raw := range m.Parameters {
		f := formatAt(pf, i)
		if f != 0 && f != 1 {
			return Errorf(CodeInvalidParameterValue, "unsupported format code: %d", f)
		}
		v, err := c.codec.decodeParam(i+1, oids[i], f, raw)
		if err != nil {
			return err
		}
		params[i] = v
	}
	formats, err := resultFormats(m.ResultFormatCodes, len(ps.desc.Columns))
	if err != nil {
		return err
	}
	c.portals[m.DestinationPortal] = c.newPortal(ps, params, formats)
	c.be.Send(&pgproto3.BindComplete{})
	return nil
}

func (c *conn) newPortal(ps *prepared, params []any, formats []int16) *portal {
	ps.refs++
	ctx, cancel := context.WithCancelCause(c.ctx)
	return &portal{ps: ps, params: params, formats: formats, ctx: ctx, cancel: cancel}
}

func formatAt(codes []int16, i int) int16 {
	switch len(codes) {
	case 0:
		return 0
	case 1:
		return codes[0]
	}
	return codes[i]
}

// resultFormats expands Bind's result format codes to one per column.
func resultFormats(codes []int16, ncols int) ([]int16, error) {
	if len(codes) > 1 && len(codes) != ncols {
		return nil, Errorf(CodeProtocolViolation, "bind message has %d result formats but query has %d columns", len(codes), ncols)
	}
	out := make([]int16, ncols)
	for i := range out {
		f := formatAt(codes, i)
		if f != 0 && f != 1 {
			return nil, Errorf(CodeInvalidParameterValue, "unsupported format code: %d", f)
		}
		out[i] = f
	}
	return out, nil
}

func (c *conn) describe(m *pgproto3.Describe) error {
	switch m.ObjectType {
	case 'S':
		ps := c.stmts[m.Name]
		if ps == nil {
			return Errorf(CodeInvalidSQLStatementName, "prepared statement %q does not exist", m.Name)
		}
		c.be.Send(&pgproto3.ParameterDescription{ParameterOIDs: ps.desc.ParamOIDs})
		c.sendRowDescription(ps.desc.Columns, nil)
	case 'P':
		p := c.portals[m.Name]
		if p == nil {
			return Errorf(CodeInvalidCursorName, "portal %q does not exist", m.Name)
		}
		c.sendRowDescription(p.ps.desc.Columns, p.formats)
	default:
		return Errorf(CodeProtocolViolation, "invalid DESCRIBE message subtype %d", m.ObjectType)
	}
	return nil
}

// sendRowDescription sends RowDescription, or NoData for no columns.
func (c *conn) sendRowDescription(cols []Column, formats []int16) {
	if len(cols) == 0 {
		c.be.Send(&pgproto3.NoData{})
		return
	}
	fields := make([]pgproto3.FieldDescription, len(cols))
	for i, col := range cols {
		size := col.TypeSize
		if size == 0 {
			size = typeSize(col.TypeOID)
		}
		mod := col.TypeModifier
		if mod == 0 {
			mod = -1
		}
		var f int16
		if formats != nil {
			f = formats[i]
		}
		fields[i] = pgproto3.FieldDescription{Name: []byte(col.Name), TableOID: col.TableOID,
			TableAttributeNumber: uint16(col.ColumnAttr), DataTypeOID: col.TypeOID, DataTypeSize: size,
			TypeModifier: mod, Format: f}
	}
	c.be.Send(&pgproto3.RowDescription{Fields: fields})
}

func (c *conn) executeMsg(m *pgproto3.Execute) error {
	p := c.portals[m.Portal]
	if p == nil {
		return Errorf(CodeInvalidCursorName, "portal %q does not exist", m.Portal)
	}
	if p.failed {
		return Errorf("55000", "portal %q cannot be run", m.Portal)
	}
	return c.execute(p, int(m.MaxRows))
}

func (c *conn) closeMsg(m *pgproto3.Close) error {
	switch m.ObjectType {
	case 'S':
		c.closeStmt(m.Name)
	case 'P':
		c.closePortal(m.Name)
	default:
		return Errorf(CodeProtocolViolation, "invalid CLOSE message subtype %d", m.ObjectType)
	}
	c.be.Send(&pgproto3.CloseComplete{})
	return nil
}

func (c *conn) closeStmt(name string) {
	if ps := c.stmts[name]; ps != nil {
		delete(c.stmts, name)
		ps.release(c)
	}
}

func (c *conn) closePortal(name string) {
	p := c.portals[name]
	if p == nil {
		return
	}
	delete(c.portals, name)
	c.finish(p)
	p.cancel(nil)
	p.ps.release(c)
}

// finish closes p's result, if open.
func (c *conn) finish(p *portal) {
	if p.res != nil {
		if err := p.res.Close(); err != nil {
			c.s.log.Debug("pgwire: result close", "pid", c.pid, "err", err)
		}
		p.res = nil
	}
}
