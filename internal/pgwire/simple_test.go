package pgwire

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
)

func TestSimpleQueryMultiStatement(t *testing.T) {
	b := newTestBackend()
	_, addr := startServer(t, b, nil)
	c := connect(t, addr, "")
	res, err := c.Exec(t.Context(), "select 7; series 3; insert 2; -- just a comment").ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var tags []string
	for _, r := range res {
		if r.Err != nil {
			t.Fatal(r.Err)
		}
		tags = append(tags, r.CommandTag.String())
	}
	if want := []string{"SELECT 1", "SELECT 3", "INSERT 0 2", ""}; !slices.Equal(tags, want) {
		t.Errorf("tags = %q, want %q", tags, want)
	}
	if got := string(res[0].Rows[0][0]); got != "7" {
		t.Errorf("select 7 = %q", got)
	}
	if f := res[1].FieldDescriptions; len(f) != 2 || f[0].Name != "n" || f[0].DataTypeOID != OIDInt8 || f[0].DataTypeSize != 8 || f[1].DataTypeSize != -1 || f[1].TypeModifier != -1 {
		t.Errorf("fields = %+v", f)
	}
	var rows []string
	for _, r := range res[1].Rows {
		rows = append(rows, string(r[0])+"|"+string(r[1]))
	}
	if want := []string{"1|row 1", "2|row 2", "3|row 3"}; !slices.Equal(rows, want) {
		t.Errorf("rows = %q", rows)
	}
	if c.TxStatus() != 'I' {
		t.Errorf("tx status %c", c.TxStatus())
	}
}

func TestSimpleQueryErrorStopsTheRest(t *testing.T) {
	b := newTestBackend()
	_, addr := startServer(t, b, nil)
	c := connect(t, addr, "")
	_, err := c.Exec(t.Context(), "insert 1; error 22012 division by zero; insert 2").ReadAll()
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want *PgError", err)
	}
	if pe.Code != "22012" || pe.Message != "division by zero" || pe.Detail != "detail" || pe.Hint != "hint" || pe.Position != 1 || pe.Severity != "ERROR" {
		t.Errorf("PgError = %+v", pe)
	}
	if got, want := b.ran(), []string{"insert 1", "error 22012 division by zero"}; !slices.Equal(got, want) {
		t.Errorf("ran %q, want %q", got, want)
	}
	// The connection goes on.
	if _, err := c.Exec(t.Context(), "select 1").ReadAll(); err != nil {
		t.Fatal(err)
	}
}

func TestSimpleQueryErrors(t *testing.T) {
	b := newTestBackend()
	_, addr := startServer(t, b, nil)
	c := connect(t, addr, "")
	for _, tc := range []struct{ sql, code, msg string }{
		{"fail disk on fire", "XX000", "disk on fire"},
		{"bogus", "42601", `syntax error at or near "bogus"`},
		{"echo int4", "42P02", "there is no parameter $1"},
	} {
		_, err := c.Exec(t.Context(), tc.sql).ReadAll()
		var pe *pgconn.PgError
		if !errors.As(err, &pe) || pe.Code != tc.code || pe.Message != tc.msg {
			t.Errorf("%s: err = %v, want %s %s", tc.sql, err, tc.code, tc.msg)
		}
	}
}

func TestEmptyQuery(t *testing.T) {
	_, addr := startServer(t, newTestBackend(), nil)
	c := connect(t, addr, "")
	for _, sql := range []string{"", " ; ", "-- nothing"} {
		res, err := c.Exec(t.Context(), sql).ReadAll()
		if err != nil || len(res) != 1 || res[0].CommandTag.String() != "" || res[0].FieldDescriptions != nil {
			t.Errorf("%q: res=%+v err=%v", sql, res, err)
		}
	}
}

