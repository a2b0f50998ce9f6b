package sql

import (
	"fmt"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
)

// tableRef is a table named in a query, as written (lowercased).
type tableRef struct {
	Catalog, Database, Name string
	Pos                     int // byte offset in the query
}

// resolver maps a table reference to a parenthesized DuckDB relation.
type resolver func(ref tableRef) (string, error)

// translator rewrites one Athena (Trino) query to DuckDB on its tokens,
// never on raw text: functions and types are mapped (funcs.go), every
// table reference is replaced by the resolver's relation, and anything
// that would name a file or run SQL from a string is refused.
type translator struct {
	src     string
	resolve resolver
	ctes    map[string]bool
}

// translate rewrites src. The result is one statement; the engine's gate
// still checks it is a read.
func translate(src string, resolve resolver) (string, error) {
	toks, err := engine.Lex(src)
	if err != nil {
		return "", syntaxError(src, len(src), "unterminated quoted string or comment")
	}
	t := &translator{src: src, resolve: resolve, ctes: cteNames(toks)}
	var out strings.Builder
	if err := t.emit(toks, false, &out); err != nil {
		return "", err
	}
	return out.String(), nil
}

// cteNames finds the names a WITH clause defines: name [(cols)] AS ( after
// WITH, RECURSIVE or "),".
func cteNames(toks []engine.Token) map[string]bool {
	sig := engine.Significant(toks)
	names := map[string]bool{}
	for i := 1; i+2 < len(sig); i++ {
		p := sig[i-1]
		afterCTE := p.Text == "," && i >= 2 && sig[i-2].Text == ")"
		if !(p.Is("WITH") || p.Is("RECURSIVE") || afterCTE) || (sig[i].Kind != engine.Ident && sig[i].Kind != engine.QuotedIdent) {
			continue
		}
		j := i + 1
		if sig[j].Text == "(" {
			for j < len(sig) && sig[j].Text != ")" {
				j++
			}
			j++
		}
		if j+1 < len(sig) && sig[j].Is("AS") && sig[j+1].Text == "(" {
			names[strings.ToLower(sig[i].Value())] = true
		}
	}
	return names
}

// groupWords are keywords that may precede '(' without making a call.
var groupWords = map[string]bool{
	"IN": true, "EXISTS": true, "AS": true, "FROM": true, "JOIN": true, "ON": true, "AND": true,
	"OR": true, "NOT": true, "WHERE": true, "SELECT": true, "VALUES": true, "USING": true,
	"OVER": true, "FILTER": true, "WHEN": true, "THEN": true, "ELSE": true, "BY": true,
	"HAVING": true, "UNION": true, "ALL": true, "DISTINCT": true, "ANY": true, "SOME": true,
	"LATERAL": true, "IS": true, "LIKE": true, "BETWEEN": true, "EXCEPT": true, "INTERSECT": true,
	"WITHIN": true, "CASE": true, "RETURN": true, "LIMIT": true, "WITH": true, "SETS": true,
}

// clauseWords end a FROM list or follow a table without being its alias.
var clauseWords = map[string]bool{
	"WHERE": true, "GROUP": true, "ORDER": true, "HAVING": true, "LIMIT": true, "UNION": true,
	"EXCEPT": true, "INTERSECT": true, "WINDOW": true, "OFFSET": true, "FETCH": true,
	"QUALIFY": true, "SELECT": true, "ON": true, "USING": true, "JOIN": true, "INNER": true,
	"LEFT": true, "RIGHT": true, "FULL": true, "CROSS": true, "NATURAL": true, "OUTER": true,
	"TABLESAMPLE": true, "POSITIONAL": true, "ASOF": true, "ANTI": true, "SEMI": true, "FOR": true,
}

// fromEnd are the clauses that end a FROM list.
var fromEnd = map[string]bool{
	"WHERE": true, "GROUP": true, "ORDER": true, "HAVING": true, "LIMIT": true, "UNION": true,
	"EXCEPT": true, "INTERSECT": true, "WINDOW": true, "OFFSET": true, "FETCH": true,
	"QUALIFY": true, "SELECT": true,
}

