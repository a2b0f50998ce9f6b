package warehouse

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
)

func wantRows(t *testing.T, got, want string) {
	t.Helper()
	if got != want {
		t.Fatalf("got\n%s\nwant\n%s", got, want)
	}
}

func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

func TestBasics(t *testing.T) {
	h := newHarness(t)
	c := h.connect(t)
	wantRows(t, rows(t, c, "SELECT version()"), "PostgreSQL 8.0.2 on i686-pc-linux-gnu, compiled by GCC gcc (GCC) 3.4.2 20041017 (Red Hat 3.4.2-6.fc3), Redshift 1.0.12103")
	wantRows(t, rows(t, c, "SELECT current_user, current_database(), 7/2"), "test|dev|3")
	exec(t, c, `CREATE TABLE sales (
		id INT IDENTITY(1, 1),
		region VARCHAR(20) ENCODE lzo NOT NULL,
		amount DECIMAL(10,2),
		qty INT2,
		ok BOOL,
		day DATE SORTKEY,
		note TEXT,
		doc SUPER
	) DISTSTYLE KEY DISTKEY (region) COMPOUND SORTKEY (day, region)`)
	exec(t, c, `INSERT INTO sales (region, amount, qty, ok, day, note) VALUES ('eu', 10.50, 2, true, '2024-01-02', 'a'), ('us', 3.25, 1, false, '2024-01-01', NULL)`)
	wantRows(t, rows(t, c, "SELECT id, region, amount, qty, ok, day, NVL(note, 'none') FROM sales ORDER BY id"),
		"1|eu|10.50|2|true|2024-01-02 00:00:00 +0000 UTC|a\n2|us|3.25|1|false|2024-01-01 00:00:00 +0000 UTC|none")
	wantRows(t, rows(t, c, "SELECT region FROM sales WHERE qty = $1", 2), "eu")
	wantRows(t, rows(t, c, "SELECT LISTAGG(region, ',') WITHIN GROUP (ORDER BY region DESC), MEDIAN(qty), APPROXIMATE COUNT(DISTINCT region) FROM sales"), "us,eu|1.5|2")
	wantRows(t, rows(t, c, "SELECT DATEDIFF(day, '2024-01-01'::date, '2024-03-01'::date), DATEADD(month, 1, '2024-01-31'::date), DECODE(2, 1, 'one', 2, 'two', 'many'), NVL2(NULL, 'x', 'y')"),
		"60|2024-02-29 00:00:00 +0000 UTC|two|y")
	wantRows(t, rows(t, c, "SELECT LEN('abc'), CHARINDEX('c', 'abc'), STRTOL('ff', 16), TO_CHAR('2024-03-05 14:07:09'::timestamp, 'YYYY-MM-DD HH24:MI:SS'), TO_CHAR(1234.5, '9,999.99')"),
		"3|3|255|2024-03-05 14:07:09|1,234.50")
	wantRows(t, rows(t, c, "SELECT CONVERT_TIMEZONE('UTC', 'America/New_York', '2024-01-01 12:00:00'::timestamp), DATE_TRUNC('month', '2024-03-05'::date)"),
		"2024-01-01 07:00:00 +0000 UTC|2024-03-01 00:00:00 +0000 UTC")
	if got := rows(t, c, "SELECT GETDATE() IS NOT NULL, SYSDATE IS NOT NULL"); got != "true|true" {
		t.Fatal(got)
	}
	// errors carry SQLSTATEs
	_, err := c.Exec(t.Context(), "SELECT * FROM nope")
	if pgCode(err) != "42P01" || !strings.Contains(err.Error(), `relation "nope" does not exist`) {
		t.Fatalf("missing table: %v", err)
	}
	_, err = c.Exec(t.Context(), "SELEC 1")
	if pgCode(err) != "42601" {
		t.Fatalf("syntax: %v", err)
	}
}

func TestTransactions(t *testing.T) {
	h := newHarness(t)
	c := h.connect(t)
	exec(t, c, "CREATE TABLE t (a INT)")
	exec(t, c, "BEGIN", "INSERT INTO t VALUES (1)", "ROLLBACK")
	wantRows(t, rows(t, c, "SELECT count(*) FROM t"), "0")
	exec(t, c, "BEGIN", "INSERT INTO t VALUES (2)")
	other := h.connect(t)
	wantRows(t, rows(t, other, "SELECT count(*) FROM t"), "0") // not yet committed
	exec(t, c, "COMMIT")
	wantRows(t, rows(t, other, "SELECT count(*) FROM t"), "1")
	// a failed block refuses until ROLLBACK; COMMIT answers ROLLBACK
	exec(t, c, "BEGIN")
	if _, err := c.Exec(t.Context(), "SELECT * FROM missing"); err == nil {
		t.Fatal("want error")
	}
	if _, err := c.Exec(t.Context(), "SELECT 1"); pgCode(err) != "25P02" {
		t.Fatalf("in failed block: %v", err)
	}
	tag, err := c.Exec(t.Context(), "COMMIT")
	if err != nil || tag.String() != "ROLLBACK" {
		t.Fatalf("commit of failed block: %v %v", tag, err)
	}
	wantRows(t, rows(t, c, "SELECT 1"), "1")
	// a multi-statement Query is one implicit transaction
	if _, err := c.Exec(t.Context(), "INSERT INTO t VALUES (10); INSERT INTO t VALUES (11); SELECT * FROM missing"); err == nil {
		t.Fatal("want error")
	}
	wantRows(t, rows(t, c, "SELECT count(*) FROM t WHERE a >= 10"), "0")
	exec(t, c, "INSERT INTO t VALUES (10); INSERT INTO t VALUES (11)")
	wantRows(t, rows(t, c, "SELECT count(*) FROM t WHERE a >= 10"), "2")
}

