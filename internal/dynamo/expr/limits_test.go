package expr

import (
	"strconv"
	"strings"
	"testing"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

func TestExpressionSize(t *testing.T) {
	p := NewParams(nil, map[string]attr.Value{":v": attr.MustNumber("1")})
	ok := "a = :v" + strings.Repeat(" ", MaxExpressionSize-6)
	if _, err := ParseCondition(KindFilter, ok, p); err != nil {
		t.Fatalf("4096 bytes: %v", err)
	}
	_, err := ParseCondition(KindFilter, ok+" ", p)
	if err == nil || err.Error() != "Invalid FilterExpression: Expression size has exceeded the maximum allowed size; expression size: 4097" {
		t.Fatalf("4097 bytes: %v", err)
	}
	if _, err := ParseUpdate("SET a = :v"+strings.Repeat(" ", MaxExpressionSize), p); err == nil || !strings.Contains(err.Error(), "Invalid UpdateExpression: Expression size") {
		t.Fatalf("update: %v", err)
	}
	if _, err := ParseProjection("a"+strings.Repeat(" ", MaxExpressionSize), p); err == nil || !strings.Contains(err.Error(), "Invalid ProjectionExpression: Expression size") {
		t.Fatalf("projection: %v", err)
	}
}

func TestOperatorCount(t *testing.T) {
	values := map[string]attr.Value{}
	var terms []string
	for i := 0; i < 151; i++ {
		k := ":v" + strconv.Itoa(i)
		values[k] = attr.MustNumber("1")
		terms = append(terms, "a <> "+k)
	}
	// 151 comparisons and 150 ANDs: 301 operators
	_, err := ParseCondition(KindFilter, strings.Join(terms, " AND "), NewParams(nil, values))
	if err == nil || err.Error() != "Invalid FilterExpression: The expression contains too many operators; operator count: 301" {
		t.Fatalf("301 operators: %v", err)
	}
	p := NewParams(nil, values)
	if _, err := ParseCondition(KindFilter, strings.Join(terms[:150], " AND "), p); err != nil {
		t.Fatalf("299 operators: %v", err)
	}
}

func TestTooManyIn(t *testing.T) {
	values := map[string]attr.Value{}
	var ks []string
	for i := 0; i < 101; i++ {
		k := ":v" + strconv.Itoa(i)
		values[k] = attr.MustNumber(strconv.Itoa(i))
		ks = append(ks, k)
	}
	_, err := ParseCondition(KindCondition, "a IN ("+strings.Join(ks, ",")+")", NewParams(nil, values))
	if err == nil || err.Error() != "Invalid ConditionExpression: The IN operator is provided with too many operands; number of operands: 101" {
		t.Fatalf("IN 101: %v", err)
	}
	c, err := ParseCondition(KindCondition, "a IN ("+strings.Join(ks[:100], ",")+")", NewParams(nil, values))
	if err != nil {
		t.Fatalf("IN 100: %v", err)
	}
	if ok, _ := c.Eval(attr.Item{"a": attr.MustNumber("99")}); !ok {
		t.Fatal("IN 100 does not match its last operand")
	}
}

func TestReservedWords(t *testing.T) {
	if len(reservedWords) != 573 {
		t.Fatalf("%d reserved words, want 573", len(reservedWords))
	}
	for _, w := range []string{"status", "STATUS", "Name", "ttl", "zone", "abort", "size", "Count"} {
		if !IsReserved(w) {
			t.Errorf("%s not reserved", w)
		}
	}
	for _, w := range []string{"pk", "sk", "statuses", "a", "data_", "id"} {
		if IsReserved(w) {
			t.Errorf("%s reserved", w)
		}
	}
}

func TestParamsShared(t *testing.T) {
	// one Params across a request's expressions: usage accumulates
	p := NewParams(map[string]string{"#a": "a", "#b": "b"}, map[string]attr.Value{":v": attr.String("x"), ":w": attr.String("y")})
	if _, err := ParseCondition(KindCondition, "#a = :v", p); err != nil {
		t.Fatal(err)
	}
	if err := p.CheckUnused(); err == nil || err.Error() != "Value provided in ExpressionAttributeNames unused in expressions: keys: {#b}" {
		t.Fatalf("after condition: %v", err)
	}
	if _, err := ParseProjection("#b", p); err != nil {
		t.Fatal(err)
	}
	if err := p.CheckUnused(); err == nil || err.Error() != "Value provided in ExpressionAttributeValues unused in expressions: keys: {:w}" {
		t.Fatalf("after projection: %v", err)
	}
	if _, err := ParseUpdate("SET c = :w", p); err != nil {
		t.Fatal(err)
	}
	if err := p.CheckUnused(); err != nil {
		t.Fatal(err)
	}
	var nilParams *Params
	if err := nilParams.CheckUnused(); err != nil {
		t.Fatal(err)
	}
	if _, err := ParseCondition(KindCondition, "a = :v", nil); err == nil {
		t.Fatal("undefined value with nil Params accepted")
	}
}

func TestPathString(t *testing.T) {
	p := Path{{Name: "a"}, {Name: "b"}, {IsIndex: true, Index: 1}, {Name: "c.d"}}
	if got := p.String(); got != "[a, b, [1], c.d]" {
		t.Fatal(got)
	}
	if got := NamePath("x").Expr(); got != "x" {
		t.Fatal(got)
	}
}

func TestApplyDoesNotShareMutations(t *testing.T) {
	p := NewParams(nil, map[string]attr.Value{":v": attr.MustNumber("1")})
	u, err := ParseUpdate("SET m.k = :v, l[0] = :v", p)
	if err != nil {
		t.Fatal(err)
	}
	old := attr.Item{"m": attr.Map(map[string]attr.Value{"k": attr.String("old")}), "l": attr.List(attr.String("old"))}
	nu, err := u.Apply(old)
	if err != nil {
		t.Fatal(err)
	}
	if old["m"].M["k"].S != "old" || old["l"].L[0].S != "old" {
		t.Fatal("Apply changed the old item's nested values")
	}
	if nu["m"].M["k"].S != "1" || nu["l"].L[0].S != "1" {
		t.Fatalf("new item %v", nu)
	}
}

func TestCheckPlaceholderKeys(t *testing.T) {
	cases := []struct {
		names     map[string]string
		namesSet  bool
		values    map[string]bool
		valuesSet bool
		want      string
	}{
		{nil, false, nil, false, ""},
		{map[string]string{}, true, nil, false, "ExpressionAttributeNames must not be empty"},
		{nil, false, map[string]bool{}, true, "ExpressionAttributeValues must not be empty"},
		{map[string]string{"s": "status"}, true, nil, false, `ExpressionAttributeNames contains invalid key: Syntax error; key: "s"`},
		{map[string]string{"#a-b": "x"}, true, nil, false, `ExpressionAttributeNames contains invalid key: Syntax error; key: "#a-b"`},
		{map[string]string{"#": "x"}, true, nil, false, `ExpressionAttributeNames contains invalid key: Syntax error; key: "#"`},
		{map[string]string{"#DE": ""}, true, nil, false, "ExpressionAttributeNames contains invalid value: Empty attribute name for key #DE"},
		{nil, false, map[string]bool{"v": true}, true, `ExpressionAttributeValues contains invalid key: Syntax error; key: "v"`},
		{map[string]string{"#a_1": "x"}, true, map[string]bool{":v_1": true}, true, ""},
	}
	for _, c := range cases {
		err := CheckPlaceholderKeys(c.names, c.namesSet, c.values, c.valuesSet)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("%v %v: got %q, want %q", c.names, c.values, got, c.want)
		}
	}
	if got := ErrMixedParameters([]string{"AttributeUpdates"}, []string{"UpdateExpression"}).Error(); got !=
		"Can not use both expression and non-expression parameters in the same request: Non-expression parameters: {AttributeUpdates} Expression parameters: {UpdateExpression}" {
		t.Error(got)
	}
	if got := ErrInvalidValue("Input collection contains duplicates", ":v").Error(); got !=
		"ExpressionAttributeValues contains invalid value: Input collection contains duplicates for key :v" {
		t.Error(got)
	}
}

