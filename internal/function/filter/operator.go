package filter

import (
	"encoding/json"
	"math"
	"net/netip"
	"slices"
	"strconv"
	"strings"
)

type kind int

const (
	kExactString kind = iota + 1
	kExactNumber
	kExactBool
	kNull
	kPrefix
	kSuffix
	kEqualsIgnoreCase
	kAnythingBut // strs / nums: the values excluded
	kAnythingButPrefix
	kAnythingButSuffix
	kAnythingButIgnoreCase // strs, lower-cased
	kAnythingButWildcard   // strs: the wildcard patterns
	kNumeric
	kExists
	kCIDR
	kWildcard
)

// matcher is one element of a field's match values.
type matcher struct {
	kind   kind
	s      string
	fold   bool // kPrefix, kSuffix: compare case-insensitively
	n      float64
	b      bool
	strs   []string
	nums   []float64
	lo, hi float64 // kNumeric: the range; loOpen/hiOpen exclude the bound
	loOpen bool
	hiOpen bool
	prefix netip.Prefix
}

// Numbers in patterns are limited as EventBridge limits them.
const maxNumber = 5e9

func number(v any) (float64, bool) {
	switch n := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(n), 64)
		return f, err == nil && !math.IsInf(f, 0)
	case float64:
		return n, true
	}
	return 0, false
}

func compileValue(v any) (matcher, error) {
	switch x := v.(type) {
	case string:
		return matcher{kind: kExactString, s: x}, nil
	case bool:
		return matcher{kind: kExactBool, b: x}, nil
	case nil:
		return matcher{kind: kNull}, nil
	case json.Number, float64:
		n, ok := number(x)
		if !ok {
			return matcher{}, invalid("the number %v is out of range", x)
		}
		return matcher{kind: kExactNumber, n: n}, nil
	case map[string]any:
		if len(x) != 1 {
			return matcher{}, invalid("a match operator object must have exactly one key, not %s", jsonText(x))
		}
		for op, arg := range x {
			return compileOperator(op, arg)
		}
	}
	return matcher{}, invalid("a match value must be a string, number, boolean, null or operator object, not %s", jsonText(v))
}

func compileOperator(op string, arg any) (matcher, error) {
	switch op {
	case "prefix", "suffix":
		k := kPrefix
		if op == "suffix" {
			k = kSuffix
		}
		switch a := arg.(type) {
		case string:
			return matcher{kind: k, s: a}, nil
		case map[string]any:
			if s, ok := a["equals-ignore-case"].(string); ok && len(a) == 1 {
				return matcher{kind: k, s: strings.ToLower(s), fold: true}, nil
			}
		}
		return matcher{}, invalid("%s must be a string or {\"equals-ignore-case\": string}, not %s", op, jsonText(arg))
	case "equals-ignore-case":
		s, ok := arg.(string)
		if !ok {
			return matcher{}, invalid("equals-ignore-case must be a string, not %s", jsonText(arg))
		}
		return matcher{kind: kEqualsIgnoreCase, s: strings.ToLower(s)}, nil
	case "anything-but":
		return compileAnythingBut(arg)
	case "numeric":
		return compileNumeric(arg)
	case "exists":
		b, ok := arg.(bool)
		if !ok {
			return matcher{}, invalid("exists must be true or false, not %s", jsonText(arg))
		}
		return matcher{kind: kExists, b: b}, nil
	case "cidr":
		s, ok := arg.(string)
		if !ok {
			return matcher{}, invalid("cidr must be a string, not %s", jsonText(arg))
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			return matcher{}, invalid("%q is not a valid CIDR block", s)
		}
		return matcher{kind: kCIDR, prefix: p.Masked()}, nil
	case "wildcard":
		s, ok := arg.(string)
		if !ok {
			return matcher{}, invalid("wildcard must be a string, not %s", jsonText(arg))
		}
		if err := checkWildcard(s); err != nil {
			return matcher{}, err
		}
		return matcher{kind: kWildcard, s: s}, nil
	}
	return matcher{}, invalid("unrecognized match type %q", op)
}

