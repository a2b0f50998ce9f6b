package dynamo

import (
	"encoding/json"
	"errors"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
	"github.com/tarnhq/tarn/internal/dynamo/expr"
)

// The seam to the expression language (package expr): every parse goes
// through here, and expr's errors become ValidationExceptions verbatim.

func present(raw json.RawMessage) bool { return len(raw) > 0 && string(raw) != "null" }

// writeCondition compiles a write's ConditionExpression or its legacy
// Expected (with ConditionalOperator); nil means unconditional.
func writeCondition(p *expr.Params, src *string, expected json.RawMessage, op string) (*expr.Condition, error) {
	if src != nil && present(expected) {
		return nil, asAPI(expr.ErrMixedParameters([]string{"Expected"}, []string{"ConditionExpression"}))
	}
	if src != nil {
		c, err := expr.ParseCondition(expr.KindCondition, *src, p)
		return c, asAPI(err)
	}
	if present(expected) || op != "" {
		var m map[string]expr.ExpectedAttributeValue
		if present(expected) {
			if err := decodeJSON(expected, &m); err != nil {
				return nil, err
			}
		}
		c, err := expr.LegacyExpected(m, op)
		return c, asAPI(err)
	}
	return nil, nil
}

// evalCondition evaluates c on item (nil: the item does not exist).
func evalCondition(c *expr.Condition, item attr.Item) (bool, error) {
	if c == nil {
		return true, nil
	}
	if item == nil {
		item = attr.Item{}
	}
	ok, err := c.Eval(item)
	return ok, asAPI(err)
}

// projection compiles ProjectionExpression or AttributesToGet; nil means
// the whole item.
func projection(p *expr.Params, src *string, attrsToGet []string) (*expr.Projection, error) {
	if src != nil && attrsToGet != nil {
		return nil, asAPI(expr.ErrMixedParameters([]string{"AttributesToGet"}, []string{"ProjectionExpression"}))
	}
	if src != nil {
		pr, err := expr.ParseProjection(*src, p)
		return pr, asAPI(err)
	}
	if attrsToGet != nil {
		return expr.LegacyProjection(attrsToGet), nil
	}
	return nil, nil
}

func applyProjection(pr *expr.Projection, item attr.Item) attr.Item {
	if pr == nil || item == nil {
		return item
	}
	return pr.Apply(item)
}

// filterCondition compiles FilterExpression or the legacy QueryFilter /
// ScanFilter (with ConditionalOperator).
func filterCondition(p *expr.Params, src *string, legacy json.RawMessage, legacyName, op string) (*expr.Condition, error) {
	if src != nil && present(legacy) {
		return nil, asAPI(expr.ErrMixedParameters([]string{legacyName}, []string{"FilterExpression"}))
	}
	if src != nil {
		c, err := expr.ParseCondition(expr.KindFilter, *src, p)
		return c, asAPI(err)
	}
	if present(legacy) {
		var m map[string]expr.LegacyCondition
		if err := decodeJSON(legacy, &m); err != nil {
			return nil, err
		}
		c, err := expr.LegacyFilter(m, op)
		return c, asAPI(err)
	}
	return nil, nil
}

func mixedParams(legacy, exprs []string) error {
	return asAPI(expr.ErrMixedParameters(legacy, exprs))
}

// update is a compiled UpdateExpression or AttributeUpdates; the zero
// update (neither given) leaves the item as it is.
type update struct {
	u *expr.Update
}

func compileUpdate(p *expr.Params, src *string, legacy json.RawMessage) (*update, error) {
	if src != nil {
		u, err := expr.ParseUpdate(*src, p)
		if err != nil {
			return nil, asAPI(err)
		}
		return &update{u: u}, nil
	}
	if present(legacy) {
		var m map[string]expr.AttributeValueUpdate
		if err := decodeJSON(legacy, &m); err != nil {
			return nil, err
		}
		u, err := expr.LegacyUpdates(m)
		if err != nil {
			return nil, asAPI(err)
		}
		return &update{u: u}, nil
	}
	return &update{}, nil
}

// attributes are the top-level attributes the update writes.
func (u *update) attributes() []string {
	if u.u == nil {
		return nil
	}
	var out []string
	for _, p := range u.u.Paths() {
		out = append(out, p.Attribute())
	}
	return out
}

func (u *update) apply(item attr.Item) (attr.Item, error) {
	if u.u == nil {
		return item, nil
	}
	nw, err := u.u.Apply(item)
	return nw, asAPI(err)
}

// updatedNew is the part of the new item the update wrote (UPDATED_NEW);
// base is the item the update was applied to.
func (u *update) updatedNew(base, nw attr.Item) attr.Item {
	if u.u == nil || nw == nil {
		return nil
	}
	_, out := expr.UpdatedAttributes(base, nw, u.u)
	return out
}

// keyCondition compiles KeyConditionExpression or legacy KeyConditions
// and checks its values against the key types.
func keyCondition(p *expr.Params, src *string, legacy json.RawMessage, hash string, hk attr.Kind, rng string, rk attr.Kind) (*expr.KeyCondition, error) {
	if src != nil {
		kc, err := expr.ParseKeyCondition(*src, p, hash, rng)
		if err != nil {
			return nil, asAPI(err)
		}
		return kc, asAPI(kc.CheckTypes(hk, rk))
	}
	var m map[string]expr.LegacyCondition
	if err := decodeJSON(legacy, &m); err != nil {
		return nil, err
	}
	kc, err := expr.LegacyKeyConditions(m, hash, rng)
	if err != nil {
		return nil, asAPI(err)
	}
	return kc, asAPI(kc.CheckTypes(hk, rk))
}

func (u *update) updatedOld(old, nw attr.Item) attr.Item {
	if u.u == nil || old == nil {
		return nil
	}
	o, _ := expr.UpdatedAttributes(old, nw, u.u)
	return o
}

// decodeJSON decodes a legacy parameter: attribute value errors are
// DynamoDB's, any other mismatch a SerializationException.
func decodeJSON(raw json.RawMessage, v any) error {
	err := json.Unmarshal(raw, v)
	if err == nil {
		return nil
	}
	var ae *attr.Error
	if errors.As(err, &ae) {
		return asAPI(err)
	}
	return apiErr(codeSerialization, "Unexpected value type in payload")
}
