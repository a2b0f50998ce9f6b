package tpch

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// TestQueriesDuckDB runs all 22 queries over SF 0.01 in DuckDB: each must
// run and return rows.
func TestQueriesDuckDB(t *testing.T) {
	dir, _ := sharedData(t)
	d, err := OpenDuckDB(t.Context(), dir, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	qs, err := Queries(testSF)
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range qs {
		n, err := d.Run(t.Context(), q)
		if err != nil {
			t.Errorf("%s: %v", q.Name, err)
			continue
		}
		t.Logf("%s: %d rows", q.Name, n)
		if n == 0 {
			t.Errorf("%s returned no rows", q.Name)
		}
	}
}

func TestParseQueryList(t *testing.T) {
	for in, want := range map[string][]int{"": nil, "all": nil, "1,6,14": {1, 6, 14}, "q1-3, 22": {1, 2, 3, 22}} {
		got, err := ParseQueryList(in)
		if err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
			t.Errorf("ParseQueryList(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"0", "23", "x", "5-2", "1,,2"} {
		if _, err := ParseQueryList(in); !errors.Is(err, ErrNoQuery) {
			t.Errorf("ParseQueryList(%q): %v, want ErrNoQuery", in, err)
		}
	}
}

func TestQueryText(t *testing.T) {
	qs, err := Queries(0.1)
	if err != nil || len(qs) != 22 {
		t.Fatalf("Queries: %d, %v", len(qs), err)
	}
	for _, q := range qs {
		for _, s := range []string{q.Trino, q.Postgres} {
			if strings.Contains(s, "{{") || strings.HasSuffix(s, ";") || !strings.Contains(s, "select") {
				t.Errorf("%s: bad text:\n%s", q.Name, s)
			}
		}
	}
	if !strings.Contains(qs[10].Postgres, "* 0.001\n") {
		t.Errorf("Q11 at SF 0.1 lacks FRACTION 0.001:\n%s", qs[10].Postgres)
	}
	if !strings.Contains(qs[0].Trino, "date '1998-12-01' - interval '90' day") {
		t.Errorf("Q1 lacks DELTA 90:\n%s", qs[0].Trino)
	}
	if _, err := QueryFor(23, 1); !errors.Is(err, ErrNoQuery) {
		t.Errorf("QueryFor(23): %v", err)
	}
}

func TestDDL(t *testing.T) {
	if ts := Tables(); len(ts) != 8 || ts[0].Name != "region" || ts[7].Name != "lineitem" {
		t.Errorf("Tables() = %d tables", len(ts))
	}
	li := table("lineitem")
	if got := li.CreateTable(); !strings.HasPrefix(got, "CREATE TABLE lineitem (l_orderkey bigint NOT NULL, l_partkey integer NOT NULL") ||
		!strings.Contains(got, "l_quantity decimal(15,2) NOT NULL") || !strings.Contains(got, "l_shipmode char(10) NOT NULL") {
		t.Errorf("CreateTable = %s", got)
	}
	got := li.CreateExternalTable("s3://lake/tpch/lineitem/")
	if !strings.Contains(got, "l_shipdate date, ") || !strings.Contains(got, "l_comment string) STORED AS PARQUET LOCATION 's3://lake/tpch/lineitem/'") {
		t.Errorf("CreateExternalTable = %s", got)
	}
}

func FuzzParseQueryList(f *testing.F) {
	for _, s := range []string{"1,6,14", "q1-3", "all", "", "22-22", "-", "1-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		nums, err := ParseQueryList(s)
		if err != nil && !errors.Is(err, ErrNoQuery) {
			t.Fatalf("%q: %v", s, err)
		}
		for _, n := range nums {
			if n < 1 || n > NumQueries {
				t.Fatalf("%q gave %d", s, n)
			}
		}
	})
}
