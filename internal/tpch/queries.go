package tpch

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"strconv"
	"strings"
)

// The 22 queries with the specification's validation parameters
// (§2.4.1-§2.4.22): queries/qNN.sql is the text both dialects accept; a
// file queries/trino/qNN.sql or queries/postgres/qNN.sql, where present,
// replaces it for that dialect.
//
//go:embed queries
var queryFS embed.FS

// Dialect names a SQL dialect.
type Dialect string

const (
	// DialectTrino is the SQL a user sends to Athena (engine v3).
	DialectTrino Dialect = "trino"
	// DialectPostgres is PostgreSQL's SQL; DuckDB runs it too.
	DialectPostgres Dialect = "postgres"
)

// Query is one TPC-H query at one scale factor.
type Query struct {
	Num  int    // 1..22
	Name string // "q01"
	// Trino and Postgres are the texts in each dialect, without a
	// trailing semicolon.
	Trino, Postgres string
}

// SQL returns the text in dialect d.
func (q Query) SQL(d Dialect) string {
	if d == DialectTrino {
		return q.Trino
	}
	return q.Postgres
}

// ErrNoQuery is returned for a query number outside 1..22.
var ErrNoQuery = errors.New("tpch: no such query (want 1..22)")

// NumQueries is the number of TPC-H queries.
const NumQueries = 22

// QueryFor returns query n at scale factor sf (Q11's FRACTION is
// 0.0001/SF).
func QueryFor(n int, sf float64) (Query, error) {
	if n < 1 || n > NumQueries {
		return Query{}, fmt.Errorf("%w: %d", ErrNoQuery, n)
	}
	name := fmt.Sprintf("q%02d", n)
	base, err := fs.ReadFile(queryFS, "queries/"+name+".sql")
	if err != nil {
		return Query{}, err
	}
	text := func(d Dialect) string {
		b, err := fs.ReadFile(queryFS, "queries/"+string(d)+"/"+name+".sql")
		if err != nil {
			b = base
		}
		s := strings.TrimSpace(string(b))
		s = strings.TrimSuffix(s, ";")
		return strings.ReplaceAll(s, "{{FRACTION}}", fraction(sf))
	}
	return Query{Num: n, Name: name, Trino: text(DialectTrino), Postgres: text(DialectPostgres)}, nil
}

// Queries returns the queries numbered nums (all 22 when nums is empty)
// at scale factor sf.
func Queries(sf float64, nums ...int) ([]Query, error) {
	if len(nums) == 0 {
		for i := 1; i <= NumQueries; i++ {
			nums = append(nums, i)
		}
	}
	out := make([]Query, 0, len(nums))
	for _, n := range nums {
		q, err := QueryFor(n, sf)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, nil
}

// ParseQueryList parses "1,6,14" (or "1-5,14"); "" or "all" means all 22.
func ParseQueryList(s string) ([]int, error) {
	s = strings.TrimSpace(s)
	if s == "" || s == "all" {
		return nil, nil
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(strings.TrimPrefix(strings.ToLower(strings.TrimSpace(f)), "q"))
		lo, hi, isRange := strings.Cut(f, "-")
		a, err := strconv.Atoi(strings.TrimPrefix(lo, "q"))
		if err != nil || a < 1 || a > NumQueries {
			return nil, fmt.Errorf("%w: %q", ErrNoQuery, f)
		}
		b := a
		if isRange {
			if b, err = strconv.Atoi(strings.TrimPrefix(hi, "q")); err != nil || b < a || b > NumQueries {
				return nil, fmt.Errorf("%w: %q", ErrNoQuery, f)
			}
		}
		for i := a; i <= b; i++ {
			out = append(out, i)
		}
	}
	return out, nil
}

// fraction is Q11's FRACTION, 0.0001/SF, as a decimal literal.
func fraction(sf float64) string {
	s := strings.TrimRight(strconv.FormatFloat(0.0001/sf, 'f', 10, 64), "0")
	if strings.HasSuffix(s, ".") {
		s += "0"
	}
	return s
}
