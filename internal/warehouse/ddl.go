package warehouse

import (
	"fmt"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
)

// gen is a generated token (no source position).
func gen(s string) engine.Token { return engine.Token{Kind: engine.Ident, Text: s, Pos: -1} }

// typeLen is how many tokens the type starting at sig[j] spans: its
// words (DOUBLE PRECISION, CHARACTER VARYING, TIMESTAMP WITH[OUT] TIME
// ZONE) and its (n[, m]).
func typeLen(sig []engine.Token, j int) int {
	if j >= len(sig) {
		return 0
	}
	k := j + 1
	w := sig[j].Upper()
	switch {
	case (w == "DOUBLE" && k < len(sig) && sig[k].Is("PRECISION")) || ((w == "CHARACTER" || w == "CHAR" || w == "NATIONAL") && k < len(sig) && sig[k].Is("VARYING")):
		k++
	}
	if k < len(sig) && sig[k].Text == "(" {
		if e := matching(sig, k); e > 0 {
			k = e + 1
		}
	}
	if (w == "TIMESTAMP" || w == "TIME") && k+2 < len(sig) && (sig[k].Is("WITH") || sig[k].Is("WITHOUT")) && sig[k+1].Is("TIME") && sig[k+2].Is("ZONE") {
		k += 3
	}
	return k - j
}

// mapType renders a Redshift type as DuckDB's.
func mapType(toks []engine.Token) string {
	if len(toks) == 0 {
		return ""
	}
	w := toks[0].Upper()
	args := ""
	if len(toks) > 1 && toks[len(toks)-1].Text == ")" {
		for i, t := range toks {
			if t.Text == "(" {
				args = engine.Join(engine.Significant(toks[i:]))
				break
			}
		}
	}
	switch w {
	case "SUPER":
		return "JSON"
	case "REGTYPE", "REGCLASS", "REGPROC", "REGNAMESPACE", "NAME":
		return "VARCHAR"
	case "VARBYTE", "VARBINARY", "BINARY":
		return "BLOB"
	case "TEXT":
		return "VARCHAR(256)"
	case "NVARCHAR", "NCHAR", "CHARACTER", "CHAR", "BPCHAR", "VARCHAR", "NATIONAL":
		if args == "" || strings.EqualFold(args, "(MAX)") {
			if w == "CHAR" || w == "CHARACTER" || w == "NCHAR" || w == "BPCHAR" {
				if !(len(toks) > 1 && toks[1].Is("VARYING")) {
					return "VARCHAR(1)"
				}
			}
			return "VARCHAR(256)"
		}
		return "VARCHAR" + args
	case "DECIMAL", "NUMERIC":
		if args == "" {
			return "DECIMAL(18,0)"
		}
		return "DECIMAL" + args
	case "FLOAT":
		return "DOUBLE"
	case "INT", "INTEGER", "INT4":
		return "INTEGER"
	case "INT2", "SMALLINT":
		return "SMALLINT"
	case "INT8", "BIGINT":
		return "BIGINT"
	case "FLOAT4", "REAL":
		return "REAL"
	case "FLOAT8":
		return "DOUBLE"
	case "BOOL", "BOOLEAN":
		return "BOOLEAN"
	case "TIMESTAMPTZ":
		return "TIMESTAMPTZ"
	case "TIMETZ":
		return "TIMETZ"
	case "TIMESTAMP", "TIME":
		for _, t := range toks {
			if t.Is("WITH") {
				return w + " WITH TIME ZONE"
			}
		}
		return w
	}
	return engine.Join(spaced(toks))
}

// spaced re-inserts single spaces between words of significant tokens.
func spaced(toks []engine.Token) []engine.Token {
	var w writer
	w.lastEnd = -1
	for _, t := range toks {
		w.tok(t)
	}
	return []engine.Token{{Kind: engine.Ident, Text: w.b.String(), Pos: -1}}
}

