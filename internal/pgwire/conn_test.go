package pgwire

import (
	"context"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

func TestCancelRequest(t *testing.T) {
	b := newTestBackend()
	_, addr := startServer(t, b, nil)
	c := connect(t, addr, "")
	// A cancel with the wrong key, or while idle, does nothing.
	if err := c.CancelRequest(t.Context()); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := c.Exec(context.Background(), "sleep").ReadAll()
		done <- err
	}()
	<-b.sleeping
	if err := c.CancelRequest(t.Context()); err != nil {
		t.Fatal(err)
	}
	err := <-done
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "57014" || pe.Message != "canceling statement due to user request" {
		t.Fatalf("err = %v", err)
	}
	// The connection is still good.
	if _, err := c.Exec(t.Context(), "select 1").ReadAll(); err != nil {
		t.Fatal(err)
	}
}

func TestCancelWrongKey(t *testing.T) {
	b := newTestBackend()
	_, addr := startServer(t, b, nil)
	c := connect(t, addr, "")
	done := make(chan error, 1)
	go func() {
		_, err := c.Exec(context.Background(), "sleep").ReadAll()
		done <- err
	}()
	<-b.sleeping
	// A forged key: the server must ignore it. Then the real one.
	sendCancel(t, addr, c.PID(), []byte{0, 0, 0, 0})
	sendCancel(t, addr, c.PID()+1, c.SecretKey())
	select {
	case err := <-done:
		t.Fatalf("statement ended by a forged cancel: %v", err)
	default:
	}
	sendCancel(t, addr, c.PID(), c.SecretKey())
	if err := <-done; err == nil || !strings.Contains(err.Error(), "57014") {
		t.Fatalf("err = %v", err)
	}
}

// sendCancel sends a CancelRequest and waits for the server to close the
// connection, which it does after handling it.
func sendCancel(t *testing.T, addr string, pid uint32, key []byte) {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	buf, _ := (&pgproto3.CancelRequest{ProcessID: pid, SecretKey: key}).Encode(nil)
	if _, err := nc.Write(buf); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(nc); err != nil {
		t.Fatal(err)
	}
}

func TestMaxConnections(t *testing.T) {
	_, addr := startServer(t, newTestBackend(), func(o *Options) { o.MaxConnections = 1 })
	c := connect(t, addr, "")
	_, err := pgconn.Connect(t.Context(), connString(addr, "alice", "s3cret", ""))
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "53300" || pe.Message != "sorry, too many clients already" {
		t.Fatalf("second connection: %v", err)
	}
	_ = c.Close(t.Context())
	// The slot frees once the first session is gone; a CancelRequest
	// connection never takes one. Connect until the server has noticed.
	for {
		c2, err := pgconn.Connect(t.Context(), connString(addr, "alice", "s3cret", ""))
		if err == nil {
			_ = c2.Close(t.Context())
			break
		}
		if !errors.As(err, &pe) || pe.Code != "53300" {
			t.Fatal(err)
		}
	}
}

func TestMaxMessageSize(t *testing.T) {
	_, addr := startServer(t, newTestBackend(), func(o *Options) { o.MaxMessageSize = 1024 })
	c := connect(t, addr, "")
	_, err := c.Exec(t.Context(), "select 1 -- "+strings.Repeat("x", 2048)).ReadAll()
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "08P01" || pe.Severity != "FATAL" {
		t.Fatalf("err = %v", err)
	}
}

func TestStartupTimeout(t *testing.T) {
	_, addr := startServer(t, newTestBackend(), func(o *Options) { o.StartupTimeout = 50 * time.Millisecond })
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	// Say nothing: the server hangs up.
	if _, err := io.ReadAll(nc); err != nil {
		t.Fatal(err)
	}
}

// rawStartup sends a startup packet with the given protocol code and
// parameters and returns the backend messages up to ReadyForQuery or an
// error, after answering a cleartext password request.
func rawStartup(t *testing.T, addr string, pre [][]byte, code uint32, params map[string]string) ([]string, []byte) {
	t.Helper()
	nc, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	_ = nc.SetDeadline(time.Now().Add(30 * time.Second))
	var answers []byte
	for _, p := range pre {
		if _, err := nc.Write(p); err != nil {
			t.Fatal(err)
		}
		var one [1]byte
		if _, err := io.ReadFull(nc, one[:]); err != nil {
			t.Fatal(err)
		}
		answers = append(answers, one[0])
	}
	var body []byte
	body = binary.BigEndian.AppendUint32(body, code)
	for k, v := range params {
		body = append(append(append(append(body, k...), 0), v...), 0)
	}
	body = append(body, 0)
	pkt := binary.BigEndian.AppendUint32(nil, uint32(len(body)+4))
	if _, err := nc.Write(append(pkt, body...)); err != nil {
		t.Fatal(err)
	}
	fe := pgproto3.NewFrontend(nc, nc)
	var out []string
	for {
		m, err := fe.Receive()
		if err != nil {
			return append(out, "receive: "+err.Error()), answers
		}
		switch m := m.(type) {
		case *pgproto3.AuthenticationCleartextPassword:
			fe.Send(&pgproto3.PasswordMessage{Password: "s3cret"})
			_ = fe.Flush()
			out = append(out, "AuthenticationCleartextPassword")
		case *pgproto3.AuthenticationOk:
			out = append(out, "AuthenticationOk")
		case *pgproto3.NegotiateProtocolVersion:
			out = append(out, "NegotiateProtocolVersion "+strings.Join(m.UnrecognizedOptions, ","))
		case *pgproto3.ParameterStatus, *pgproto3.BackendKeyData:
		case *pgproto3.ErrorResponse:
			return append(out, "ErrorResponse "+m.Severity+" "+m.Code+" "+m.Message), answers
		case *pgproto3.ReadyForQuery:
			return append(out, "ReadyForQuery"), answers
		default:
			out = append(out, renderBackend(m))
		}
	}
}