func TestSandbox(t *testing.T) {
	h := newHarness(t)
	c := h.connect(t)
	for _, q := range []string{
		"ATTACH '/tmp/x.db' AS x", "INSTALL httpfs", "LOAD httpfs", "PRAGMA version", "SET threads = 1",
		"SET enable_external_access = true", "SET GLOBAL memory_limit = '10GB'", "SELECT * FROM read_csv('/etc/passwd')",
		"SELECT * FROM '/etc/passwd'", "SELECT * FROM t, '/etc/hosts'", "COPY (SELECT 1) TO '/tmp/out.csv'",
		"CREATE SECRET s (TYPE s3)", "SELECT * FROM query('select 1')", "CALL pragma_version()",
		"SELECT * FROM read_parquet('" + h.lake.root + "/x.parquet')", "EXPORT DATABASE '/tmp/x'", "CREATE MACRO m() AS 1",
		"COPY t FROM '/etc/passwd'", `SELECT * FROM "/etc/passwd"`, `SELECT * FROM "x.csv"`, "DELETE FROM pg_internal.tarn_meta", "DROP TABLE stl_load_errors",
	} {
		if _, err := c.Exec(t.Context(), q); err == nil {
			t.Errorf("%s: accepted", q)
		}
	}
	// harmless client settings are accepted and tracked
	exec(t, c, "SET search_path TO public", "SET datestyle TO 'ISO, MDY'", "SET application_name = 'bi'", "SET query_group TO 'etl'")
	wantRows(t, rows(t, c, "SHOW search_path"), "public")
	wantRows(t, rows(t, c, "SHOW query_group"), "etl")
	exec(t, c, "CREATE SCHEMA s2", "CREATE TABLE s2.x (a INT)", "SET search_path TO s2, public")
	exec(t, c, "INSERT INTO x VALUES (5)")
	wantRows(t, rows(t, c, "SELECT a FROM s2.x"), "5")
}

func TestRestartKeepsTables(t *testing.T) {
	h := newHarness(t)
	c := h.connect(t)
	exec(t, c, "CREATE TABLE keep (id BIGINT IDENTITY(100, 10), v VARCHAR(10)) SORTKEY (v)", "INSERT INTO keep (v) VALUES ('a'), ('b')")
	c.Close(t.Context())
	h.restart(t)
	c = h.connect(t)
	exec(t, c, "INSERT INTO keep (v) VALUES ('c')")
	wantRows(t, rows(t, c, "SELECT id, v FROM keep ORDER BY id"), "100|a\n110|b\n120|c")
}

func TestCancel(t *testing.T) {
	h := newHarness(t)
	c := h.connect(t)
	// The query would run for hours; the context's deadline makes pgx
	// send a CancelRequest, which must interrupt DuckDB.
	ctx, cancel := context.WithTimeout(t.Context(), 300*time.Millisecond)
	defer cancel()
	_, err := c.Exec(ctx, "SELECT count(*) FROM range(10000000000) a, range(1000) b WHERE a.range * b.range = -1")
	if err == nil {
		t.Fatal("query was not interrupted")
	}
	c2 := h.connect(t)
	wantRows(t, rows(t, c2, "SELECT 1"), "1")
}

// TestInterleavedPortals runs a statement while another's rows are only
// partly read (as two portals of the extended protocol can be): the
// first result is settled into memory and still reads to its end.
func TestInterleavedPortals(t *testing.T) {
	h := newHarness(t)
	ctx := t.Context()
	se, err := h.svc.newSession(ctx, "test", "dev", 1)
	if err != nil {
		t.Fatal(err)
	}
	defer se.Close()
	st1, err := se.Prepare(ctx, "SELECT range AS n FROM range(100000)", nil)
	if err != nil {
		t.Fatal(err)
	}
	r1, err := st1.Execute(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	row := make([]any, 1)
	if ok, err := r1.Next(ctx, row); !ok || err != nil || row[0] != int64(0) {
		t.Fatalf("first row %v %v %v", ok, err, row)
	}
	st2, err := se.Prepare(ctx, "SELECT 42", nil)
	if err != nil {
		t.Fatal(err)
	}
	r2, err := st2.Execute(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ok, _ := r2.Next(ctx, row); !ok || row[0] != int32(42) {
		t.Fatalf("second statement: %v", row)
	}
	r2.Close()
	n := 1
	for {
		ok, err := r1.Next(ctx, row)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			break
		}
		n++
	}
	if n != 100000 || r1.Tag() != "SELECT 100000" {
		t.Fatalf("%d rows, tag %s", n, r1.Tag())
	}
	r1.Close()
}

// TestSessionAfterCancel: a session whose statement was interrupted
// keeps working on the same DuckDB connection.
func TestSessionAfterCancel(t *testing.T) {
	h := newHarness(t)
	se, err := h.svc.newSession(t.Context(), "test", "dev", 1)
	if err != nil {
		t.Fatal(err)
	}
	defer se.Close()
	st, err := se.Prepare(t.Context(), "SELECT count(*) FROM range(10000000000) a, range(1000) b WHERE a.range * b.range = -1", nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 100*time.Millisecond)
	defer cancel()
	if _, err := st.Execute(ctx, nil); err == nil {
		t.Fatal("not interrupted")
	}
	st2, err := se.Prepare(t.Context(), "SELECT 1", nil)
	if err != nil {
		t.Fatal(err)
	}
	r, err := st2.Execute(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	row := make([]any, 1)
	if ok, err := r.Next(t.Context(), row); !ok || err != nil {
		t.Fatal(ok, err)
	}
	r.Close()
}
