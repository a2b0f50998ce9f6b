package firehose

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// A prefix template is a Prefix or ErrorOutputPrefix parsed into literal
// text and !{namespace:value} expressions:
//
//	!{timestamp:<Java DateTimeFormatter pattern>}  arrival time of the oldest record
//	!{firehose:random-string}                      11 random characters
//	!{firehose:error-output-type}                  ErrorOutputPrefix only
//	!{partitionKeyFromQuery:<key>}                 dynamic partitioning
//
// tarn's DateTimeFormatter subset: y (yy or yyyy; u likewise), M, d, H,
// m, s (one or two letters; two pads to two digits), 'quoted text', ”
// for a quote, and any non-letter as itself.
type prefixTmpl struct {
	parts []prefixPart
	exprs int // number of expressions
}

type partKind int

const (
	partLiteral partKind = iota
	partTimestamp
	partRandom
	partErrorType
	partQueryKey
)

type prefixPart struct {
	kind partKind
	text string    // literal text or partition key name
	ts   []tsToken // timestamp pattern
	raw  string    // the expression as written, for messages
}

// Expression namespaces and values.
const (
	nsTimestamp  = "timestamp"
	nsFirehose   = "firehose"
	nsQueryKey   = "partitionKeyFromQuery"
	nsLambdaKey  = "partitionKeyFromLambda"
	valRandom    = "random-string"
	valErrorType = "error-output-type"
	randomLen    = 11
	maxPrefixLen = 1024
)

// parsePrefix parses s; the error is an InvalidArgumentException naming
// the offending expression.
func parsePrefix(s string) (*prefixTmpl, error) {
	t := &prefixTmpl{}
	for s != "" {
		i := strings.Index(s, "!{")
		if i < 0 {
			t.lit(s)
			break
		}
		t.lit(s[:i])
		end := strings.IndexByte(s[i:], '}')
		if end < 0 {
			return nil, errInvalid("The prefix expression %q is not terminated with '}'.", s[i:])
		}
		raw := s[i : i+end+1]
		s = s[i+end+1:]
		ns, val, ok := strings.Cut(raw[2:len(raw)-1], ":")
		if !ok || val == "" {
			return nil, errInvalid("The prefix expression %s must have the form !{namespace:value}.", raw)
		}
		p := prefixPart{raw: raw}
		switch ns {
		case nsTimestamp:
			toks, err := parseJavaPattern(val)
			if err != nil {
				return nil, errInvalid("The timestamp format in the prefix expression %s is invalid: %v", raw, err)
			}
			p.kind, p.ts = partTimestamp, toks
		case nsFirehose:
			switch val {
			case valRandom:
				p.kind = partRandom
			case valErrorType:
				p.kind = partErrorType
			default:
				return nil, errInvalid("The prefix expression %s is invalid: the firehose namespace supports only %s and %s.", raw, valRandom, valErrorType)
			}
		case nsQueryKey:
			p.kind, p.text = partQueryKey, val
		case nsLambdaKey:
			return nil, errUnsupported("the partitionKeyFromLambda namespace (Lambda processors) in " + raw)
		default:
			return nil, errInvalid("The prefix expression %s uses the unknown namespace %q.", raw, ns)
		}
		t.parts = append(t.parts, p)
		t.exprs++
	}
	return t, nil
}

func (t *prefixTmpl) lit(s string) {
	if s != "" {
		t.parts = append(t.parts, prefixPart{kind: partLiteral, text: s})
	}
}

// has reports whether t contains an expression of kind k.
func (t *prefixTmpl) has(k partKind) bool {
	for _, p := range t.parts {
		if p.kind == k {
			return true
		}
	}
	return false
}

// queryKeys lists the partitionKeyFromQuery names t uses.
func (t *prefixTmpl) queryKeys() []string {
	var out []string
	for _, p := range t.parts {
		if p.kind == partQueryKey {
			out = append(out, p.text)
		}
	}
	return out
}

// evalCtx is what an evaluation needs. Every timestamp expression of one
// evaluation sees the same instant.
type evalCtx struct {
	at        time.Time // already in the configured time zone
	random    func() string
	errorType string
	keys      map[string]string
}

// eval renders t. A template without expressions gets the default
// YYYY/MM/dd/HH/ appended, as AWS does.
func (t *prefixTmpl) eval(c evalCtx) string {
	var b strings.Builder
	for _, p := range t.parts {
		switch p.kind {
		case partLiteral:
			b.WriteString(p.text)
		case partTimestamp:
			formatJava(&b, p.ts, c.at)
		case partRandom:
			b.WriteString(c.random())
		case partErrorType:
			b.WriteString(c.errorType)
		case partQueryKey:
			b.WriteString(c.keys[p.text])
		}
	}
	if t.exprs == 0 {
		if c.errorType != "" {
			b.WriteString(c.errorType + "/")
		}
		formatJava(&b, defaultTimePrefix, c.at)
	}
	return b.String()
}

// tsToken is one element of a timestamp pattern: a field letter with its
// width, or literal text (field 0).
type tsToken struct {
	field byte
	width int
	text  string
}

// parseJavaPattern parses a DateTimeFormatter pattern (tarn's subset).
func parseJavaPattern(p string) ([]tsToken, error) {
	var out []tsToken
	for i := 0; i < len(p); {
		c := p[i]
		switch {
		case c == '\'':
			j := strings.IndexByte(p[i+1:], '\'')
			if j < 0 {
				return nil, fmt.Errorf("unterminated quote at %d", i)
			}
			text := p[i+1 : i+1+j]
			if j == 0 {
				text = "'"
			}
			out = append(out, tsToken{text: text})
			i += j + 2
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			n := 1
			for i+n < len(p) && p[i+n] == c {
				n++
			}
			if !javaField(c, n) {
				return nil, fmt.Errorf("pattern %q is not supported by tarn (supported: yyyy, yy, MM, M, dd, d, HH, H, mm, m, ss, s)", strings.Repeat(string(c), n))
			}
			out = append(out, tsToken{field: c, width: n})
			i += n
		default:
			out = append(out, tsToken{text: string(c)})
			i++
		}
	}
	return out, nil
}

func javaField(c byte, n int) bool {
	switch c {
	case 'y', 'u':
		return n == 2 || n == 4
	case 'M', 'd', 'H', 'm', 's':
		return n <= 2
	}
	return false
}

// formatJava renders toks for t.
func formatJava(b *strings.Builder, toks []tsToken, t time.Time) {
	for _, k := range toks {
		var v int
		switch k.field {
		case 0:
			b.WriteString(k.text)
			continue
		case 'y', 'u':
			v = t.Year()
			if k.width == 2 {
				v %= 100
			}
		case 'M':
			v = int(t.Month())
		case 'd':
			v = t.Day()
		case 'H':
			v = t.Hour()
		case 'm':
			v = t.Minute()
		case 's':
			v = t.Second()
		}
		s := strconv.Itoa(v)
		for i := len(s); i < k.width; i++ {
			b.WriteByte('0')
		}
		b.WriteString(s)
	}
}

// defaultTimePrefix is AWS's default prefix, YYYY/MM/dd/HH/.
var defaultTimePrefix = []tsToken{{field: 'y', width: 4}, {text: "/"}, {field: 'M', width: 2}, {text: "/"},
	{field: 'd', width: 2}, {text: "/"}, {field: 'H', width: 2}, {text: "/"}}
