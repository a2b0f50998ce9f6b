package expr

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/tarnhq/tarn/internal/datadriven"
	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

// Cases in testdata/*.txt. A case's input is "key: value" lines:
//
//	expr:    the expression (required; "expr:" alone is the empty string)
//	names:   ExpressionAttributeNames as JSON
//	values:  ExpressionAttributeValues as JSON (DynamoDB JSON)
//	item:    an item (DynamoDB JSON); several allowed
//	legacy:  the legacy parameter as JSON (legacy commands)
//
// Commands (with key=value arguments):
//
//	condition [kind=FilterExpression]  output: per item "true"/"false", or the error
//	projection                         output: per item the projected item
//	keycond hash=H [range=R] [hashtype=S] [rangetype=N]
//	                                   output: the key condition, or the error
//	update                             output: per item the new item and UPDATED_OLD/NEW
//	expected [op=AND|OR]   (legacy Expected)         output like condition
//	filter [op=AND|OR]     (legacy Query/ScanFilter) output like condition
//	keyconditions hash=H [range=R]  (legacy KeyConditions)
//	attributeupdates       (legacy AttributeUpdates) output like update
//
// Every run also checks CheckUnused (printed as "unused: ..." when it
// fails) and, for parsed expressions, that String() parses back to the
// same String().
func TestDataDriven(t *testing.T) {
	datadriven.Run(t, "testdata/*.txt", func(t *testing.T, c datadriven.Case) string {
		return runCase(t, c)
	})
}

type caseInput struct {
	expr     string
	hasExpr  bool
	names    map[string]string
	values   map[string]attr.Value
	items    []attr.Item
	legacy   string
	args     map[string]string
	command  string
	position string
}