func TestKeyAttributeChecks(t *testing.T) {
	p := NewParams(nil, map[string]attr.Value{":v": attr.String("x")})
	u, err := ParseUpdate("SET a = :v, pk = :v", p)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckUpdateKeys(u, "pk", "sk"); err == nil || err.Error() != "One or more parameter values were invalid: Cannot update attribute pk. This attribute is part of the key" {
		t.Fatal(err)
	}
	if err := CheckUpdateKeys(u, "id", ""); err != nil {
		t.Fatal(err)
	}
	c, err := ParseCondition(KindFilter, "a = :v OR sk = :v", NewParams(nil, map[string]attr.Value{":v": attr.String("x")}))
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckFilterKeys(c, false, "pk", "sk"); err == nil || err.Error() != "Filter Expression can only contain non-primary key attributes: Primary key attribute: sk" {
		t.Fatal(err)
	}
	lc, _ := LegacyFilter(map[string]LegacyCondition{"pk": {ComparisonOperator: "NOT_NULL"}}, "")
	if err := CheckFilterKeys(lc, true, "pk"); err == nil || err.Error() != "QueryFilter can only contain non-primary key attributes: Primary key attribute: pk" {
		t.Fatal(err)
	}
}

func TestCheckNestedKeyAccess(t *testing.T) {
	p := NewParams(nil, map[string]attr.Value{":v": attr.String("x")})
	c, err := ParseCondition(KindCondition, "pk.x = :v OR g[0] = :v", p)
	if err != nil {
		t.Fatal(err)
	}
	if err := CheckNestedKeyAccess(c.Paths(), []string{"pk"}, []string{"g"}); err == nil ||
		err.Error() != "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: Key: pk" {
		t.Fatal(err)
	}
	if err := CheckNestedKeyAccess(c.Paths(), []string{"id"}, []string{"g"}); err == nil ||
		err.Error() != "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed: IndexKey: g" {
		t.Fatal(err)
	}
	if err := CheckNestedKeyAccess(c.Paths(), []string{"x"}, nil); err != nil {
		t.Fatal(err)
	}
}

