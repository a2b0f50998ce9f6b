package engine

import (
	"errors"
	"strings"
	"unicode"
	"unicode/utf8"
)

// TokenKind classifies a Token.
type TokenKind int

// Token kinds. Space and Comment tokens are kept so that joining every
// token's Text gives back the input exactly.
const (
	Space       TokenKind = iota + 1
	Comment               // -- line or /* block */ (nested, as PostgreSQL)
	Ident                 // bare word: keyword or identifier
	QuotedIdent           // "x" or `x`
	String                // 'x', E'x' or $tag$x$tag$
	Number                // 12, 1.5, .5e3
	Param                 // ?, $1
	Punct                 // operators and punctuation, e.g. ( , ; :: <=
)

// Token is one lexical unit of SQL text; Pos is its byte offset.
type Token struct {
	Kind TokenKind
	Text string
	Pos  int
}

// Upper is the token's text in upper case (for keyword comparisons).
func (t Token) Upper() string { return strings.ToUpper(t.Text) }

// Is reports whether t is the bare word kw (case-insensitive).
func (t Token) Is(kw string) bool { return t.Kind == Ident && strings.EqualFold(t.Text, kw) }

// Value is the content of a String or QuotedIdent token with its quotes
// removed and escapes undone; other tokens give their text.
func (t Token) Value() string {
	s := t.Text
	switch t.Kind {
	case QuotedIdent:
		q := s[:1]
		return strings.ReplaceAll(s[1:len(s)-1], q+q, q)
	case String:
		if s[0] == '$' {
			i := strings.IndexByte(s[1:], '$') + 2
			return s[i : len(s)-i]
		}
		if s[0] == 'E' || s[0] == 'e' {
			s = s[1:]
		}
		return strings.ReplaceAll(s[1:len(s)-1], "''", "'")
	}
	return s
}

// ErrUnterminated means a quoted string, identifier or block comment does
// not end before the text does.
var ErrUnterminated = errors.New("engine: unterminated quoted string, identifier or comment")

var multiPunct = []string{"->>", "::", "<=", ">=", "<>", "!=", "||", "->", "=>", "**"}

// Lex splits sql into tokens. On ErrUnterminated the tokens lexed before
// the unterminated one are returned with it.
func Lex(sql string) ([]Token, error) {
	var toks []Token
	i := 0
	for i < len(sql) {
		start := i
		c := sql[i]
		kind := Punct
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v':
			for i < len(sql) && strings.IndexByte(" \t\n\r\f\v", sql[i]) >= 0 {
				i++
			}
			kind = Space
		case c == '-' && strings.HasPrefix(sql[i:], "--"):
			j := strings.IndexByte(sql[i:], '\n')
			if j < 0 {
				i = len(sql)
			} else {
				i += j
			}
			kind = Comment
		case c == '/' && strings.HasPrefix(sql[i:], "/*"):
			depth := 0
			for i < len(sql) {
				if strings.HasPrefix(sql[i:], "/*") {
					depth++
					i += 2
				} else if strings.HasPrefix(sql[i:], "*/") {
					depth--
					i += 2
					if depth == 0 {
						break
					}
				} else {
					i++
				}
			}
			if depth != 0 {
				return toks, ErrUnterminated
			}
			kind = Comment
		case (c == 'E' || c == 'e') && i+1 < len(sql) && sql[i+1] == '\'':
			end := scanQuoted(sql, i+1, '\'', true)
			if end < 0 {
				return toks, ErrUnterminated
			}
			i, kind = end, String
		case c == '\'':
			end := scanQuoted(sql, i, '\'', false)
			if end < 0 {
				return toks, ErrUnterminated
			}
			i, kind = end, String
		case c == '"' || c == '`':
			end := scanQuoted(sql, i, c, false)
			if end < 0 {
				return toks, ErrUnterminated
			}
			i, kind = end, QuotedIdent
		case c == '$':
			if i+1 < len(sql) && sql[i+1] >= '0' && sql[i+1] <= '9' {
				i++
				for i < len(sql) && sql[i] >= '0' && sql[i] <= '9' {
					i++
				}
				kind = Param
				break
			}
			if tag, ok := dollarTag(sql[i:]); ok {
				j := strings.Index(sql[i+len(tag):], tag)
				if j < 0 {
					return toks, ErrUnterminated
				}
				i += 2*len(tag) + j
				kind = String
				break
			}
			i++
		case c == '?':
			i++
			kind = Param
		case c >= '0' && c <= '9' || c == '.' && i+1 < len(sql) && sql[i+1] >= '0' && sql[i+1] <= '9':
			i = scanNumber(sql, i)
			kind = Number
		case isIdentStart(sql[i:]):
			for i < len(sql) {
				r, n := utf8.DecodeRuneInString(sql[i:])
				if !(r == '_' || r == '$' || unicode.IsLetter(r) || unicode.IsDigit(r)) {
					break
				}
				i += n
			}
			kind = Ident
		default:
			i++
			for _, p := range multiPunct {
				if strings.HasPrefix(sql[start:], p) {
					i = start + len(p)
					break
				}
			}
			if i == start+1 && c >= utf8.RuneSelf { // keep a multibyte rune whole
				_, n := utf8.DecodeRuneInString(sql[start:])
				i = start + n
			}
		}
		toks = append(toks, Token{Kind: kind, Text: sql[start:i], Pos: start})
	}
	return toks, nil
}

func isIdentStart(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return r == '_' || unicode.IsLetter(r)
}

// scanQuoted returns the offset after the quoted run starting at sql[i]
// (the opening quote q; a doubled quote is an escaped one; with backslash,
// \x escapes x), or -1 when it does not end.
func scanQuoted(sql string, i int, q byte, backslash bool) int {
	for j := i + 1; j < len(sql); j++ {
		switch sql[j] {
		case '\\':
			if backslash {
				j++
			}
		case q:
			if j+1 < len(sql) && sql[j+1] == q {
				j++
				continue
			}
			return j + 1
		}
	}
	return -1
}

// dollarTag returns the $tag$ opening s, if s starts with one.
func dollarTag(s string) (string, bool) {
	for j := 1; j < len(s); j++ {
		c := s[j]
		if c == '$' {
			return s[:j+1], true
		}
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || j > 1 && c >= '0' && c <= '9') {
			return "", false
		}
	}
	return "", false
}

func scanNumber(sql string, i int) int {
	for i < len(sql) && (sql[i] >= '0' && sql[i] <= '9' || sql[i] == '.' || sql[i] == '_') {
		i++
	}
	if i < len(sql) && (sql[i] == 'e' || sql[i] == 'E') {
		j := i + 1
		if j < len(sql) && (sql[j] == '+' || sql[j] == '-') {
			j++
		}
		if j < len(sql) && sql[j] >= '0' && sql[j] <= '9' {
			i = j
			for i < len(sql) && sql[i] >= '0' && sql[i] <= '9' {
				i++
			}
		}
	}
	return i
}

// Significant returns toks without Space and Comment tokens.
func Significant(toks []Token) []Token {
	out := make([]Token, 0, len(toks))
	for _, t := range toks {
		if t.Kind != Space && t.Kind != Comment {
			out = append(out, t)
		}
	}
	return out
}

// Join concatenates the tokens' text.
func Join(toks []Token) string {
	var b strings.Builder
	for _, t := range toks {
		b.WriteString(t.Text)
	}
	return b.String()
}
