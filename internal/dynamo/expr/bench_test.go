package expr

import (
	"testing"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

func benchItem() attr.Item {
	return attr.Item{
		"pk": attr.String("user#12345"), "sk": attr.MustNumber("1700000000"),
		"status": attr.String("active"), "count": attr.MustNumber("41"),
		"tags": attr.StringSet("a", "b", "c"),
		"profile": attr.Map(map[string]attr.Value{
			"name": attr.String("Ada"), "age": attr.MustNumber("36"),
			"emails": attr.List(attr.String("a@example.com"), attr.String("b@example.com")),
		}),
	}
}

// BenchmarkParseEvalCondition: parse + eval of a typical ConditionExpression.
func BenchmarkParseEvalCondition(b *testing.B) {
	item := benchItem()
	names := map[string]string{"#s": "status", "#c": "count"}
	values := map[string]attr.Value{":a": attr.String("active"), ":n": attr.MustNumber("100"), ":t": attr.String("b")}
	src := "attribute_exists(pk) AND #s = :a AND (#c < :n OR contains(tags, :t)) AND size(profile.emails) > :n0"
	values[":n0"] = attr.MustNumber("0")
	b.ReportAllocs()
	for b.Loop() {
		c, err := ParseCondition(KindCondition, src, NewParams(names, values))
		if err != nil {
			b.Fatal(err)
		}
		if ok, _ := c.Eval(item); !ok {
			b.Fatal("false")
		}
	}
}

// BenchmarkEvalCondition: eval only (a parsed filter over many items).
func BenchmarkEvalCondition(b *testing.B) {
	item := benchItem()
	c, err := ParseCondition(KindFilter, "#s = :a AND profile.age BETWEEN :lo AND :hi AND begins_with(pk, :p)",
		NewParams(map[string]string{"#s": "status"}, map[string]attr.Value{
			":a": attr.String("active"), ":lo": attr.MustNumber("18"), ":hi": attr.MustNumber("65"), ":p": attr.String("user#"),
		}))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if ok, _ := c.Eval(item); !ok {
			b.Fatal("false")
		}
	}
}

// BenchmarkApplyUpdate: Apply of a typical UpdateExpression (parsed once).
func BenchmarkApplyUpdate(b *testing.B) {
	item := benchItem()
	u, err := ParseUpdate("SET #c = #c + :one, profile.age = :age, updated = :now REMOVE tmp ADD tags :t",
		NewParams(map[string]string{"#c": "count"}, map[string]attr.Value{
			":one": attr.MustNumber("1"), ":age": attr.MustNumber("37"), ":now": attr.MustNumber("1700000001"),
			":t": attr.StringSet("d"),
		}))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := u.Apply(item); err != nil {
			b.Fatal(err)
		}
	}
}
