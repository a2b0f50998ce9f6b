package logs

import (
	"errors"
	"regexp"
	"strings"
)

// errPattern is every parse failure of a filter pattern; the API answers
// it as InvalidParameterException "Invalid filter pattern".
var errPattern = errors.New("logs: invalid filter pattern")

// maxPatternLen is the filterPattern length limit of the API.
const maxPatternLen = 1024

// tokKind classifies lexemes of JSON and space-delimited patterns.
type tokKind int

const (
	tkEOF    tokKind = iota
	tkPunct          // { } [ ] ( ) ,
	tkOp             // = != < <= > >= && ||
	tkString         // "quoted", unescaped
	tkWord           // bare word, selector, number, keyword, ...
	tkRegex          // %regex%, without the percent signs
)

type lexeme struct {
	kind tokKind
	text string
}

// lex splits a structured pattern into lexemes.
func lex(src string) ([]lexeme, error) {
	var out []lexeme
	i := 0
	for i < len(src) {
		c := src[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.IndexByte("{}[](),", c) >= 0:
			out = append(out, lexeme{tkPunct, src[i : i+1]})
			i++
		case c == '&' || c == '|':
			if i+1 >= len(src) || src[i+1] != c {
				return nil, errPattern
			}
			out = append(out, lexeme{tkOp, src[i : i+2]})
			i += 2
		case c == '!' || c == '<' || c == '>' || c == '=':
			if i+1 < len(src) && src[i+1] == '=' && c != '=' {
				out = append(out, lexeme{tkOp, src[i : i+2]})
				i += 2
				continue
			}
			if c == '!' {
				return nil, errPattern
			}
			out = append(out, lexeme{tkOp, src[i : i+1]})
			i++
		case c == '"':
			s, n, err := quoted(src[i:])
			if err != nil {
				return nil, err
			}
			out = append(out, lexeme{tkString, s})
			i += n
		case c == '%':
			j := strings.IndexByte(src[i+1:], '%')
			if j <= 0 {
				return nil, errPattern
			}
			out = append(out, lexeme{tkRegex, src[i+1 : i+1+j]})
			i += j + 2
		case c == '$':
			j := i + 1
			for j < len(src) {
				if src[j] == '[' {
					k := strings.IndexByte(src[j:], ']')
					if k < 0 {
						return nil, errPattern
					}
					j += k + 1
					continue
				}
				if isWordByte(src[j]) {
					j++
					continue
				}
				break
			}
			out = append(out, lexeme{tkWord, src[i:j]})
			i = j
		default:
			j := i
			for j < len(src) && isWordByte(src[j]) {
				j++
			}
			if j == i {
				return nil, errPattern
			}
			out = append(out, lexeme{tkWord, src[i:j]})
			i = j
		}
	}
	return append(out, lexeme{kind: tkEOF}), nil
}

func isWordByte(c byte) bool {
	return c > ' ' && strings.IndexByte("{}[](),=!<>&|\"", c) < 0
}

// quoted reads a double-quoted string at the start of s (backslash
// escapes the next character) and returns it unquoted and the bytes used.
func quoted(s string) (string, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 >= len(s) {
				return "", 0, errPattern
			}
			i++
			b.WriteByte(s[i])
		case '"':
			return b.String(), i + 1, nil
		default:
			b.WriteByte(s[i])
		}
	}
	return "", 0, errPattern
}

// maxStructuredRegex is how many %regex% a JSON or space-delimited
// pattern may hold.
const maxStructuredRegex = 2

// compileRegex compiles a %regex% body, which AWS restricts to letters,
// digits, the symbols _ # = @ / ; , - : (and space) and the operators
// ^ $ ? [ ] { } | \ * + . — no parentheses, no multi-byte characters.
func compileRegex(src string) (*regexp.Regexp, error) {
	for i := 0; i < len(src); i++ {
		c := src[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("_#=@/;,-: ^$?[]{}|\\*+.", c) >= 0 {
			continue
		}
		return nil, errPattern
	}
	re, err := regexp.Compile(src)
	if err != nil {
		return nil, errPattern
	}
	return re, nil
}

// parser walks lexemes.
type parser struct {
	toks    []lexeme
	i       int
	regexes int
}

func (p *parser) peek() lexeme { return p.toks[p.i] }

func (p *parser) next() lexeme {
	t := p.toks[p.i]
	if t.kind != tkEOF {
		p.i++
	}
	return t
}

func (p *parser) is(kind tokKind, text string) bool {
	t := p.peek()
	return t.kind == kind && t.text == text
}

func (p *parser) expect(kind tokKind, text string) error {
	if !p.is(kind, text) {
		return errPattern
	}
	p.next()
	return nil
}

// isKeyword matches a bare word case-insensitively.
func (p *parser) isKeyword(w string) bool {
	t := p.peek()
	return t.kind == tkWord && strings.EqualFold(t.text, w)
}