// fromCalls are the functions whose arguments use FROM as a keyword.
var fromCalls = map[string]bool{"extract": true, "substring": true, "trim": true, "overlay": true, "position": true}

// emit writes the translation of toks (a balanced run). inCall is true
// inside extract/substring/trim(... FROM ...), where FROM is no table.
func (t *translator) emit(toks []engine.Token, inCall bool, out *strings.Builder) error {
	if first := firstSig(toks, 0); first >= 0 && toks[first].Is("TABLE") { // TABLE t
		out.WriteString(joinRange(toks, 0, first) + "FROM")
		return t.emitTail(toks[first+1:], inCall, out, true, true)
	}
	return t.emitTail(toks, inCall, out, false, false)
}

func (t *translator) emitTail(toks []engine.Token, inCall bool, out *strings.Builder, expectTable, fromList bool) error {
	var prev engine.Token
	for i := 0; i < len(toks); i++ {
		tk := toks[i]
		if tk.Kind == engine.Space || tk.Kind == engine.Comment {
			out.WriteString(tk.Text)
			continue
		}
		next := firstSig(toks, i+1)
		isCall := (tk.Kind == engine.Ident || tk.Kind == engine.QuotedIdent) && next >= 0 && toks[next].Text == "(" &&
			!(tk.Kind == engine.Ident && groupWords[tk.Upper()])
		switch {
		case expectTable && tk.Text == "(":
			j := matchParen(toks, i)
			if j < 0 {
				return syntaxError(t.src, tk.Pos, "mismatched input '('")
			}
			inner := toks[i+1 : j]
			out.WriteString("(")
			f := firstSig(inner, 0)
			if f >= 0 && (inner[f].Is("SELECT") || inner[f].Is("WITH") || inner[f].Is("VALUES") || inner[f].Text == "(") {
				if err := t.emit(inner, false, out); err != nil {
					return err
				}
			} else if err := t.emitTail(inner, false, out, true, true); err != nil {
				return err
			}
			out.WriteString(")")
			i, expectTable = j, false
		case expectTable && tk.Kind == engine.String:
			return &queryError{Code: "NOT_SUPPORTED", Pos: tk.Pos, Msg: "tarn resolves tables through the catalog; a query cannot read files by path"}
		case expectTable && tk.Is("LATERAL"):
			out.WriteString(tk.Text)
		case expectTable && isCall:
			if !tk.Is("UNNEST") {
				return &queryError{Code: "NOT_SUPPORTED", Pos: tk.Pos, Msg: fmt.Sprintf("Table function '%s' is not supported", strings.ToLower(tk.Value()))}
			}
			j, err := t.call(toks, i, next, out)
			if err != nil {
				return err
			}
			i, expectTable = j, false
		case expectTable && tk.Kind == engine.Ident && (clauseWords[tk.Upper()] || groupWords[tk.Upper()]):
			return syntaxError(t.src, tk.Pos, fmt.Sprintf("mismatched input '%s'. Expecting: <identifier>", tk.Text))
		case expectTable && (tk.Kind == engine.Ident || tk.Kind == engine.QuotedIdent):
			j, err := t.table(toks, i, out)
			if err != nil {
				return err
			}
			i, expectTable = j, false
		case isCall:
			j, err := t.call(toks, i, next, out)
			if err != nil {
				return err
			}
			i = j
		case tk.Text == "(":
			j := matchParen(toks, i)
			if j < 0 {
				return syntaxError(t.src, tk.Pos, "mismatched input '('")
			}
			out.WriteString("(")
			if err := t.emit(toks[i+1:j], false, out); err != nil {
				return err
			}
			out.WriteString(")")
			i = j
		case tk.Text == ")":
			return syntaxError(t.src, tk.Pos, "mismatched input ')'")
		case tk.Kind == engine.QuotedIdent && tk.Text[0] == '`':
			out.WriteString(engine.QuoteIdent(tk.Value()))
		default:
			switch {
			case tk.Is("FROM") && !inCall && !prev.Is("DISTINCT"):
				expectTable, fromList = true, true
			case tk.Is("JOIN") && !inCall:
				expectTable, fromList = true, true
			case tk.Text == "," && fromList && !inCall:
				expectTable = true
			case tk.Kind == engine.Ident && fromEnd[tk.Upper()]:
				fromList = false
			}
			out.WriteString(tk.Text)
		}
		prev = tk
	}
	if expectTable {
		return syntaxError(t.src, len(t.src), "mismatched input '<EOF>'. Expecting: <identifier>")
	}
	return nil
}