func compileAnythingBut(arg any) (matcher, error) {
	switch a := arg.(type) {
	case string:
		return matcher{kind: kAnythingBut, strs: []string{a}}, nil
	case json.Number, float64:
		n, ok := number(a)
		if !ok {
			return matcher{}, invalid("the number %v is out of range", a)
		}
		return matcher{kind: kAnythingBut, nums: []float64{n}}, nil
	case []any:
		if len(a) == 0 {
			return matcher{}, invalid("anything-but must not be an empty array")
		}
		m := matcher{kind: kAnythingBut}
		for _, e := range a {
			if s, ok := e.(string); ok && m.nums == nil {
				m.strs = append(m.strs, s)
			} else if n, ok := number(e); ok && m.strs == nil {
				m.nums = append(m.nums, n)
			} else {
				return matcher{}, invalid("anything-but's array must hold only strings or only numbers, not %s", jsonText(e))
			}
		}
		return m, nil
	case map[string]any:
		if len(a) != 1 {
			break
		}
		for op, v := range a {
			switch op {
			case "prefix", "suffix":
				s, ok := v.(string)
				if !ok || s == "" {
					return matcher{}, invalid("anything-but's %s must be a non-empty string, not %s", op, jsonText(v))
				}
				if op == "prefix" {
					return matcher{kind: kAnythingButPrefix, s: s}, nil
				}
				return matcher{kind: kAnythingButSuffix, s: s}, nil
			case "equals-ignore-case", "wildcard":
				strs, ok := stringList(v)
				if !ok {
					return matcher{}, invalid("anything-but's %s must be a string or an array of strings, not %s", op, jsonText(v))
				}
				if op == "wildcard" {
					for _, s := range strs {
						if err := checkWildcard(s); err != nil {
							return matcher{}, err
						}
					}
					return matcher{kind: kAnythingButWildcard, strs: strs}, nil
				}
				for i := range strs {
					strs[i] = strings.ToLower(strs[i])
				}
				return matcher{kind: kAnythingButIgnoreCase, strs: strs}, nil
			}
			return matcher{}, invalid("unsupported anything-but operator %q", op)
		}
	}
	return matcher{}, invalid("anything-but must be a string, a number, an array or an operator object, not %s", jsonText(arg))
}

func stringList(v any) ([]string, bool) {
	switch x := v.(type) {
	case string:
		return []string{x}, true
	case []any:
		if len(x) == 0 {
			return nil, false
		}
		out := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out[i] = s
		}
		return out, true
	}
	return nil, false
}

func compileNumeric(arg any) (matcher, error) {
	a, ok := arg.([]any)
	if !ok || len(a) == 0 || len(a)%2 != 0 || len(a) > 4 {
		return matcher{}, invalid("numeric must be an array of one or two operator, number pairs, not %s", jsonText(arg))
	}
	m := matcher{kind: kNumeric, lo: math.Inf(-1), hi: math.Inf(1)}
	var haveLo, haveHi bool
	for i := 0; i < len(a); i += 2 {
		op, _ := a[i].(string)
		n, ok := number(a[i+1])
		if !ok {
			return matcher{}, invalid("numeric's operand after %q must be a number, not %s", op, jsonText(a[i+1]))
		}
		if n < -maxNumber || n > maxNumber {
			return matcher{}, invalid("numeric's operand %v is outside -5.0e9 to 5.0e9", n)
		}
		switch op {
		case "=":
			if len(a) != 2 {
				return matcher{}, invalid("numeric \"=\" must be used alone")
			}
			m.lo, m.hi, haveLo, haveHi = n, n, true, true
		case ">", ">=":
			if haveLo {
				return matcher{}, invalid("numeric has two lower bounds")
			}
			m.lo, m.loOpen, haveLo = n, op == ">", true
		case "<", "<=":
			if haveHi {
				return matcher{}, invalid("numeric has two upper bounds")
			}
			m.hi, m.hiOpen, haveHi = n, op == "<", true
		default:
			return matcher{}, invalid("unrecognized numeric operator %s", jsonText(a[i]))
		}
	}
	if m.lo > m.hi || (m.lo == m.hi && (m.loOpen || m.hiOpen)) {
		return matcher{}, invalid("numeric's range is empty: the lower bound is not below the upper")
	}
	return m, nil
}

