package attr

import (
	"strconv"

	"github.com/cockroachdb/apd/v3"
)

// smallInt parses canonical integer text of at most 18 digits (so sums
// cannot overflow int64 nor exceed 38 digits).
func smallInt(s string) (int64, bool) {
	if len(s) == 0 || len(s) > 18 {
		return 0, false
	}
	for i := 0; i < len(s); i++ {
		if (s[i] < '0' || s[i] > '9') && !(i == 0 && s[i] == '-') {
			return 0, false
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	return n, err == nil
}

// arith is exact: the precision covers the whole supported range.
var arith = apd.Context{Precision: 400, MaxExponent: 1000, MinExponent: -1000, Traps: apd.DefaultTraps}

// AddNumbers returns a+b exactly, or DynamoDB's error when the result
// does not fit a DynamoDB number.
func AddNumbers(a, b string) (string, error) { return numberOp(a, b, false) }

// SubNumbers returns a-b exactly, or DynamoDB's error when the result
// does not fit a DynamoDB number.
func SubNumbers(a, b string) (string, error) { return numberOp(a, b, true) }

func numberOp(a, b string, sub bool) (string, error) {
	if x, ok := smallInt(a); ok {
		if y, ok := smallInt(b); ok {
			if sub {
				return strconv.FormatInt(x-y, 10), nil
			}
			return strconv.FormatInt(x+y, 10), nil
		}
	}
	var x, y, z apd.Decimal
	if _, _, err := x.SetString(a); err != nil || x.Form != apd.Finite {
		return "", validation(MsgNotANumber)
	}
	if _, _, err := y.SetString(b); err != nil || y.Form != apd.Finite {
		return "", validation(MsgNotANumber)
	}
	var err error
	if sub {
		_, err = arith.Sub(&z, &x, &y)
	} else {
		_, err = arith.Add(&z, &x, &y)
	}
	if err != nil {
		return "", validation(MsgNumberOverflow)
	}
	return CanonicalNumber(z.Text('E'))
}
