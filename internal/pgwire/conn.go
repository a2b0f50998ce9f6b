package pgwire

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgproto3"
)

// flushThreshold is how many encoded bytes a result may buffer before
// the server writes them out mid-result.
const flushThreshold = 32 << 10

// conn is one client connection past its startup packet. Everything but
// the running field is owned by the connection's goroutine.
type conn struct {
	s     *Server
	nc    net.Conn
	peek  *peekConn // nc as be reads it
	be    *pgproto3.Backend
	codec *codec
	ctx   context.Context // the session's context; cancelled by Server.Close
	stop  context.CancelFunc

	pid         uint32
	secret      [4]byte
	tlsEndPoint []byte // channel binding data, nil without TLS

	sess           Session
	stmts          map[string]*prepared
	portals        map[string]*portal
	ignoreTillSync bool
	pending        int // bytes sent since the last flush (estimate)

	// scratch for DataRow encoding
	rowVals []any
	rowBuf  []byte
	rowOut  [][]byte
	dataRow pgproto3.DataRow

	mu      sync.Mutex              // guards running
	running context.CancelCauseFunc // cancels the statement in progress, nil when idle
}

var _ Client = (*conn)(nil)

func newConn(s *Server, nc net.Conn) *conn {
	ctx, stop := context.WithCancel(s.base)
	peek := &peekConn{Conn: nc}
	be := pgproto3.NewBackend(peek, nc)
	be.SetMaxBodyLen(maxStartupPacket) // until authenticated
	return &conn{s: s, nc: nc, peek: peek, be: be, codec: newCodec(), ctx: ctx, stop: stop,
		stmts: map[string]*prepared{}, portals: map[string]*portal{}}
}

func (c *conn) flush() error {
	c.pending = 0
	return c.be.Flush()
}

// fatal sends a FATAL error and flushes; the caller then ends the connection.
func (c *conn) fatal(e *Error) {
	if c.s.base.Err() != nil {
		_ = c.nc.SetWriteDeadline(time.Now().Add(time.Second))
	}
	c.be.Send(e.response("FATAL"))
	_ = c.flush()
}

// serve finishes the startup (authentication, session, parameters) and
// runs the message loop until the client leaves or the server closes.
func (c *conn) serve(sm *pgproto3.StartupMessage) {
	defer c.stop()
	user := sm.Parameters["user"]
	db := sm.Parameters["database"]
	if db == "" {
		db = user
	}
	// 3.x with x > 0, or protocol options (_pq_.*): answer what we speak.
	var unknown []string
	for k := range sm.Parameters {
		if strings.HasPrefix(k, "_pq_.") {
			unknown = append(unknown, k)
		}
	}
	if sm.ProtocolVersion != pgproto3.ProtocolVersion30 || len(unknown) > 0 {
		c.be.Send(&pgproto3.NegotiateProtocolVersion{NewestMinorProtocol: 0, UnrecognizedOptions: unknown})
	}
	_, isTLS := c.nc.(*tls.Conn)
	if user == "" {
		c.fatal(&Error{Code: CodeInvalidAuthorization, Message: "no PostgreSQL user name specified in startup packet"})
		return
	}
	if c.s.opts.RequireTLS && !isTLS {
		c.fatal(&Error{Code: CodeInvalidAuthorization, Message: fmt.Sprintf(
			"no pg_hba.conf entry for host %q, user %q, database %q, no encryption", hostOf(c.nc.RemoteAddr()), user, db)})
		return
	}
	if err := c.s.register(c); err != nil {
		c.fatal(err.(*Error))
		return
	}
	defer c.s.unregister(c)
	if err := c.authenticate(c.ctx, user); err != nil {
		var pe *Error
		if errors.As(err, &pe) {
			c.fatal(pe)
		}
		c.s.log.Debug("pgwire: authentication failed", "user", user, "err", err)
		return
	}
	_ = c.nc.SetDeadline(time.Time{})
	if c.ctx.Err() != nil {
		// Close ran while we authenticated; its deadline may just have
		// been cleared above.
		c.fatal(toError(c.ctx, c.ctx.Err()))
		return
	}
	c.be.SetMaxBodyLen(c.s.opts.MaxMessageSize)
	c.be.Send(&pgproto3.AuthenticationOk{})
	params := map[string]string{
		"server_version":              c.s.opts.ServerVersion,
		"server_encoding":             "UTF8",
		"client_encoding":             "UTF8",
		"DateStyle":                   "ISO, MDY",
		"TimeZone":                    "UTC",
		"integer_datetimes":           "on",
		"standard_conforming_strings": "on",
		"IntervalStyle":               "postgres",
		"is_superuser":                "off",
		"session_authorization":       user,
		"application_name":            sm.Parameters["application_name"],
	}
	for k, v := range c.s.opts.Parameters {
		params[k] = v
	}
	for _, k := range sortedKeys(params) {
		c.be.Send(&pgproto3.ParameterStatus{Name: k, Value: params[k]})
	}
	sess, err := c.s.opts.Backend.Open(c.ctx, StartupInfo{
		User: user, Database: db, Params: sm.Parameters, ProcessID: c.pid,
		RemoteAddr: c.nc.RemoteAddr().String(), TLS: isTLS, Client: c,
	})
	if err != nil {
		e := toError(c.ctx, err)
		e.Severity = "FATAL"
		c.fatal(e)
		return
	}
	c.sess = sess
	defer c.closeAll()
	c.be.Send(&pgproto3.BackendKeyData{ProcessID: c.pid, SecretKey: c.secret[:]})
	c.be.Send(&pgproto3.ReadyForQuery{TxStatus: byte(sess.TxStatus())})
	if c.flush() != nil {
		return
	}
	c.s.log.Debug("pgwire: session started", "pid", c.pid, "user", user, "database", db)
	c.loop()
}

func hostOf(a net.Addr) string {
	if h, _, err := net.SplitHostPort(a.String()); err == nil {
		return h
	}
	return a.String()
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