func TestTransactionStatusAndNotices(t *testing.T) {
	b := newTestBackend()
	_, addr := startServer(t, b, nil)
	var notices []string
	conf, err := pgconn.ParseConfig(connString(addr, "alice", "s3cret", ""))
	if err != nil {
		t.Fatal(err)
	}
	conf.OnNotice = func(_ *pgconn.PgConn, n *pgconn.Notice) {
		notices = append(notices, n.Severity+" "+n.Code+" "+n.Message)
	}
	c, err := pgconn.ConnectConfig(t.Context(), conf)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close(t.Context())
	step := func(sql string, wantTx byte, wantErr string) {
		t.Helper()
		_, err := c.Exec(t.Context(), sql).ReadAll()
		var pe *pgconn.PgError
		switch {
		case wantErr == "" && err != nil:
			t.Errorf("%s: %v", sql, err)
		case wantErr != "" && (!errors.As(err, &pe) || pe.Code != wantErr):
			t.Errorf("%s: err %v, want %s", sql, err, wantErr)
		}
		if got := c.TxStatus(); got != wantTx {
			t.Errorf("%s: tx status %c, want %c", sql, got, wantTx)
		}
	}
	step("begin", 'T', "")
	step("insert 1", 'T', "")
	step("error 23505 duplicate", 'E', "23505")
	step("insert 1", 'E', "25P02")
	step("rollback", 'I', "")
	step("notice look out; set TimeZone Europe/Paris", 'I', "")
	if want := []string{"NOTICE 01000 look out"}; !slices.Equal(notices, want) {
		t.Errorf("notices = %q", notices)
	}
	if got := c.ParameterStatus("TimeZone"); got != "Europe/Paris" {
		t.Errorf("TimeZone = %q", got)
	}
}

func TestStartupParameters(t *testing.T) {
	b := newTestBackend()
	_, addr := startServer(t, b, nil)
	c := connect(t, addr, "application_name=bi-tool")
	for k, want := range map[string]string{
		"server_version": DefaultServerVersion, "server_encoding": "UTF8", "client_encoding": "UTF8",
		"DateStyle": "ISO, MDY", "TimeZone": "UTC", "integer_datetimes": "on",
		"standard_conforming_strings": "on", "application_name": "bi-tool",
	} {
		if got := c.ParameterStatus(k); got != want {
			t.Errorf("%s = %q, want %q", k, got, want)
		}
	}
	if c.PID() == 0 || len(c.SecretKey()) != 4 {
		t.Errorf("backend key data: pid %d key %x", c.PID(), c.SecretKey())
	}
	b.mu.Lock()
	info := b.infos[0]
	b.mu.Unlock()
	if info.User != "alice" || info.Database != "dev" || info.ProcessID != c.PID() || info.Params["application_name"] != "bi-tool" || info.TLS {
		t.Errorf("startup info = %+v", info)
	}
	// A custom version string.
	_, addr2 := startServer(t, b, func(o *Options) { o.ServerVersion = "9.9.9"; o.Parameters = map[string]string{"padb_revision": "1"} })
	c2 := connect(t, addr2, "")
	if c2.ParameterStatus("server_version") != "9.9.9" || c2.ParameterStatus("padb_revision") != "1" {
		t.Errorf("custom parameters not sent")
	}
	_, err := pgconn.Connect(t.Context(), strings.Replace(connString(addr, "alice", "s3cret", ""), "dbname=dev", "dbname=nodb", 1))
	var pe *pgconn.PgError
	if !errors.As(err, &pe) || pe.Code != "3D000" || pe.Severity != "FATAL" {
		t.Errorf("open failure: %v", err)
	}
}

func TestCopyWithPgconn(t *testing.T) {
	b := newTestBackend()
	_, addr := startServer(t, b, nil)
	c := connect(t, addr, "")
	tag, err := c.CopyFrom(t.Context(), strings.NewReader("one\ntwo\nthree\n"), "copyin")
	if err != nil || tag.String() != "COPY 3" {
		t.Fatalf("CopyFrom: %v %v", tag, err)
	}
	b.mu.Lock()
	got := append([]string(nil), b.copied...)
	b.mu.Unlock()
	if !slices.Equal(got, []string{"one", "two", "three"}) {
		t.Errorf("copied %q", got)
	}
	var out strings.Builder
	tag, err = c.CopyTo(t.Context(), &out, "copyout 2")
	if err != nil || tag.String() != "COPY 2" || out.String() != "1\trow 1\n2\trow 2\n" {
		t.Errorf("CopyTo: %v %v %q", tag, err, out.String())
	}
}

func TestEndBatch(t *testing.T) {
	b := newTestBackend()
	_, addr := startServer(t, b, nil)
	c := connect(t, addr, "")
	_, _ = c.Exec(t.Context(), "insert 1; bogus").ReadAll()
	_ = c.ExecParams(t.Context(), "select 1", nil, nil, nil, nil).Read()
	_ = c.ExecParams(t.Context(), "fail x", nil, nil, nil, nil).Read()
	b.mu.Lock()
	got := append([]bool(nil), b.batches...)
	b.mu.Unlock()
	if want := []bool{true, false, true}; !slices.Equal(got, want) {
		t.Errorf("EndBatch calls %v, want %v", got, want)
	}
}
