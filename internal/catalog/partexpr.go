package catalog

import (
	"fmt"
	"strings"
)

// The GetPartitions Expression: a SQL WHERE-like predicate over the
// table's partition keys.
//
//	expr  := or
//	or    := and {OR and}
//	and   := unary {AND unary}
//	unary := NOT unary | '(' expr ')' | pred
//	pred  := term op term                 op: = <> != < > <= >=
//	       | term [NOT] IN '(' term {',' term} ')'
//	       | term [NOT] BETWEEN term AND term
//	       | term [NOT] LIKE term         % any run, _ one character
//	term  := key | 'string' | number      key: name or `name` or "name"
//
// Keywords and key names are case-insensitive. Comparisons are numeric
// when a key of an integer, decimal or floating type takes part, else
// by string (dates and timestamps in ISO form order as strings).

// maxExprLen bounds an Expression (Glue: 2048 characters).
const maxExprLen = 2048

type tokKind int

const (
	tkEOF tokKind = iota
	tkIdent
	tkString
	tkNumber
	tkOp    // = <> != < > <= >=
	tkPunct // ( ) ,
)

type token struct {
	kind tokKind
	text string // identifier (as written), string value, number text, operator
	pos  int
	// quoted marks a `quoted` or "quoted" name, never a keyword.
	quoted bool
}

func lexExpr(src string) ([]token, error) {
	var out []token
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '(' || c == ')' || c == ',':
			out = append(out, token{kind: tkPunct, text: string(c), pos: i})
			i++
		case c == '=':
			out = append(out, token{kind: tkOp, text: "=", pos: i})
			i++
		case c == '<' || c == '>' || c == '!':
			op := string(c)
			if i+1 < len(src) && (src[i+1] == '=' || (c == '<' && src[i+1] == '>')) {
				op += string(src[i+1])
			}
			if op == "!" {
				return nil, fmt.Errorf("unexpected character '!' at position %d", i)
			}
			out = append(out, token{kind: tkOp, text: op, pos: i})
			i += len(op)
		case c == '\'':
			var b strings.Builder
			j := i + 1
			for {
				if j >= len(src) {
					return nil, fmt.Errorf("unterminated string starting at position %d", i)
				}
				if src[j] == '\'' {
					if j+1 < len(src) && src[j+1] == '\'' {
						b.WriteByte('\'')
						j += 2
						continue
					}
					break
				}
				b.WriteByte(src[j])
				j++
			}
			out = append(out, token{kind: tkString, text: b.String(), pos: i})
			i = j + 1
		case c == '`' || c == '"':
			j := strings.IndexByte(src[i+1:], c)
			if j < 0 {
				return nil, fmt.Errorf("unterminated quoted name at position %d", i)
			}
			out = append(out, token{tkIdent, src[i+1 : i+1+j], i, true})
			i += j + 2
		case c == '-' || c == '.' || (c >= '0' && c <= '9'):
			j := i
			if c == '-' {
				j++
			}
			digits, dot := 0, false
			for j < len(src) && (src[j] >= '0' && src[j] <= '9' || src[j] == '.' && !dot) {
				if src[j] == '.' {
					dot = true
				} else {
					digits++
				}
				j++
			}
			if digits == 0 {
				return nil, fmt.Errorf("malformed number at position %d", i)
			}
			out = append(out, token{kind: tkNumber, text: src[i:j], pos: i})
			i = j
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			j := i
			for j < len(src) && (src[j] == '_' || src[j] >= 'a' && src[j] <= 'z' || src[j] >= 'A' && src[j] <= 'Z' || src[j] >= '0' && src[j] <= '9') {
				j++
			}
			out = append(out, token{kind: tkIdent, text: src[i:j], pos: i})
			i = j
		default:
			return nil, fmt.Errorf("unexpected character %q at position %d", c, i)
		}
	}
	return append(out, token{kind: tkEOF, pos: len(src)}), nil
}

// node is a parsed expression.
type node interface{ String() string }

type (
	orNode  struct{ l, r node }
	andNode struct{ l, r node }
	notNode struct{ x node }
	cmpNode struct {
		op   string
		l, r term
	}
	inNode struct {
		neg  bool
		x    term
		list []term
	}
	betweenNode struct {
		neg       bool
		x, lo, hi term
	}
	likeNode struct {
		neg    bool
		x, pat term
	}
)

// term is a key (col >= 0) or a literal.
type term struct {
	col  int    // index into partition keys, -1 for a literal
	name string // key name as declared
	lit  string // literal text (string value or number text)
	num  bool   // literal is a number
}

func (t term) String() string {
	switch {
	case t.col >= 0:
		return t.name
	case t.num:
		return t.lit
	}
	return "'" + strings.ReplaceAll(t.lit, "'", "''") + "'"
}

func (n orNode) String() string  { return "(" + n.l.String() + " OR " + n.r.String() + ")" }
func (n andNode) String() string { return "(" + n.l.String() + " AND " + n.r.String() + ")" }
func (n notNode) String() string { return "(NOT " + n.x.String() + ")" }
func (n cmpNode) String() string { return n.l.String() + " " + n.op + " " + n.r.String() }
func (n inNode) String() string {
	parts := make([]string, len(n.list))
	for i, t := range n.list {
		parts[i] = t.String()
	}
	return n.x.String() + neg(n.neg) + " IN (" + strings.Join(parts, ", ") + ")"
}
func (n betweenNode) String() string {
	return n.x.String() + neg(n.neg) + " BETWEEN " + n.lo.String() + " AND " + n.hi.String()
}
func (n likeNode) String() string { return n.x.String() + neg(n.neg) + " LIKE " + n.pat.String() }

func neg(b bool) string {
	if b {
		return " NOT"
	}
	return ""
}