func TestConcurrentUse(t *testing.T) {
	p := NewParams(map[string]string{"#c": "count"}, map[string]attr.Value{":one": attr.MustNumber("1"), ":x": attr.String("x")})
	c, err := ParseCondition(KindCondition, "attribute_exists(#c) AND contains(tags, :x)", p)
	if err != nil {
		t.Fatal(err)
	}
	u, err := ParseUpdate("SET #c = #c + :one, m.k = :x REMOVE l[0]", p)
	if err != nil {
		t.Fatal(err)
	}
	item := attr.Item{"count": attr.MustNumber("1"), "tags": attr.StringSet("x"),
		"m": attr.Map(map[string]attr.Value{}), "l": attr.List(attr.String("a"), attr.String("b"))}
	done := make(chan struct{})
	for range 4 {
		go func() {
			defer func() { done <- struct{}{} }()
			for range 200 {
				if ok, _ := c.Eval(item); !ok {
					t.Error("condition false")
					return
				}
				nu, err := u.Apply(item)
				if err != nil || nu["count"].S != "2" || len(nu["l"].L) != 1 {
					t.Errorf("Apply = %v, %v", nu, err)
					return
				}
				UpdatedAttributes(item, nu, u)
			}
		}()
	}
	for range 4 {
		<-done
	}
	if item["count"].S != "1" || len(item["l"].L) != 2 || len(item["m"].M) != 0 {
		t.Fatalf("shared item changed: %v", item)
	}
}
