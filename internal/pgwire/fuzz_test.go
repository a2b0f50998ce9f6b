package pgwire

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5/pgproto3"
)

// FuzzServer plays a client sending arbitrary bytes over an in-memory
// pipe. The first byte picks the stage: odd inputs start after a valid
// startup and cleartext password (fuzzing the message loop), even ones
// start at the startup packet. The server must neither panic nor hang.
func FuzzServer(f *testing.F) {
	enc := func(msgs ...pgproto3.FrontendMessage) []byte {
		var b []byte
		for _, m := range msgs {
			b, _ = m.Encode(b)
		}
		return b
	}
	f.Add(append([]byte{1}, enc(&pgproto3.Query{String: "select 1; series 3; bogus"}, &pgproto3.Terminate{})...))
	f.Add(append([]byte{1}, enc(
		&pgproto3.Parse{Name: "s", Query: "echo int4 text date bytea numeric"},
		&pgproto3.Describe{ObjectType: 'S', Name: "s"},
		&pgproto3.Bind{PreparedStatement: "s", ParameterFormatCodes: []int16{1, 0, 0, 0, 0},
			Parameters: [][]byte{{0, 0, 0, 1}, []byte("x"), []byte("2024-01-01"), []byte(`\x00`), []byte("1.5")}, ResultFormatCodes: []int16{1}},
		&pgproto3.Execute{MaxRows: 1},
		&pgproto3.Sync{},
		&pgproto3.Query{String: "copyin"},
		&pgproto3.CopyData{Data: []byte("a\n")},
		&pgproto3.CopyDone{},
	)...))
	ssl := binary.BigEndian.AppendUint32([]byte{0, 0, 0, 8}, codeSSLRequest)
	f.Add(append([]byte{0}, ssl...))
	sm, _ := (&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30, Parameters: map[string]string{"user": "alice"}}).Encode(nil)
	f.Add(append([]byte{0}, append(sm, enc(&pgproto3.PasswordMessage{Password: "nope"})...)...))
	cancel, _ := (&pgproto3.CancelRequest{ProcessID: 1000, SecretKey: []byte{1, 2, 3, 4}}).Encode(nil)
	f.Add(append([]byte{0}, cancel...))

	b := newTestBackend()
	b.noSleep = true
	s, err := NewServer(Options{Backend: b, Auth: AuthCleartext, StartupTimeout: 5 * time.Second, MaxMessageSize: 1 << 16})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) == 0 {
			return
		}
		input := data[1:]
		if data[0]%2 == 1 {
			prefix, _ := (&pgproto3.StartupMessage{ProtocolVersion: pgproto3.ProtocolVersion30,
				Parameters: map[string]string{"user": "alice", "database": "dev"}}).Encode(nil)
			prefix, _ = (&pgproto3.PasswordMessage{Password: "s3cret"}).Encode(prefix)
			input = append(prefix, input...)
		}
		client, server := net.Pipe()
		_ = server.SetDeadline(time.Now().Add(5 * time.Second))
		_ = client.SetDeadline(time.Now().Add(5 * time.Second))
		done := make(chan struct{})
		go func() {
			s.ServeConn(server)
			close(done)
		}()
		go func() { _, _ = io.Copy(io.Discard, client) }()
		_, _ = client.Write(input)
		_ = client.Close()
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			t.Fatalf("server did not end the connection for input %q", data)
		}
	})
}

// FuzzParseText feeds arbitrary text to the parameter parser of every
// core type: no panic, and what parses prints back to text that parses
// to the same value.
func FuzzParseText(f *testing.F) {
	for _, s := range []string{"1", " -42 ", "t", "1e308", "NaN", "2024-01-02", "2024-01-02 03:04:05.123+05:30", `\x0a`, `a\\b\001`, "12.5e-3"} {
		f.Add(s)
	}
	oids := []uint32{OIDBool, OIDInt2, OIDInt4, OIDInt8, OIDOID, OIDFloat4, OIDFloat8, OIDNumeric, OIDDate, OIDTimestamp, OIDTimestamptz, OIDBytea, OIDText}
	c := newCodec()
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return // decodeParam refuses it before parsing
		}
		for _, oid := range oids {
			v, err := parseText(oid, s)
			if err != nil {
				if _, ok := err.(*Error); !ok {
					t.Fatalf("%d %q: error %T is not *Error", oid, s, err)
				}
				continue
			}
			txt, _, err := c.appendValue(nil, oid, 0, v)
			if err != nil {
				t.Fatalf("%d %q: encode %#v: %v", oid, s, v, err)
			}
			v2, err := parseText(oid, string(txt))
			if err != nil {
				t.Fatalf("%d %q: printed %q does not parse: %v", oid, s, txt, err)
			}
			if a, b := fmtValue(v), fmtValue(v2); a != b && oid != OIDFloat4 && oid != OIDFloat8 && oid != OIDNumeric {
				t.Fatalf("%d %q: %s then %s", oid, s, a, b)
			}
			bin, _, err := c.appendValue(nil, oid, 1, v)
			if err != nil {
				t.Fatalf("%d %q: binary encode %#v: %v", oid, s, v, err)
			}
			if _, err := c.decodeParam(1, oid, 1, bin); err != nil {
				t.Fatalf("%d %q: binary %x does not decode: %v", oid, s, bin, err)
			}
		}
	})
}

func fmtValue(v any) string {
	if tm, ok := v.(time.Time); ok {
		return tm.UTC().Format(time.RFC3339Nano)
	}
	return fmt.Sprintf("%#v", v)
}
