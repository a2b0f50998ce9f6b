package pgwire

import (
	"errors"
	"math/big"
	"net"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
	"github.com/jackc/pgx/v5/pgtype"
)

func pgxConnect(t *testing.T, addr, extra string) *pgx.Conn {
	t.Helper()
	c, err := pgx.Connect(t.Context(), connString(addr, "alice", "s3cret", extra))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close(t.Context()) })
	return c
}

// TestExtendedTypedParams round-trips every core type through pgx, which
// sends parameters and asks for results in binary for all of them, and
// through the text format.
func TestExtendedTypedParams(t *testing.T) {
	_, addr := startServer(t, newTestBackend(), nil)
	c := pgxConnect(t, addr, "")
	ts := time.Date(2024, 2, 29, 13, 14, 15, 123456000, time.UTC)
	day := time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)
	num := pgtype.Numeric{Int: big.NewInt(-1234567), Exp: -3, Valid: true}
	for _, mode := range []pgx.QueryExecMode{pgx.QueryExecModeCacheStatement, pgx.QueryExecModeDescribeExec, pgx.QueryExecModeExec} {
		var (
			b    bool
			i2   int16
			i4   int32
			i8   int64
			f4   float32
			f8   float64
			n    pgtype.Numeric
			s    string
			vc   string
			d    time.Time
			tsw  time.Time
			tstz time.Time
			by   []byte
		)
		err := c.QueryRow(t.Context(), "echo bool int2 int4 int8 float4 float8 numeric text varchar date timestamp timestamptz bytea", mode,
			true, int16(-7), int32(1<<30), int64(-1<<60), float32(1.5), 2.25, num, "héllo", "v", day, ts, ts.In(time.FixedZone("x", 3600)), []byte{0, 1, 255}).
			Scan(&b, &i2, &i4, &i8, &f4, &f8, &n, &s, &vc, &d, &tsw, &tstz, &by)
		if err != nil {
			t.Fatalf("mode %v: %v", mode, err)
		}
		if !b || i2 != -7 || i4 != 1<<30 || i8 != -1<<60 || f4 != 1.5 || f8 != 2.25 || s != "héllo" || vc != "v" {
			t.Errorf("mode %v: scalars %v %v %v %v %v %v %q %q", mode, b, i2, i4, i8, f4, f8, s, vc)
		}
		if nv, _ := n.Value(); nv != "-1234.567" {
			t.Errorf("mode %v: numeric %v", mode, nv)
		}
		if !d.Equal(day) || !tsw.Equal(ts) || !tstz.Equal(ts) || !slices.Equal(by, []byte{0, 1, 255}) {
			t.Errorf("mode %v: date %v ts %v tstz %v bytea %x", mode, d, tsw, tstz, by)
		}
	}
	// NULLs
	var p *int32
	if err := c.QueryRow(t.Context(), "echo int4", nil).Scan(&p); err != nil || p != nil {
		t.Errorf("null: %v %v", p, err)
	}
}

