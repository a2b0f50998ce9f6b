package sql

import (
	"fmt"
	"strings"

	"github.com/tarnhq/tarn/internal/engine"
)

// cursor walks a statement's significant tokens for the DDL parsers.
type cursor struct {
	toks []engine.Token
	i    int
	src  string
}

func (c *cursor) done() bool { return c.i >= len(c.toks) }

func (c *cursor) peek() engine.Token {
	if c.done() {
		return engine.Token{Pos: len(c.src)}
	}
	return c.toks[c.i]
}

func (c *cursor) next() engine.Token {
	t := c.peek()
	c.i++
	return t
}

// accept consumes the words (keywords or punctuation) if they come next.
func (c *cursor) accept(words ...string) bool {
	for j, w := range words {
		if c.i+j >= len(c.toks) {
			return false
		}
		t := c.toks[c.i+j]
		if !(t.Is(w) || t.Kind == engine.Punct && t.Text == w) {
			return false
		}
	}
	c.i += len(words)
	return true
}

// errAt is a SYNTAX_ERROR at the next token.
func (c *cursor) errAt(expecting string) error {
	t := c.peek()
	in := t.Text
	if c.done() {
		in = "<EOF>"
	}
	return &queryError{Code: "SYNTAX_ERROR", Pos: t.Pos, Msg: fmt.Sprintf("mismatched input '%s'. Expecting: %s", in, expecting)}
}

func (c *cursor) expect(words ...string) error {
	if !c.accept(words...) {
		return c.errAt("'" + strings.Join(words, " ") + "'")
	}
	return nil
}

// ident reads an identifier (bare, "quoted" or `quoted`), lowercased.
func (c *cursor) ident() (string, error) {
	t := c.peek()
	if t.Kind != engine.Ident && t.Kind != engine.QuotedIdent {
		return "", c.errAt("<identifier>")
	}
	c.i++
	return strings.ToLower(t.Value()), nil
}

// name reads [db.]name; db is "" when absent.
func (c *cursor) name() (db, name string, pos int, err error) {
	pos = c.peek().Pos
	name, err = c.ident()
	if err != nil {
		return "", "", pos, err
	}
	if c.accept(".") {
		db = name
		if name, err = c.ident(); err != nil {
			return "", "", pos, err
		}
	}
	return db, name, pos, nil
}

func (c *cursor) str() (string, error) {
	t := c.peek()
	if t.Kind != engine.String {
		return "", c.errAt("<string>")
	}
	c.i++
	return t.Value(), nil
}

// properties reads ('k' = 'v', ...).
func (c *cursor) properties() (map[string]string, error) {
	if err := c.expect("("); err != nil {
		return nil, err
	}
	props := map[string]string{}
	for {
		k, err := c.str()
		if err != nil {
			return nil, err
		}
		if err := c.expect("="); err != nil {
			return nil, err
		}
		v, err := c.str()
		if err != nil {
			return nil, err
		}
		props[k] = v
		if c.accept(",") {
			continue
		}
		return props, c.expect(")")
	}
}

// hiveTypeText reads a Hive type and returns its canonical text (lower
// case, no spaces), validated against the DuckDB mapping.
func (c *cursor) hiveTypeText() (string, error) {
	start := c.i
	if _, j, err := parseType(c.toks, c.i); err != nil {
		return "", &queryError{Code: "SYNTAX_ERROR", Pos: c.peek().Pos, Msg: err.Error()}
	} else {
		c.i = j
	}
	var b strings.Builder
	for _, t := range c.toks[start:c.i] {
		b.WriteString(strings.ToLower(t.Value()))
	}
	return b.String(), nil
}