func TestStartupPackets(t *testing.T) {
	_, addr := startServer(t, newTestBackend(), func(o *Options) { o.Auth = AuthCleartext })
	ssl := binary.BigEndian.AppendUint32([]byte{0, 0, 0, 8}, codeSSLRequest)
	gss := binary.BigEndian.AppendUint32([]byte{0, 0, 0, 8}, codeGSSENCRequest)
	user := map[string]string{"user": "alice"}

	got, answers := rawStartup(t, addr, [][]byte{gss, ssl}, pgproto3.ProtocolVersion30, user)
	if string(answers) != "NN" || strings.Join(got, "|") != "AuthenticationCleartextPassword|AuthenticationOk|ReadyForQuery" {
		t.Errorf("3.0 with GSS and SSL requests: %q %q", answers, got)
	}
	// 3.2 and protocol options are negotiated down to 3.0.
	got, _ = rawStartup(t, addr, nil, pgproto3.ProtocolVersion32, map[string]string{"user": "alice", "_pq_.frob": "1"})
	if got[0] != "NegotiateProtocolVersion _pq_.frob" || got[len(got)-1] != "ReadyForQuery" {
		t.Errorf("3.2: %q", got)
	}
	got, _ = rawStartup(t, addr, nil, 2<<16, user)
	if want := "ErrorResponse FATAL 0A000 unsupported frontend protocol 2.0: server supports 3.0 to 3.0"; got[0] != want {
		t.Errorf("2.0: %q", got)
	}
	got, _ = rawStartup(t, addr, nil, pgproto3.ProtocolVersion30, map[string]string{"database": "x"})
	if want := "ErrorResponse FATAL 28000 no PostgreSQL user name specified in startup packet"; got[0] != want {
		t.Errorf("no user: %q", got)
	}
}

// TestMaxProtocolVersion32 connects with pgx asking for protocol 3.2.
func TestMaxProtocolVersion32(t *testing.T) {
	_, addr := startServer(t, newTestBackend(), nil)
	c := connect(t, addr, "max_protocol_version=3.2")
	if _, err := c.Exec(t.Context(), "select 1").ReadAll(); err != nil {
		t.Fatal(err)
	}
	if err := c.CancelRequest(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func TestCloseEndsSessions(t *testing.T) {
	b := newTestBackend()
	s, addr := startServer(t, b, nil)
	idle := connect(t, addr, "")
	busy := connect(t, addr, "")
	done := make(chan error, 1)
	go func() {
		_, err := busy.Exec(context.Background(), "sleep").ReadAll()
		done <- err
	}()
	<-b.sleeping
	ctx, cancel := context.WithCancel(t.Context())
	cancel() // do not wait for clients to leave: force at once
	if err := s.Shutdown(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("Shutdown = %v", err)
	}
	var pe *pgconn.PgError
	if err := <-done; !errors.As(err, &pe) || pe.Code != "57P01" {
		t.Errorf("busy session: %v", err)
	}
	if _, err := idle.Exec(t.Context(), "select 1").ReadAll(); err == nil {
		t.Error("idle session still works after Close")
	}
	if _, err := pgconn.Connect(t.Context(), connString(addr, "alice", "s3cret", "")); err == nil {
		t.Error("connected after Close")
	}
}

// TestClientHangUp: a client that closes its connection while a
// statement runs gets the statement cancelled.
func TestClientHangUp(t *testing.T) {
	b := newTestBackend()
	s, addr := startServerTuned(t, b, nil, func(s *Server) { s.watchDelay = 0 })
	fe, nc := frontendConn(t, addr)
	fe.Send(&pgproto3.Query{String: "sleep"})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	<-b.sleeping
	// A pipelined message while the statement runs is kept for later.
	fe.Send(&pgproto3.Query{String: "select 3"})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	b.mu.Lock()
	pid := b.infos[0].ProcessID
	b.mu.Unlock()
	s.mu.Lock()
	secret := s.conns[pid].secret
	s.mu.Unlock()
	s.cancel(pid, secret[:])
	if cause := <-b.woke; cause != errCanceled {
		t.Errorf("sleep woke with %v", cause)
	}
	var got []string
	for len(got) < 6 {
		m, err := fe.Receive()
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, renderBackend(m))
	}
	want := []string{"ErrorResponse ERROR 57014 canceling statement due to user request", "ReadyForQuery I",
		"RowDescription ?column?:int4:4:text", `DataRow "3"`, "CommandComplete SELECT 1", "ReadyForQuery I"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// Now hang up in the middle of a statement.
	fe.Send(&pgproto3.Query{String: "sleep"})
	if err := fe.Flush(); err != nil {
		t.Fatal(err)
	}
	<-b.sleeping
	_ = nc.Close()
	if cause := <-b.woke; cause != errClientGone {
		t.Errorf("sleep woke with %v", cause)
	}
}
