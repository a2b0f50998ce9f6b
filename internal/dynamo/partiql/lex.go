package partiql

import (
	"strconv"
	"strings"
)

// tokKind is the kind of a lexical token.
type tokKind uint8

const (
	tEOF    tokKind = iota
	tIdent          // bare identifier or keyword; text as written
	tQuoted         // "double-quoted" identifier; val unescaped
	tString         // 'single-quoted' string literal; val unescaped
	tNumber         // number literal; text as written
	tParam          // ?
	tPunct          // operator or punctuation; text is the symbol
)

type token struct {
	kind tokKind
	text string // as written (for tIdent, tNumber, tPunct)
	val  string // unescaped content (tQuoted, tString)
	kw   string // lower-cased text if a bare identifier is a reserved word
	pos  int
}

// is reports whether t is the bare keyword kw (lower case).
func (t token) is(kw string) bool { return t.kind == tIdent && t.kw == kw }

// punct reports whether t is the punctuation sym.
func (t token) punct(sym string) bool { return t.kind == tPunct && t.text == sym }

// twoChar are the operators of two characters, matched before one.
var twoChar = []string{"<>", "!=", "<=", ">=", "<<", ">>", "||"}

const oneChar = "=<>+-*/%()[]{},.:;?"

// lex splits src into tokens ending with tEOF. Comments (-- to the end of
// the line, /* ... */) and white space are dropped. A character that starts
// no token, an unterminated literal or comment, or a number whose exponent
// does not fit DynamoDB's parser is the bare "wasn't well formed" error.
func lex(src string) ([]token, *Error) {
	toks := make([]token, 0, len(src)/4+2)
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f':
			i++
		case c == '-' && i+1 < len(src) && src[i+1] == '-':
			for i < len(src) && src[i] != '\n' {
				i++
			}
		case c == '/' && i+1 < len(src) && src[i+1] == '*':
			end := strings.Index(src[i+2:], "*/")
			if end < 0 {
				return nil, newError(msgLexical)
			}
			i += 2 + end + 2
		case c == '\'' || c == '"':
			val, n, ok := quoted(src[i:], c)
			if !ok {
				return nil, newError(msgLexical)
			}
			k := tString
			if c == '"' {
				k = tQuoted
			}
			toks = append(toks, token{kind: k, text: src[i : i+n], val: val, pos: i})
			i += n
		case isDigit(c) || (c == '.' && i+1 < len(src) && isDigit(src[i+1])):
			n, ok := number(src[i:])
			if !ok {
				return nil, newError(msgLexical)
			}
			toks = append(toks, token{kind: tNumber, text: src[i : i+n], pos: i})
			i += n
		case isIdentStart(c):
			j := i + 1
			for j < len(src) && isIdentPart(src[j]) {
				j++
			}
			t := token{kind: tIdent, text: src[i:j], pos: i}
			if lw := strings.ToLower(t.text); keywords[lw] {
				t.kw = lw
			}
			toks = append(toks, t)
			i = j
		default:
			matched := false
			for _, op := range twoChar {
				if strings.HasPrefix(src[i:], op) {
					toks = append(toks, token{kind: tPunct, text: op, pos: i})
					i += 2
					matched = true
					break
				}
			}
			if matched {
				continue
			}
			if strings.IndexByte(oneChar, c) < 0 {
				return nil, newError(msgLexical)
			}
			k := tPunct
			if c == '?' {
				k = tParam
			}
			toks = append(toks, token{kind: k, text: src[i : i+1], pos: i})
			i++
		}
	}
	return append(toks, token{kind: tEOF, pos: len(src)}), nil
}

// quoted reads a literal delimited by q with q doubled as its escape,
// returning the content, the length consumed and whether it is terminated.
func quoted(s string, q byte) (string, int, bool) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		if s[i] != q {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == q {
			b.WriteByte(q)
			i++
			continue
		}
		return b.String(), i + 1, true
	}
	return "", 0, false
}

// number measures a number literal: digits, an optional fraction and an
// optional exponent. ok is false when the exponent, or the scale it leaves
// (fraction digits minus exponent), does not fit a 32-bit integer, which
// DynamoDB's parser rejects with nothing after the colon.
func number(s string) (n int, ok bool) {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	frac := 0
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			frac++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		j := i + 1
		if j < len(s) && (s[j] == '+' || s[j] == '-') {
			j++
		}
		if j < len(s) && isDigit(s[j]) {
			k := j
			for k < len(s) && isDigit(s[k]) {
				k++
			}
			exp, err := strconv.ParseInt(s[i+1:k], 10, 32)
			if err != nil {
				return 0, false
			}
			if scale := int64(frac) - exp; scale > 1<<31-1 || scale < -1<<31 {
				return 0, false
			}
			i = k
		}
	}
	return i, true
}

func isDigit(c byte) bool      { return c >= '0' && c <= '9' }
func isIdentStart(c byte) bool { return c == '_' || c == '$' || (c|0x20 >= 'a' && c|0x20 <= 'z') }
func isIdentPart(c byte) bool  { return isIdentStart(c) || isDigit(c) }
