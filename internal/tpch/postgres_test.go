package tpch

import (
	"context"
	"fmt"
	"math"
	"math/big"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/duckdb/duckdb-go/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// TestPostgres loads SF 0.01 into a throwaway local PostgreSQL (or the
// server at TARN_TEST_PG_URL) and checks that every query returns the
// same rows as DuckDB (numbers to a relative 1e-9). It runs only with TARN_TEST_PG=1.
func TestPostgres(t *testing.T) {
	if os.Getenv("TARN_TEST_PG") != "1" {
		t.Skip("set TARN_TEST_PG=1 to run against PostgreSQL")
	}
	dir, _ := sharedData(t)
	url := os.Getenv("TARN_TEST_PG_URL")
	if url == "" {
		pg, err := StartLocalPostgres(t.Context(), LocalOptions{})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			if err := pg.Stop(context.Background()); err != nil {
				t.Error(err)
			}
		})
		t.Logf("started %s", pg.Version)
		url = pg.ConnString
	}
	if err := LoadPostgres(t.Context(), url, dir); err != nil {
		t.Fatal(err)
	}
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for _, tb := range tableDefs {
		var n int64
		if err := conn.QueryRow(t.Context(), "SELECT count(*) FROM "+tb.Name).Scan(&n); err != nil {
			t.Fatal(err)
		}
		if want := shared.m.Rows[tb.Name]; n != want {
			t.Errorf("%s: %d rows loaded, generated %d", tb.Name, n, want)
		}
	}
	d, err := OpenDuckDB(t.Context(), dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	qs, _ := Queries(testSF)
	for _, q := range qs {
		n, err := RunPostgres(t.Context(), conn, q)
		if err != nil {
			t.Errorf("%s: %v", q.Name, err)
			continue
		}
		want := duckRows(t, d, q)
		got := pgRows(t, conn, q)
		if n != len(got) {
			t.Errorf("%s: RunPostgres counted %d rows, read %d", q.Name, n, len(got))
		}
		if msg := sameRows(got, want); msg != "" {
			t.Errorf("%s: postgres and duckdb differ: %s", q.Name, msg)
		}
	}
}

// A result row normalized across engines: numbers as float64, dates as
// YYYY-MM-DD, text without CHAR padding.
type normRow []any

func norm(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case int16:
		return float64(x)
	case int32:
		return float64(x)
	case int64:
		return float64(x)
	case float32:
		return float64(x)
	case float64:
		return x
	case *big.Int:
		f, _ := new(big.Float).SetInt(x).Float64()
		return f
	case duckdb.Decimal:
		return x.Float64()
	case pgtype.Numeric:
		f, _ := x.Float64Value()
		return f.Float64
	case time.Time:
		return x.Format(time.DateOnly)
	case string:
		return strings.TrimRight(x, " ")
	}
	return fmt.Sprint(v)
}

func duckRows(t *testing.T, d *DuckDB, q Query) []normRow {
	rows, err := d.DB().QueryContext(t.Context(), q.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var out []normRow
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		r := make(normRow, len(vals))
		for i, v := range vals {
			r[i] = norm(v)
		}
		out = append(out, r)
	}
	return out
}

func pgRows(t *testing.T, conn *pgx.Conn, q Query) []normRow {
	rows, err := conn.Query(t.Context(), q.Postgres)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []normRow
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			t.Fatal(err)
		}
		r := make(normRow, len(vals))
		for i, v := range vals {
			r[i] = norm(v)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// sameRows compares two results as multisets of rows (ties in ORDER BY
// may come in either order), numbers to a relative 1e-9; "" if equal.
func sameRows(a, b []normRow) string {
	if len(a) != len(b) {
		return fmt.Sprintf("%d rows vs %d", len(a), len(b))
	}
	key := func(r normRow) string {
		var s strings.Builder
		for _, v := range r {
			if f, ok := v.(float64); ok {
				fmt.Fprintf(&s, "%.1f|", f)
			} else {
				fmt.Fprintf(&s, "%v|", v)
			}
		}
		return s.String()
	}
	sort.Slice(a, func(i, j int) bool { return key(a[i]) < key(a[j]) })
	sort.Slice(b, func(i, j int) bool { return key(b[i]) < key(b[j]) })
	for i := range a {
		if len(a[i]) != len(b[i]) {
			return fmt.Sprintf("row %d: %d columns vs %d", i, len(a[i]), len(b[i]))
		}
		for j := range a[i] {
			x, xok := a[i][j].(float64)
			y, yok := b[i][j].(float64)
			if xok && yok {
				if math.Abs(x-y) > 1e-9*math.Max(1, math.Max(math.Abs(x), math.Abs(y))) {
					return fmt.Sprintf("row %d col %d: %v vs %v", i, j, x, y)
				}
			} else if a[i][j] != b[i][j] {
				return fmt.Sprintf("row %d col %d: %v (%T) vs %v (%T)", i, j, a[i][j], a[i][j], b[i][j], b[i][j])
			}
		}
	}
	return ""
}

func TestSameRows(t *testing.T) {
	a := []normRow{{"FRANCE", 1.5, "1995-01-01"}, {"GERMANY", 2.0, "1996-01-01"}}
	b := []normRow{{"GERMANY", 2.0, "1996-01-01"}, {"FRANCE", 1.5 + 1e-12, "1995-01-01"}}
	if msg := sameRows(a, b); msg != "" {
		t.Errorf("equal results differ: %s", msg)
	}
	c := []normRow{{"GERMANY", 2.0, "1996-01-01"}, {"FRANCE", 1.51, "1995-01-01"}}
	if sameRows(a, c) == "" {
		t.Error("different numbers compared equal")
	}
	if norm(pgtype.Numeric{}) != 0.0 || norm("AIR       ") != "AIR" || norm(int32(3)) != 3.0 {
		t.Error("norm")
	}
}
