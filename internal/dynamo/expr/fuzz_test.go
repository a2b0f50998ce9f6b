package expr

import (
	"testing"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

func fuzzParams() *Params {
	n, _ := attr.Number("1")
	return NewParams(
		map[string]string{"#a": "a", "#b": "status", "#c": "x.y"},
		map[string]attr.Value{
			":v": n, ":s": attr.String("x"), ":l": attr.List(n), ":ss": attr.StringSet("a", "b"),
			":t": attr.String("S"), ":m": attr.Map(map[string]attr.Value{"k": n}),
		})
}

var fuzzItem = attr.Item{
	"a": attr.MustNumber("1"), "x": attr.String("xyz"),
	"l": attr.List(attr.MustNumber("1"), attr.String("s"), attr.Map(map[string]attr.Value{"k": attr.Bool(true)})),
	"m": attr.Map(map[string]attr.Value{"k": attr.MustNumber("2"), "n": attr.List()}),
	"s": attr.StringSet("a"),
}

var conditionSeeds = []string{
	"a = :v", "a <> :v AND #b = :s", "NOT (a < :v OR x >= :s)", "a BETWEEN :v AND :v",
	"a IN (:v, :s, :l)", "attribute_exists(l[2].k) AND attribute_not_exists(#c)",
	"attribute_type(a, :t)", "begins_with(x, :s)", "contains(s, :s)", "size(l) > :v",
	"((a = :v))", "(a) = (:v)", "a = 1", "foo(a)", "", "a =", "a.b[0].c <> :m", "size(a)",
}

func FuzzParseCondition(f *testing.F) {
	for _, s := range conditionSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		c, err := ParseCondition(KindCondition, src, fuzzParams())
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not *Error", err)
			}
			return
		}
		if _, err := c.Eval(fuzzItem); err != nil {
			t.Fatal(err)
		}
		rendered := c.String()
		again, err := ParseCondition(KindCondition, rendered, fuzzParams())
		if err != nil {
			t.Fatalf("%q rendered as %q, which does not parse: %v", src, rendered, err)
		}
		if again.String() != rendered {
			t.Fatalf("round trip %q -> %q", rendered, again.String())
		}
		r1, _ := c.Eval(fuzzItem)
		r2, _ := again.Eval(fuzzItem)
		if r1 != r2 {
			t.Fatalf("%q and its rendering %q evaluate differently", src, rendered)
		}
		// the same text must parse as a filter and (structurally) as a key condition without panicking
		_, _ = ParseKeyCondition(src, fuzzParams(), "a", "x")
	})
}

var updateSeeds = []string{
	"SET a = :v", "SET a = a + :v, x = list_append(l, :l) REMOVE m.k", "ADD s :ss DELETE s :ss",
	"SET l[5] = :v REMOVE l[0], l[1]", "SET a = if_not_exists(#a, :v) - :v", "REMOVE #c",
	"SET m.n = list_append(if_not_exists(m.n, :l), :l)", "SET a = :v SET b = :v", "SET a = 3", "",
}

func FuzzParseUpdate(f *testing.F) {
	for _, s := range updateSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		u, err := ParseUpdate(src, fuzzParams())
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error %T is not *Error", err)
			}
			return
		}
		before := string(attr.AppendItemJSON(nil, fuzzItem))
		nu, err := u.Apply(fuzzItem)
		if after := string(attr.AppendItemJSON(nil, fuzzItem)); after != before {
			t.Fatalf("Apply(%q) mutated its input", src)
		}
		if err != nil {
			if _, ok := err.(*Error); !ok {
				if _, ok := err.(*attr.Error); !ok {
					t.Fatalf("apply error %T", err)
				}
			}
		} else {
			UpdatedAttributes(fuzzItem, nu, u)
		}
		rendered := u.String()
		again, err := ParseUpdate(rendered, fuzzParams())
		if err != nil {
			t.Fatalf("%q rendered as %q, which does not parse: %v", src, rendered, err)
		}
		if again.String() != rendered {
			t.Fatalf("round trip %q -> %q", rendered, again.String())
		}
	})
}

func FuzzParseProjection(f *testing.F) {
	for _, s := range []string{"a, l[1].k", "#a, #c.z", "m.k, m.n[0]", "a,", "a b"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		p, err := ParseProjection(src, fuzzParams())
		if err != nil {
			return
		}
		p.Apply(fuzzItem)
		if _, err := ParseProjection(p.String(), fuzzParams()); err != nil {
			t.Fatalf("%q rendered as %q: %v", src, p.String(), err)
		}
	})
}
