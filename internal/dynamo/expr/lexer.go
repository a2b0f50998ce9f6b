package expr

import "strings"

type tokKind uint8

const (
	tEOF     tokKind = iota
	tIdent           // name or keyword
	tName            // #name
	tValue           // :name
	tNumber          // digits (list indexes)
	tPunct           // = <> < <= > >= ( ) [ ] , . + -
	tInvalid         // any other character
)

type token struct {
	kind       tokKind
	text       string
	start, end int // byte offsets in the source
}

// lex splits src into tokens (whitespace dropped; offsets kept for the
// "near" text of syntax errors). The last token is tEOF.
func lex(src string) []token {
	toks := make([]token, 0, len(src)/3+2)
	i := 0
	for i < len(src) {
		c := src[i]
		start := i
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
			continue
		case isIdentStart(c):
			for i < len(src) && isIdentByte(src[i]) {
				i++
			}
			toks = append(toks, token{tIdent, src[start:i], start, i})
			continue
		case c == '#' || c == ':':
			i++
			for i < len(src) && isIdentByte(src[i]) {
				i++
			}
			k := tName
			if c == ':' {
				k = tValue
			}
			if i == start+1 {
				k = tInvalid
			}
			toks = append(toks, token{k, src[start:i], start, i})
			continue
		case c >= '0' && c <= '9':
			// DynamoDB lexes a leading 0 as a number of its own ("03" is 0, 3)
			i++
			if c != '0' {
				for i < len(src) && src[i] >= '0' && src[i] <= '9' {
					i++
				}
			}
			toks = append(toks, token{tNumber, src[start:i], start, i})
			continue
		case c == '<':
			i++
			if i < len(src) && (src[i] == '=' || src[i] == '>') {
				i++
			}
		case c == '>':
			i++
			if i < len(src) && src[i] == '=' {
				i++
			}
		case strings.IndexByte("=()[],.+-", c) >= 0:
			i++
		default:
			// one character (a whole UTF-8 sequence)
			i++
			for i < len(src) && src[i]&0xC0 == 0x80 {
				i++
			}
			toks = append(toks, token{tInvalid, src[start:i], start, i})
			continue
		}
		toks = append(toks, token{tPunct, src[start:i], start, i})
	}
	return append(toks, token{tEOF, "", len(src), len(src)})
}

func isIdentStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_'
}

func isIdentByte(c byte) bool { return isIdentStart(c) || c >= '0' && c <= '9' }

// syntaxError is DynamoDB's message for an unexpected token: the token,
// and the source from the token before it to the token after it.
func syntaxError(kind, src string, toks []token, at int) *Error {
	t := toks[at]
	text := t.text
	if t.kind == tEOF {
		text = "<EOF>"
	}
	from, to := t.start, t.end
	if at > 0 {
		from = toks[at-1].start
	}
	if t.kind != tEOF && at+1 < len(toks) {
		to = toks[at+1].end
	}
	return errorf("Invalid ", kind, ": ", msgSyntax, `"`, text, `", near: "`, src[from:to], `"`)
}

func isKeyword(t token, kw string) bool { return t.kind == tIdent && strings.EqualFold(t.text, kw) }