// table resolves the (dotted) table name at toks[i]; it returns the index
// of the name's last token.
func (t *translator) table(toks []engine.Token, i int, out *strings.Builder) (int, error) {
	parts := []string{strings.ToLower(toks[i].Value())}
	pos, last := toks[i].Pos, i
	for {
		d := firstSig(toks, last+1)
		if d < 0 || toks[d].Text != "." {
			break
		}
		n := firstSig(toks, d+1)
		if n < 0 || (toks[n].Kind != engine.Ident && toks[n].Kind != engine.QuotedIdent) {
			return 0, syntaxError(t.src, toks[d].Pos, "mismatched input '.'. Expecting: <identifier>")
		}
		parts = append(parts, strings.ToLower(toks[n].Value()))
		last = n
	}
	if len(parts) == 1 && t.ctes[parts[0]] {
		out.WriteString(engine.Join(toks[i : last+1]))
		return last, nil
	}
	var ref tableRef
	switch len(parts) {
	case 1:
		ref = tableRef{Name: parts[0]}
	case 2:
		ref = tableRef{Database: parts[0], Name: parts[1]}
	case 3:
		ref = tableRef{Catalog: parts[0], Database: parts[1], Name: parts[2]}
	default:
		return 0, syntaxError(t.src, pos, "Too many dots in table name '"+strings.Join(parts, ".")+"'")
	}
	ref.Pos = pos
	rel, err := t.resolve(ref)
	if err != nil {
		return 0, err
	}
	out.WriteString(rel)
	n := firstSig(toks, last+1)
	hasAlias := n >= 0 && (toks[n].Is("AS") || toks[n].Kind == engine.QuotedIdent ||
		toks[n].Kind == engine.Ident && !clauseWords[toks[n].Upper()] && !groupWords[toks[n].Upper()] && !toks[n].Is("LATERAL"))
	if !hasAlias {
		out.WriteString(" AS " + engine.QuoteIdent(ref.Name))
	}
	return last, nil
}

// call translates the function call whose name is toks[i] and whose '('
// is toks[open]; it returns the index of the closing ')'.
func (t *translator) call(toks []engine.Token, i, open int, out *strings.Builder) (int, error) {
	closeIdx := matchParen(toks, open)
	if closeIdx < 0 {
		return 0, syntaxError(t.src, toks[open].Pos, "mismatched input '('")
	}
	name := strings.ToLower(toks[i].Value())
	if deniedFunction(name) {
		return 0, &queryError{Code: "FUNCTION_NOT_FOUND", Pos: toks[i].Pos, Msg: fmt.Sprintf("Function '%s' not registered", name)}
	}
	inner := toks[open+1 : closeIdx]
	if h, ok := funcs[name]; ok {
		args := splitArgs(inner)
		s, err := h(t, toks[i], args)
		if err != nil {
			return 0, err
		}
		if s != "" {
			out.WriteString(s)
			return closeIdx, nil
		}
	}
	if r, ok := renames[name]; ok {
		out.WriteString(r)
	} else if toks[i].Kind == engine.QuotedIdent && toks[i].Text[0] == '`' {
		out.WriteString(engine.QuoteIdent(toks[i].Value()))
	} else {
		out.WriteString(toks[i].Text)
	}
	out.WriteString(joinRange(toks, i+1, open))
	out.WriteString("(")
	if err := t.emit(inner, fromCalls[name], out); err != nil {
		return 0, err
	}
	out.WriteString(")")
	return closeIdx, nil
}

// sub translates one argument (a token run).
func (t *translator) sub(arg []engine.Token) (string, error) {
	var b strings.Builder
	if err := t.emit(arg, false, &b); err != nil {
		return "", err
	}
	return strings.TrimSpace(b.String()), nil
}
