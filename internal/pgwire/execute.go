package pgwire

import (
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5/pgproto3"
)

// execute runs portal p for up to maxRows rows (0: all), sending
// DataRows and then CommandComplete, or PortalSuspended when the limit
// stopped it with the result still open. Errors come back mapped: a
// session's marked as such (see sessionErr), the server's own as *Error.
func (c *conn) execute(p *portal, maxRows int) error {
	if p.ps.desc.Empty {
		c.be.Send(&pgproto3.EmptyQueryResponse{})
		return nil
	}
	if p.done {
		tag := p.tag
		if len(p.ps.desc.Columns) > 0 {
			tag = withCount(tag, 0)
		}
		c.be.Send(&pgproto3.CommandComplete{CommandTag: []byte(tag)})
		return nil
	}
	c.setRunning(p.cancel)
	defer c.setRunning(nil)
	err := c.run(p, maxRows)
	if err != nil {
		p.failed = true
		c.finish(p)
		if isSessionError(err) {
			return err
		}
		return toError(p.ctx, err) // the server's own (encoding, I/O)
	}
	return nil
}

func (c *conn) run(p *portal, maxRows int) error {
	stop := c.watchClient(p.cancel)
	watching := true
	halt := func() {
		if watching {
			watching = false
			stop()
		}
	}
	defer halt()
	if p.res == nil {
		if err := p.ctx.Err(); err != nil {
			return err
		}
		res, err := p.ps.stmt.Execute(p.ctx, p.params)
		if err != nil {
			return fromSession(p.ctx, err)
		}
		p.res = res
		switch r := res.(type) {
		case CopyInResult:
			halt() // copyIn reads the connection itself
			return c.copyIn(p, r)
		case CopyOutResult:
			halt()
			return c.copyOut(p, r)
		}
	}
	sent := 0
	if cols := p.ps.desc.Columns; len(cols) > 0 {
		n, suspended, err := c.sendRows(p, maxRows)
		if err != nil || suspended {
			p.paged = p.paged || suspended
			return err
		}
		sent = n
	}
	c.complete(p, sent)
	return nil
}

// complete ends p with CommandComplete. As in PostgreSQL, the row count
// of a portal fetched over several Executes is that of the last one.
func (c *conn) complete(p *portal, sent int) {
	p.tag = p.res.Tag()
	p.done = true
	c.finish(p)
	tag := p.tag
	if p.paged {
		tag = withCount(tag, sent)
	}
	c.be.Send(&pgproto3.CommandComplete{CommandTag: []byte(tag)})
}

// withCount replaces the trailing row count of a command tag.
func withCount(tag string, n int) string {
	i := strings.LastIndexByte(tag, ' ')
	if i < 0 {
		return tag
	}
	if _, err := strconv.Atoi(tag[i+1:]); err != nil {
		return tag
	}
	return tag[:i+1] + strconv.Itoa(n)
}

// sendRows streams rows of p's result; suspended reports that maxRows
// were sent and the result may hold more.
func (c *conn) sendRows(p *portal, maxRows int) (sent int, suspended bool, err error) {
	cols := p.ps.desc.Columns
	if cap(c.rowVals) < len(cols) {
		c.rowVals = make([]any, len(cols))
		c.rowOut = make([][]byte, len(cols))
	}
	row, out := c.rowVals[:len(cols)], c.rowOut[:len(cols)]
	defer clear(row)
	n := 0
	for ; maxRows <= 0 || n < maxRows; n++ {
		clear(row)
		ok, err := p.res.Next(p.ctx, row)
		if err != nil {
			return n, false, fromSession(p.ctx, err)
		}
		if !ok {
			return n, false, nil
		}
		if err := c.sendRow(cols, p.formats, row, out); err != nil {
			return n, false, err
		}
		if c.pending > flushThreshold {
			if err := c.flush(); err != nil {
				return n, false, err
			}
		}
	}
	c.be.Send(&pgproto3.PortalSuspended{})
	return n, true, nil
}

func (c *conn) sendRow(cols []Column, formats []int16, row []any, out [][]byte) error {
	buf := c.rowBuf[:0]
	for i, col := range cols {
		var f int16
		if formats != nil {
			f = formats[i]
		}
		start := len(buf)
		nb, null, err := c.codec.appendValue(buf, col.TypeOID, f, row[i])
		if err != nil {
			if pe, ok := err.(*Error); ok {
				return pe
			}
			return Errorf(CodeInternalError, "encode column %q: %v", col.Name, err)
		}
		buf = nb
		if null {
			out[i] = nil
		} else {
			out[i] = buf[start:len(buf):len(buf)] // re-sliced below once buf stops growing
		}
	}
	// buf may have moved while growing: re-slice every value into it.
	off := 0
	for i := range out {
		if out[i] == nil {
			continue
		}
		n := len(out[i])
		out[i] = buf[off : off+n : off+n]
		off += n
	}
	c.rowBuf = buf
	c.pending += len(buf) + 4*len(cols) + 7
	c.dataRow.Values = out
	c.be.Send(&c.dataRow)
	return nil
}
