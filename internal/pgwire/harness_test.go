package pgwire

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

// The protocol test double: a backend whose sessions understand a tiny
// command language, one command per statement:
//
//	select N              one int4 column, one row
//	series N              columns (n int8, label text), rows 1..N
//	echo TYPE...          parameters $1.. of the named types, returned as one row
//	echo                  the same with the types the client gave in Parse
//	insert N              no rows, tag INSERT 0 N
//	begin|commit|rollback transaction state
//	error CODE MESSAGE    fails with *Error{Code, Message, Detail "detail", Hint "hint", Position 1}
//	fail MESSAGE          fails with a plain error (XX000)
//	sleep                 blocks until cancelled
//	notice MESSAGE        sends a notice
//	set NAME VALUE        reports a ParameterStatus
//	copyin                COPY FROM STDIN, counts lines
//	copyout N             COPY TO STDOUT, N lines
//	(blank or -- comment) empty
//
// Split cuts on ';' (no quoting: the language has no strings).
type testBackend struct {
	users map[string]string

	mu       sync.Mutex
	executed []string // statements run, in order
	copied   []string // lines received by copyin
	batches  []bool   // EndBatch calls: failed or not
	infos    []StartupInfo
	sleeping chan struct{} // gets a value when a sleep starts
	noSleep  bool          // sleep returns at once (fuzzing)
	woke     chan error    // gets the context's cause when a sleep ends
}

func newTestBackend() *testBackend {
	return &testBackend{users: map[string]string{"alice": "s3cret", "bob": "hunter2"}, sleeping: make(chan struct{}, 10), woke: make(chan error, 10)}
}

func (b *testBackend) Password(_ context.Context, user string) (string, bool) {
	s, ok := b.users[user]
	return s, ok
}

func (b *testBackend) Open(_ context.Context, info StartupInfo) (Session, error) {
	if info.Database == "nodb" {
		return nil, Errorf("3D000", "database %q does not exist", info.Database)
	}
	b.mu.Lock()
	b.infos = append(b.infos, info)
	b.mu.Unlock()
	return &testSession{b: b, client: info.Client, tx: TxIdle}, nil
}

func (b *testBackend) ran() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]string(nil), b.executed...)
}

type testSession struct {
	b      *testBackend
	client Client
	tx     TxStatus
}

var typeByName = map[string]uint32{"bool": OIDBool, "int2": OIDInt2, "int4": OIDInt4, "int8": OIDInt8,
	"float4": OIDFloat4, "float8": OIDFloat8, "numeric": OIDNumeric, "text": OIDText, "varchar": OIDVarchar,
	"date": OIDDate, "timestamp": OIDTimestamp, "timestamptz": OIDTimestamptz, "bytea": OIDBytea, "uuid": OIDUUID}

func (s *testSession) Split(_ context.Context, sql string) ([]string, error) {
	var out []string
	for _, part := range strings.Split(sql, ";") {
		if strings.TrimSpace(part) != "" {
			out = append(out, part)
		}
	}
	return out, nil
}

func (s *testSession) Prepare(_ context.Context, sql string, oids []uint32) (Statement, error) {
	if parts, _ := s.Split(context.Background(), sql); len(parts) > 1 {
		return nil, Errorf(CodeSyntaxError, "cannot insert multiple commands into a prepared statement")
	}
	f := strings.Fields(sql)
	if len(f) == 0 || strings.HasPrefix(f[0], "--") {
		return &testStmt{s: s, desc: Description{Empty: true}}, nil
	}
	st := &testStmt{s: s, sql: strings.TrimSpace(sql), verb: strings.ToLower(f[0]), args: f[1:]}
	num := func() (int, error) {
		if len(st.args) != 1 {
			return 0, Errorf(CodeSyntaxError, "%s takes one number", st.verb)
		}
		return strconv.Atoi(st.args[0])
	}
	var err error
	switch st.verb {
	case "select":
		st.n, err = num()
		st.desc.Columns = []Column{{Name: "?column?", TypeOID: OIDInt4}}
	case "series":
		st.n, err = num()
		st.desc.Columns = []Column{{Name: "n", TypeOID: OIDInt8}, {Name: "label", TypeOID: OIDText}}
	case "insert", "copyout":
		st.n, err = num()
	case "echo":
		types := oids
		if len(st.args) > 0 {
			types = nil
			for _, a := range st.args {
				oid, ok := typeByName[a]
				if !ok {
					return nil, Errorf("42704", "type %q does not exist", a)
				}
				types = append(types, oid)
			}
		}
		st.desc.ParamOIDs = types
		for i, oid := range types {
			st.desc.Columns = append(st.desc.Columns, Column{Name: fmt.Sprintf("p%d", i+1), TypeOID: oid})
		}
	case "begin", "commit", "rollback", "error", "fail", "sleep", "notice", "set", "copyin":
	default:
		return nil, &Error{Code: CodeSyntaxError, Message: fmt.Sprintf("syntax error at or near %q", f[0]), Position: 1}
	}
	if err != nil {
		return nil, Errorf(CodeSyntaxError, "bad number: %v", err)
	}
	return st, nil
}

func (s *testSession) TxStatus() TxStatus { return s.tx }
func (s *testSession) EndBatch(_ context.Context, failed bool) error {
	s.b.mu.Lock()
	s.b.batches = append(s.b.batches, failed)
	s.b.mu.Unlock()
	return nil
}
func (s *testSession) Close() error { return nil }
func (s *testSession) AbortTx() {
	if s.tx == TxInBlock {
		s.tx = TxFailed
	}
}

type testStmt struct {
	s    *testSession
	sql  string
	verb string
	args []string
	n    int
	desc Description
}

func (st *testStmt) Describe() Description { return st.desc }
func (st *testStmt) Close() error          { return nil }

