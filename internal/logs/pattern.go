package logs

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
)

// filterPattern is a parsed CloudWatch Logs filter pattern
// (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html).
// Three forms, chosen by the first character:
//
//   - terms: `ERROR "two words" ?WARN ?FATAL -DEBUG %regex%`: every plain
//     term must occur (case-sensitive substring, as AWS matches: ERROR
//     matches ERRORS), at least one ?term when there are any, and no
//     -term;
//   - JSON, `{ ... }`: comparisons of selectors ($.a.b[0], * for any key
//     or index) with = != < <= > >= (strings with * wildcards, numbers),
//     IS NULL, NOT EXISTS, IS TRUE, IS FALSE, combined with && || and
//     parentheses; the message must be a JSON object or array;
//   - space-delimited, `[ip, user, ..., status = 4*, size > 1000]`: the
//     message's fields (split at spaces; "quoted" and [bracketed] runs are
//     one field) are bound to the names in order, `...` matching any
//     number of fields, and each name's conditions must hold.
//
// Regular expressions (%...%) are AWS's subset: letters, digits,
// _ # = @ / ; , - : and the operators ^ $ ? [ ] { } | \ * + . (no
// parentheses, no multi-byte characters); JSON and space-delimited
// patterns may hold at most two, as values of = and !=.
//
// The empty pattern matches every event. A filterPattern is immutable and
// safe for concurrent use.
type filterPattern struct {
	src    string
	terms  []term   // terms form
	json   *cond    // JSON form
	fields []string // space-delimited form: names; "..." is the ellipsis
	where  *cond    // space-delimited conditions, over field names
	form   byte     // 0 all, 't' terms, 'j' JSON, 'f' fields
}

// term is one word of the terms form.
type term struct {
	mode byte   // 0 must occur, '?' any of, '-' must not occur
	text string // the literal, or the regexp source
	re   *regexp.Regexp
}

// cond is a node of a JSON or space-delimited condition.
type cond struct {
	op   string // "&&", "||", or a comparison: = != < <= > >= "IS NULL" "NOT EXISTS" "IS TRUE" "IS FALSE"
	l, r *cond  // for && and ||
	ref  string // selector ($.a[0].b) or field name
	path []step // parsed selector (JSON form)
	val  literal
}

// step is one selector step: a key or an index; "*" is any.
type step struct {
	key   string
	index int // -1 for a key step, -2 for [*]
}

// literal is a comparison's right side.
type literal struct {
	text   string
	num    float64
	isNum  bool // a bare number
	quoted bool
	re     *regexp.Regexp // a %regex% value
}

// parsePattern parses src; errPattern when it is not valid.
func parsePattern(src string) (*filterPattern, error) {
	if len(src) > maxPatternLen {
		return nil, errPattern
	}
	t := strings.TrimSpace(src)
	p := &filterPattern{src: src}
	switch {
	case t == "":
		return p, nil
	case t[0] == '{':
		p.form = 'j'
		c, err := parseStructured(t, true)
		if err != nil {
			return nil, err
		}
		p.json = c.where
		return p, nil
	case t[0] == '[':
		p.form = 'f'
		c, err := parseStructured(t, false)
		if err != nil {
			return nil, err
		}
		p.fields, p.where = c.fields, c.where
		return p, nil
	}
	p.form = 't'
	terms, err := parseTerms(t)
	if err != nil {
		return nil, err
	}
	p.terms = terms
	return p, nil
}

// parseTerms reads the terms form.
func parseTerms(s string) ([]term, error) {
	var out []term
	for i := 0; i < len(s); {
		if s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' {
			i++
			continue
		}
		var tm term
		if s[i] == '?' || s[i] == '-' {
			tm.mode = s[i]
			i++
			if i == len(s) || s[i] == ' ' {
				return nil, errPattern
			}
		}
		switch {
		case s[i] == '"':
			q, n, err := quoted(s[i:])
			if err != nil {
				return nil, err
			}
			tm.text, i = q, i+n
		case s[i] == '%':
			j := strings.IndexByte(s[i+1:], '%')
			if j <= 0 {
				return nil, errPattern
			}
			tm.text = s[i+1 : i+1+j]
			re, err := compileRegex(tm.text)
			if err != nil {
				return nil, err
			}
			tm.re, i = re, i+j+2
		default:
			j := i
			for j < len(s) && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r' {
				if s[j] == '"' || s[j] == '{' || s[j] == '}' || s[j] == '[' || s[j] == ']' {
					return nil, errPattern
				}
				j++
			}
			tm.text, i = s[i:j], j
		}
		if tm.text == "" && tm.re == nil {
			return nil, errPattern
		}
		out = append(out, tm)
	}
	return out, nil
}

// String renders the parse canonically (for tests and logs).
func (p *filterPattern) String() string {
	switch p.form {
	case 0:
		return "all"
	case 't':
		var b strings.Builder
		b.WriteString("terms:")
		for _, t := range p.terms {
			b.WriteByte(' ')
			if t.mode != 0 {
				b.WriteByte(t.mode)
			}
			if t.re != nil {
				b.WriteString("%" + t.text + "%")
			} else {
				b.WriteString(strconv.Quote(t.text))
			}
		}
		return b.String()
	case 'j':
		return "json: " + p.json.String()
	}
	s := "fields: [" + strings.Join(p.fields, ", ") + "]"
	if p.where != nil {
		s += " where " + p.where.String()
	}
	return s
}

func (c *cond) String() string {
	switch c.op {
	case "&&", "||":
		return fmt.Sprintf("(%s %s %s)", c.l, c.op, c.r)
	case "IS NULL", "NOT EXISTS", "IS TRUE", "IS FALSE":
		return c.ref + " " + c.op
	}
	v := c.val.text
	if c.val.re != nil {
		v = "%" + v + "%"
	} else if c.val.quoted {
		v = strconv.Quote(v)
	} else if c.val.isNum {
		v = "num:" + v
	}
	return c.ref + " " + c.op + " " + v
}
