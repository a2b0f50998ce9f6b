package pgwire

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5/pgproto3"
)

// loop reads and answers messages until the connection ends.
func (c *conn) loop() {
	for {
		msg, err := c.be.Receive()
		if err != nil {
			c.readFailed(err)
			return
		}
		if c.ignoreTillSync {
			switch msg.(type) {
			case *pgproto3.Sync, *pgproto3.Terminate:
			default:
				continue
			}
		}
		var quit bool
		switch m := msg.(type) {
		case *pgproto3.Query:
			quit = c.simpleQuery(m.String)
		case *pgproto3.Parse:
			quit = c.extended(c.parse(m))
		case *pgproto3.Bind:
			quit = c.extended(c.bind(m))
		case *pgproto3.Describe:
			quit = c.extended(c.describe(m))
		case *pgproto3.Execute:
			quit = c.extended(c.executeMsg(m))
		case *pgproto3.Close:
			quit = c.extended(c.closeMsg(m))
		case *pgproto3.Sync:
			failed := c.ignoreTillSync
			c.ignoreTillSync = false
			quit = c.ready(failed)
		case *pgproto3.Flush:
			quit = c.flush() != nil
		case *pgproto3.Terminate:
			return
		case *pgproto3.CopyData, *pgproto3.CopyDone, *pgproto3.CopyFail:
			// Left over from a COPY that failed: ignored, as PostgreSQL does.
		case *pgproto3.FunctionCall:
			c.sendError(nil, Errorf(CodeFeatureNotSupported, "fastpath function calls are not supported"))
			quit = c.ready(true)
		default:
			c.fatal(protocolFatal("invalid frontend message type %T", msg))
			return
		}
		if quit || c.ctx.Err() != nil {
			if c.ctx.Err() != nil {
				c.fatal(toError(c.ctx, c.ctx.Err()))
			}
			return
		}
	}
}

// readFailed ends the connection after a failed Receive.
func (c *conn) readFailed(err error) {
	var big *pgproto3.ExceededMaxBodyLenErr
	switch {
	case c.s.base.Err() != nil:
		c.fatal(toError(c.s.base, err))
	case errors.As(err, &big):
		c.fatal(protocolFatal("invalid message length %d: the maximum is %d", big.ActualBodyLen, big.MaxExpectedBodyLen))
	case isNetErr(err):
		c.s.log.Debug("pgwire: connection ended", "pid", c.pid, "err", err)
	default:
		c.fatal(protocolFatal("invalid frontend message: %v", err))
	}
}

// extended reports an error of an extended-protocol message: it is sent,
// and messages are skipped until Sync. It returns true to end the
// connection (a FATAL error or a dead socket).
func (c *conn) extended(err error) bool {
	if err == nil {
		return c.pending > flushThreshold && c.flush() != nil
	}
	c.ignoreTillSync = true
	return c.sendError(nil, err)
}

// sendError sends err (converted by toError under ctx) and flushes.
// It returns true when the connection must end.
func (c *conn) sendError(ctx context.Context, err error) bool {
	e := toError(ctx, err)
	if e.fatal() {
		c.fatal(e)
		return true
	}
	if c.sess != nil && c.sess.TxStatus() != TxIdle {
		if a, ok := c.sess.(Aborter); ok && !isSessionError(err) {
			a.AbortTx()
		}
	}
	c.be.Send(e.response("ERROR"))
	return c.flush() != nil
}

// ready ends a Sync or Query: the session hears of it (Batcher),
// portals die with an implicit transaction, then ReadyForQuery goes out.
func (c *conn) ready(failed bool) bool {
	if b, ok := c.sess.(Batcher); ok {
		if err := c.call(func(ctx context.Context) error { return b.EndBatch(ctx, failed) }); err != nil {
			if c.sendError(nil, err) {
				return true
			}
		}
	}
	status := c.sess.TxStatus()
	if status == TxIdle {
		for name := range c.portals {
			c.closePortal(name)
		}
	}
	c.be.Send(&pgproto3.ReadyForQuery{TxStatus: byte(status)})
	return c.flush() != nil
}

// closeAll releases every portal, statement and the session.
func (c *conn) closeAll() {
	for name := range c.portals {
		c.closePortal(name)
	}
	for name := range c.stmts {
		c.closeStmt(name)
	}
	if err := c.sess.Close(); err != nil {
		c.s.log.Warn("pgwire: session close", "pid", c.pid, "err", err)
	}
}

// setRunning publishes the cancel func of the statement in progress.
func (c *conn) setRunning(cancel context.CancelCauseFunc) {
	c.mu.Lock()
	c.running = cancel
	c.mu.Unlock()
}

func (c *conn) cancelRunning() {
	c.mu.Lock()
	cancel := c.running
	c.mu.Unlock()
	if cancel != nil {
		cancel(errCanceled)
	}
}

// Notice implements Client. Notices go out at once, as in PostgreSQL,
// so a long statement's progress reaches the client.
func (c *conn) Notice(e *Error) {
	c.be.Send((*pgproto3.NoticeResponse)(e.response("NOTICE")))
	_ = c.flush()
}

// ParameterStatus implements Client.
func (c *conn) ParameterStatus(name, value string) {
	c.be.Send(&pgproto3.ParameterStatus{Name: name, Value: value})
}