func (st *testStmt) Execute(ctx context.Context, params []any) (Result, error) {
	s := st.s
	if s.tx == TxFailed && st.verb != "rollback" && st.verb != "commit" {
		return nil, Errorf(CodeInFailedTransaction, "current transaction is aborted, commands ignored until end of transaction block")
	}
	s.b.mu.Lock()
	s.b.executed = append(s.b.executed, st.sql)
	s.b.mu.Unlock()
	res, err := st.run(ctx, params)
	if err != nil && s.tx == TxInBlock {
		s.tx = TxFailed
	}
	return res, err
}

func (st *testStmt) run(ctx context.Context, params []any) (Result, error) {
	s := st.s
	rest := strings.Join(st.args, " ")
	switch st.verb {
	case "select":
		return &testRows{rows: [][]any{{int32(st.n)}}, tag: "SELECT 1"}, nil
	case "series":
		return &testRows{series: st.n, tag: fmt.Sprintf("SELECT %d", st.n)}, nil
	case "echo":
		return &testRows{rows: [][]any{params}, tag: "SELECT 1"}, nil
	case "insert":
		return &testRows{tag: fmt.Sprintf("INSERT 0 %d", st.n)}, nil
	case "begin":
		if s.tx == TxIdle {
			s.tx = TxInBlock
		}
		return &testRows{tag: "BEGIN"}, nil
	case "commit", "rollback":
		tag := strings.ToUpper(st.verb)
		if s.tx == TxFailed {
			tag = "ROLLBACK"
		}
		s.tx = TxIdle
		return &testRows{tag: tag}, nil
	case "error":
		code, msg, _ := strings.Cut(rest, " ")
		return nil, &Error{Code: code, Message: msg, Detail: "detail", Hint: "hint", Position: 1}
	case "fail":
		return nil, errors.New(rest)
	case "sleep":
		if s.b.noSleep {
			return &testRows{tag: "SLEEP"}, nil
		}
		s.b.sleeping <- struct{}{}
		<-ctx.Done()
		s.b.woke <- context.Cause(ctx)
		return nil, fmt.Errorf("interrupted: %w", ctx.Err())
	case "notice":
		s.client.Notice(&Error{Code: CodeWarning, Message: rest})
		return &testRows{tag: "DO"}, nil
	case "set":
		name, val, _ := strings.Cut(rest, " ")
		s.client.ParameterStatus(name, val)
		return &testRows{tag: "SET"}, nil
	case "copyin":
		return &testCopyIn{s: s}, nil
	case "copyout":
		return &testCopyOut{n: st.n}, nil
	}
	return nil, fmt.Errorf("unreachable %q", st.verb)
}

// testRows serves literal rows, or the generated series 1..series.
type testRows struct {
	rows   [][]any
	series int
	i      int
	tag    string
}

func (r *testRows) Next(_ context.Context, row []any) (bool, error) {
	if r.series > 0 {
		if r.i >= r.series {
			return false, nil
		}
		r.i++
		row[0], row[1] = int64(r.i), "row "+strconv.Itoa(r.i)
		return true, nil
	}
	if r.i >= len(r.rows) {
		return false, nil
	}
	copy(row, r.rows[r.i])
	r.i++
	return true, nil
}
func (r *testRows) Tag() string  { return r.tag }
func (r *testRows) Close() error { return nil }

type testCopyIn struct {
	testRows
	s *testSession
}

func (c *testCopyIn) CopyIn() CopyFormat { return CopyFormat{Columns: 1} }
func (c *testCopyIn) ReadCopy(_ context.Context, r io.Reader) error {
	sc := bufio.NewScanner(r)
	n := 0
	for sc.Scan() {
		c.s.b.mu.Lock()
		c.s.b.copied = append(c.s.b.copied, sc.Text())
		c.s.b.mu.Unlock()
		n++
	}
	if err := sc.Err(); err != nil {
		return err
	}
	c.tag = fmt.Sprintf("COPY %d", n)
	return nil
}

type testCopyOut struct {
	testRows
	n int
}

func (c *testCopyOut) CopyOut() CopyFormat { return CopyFormat{Columns: 2} }
func (c *testCopyOut) WriteCopy(_ context.Context, w io.Writer) error {
	for i := 1; i <= c.n; i++ {
		if _, err := fmt.Fprintf(w, "%d\trow %d\n", i, i); err != nil {
			return err
		}
	}
	c.tag = fmt.Sprintf("COPY %d", c.n)
	return nil
}

// startServer runs a server on 127.0.0.1:0 until the test ends.
func startServer(t testing.TB, b Backend, mod func(*Options)) (*Server, string) {
	t.Helper()
	return startServerTuned(t, b, mod, nil)
}

// startServerTuned is startServer with tune applied to the Server
// before it serves.
func startServerTuned(t testing.TB, b Backend, mod func(*Options), tune func(*Server)) (*Server, string) {
	t.Helper()
	opts := Options{Backend: b}
	if mod != nil {
		mod(&opts)
	}
	s, err := NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	if tune != nil {
		tune(s)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(context.Background(), ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = s.Shutdown(ctx)
		if err := <-done; !errors.Is(err, ErrServerClosed) {
			t.Errorf("Serve: %v", err)
		}
	})
	return s, ln.Addr().String()
}

func connString(addr, user, password, extra string) string {
	host, port, _ := net.SplitHostPort(addr)
	return fmt.Sprintf("host=%s port=%s user=%s password=%s dbname=dev sslmode=disable %s", host, port, user, password, extra)
}

func connect(t testing.TB, addr string, extra string) *pgconn.PgConn {
	t.Helper()
	c, err := pgconn.Connect(context.Background(), connString(addr, "alice", "s3cret", extra))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close(context.Background()) })
	return c
}