// createTable rewrites CREATE TABLE's Redshift clauses; sig[i] follows
// TABLE. It records the table name and SORTKEY in tr and puts the
// sequences IDENTITY columns need in tr.Pre.
func createTable(sig []engine.Token, i int, tr *translated) ([]engine.Token, error) {
	out := append([]engine.Token(nil), sig[:i]...)
	if i+2 < len(sig) && sig[i].Is("IF") && sig[i+1].Is("NOT") && sig[i+2].Is("EXISTS") {
		out = append(out, sig[i:i+3]...)
		i += 3
	}
	// the name: a[.b[.c]]
	start := i
	for i < len(sig) && (sig[i].Kind == engine.Ident || sig[i].Kind == engine.QuotedIdent) {
		i++
		if i < len(sig) && sig[i].Text == "." {
			i++
			continue
		}
		break
	}
	if i == start {
		return nil, errSyntax(textAt(sig, i))
	}
	nameToks := sig[start:i]
	out = append(out, nameToks...)
	parts := make([]string, 0, 3)
	for _, t := range nameToks {
		if t.Text != "." {
			parts = append(parts, identName(t))
		}
	}
	tr.Table = strings.Join(parts, ".")
	if i < len(sig) && sig[i].Text == "(" && !(i+1 < len(sig) && sig[i+1].Is("LIKE")) {
		e := matching(sig, i)
		if e < 0 {
			return nil, errSyntax(textAt(sig, len(sig)-1))
		}
		out = append(out, sig[i])
		for n, def := range splitArgs(sig[i+1 : e]) {
			if n > 0 {
				out = append(out, engine.Token{Kind: engine.Punct, Text: ",", Pos: -1})
			}
			d, err := columnDef(def, parts, tr)
			if err != nil {
				return nil, err
			}
			out = append(out, d...)
		}
		out = append(out, sig[e])
		i = e + 1
	}
	// table attributes, after the column list or before AS (CTAS)
	for i < len(sig) {
		t := sig[i]
		switch {
		case t.Is("DISTSTYLE") || t.Is("BACKUP") || (t.Is("ENCODE") && i+1 < len(sig)):
			i += 2
		case t.Is("DISTKEY") && i+1 < len(sig) && sig[i+1].Text == "(":
			i = matching(sig, i+1) + 1
		case t.Is("COMPOUND") || t.Is("INTERLEAVED"):
			i++
		case t.Is("SORTKEY"):
			if i+1 < len(sig) && sig[i+1].Is("AUTO") {
				i += 2
				continue
			}
			if i+1 >= len(sig) || sig[i+1].Text != "(" {
				return nil, errSyntax(textAt(sig, i+1))
			}
			e := matching(sig, i+1)
			if e < 0 {
				return nil, errSyntax("end of input")
			}
			for _, a := range splitArgs(sig[i+2 : e]) {
				if len(a) == 1 {
					tr.SortKey = append(tr.SortKey, identName(a[0]))
				}
			}
			i = e + 1
		default:
			return append(out, sig[i:]...), nil
		}
		if i <= 0 {
			return nil, errSyntax(t.Text)
		}
	}
	return out, nil
}

func textAt(sig []engine.Token, i int) string {
	if i < len(sig) && i >= 0 {
		return sig[i].Text
	}
	return "end of input"
}

// columnDef rewrites one element of the column list.
func columnDef(def []engine.Token, table []string, tr *translated) ([]engine.Token, error) {
	if len(def) == 0 {
		return nil, errSyntax(")")
	}
	switch def[0].Upper() {
	case "PRIMARY", "UNIQUE", "FOREIGN", "CONSTRAINT", "CHECK":
		if def[0].Kind == engine.Ident {
			return def, nil
		}
	}
	if len(def) < 2 {
		return nil, errSyntax(def[0].Text)
	}
	col := identName(def[0])
	n := typeLen(def, 1)
	out := []engine.Token{def[0], gen(mapType(def[1 : 1+n]))}
	for j := 1 + n; j < len(def); j++ {
		t := def[j]
		switch {
		case t.Is("ENCODE") || t.Is("COLLATE"):
			j++ // and its argument
		case t.Is("DISTKEY"):
		case t.Is("SORTKEY"):
			tr.SortKey = append(tr.SortKey, col)
		case t.Is("GENERATED") || t.Is("IDENTITY"):
			k := j
			for k < len(def) && !def[k].Is("IDENTITY") {
				k++
			}
			seed, step := "1", "1"
			if k+1 < len(def) && def[k+1].Text == "(" {
				e := matching(def, k+1)
				if e < 0 {
					return nil, errSyntax(def[len(def)-1].Text)
				}
				args := splitArgs(def[k+2 : e])
				if len(args) == 2 && len(args[0]) == 1 && len(args[1]) == 1 {
					seed, step = args[0][0].Text, args[1][0].Text
				} else if len(args) == 2 && len(args[1]) == 2 && args[1][0].Text == "-" {
					seed, step = engine.Join(args[0]), "-"+args[1][1].Text
				} else {
					return nil, fmtErr("IDENTITY takes (seed, step)")
				}
				k = e
			}
			seq := strings.Join(append(append([]string(nil), table[:len(table)-1]...), table[len(table)-1]+"_"+col+"_seq"), ".")
			tr.Pre = append(tr.Pre, fmt.Sprintf("CREATE SEQUENCE IF NOT EXISTS %s START WITH %s INCREMENT BY %s", quoteQualified(seq), seed, step))
			out = append(out, gen("DEFAULT nextval("+engine.Quote(seq)+")"))
			j = k
		default:
			out = append(out, t)
		}
	}
	return out, nil
}

func quoteQualified(n string) string {
	parts := strings.Split(n, ".")
	for i, p := range parts {
		parts[i] = engine.QuoteIdent(p)
	}
	return strings.Join(parts, ".")
}