// TestExtendedTextResults asks for text results with text parameters and
// checks PostgreSQL's output formats.
func TestExtendedTextResults(t *testing.T) {
	_, addr := startServer(t, newTestBackend(), nil)
	c := connect(t, addr, "")
	in := []string{"yes", " 42 ", "1e100", "0.1", "2024-01-02", "2024-01-02 03:04:05.5", "2024-01-02 03:04:05.25+02", `\x00ff`, "12.50"}
	var params [][]byte
	for _, s := range in {
		params = append(params, []byte(s))
	}
	r := c.ExecParams(t.Context(), "echo bool int4 float8 float4 date timestamp timestamptz bytea numeric", params, nil, nil, nil).Read()
	if r.Err != nil {
		t.Fatal(r.Err)
	}
	var got []string
	for _, v := range r.Rows[0] {
		got = append(got, string(v))
	}
	want := []string{"t", "42", "1e+100", "0.1", "2024-01-02", "2024-01-02 03:04:05.5", "2024-01-02 01:04:05.25+00", `\x00ff`, "12.50"}
	if !slices.Equal(got, want) {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	for _, tc := range []struct{ sql, val, code string }{
		{"echo int4", "x", "22P02"},
		{"echo int2", "70000", "22003"},
		{"echo date", "yesterday-ish", "22007"},
		{"echo bool", "maybe", "22P02"},
		{"echo numeric", "1.2.3", "22P02"},
	} {
		r := c.ExecParams(t.Context(), tc.sql, [][]byte{[]byte(tc.val)}, nil, nil, nil).Read()
		var pe *pgconn.PgError
		if !errors.As(r.Err, &pe) || pe.Code != tc.code {
			t.Errorf("%s %q: err %v, want %s", tc.sql, tc.val, r.Err, tc.code)
		}
	}
	// Wrong binary length.
	r = c.ExecParams(t.Context(), "echo int4", [][]byte{{1, 2}}, nil, []int16{1}, nil).Read()
	var pe *pgconn.PgError
	if !errors.As(r.Err, &pe) || pe.Code != "22P03" || pe.Message != "incorrect binary data format in bind parameter 1" {
		t.Errorf("binary length: %v", r.Err)
	}
}

// frontend takes over a pgconn connection to send raw messages.
func frontend(t testing.TB, addr string) *pgproto3.Frontend {
	t.Helper()
	fe, _ := frontendConn(t, addr)
	return fe
}

// frontendConn is frontend with the client's connection.
func frontendConn(t testing.TB, addr string) (*pgproto3.Frontend, net.Conn) {
	t.Helper()
	c := connect(t, addr, "")
	hc, err := c.Hijack()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = hc.Conn.Close() })
	_ = hc.Conn.SetDeadline(time.Now().Add(30 * time.Second))
	return hc.Frontend, hc.Conn
}

// TestPipelineAndBatch sends several statements without waiting, as
// pgx batches and pgconn pipelines do.
func TestPipelineAndBatch(t *testing.T) {
	_, addr := startServer(t, newTestBackend(), nil)
	c := pgxConnect(t, addr, "")
	batch := &pgx.Batch{}
	batch.Queue("series 3")
	batch.Queue("echo int8 text", int64(9), "nine")
	batch.Queue("insert 5")
	br := c.SendBatch(t.Context(), batch)
	rows, err := br.Query()
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for rows.Next() {
		n++
	}
	if rows.Err() != nil || n != 3 {
		t.Fatalf("series: %d rows, %v", n, rows.Err())
	}
	var i int64
	var s string
	if err := br.QueryRow().Scan(&i, &s); err != nil || i != 9 || s != "nine" {
		t.Fatalf("echo: %v %v %v", i, s, err)
	}
	tag, err := br.Exec()
	if err != nil || tag.String() != "INSERT 0 5" {
		t.Fatalf("insert: %v %v", tag, err)
	}
	if err := br.Close(); err != nil {
		t.Fatal(err)
	}

	pc := connect(t, addr, "")
	p := pc.StartPipeline(t.Context())
	p.SendQueryParams("select 4", nil, nil, nil, nil)
	p.SendQueryParams("error 22012 boom", nil, nil, nil, nil)
	p.SendQueryParams("select 5", nil, nil, nil, nil)
	if err := p.Sync(); err != nil {
		t.Fatal(err)
	}
	var got []string
	for {
		r, err := p.GetResults()
		if err != nil {
			var pe *pgconn.PgError
			if errors.As(err, &pe) {
				got = append(got, "E "+pe.Code)
				continue
			}
			t.Fatal(err)
		}
		if r == nil {
			break
		}
		if rr, ok := r.(*pgconn.ResultReader); ok {
			res := rr.Read()
			if res.Err != nil {
				got = append(got, "E result")
			} else {
				got = append(got, res.CommandTag.String())
			}
		} else if _, ok := r.(*pgconn.PipelineSync); ok {
			got = append(got, "sync")
			break
		}
	}
	// The error skips the third statement up to Sync.
	if want := []string{"SELECT 1", "E 22012", "sync"}; !slices.Equal(got, want) {
		t.Errorf("pipeline results %q, want %q", got, want)
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
}
