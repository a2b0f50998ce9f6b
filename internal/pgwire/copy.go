package pgwire

import (
	"io"

	"github.com/jackc/pgx/v5/pgproto3"
)

// COPY sub-protocol. The session's Result announces a COPY by
// implementing CopyInResult or CopyOutResult; the server runs the
// exchange synchronously on the connection goroutine.

func copyColumnFormats(f CopyFormat) (uint16, []uint16) {
	var overall uint16
	if f.Binary {
		overall = 1
	}
	cols := make([]uint16, f.Columns)
	for i := range cols {
		cols[i] = overall
	}
	return overall, cols
}

func (c *conn) copyIn(p *portal, r CopyInResult) error {
	overall, cols := copyColumnFormats(r.CopyIn())
	c.be.Send(&pgproto3.CopyInResponse{OverallFormat: byte(overall), ColumnFormatCodes: cols})
	if err := c.flush(); err != nil {
		return err
	}
	cr := &copyReader{c: c}
	err := r.ReadCopy(p.ctx, cr)
	if err == nil && !cr.done {
		// The session stopped early: PostgreSQL reads to CopyDone anyway.
		_, err = io.Copy(io.Discard, cr)
	}
	if err != nil {
		if cr.netErr != nil {
			return cr.netErr
		}
		return fromSession(p.ctx, err)
	}
	c.complete(p, 0)
	return nil
}

// copyReader reads the CopyData of a COPY FROM STDIN from the client.
type copyReader struct {
	c      *conn
	buf    []byte
	done   bool
	netErr error
}

func (r *copyReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.done {
			return 0, io.EOF
		}
		msg, err := r.c.be.Receive()
		if err != nil {
			r.netErr = err
			return 0, Errorf(CodeConnectionFailure, "unexpected EOF on client connection with an open transaction")
		}
		switch m := msg.(type) {
		case *pgproto3.CopyData:
			r.buf = append(r.buf[:0], m.Data...)
		case *pgproto3.CopyDone:
			r.done = true
		case *pgproto3.CopyFail:
			r.done = true
			return 0, Errorf(CodeQueryCanceled, "COPY from stdin failed: %s", m.Message)
		case *pgproto3.Flush, *pgproto3.Sync:
			// allowed during COPY and ignored
		default:
			r.done = true
			return 0, Errorf(CodeProtocolViolation, "unexpected message type 0x%02X during COPY from stdin", msgType(msg))
		}
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

func msgType(m pgproto3.FrontendMessage) byte {
	b, err := m.Encode(nil)
	if err != nil || len(b) == 0 {
		return 0
	}
	return b[0]
}

func (c *conn) copyOut(p *portal, r CopyOutResult) error {
	overall, cols := copyColumnFormats(r.CopyOut())
	c.be.Send(&pgproto3.CopyOutResponse{OverallFormat: byte(overall), ColumnFormatCodes: cols})
	if err := r.WriteCopy(p.ctx, &copyWriter{c: c}); err != nil {
		return fromSession(p.ctx, err)
	}
	c.be.Send(&pgproto3.CopyDone{})
	c.complete(p, 0)
	return nil
}

// copyWriter sends each Write as one CopyData message.
type copyWriter struct{ c *conn }

func (w *copyWriter) Write(p []byte) (int, error) {
	w.c.be.Send(&pgproto3.CopyData{Data: p})
	w.c.pending += len(p) + 5
	if w.c.pending > flushThreshold {
		if err := w.c.flush(); err != nil {
			return 0, err
		}
	}
	return len(p), nil
}