// checkWildcard refuses consecutive '*' and a backslash that escapes
// anything but '*' or '\'.
func checkWildcard(s string) error {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 >= len(s) || (s[i+1] != '*' && s[i+1] != '\\') {
				return invalid("wildcard %q has an invalid escape: only \\* and \\\\ are allowed", s)
			}
			i++
		case '*':
			if i+1 < len(s) && s[i+1] == '*' {
				return invalid("wildcard %q has consecutive wildcard characters", s)
			}
		}
	}
	return nil
}

// wildcardMatch reports whether s matches pattern p ('*' any run of
// characters, "\*" and "\\" literal). Linear backtracking over the last
// star, so its cost is O(len(s)*len(p)) at worst.
func wildcardMatch(p, s string) bool {
	pi, si := 0, 0
	star, mark := -1, 0
	for si < len(s) {
		if pi < len(p) && p[pi] == '*' {
			star, mark = pi, si
			pi++
			continue
		}
		if pi < len(p) {
			c, w := p[pi], 1
			if c == '\\' && pi+1 < len(p) {
				c, w = p[pi+1], 2
			}
			if c == s[si] {
				pi += w
				si++
				continue
			}
		}
		if star < 0 {
			return false
		}
		pi, mark = star+1, mark+1
		si = mark
	}
	for pi < len(p) && p[pi] == '*' {
		pi++
	}
	return pi == len(p)
}

// match reports whether m matches one leaf value of the event (maps are
// not leaves: only exists looks at them, in cond.holds).
func (m *matcher) match(v any) bool {
	switch m.kind {
	case kExactString:
		s, ok := v.(string)
		return ok && s == m.s
	case kExactNumber:
		n, ok := number(v)
		return ok && n == m.n
	case kExactBool:
		b, ok := v.(bool)
		return ok && b == m.b
	case kNull:
		return v == nil
	case kPrefix, kSuffix, kEqualsIgnoreCase, kWildcard, kCIDR,
		kAnythingButPrefix, kAnythingButSuffix, kAnythingButIgnoreCase, kAnythingButWildcard:
		s, ok := v.(string)
		return ok && m.matchString(s)
	case kAnythingBut:
		if s, ok := v.(string); ok {
			return !slices.Contains(m.strs, s)
		}
		if n, ok := number(v); ok {
			return !slices.Contains(m.nums, n)
		}
		return false
	case kNumeric:
		n, ok := number(v)
		if !ok {
			return false
		}
		return (n > m.lo || (!m.loOpen && n == m.lo)) && (n < m.hi || (!m.hiOpen && n == m.hi))
	}
	return false
}

func (m *matcher) matchString(s string) bool {
	switch m.kind {
	case kPrefix:
		if m.fold {
			return strings.HasPrefix(strings.ToLower(s), m.s)
		}
		return strings.HasPrefix(s, m.s)
	case kSuffix:
		if m.fold {
			return strings.HasSuffix(strings.ToLower(s), m.s)
		}
		return strings.HasSuffix(s, m.s)
	case kEqualsIgnoreCase:
		return strings.ToLower(s) == m.s
	case kWildcard:
		return wildcardMatch(m.s, s)
	case kCIDR:
		a, err := netip.ParseAddr(s)
		return err == nil && m.prefix.Contains(a.Unmap())
	case kAnythingButPrefix:
		return !strings.HasPrefix(s, m.s)
	case kAnythingButSuffix:
		return !strings.HasSuffix(s, m.s)
	case kAnythingButIgnoreCase:
		return !slices.Contains(m.strs, strings.ToLower(s))
	case kAnythingButWildcard:
		for _, p := range m.strs {
			if wildcardMatch(p, s) {
				return false
			}
		}
		return true
	}
	return false
}