func parseCase(t *testing.T, c datadriven.Case) caseInput {
	in := caseInput{args: map[string]string{}, position: c.Pos()}
	fields := strings.Fields(c.Command)
	in.command = fields[0]
	for _, f := range fields[1:] {
		k, v, _ := strings.Cut(f, "=")
		in.args[k] = v
	}
	for _, line := range strings.Split(strings.TrimSuffix(c.Input, "\n"), "\n") {
		if line == "" {
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if !ok {
			t.Fatalf("%s: bad input line %q", c.Pos(), line)
		}
		v = strings.TrimPrefix(v, " ")
		switch k {
		case "expr":
			in.expr, in.hasExpr = v, true
		case "names":
			if err := json.Unmarshal([]byte(v), &in.names); err != nil {
				t.Fatalf("%s: names: %v", c.Pos(), err)
			}
		case "values":
			if err := json.Unmarshal([]byte(v), &in.values); err != nil {
				t.Fatalf("%s: values: %v", c.Pos(), err)
			}
		case "item":
			it, err := attr.DecodeItem([]byte(v))
			if err != nil {
				t.Fatalf("%s: item: %v", c.Pos(), err)
			}
			in.items = append(in.items, it)
		case "legacy":
			in.legacy = v
		default:
			t.Fatalf("%s: unknown input key %q", c.Pos(), k)
		}
	}
	return in
}

func runCase(t *testing.T, c datadriven.Case) string {
	in := parseCase(t, c)
	p := NewParams(in.names, in.values)
	var out strings.Builder
	unused := func() {
		if err := p.CheckUnused(); err != nil {
			fmt.Fprintf(&out, "unused: %v\n", err)
		}
	}
	switch in.command {
	case "condition":
		kind := KindCondition
		if k := in.args["kind"]; k != "" {
			kind = k
		}
		cond, err := ParseCondition(kind, in.expr, p)
		if err != nil {
			return "error: " + err.Error()
		}
		checkRoundTrip(t, in, cond.String(), func(p *Params) (string, error) {
			c, err := ParseCondition(kind, cond.String(), p)
			if err != nil {
				return "", err
			}
			return c.String(), nil
		})
		evalItems(&out, cond, in.items)
		unused()
	case "expected", "filter":
		cond, err := runLegacyCondition(in)
		if err != nil {
			return "error: " + err.Error()
		}
		evalItems(&out, cond, in.items)
	case "projection":
		pr, err := ParseProjection(in.expr, p)
		if err != nil {
			return "error: " + err.Error()
		}
		checkRoundTrip(t, in, pr.String(), func(p *Params) (string, error) {
			x, err := ParseProjection(pr.String(), p)
			if err != nil {
				return "", err
			}
			return x.String(), nil
		})
		for _, it := range in.items {
			b, _ := json.Marshal(pr.Apply(it))
			fmt.Fprintf(&out, "%s\n", b)
		}
		unused()
	case "keycond", "keyconditions":
		var kc *KeyCondition
		var err error
		if in.command == "keycond" {
			kc, err = ParseKeyCondition(in.expr, p, in.args["hash"], in.args["range"])
		} else {
			kc, err = runLegacyKeyConditions(in)
		}
		if err == nil {
			err = kc.CheckTypes(kindArg(in.args["hashtype"]), kindArg(in.args["rangetype"]))
		}
		if err != nil {
			return "error: " + err.Error()
		}
		fmt.Fprintf(&out, "hash: %v\n", kc.Hash)
		if kc.Range != nil {
			fmt.Fprintf(&out, "range: %s", kc.Range.Op)
			for _, v := range kc.Range.Values {
				fmt.Fprintf(&out, " %v", v)
			}
			out.WriteString("\n")
			for _, it := range in.items {
				fmt.Fprintf(&out, "match %v: %v\n", it[in.args["range"]], kc.Range.Match(it[in.args["range"]]))
			}
		}
		if in.command == "keycond" {
			unused()
		}
	case "update", "attributeupdates":
		var u *Update
		var err error
		if in.command == "update" {
			u, err = ParseUpdate(in.expr, p)
		} else {
			u, err = runLegacyUpdates(in)
		}
		if err != nil {
			return "error: " + err.Error()
		}
		if in.command == "update" {
			checkRoundTrip(t, in, u.String(), func(p *Params) (string, error) {
				x, err := ParseUpdate(u.String(), p)
				if err != nil {
					return "", err
				}
				return x.String(), nil
			})
		}
		for _, it := range in.items {
			before, _ := json.Marshal(it)
			nu, err := u.Apply(it)
			after, _ := json.Marshal(it)
			if string(before) != string(after) {
				t.Errorf("%s: Apply mutated its input: %s -> %s", in.position, before, after)
			}
			if err != nil {
				fmt.Fprintf(&out, "error: %v\n", err)
				continue
			}
			b, _ := json.Marshal(nu)
			fmt.Fprintf(&out, "new: %s\n", b)
			uo, un := UpdatedAttributes(it, nu, u)
			bo, _ := json.Marshal(uo)
			bn, _ := json.Marshal(un)
			fmt.Fprintf(&out, "updated_old: %s\nupdated_new: %s\n", bo, bn)
		}
		if in.command == "update" {
			unused()
		}
	default:
		t.Fatalf("%s: unknown command %q", c.Pos(), in.command)
	}
	return out.String()
}

func kindArg(s string) attr.Kind {
	k, _ := attr.ParseKind(s)
	return k
}

func evalItems(out *strings.Builder, cond *Condition, items []attr.Item) {
	for _, it := range items {
		ok, err := cond.Eval(it)
		if err != nil {
			fmt.Fprintf(out, "error: %v\n", err)
			continue
		}
		fmt.Fprintf(out, "%v\n", ok)
	}
}

// checkRoundTrip parses the rendered form again with fresh Params and
// requires it to render the same.
func checkRoundTrip(t *testing.T, in caseInput, rendered string, reparse func(*Params) (string, error)) {
	t.Helper()
	again, err := reparse(NewParams(in.names, in.values))
	if err != nil {
		t.Errorf("%s: rendered %q does not parse: %v", in.position, rendered, err)
		return
	}
	if again != rendered {
		t.Errorf("%s: round trip: %q -> %q", in.position, rendered, again)
	}
}
