package engine

import (
	"strings"
	"testing"
)

func TestSplit(t *testing.T) {
	src := `SELECT 'a;b' AS "x;y"; -- c;d
	/* e; /* nested; */ f; */ SELECT $$g;h$$, $t$i;$$;j$t$;;
	SELECT E'k\';l', ` + "`m;n`" + ` ; `
	stmts, err := Split(src)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, s := range stmts {
		got = append(got, s.Text)
	}
	want := []string{`SELECT 'a;b' AS "x;y"`, `SELECT $$g;h$$, $t$i;$$;j$t$`, "SELECT E'k\\';l', `m;n`"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	for _, st := range stmts {
		if src[st.Offset:st.Offset+len(st.Text)] != st.Text {
			t.Fatalf("statement %q is not at offset %d", st.Text, st.Offset)
		}
		for _, tk := range st.Tokens {
			if st.Text[tk.Pos:tk.Pos+len(tk.Text)] != tk.Text {
				t.Fatalf("token %q at %d is not at its place in %q", tk.Text, tk.Pos, st.Text)
			}
		}
	}
	for _, bad := range []string{"SELECT 'x", `SELECT "x`, "/* x", "SELECT $a$ x"} {
		if _, err := Split(bad); err != ErrUnterminated {
			t.Errorf("Split(%q) err %v", bad, err)
		}
	}
}

func TestClassify(t *testing.T) {
	cases := map[string]Kind{
		"SELECT 1":                               Read,
		"  with a as (select 1) select * from a": Read,
		"(SELECT 1) UNION (SELECT 2)":            Read,
		"VALUES (1)":                             Read,
		"EXPLAIN SELECT 1":                       Read,
		"SHOW TABLES IN db":                      Utility,
		"DESCRIBE t":                             Utility,
		"EXECUTE s USING 1":                      Utility,
		"CREATE EXTERNAL TABLE t (a int) LOCATION 's3://b/p/'": DDL,
		"CREATE TABLE t WITH (format='PARQUET') AS SELECT 1":   DDL,
		"CREATE TABLE t (a int)":                               Refused,
		"INSERT INTO t SELECT 1":                               DDL,
		"MSCK REPAIR TABLE t":                                  DDL,
		"DROP TABLE t":                                         DDL,
		"CREATE DATABASE d":                                    DDL,
		"SET x = 1":                                            Refused,
		"PRAGMA version":                                       Refused,
		"COPY t TO 'x'":                                        Refused,
		"ATTACH 'x'":                                           Refused,
		"INSTALL httpfs":                                       Refused,
		"LOAD httpfs":                                          Refused,
		"CREATE MACRO m() AS 1":                                Refused,
		"UPDATE t SET a = 1":                                   Refused,
		"DELETE FROM t":                                        Refused,
		"'SELECT'":                                             Refused,
	}
	for q, want := range cases {
		stmts, err := Split(q)
		if err != nil || len(stmts) != 1 {
			t.Fatalf("%s: %v %d", q, err, len(stmts))
		}
		if got := Classify(stmts[0]); got != want {
			t.Errorf("%s: %v, want %v", q, got, want)
		}
	}
}

// FuzzSplit checks that lexing is lossless, that splitting never panics,
// and that every statement re-splits to itself.
func FuzzSplit(f *testing.F) {
	for _, s := range []string{"SELECT 1; SELECT 2", "SELECT ';'", `"a;"`, "/* ; */", "$$;$$", "E'\\';'", "-- ;\nSELECT", "$1 ? ::"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		toks, err := Lex(s)
		if err == nil && Join(toks) != s {
			t.Fatalf("lex not lossless: %q -> %q", s, Join(toks))
		}
		stmts, err := Split(s)
		if err != nil {
			return
		}
		for _, st := range stmts {
			Classify(st)
			for _, tk := range st.Tokens {
				if st.Text[tk.Pos:tk.Pos+len(tk.Text)] != tk.Text {
					t.Fatalf("token %q at %d is not at its place in %q", tk.Text, tk.Pos, st.Text)
				}
			}
			again, err := Split(st.Text)
			if err != nil || len(again) != 1 || again[0].Text != st.Text {
				t.Fatalf("statement %q re-splits to %v, %v", st.Text, again, err)
			}
		}
	})
}
