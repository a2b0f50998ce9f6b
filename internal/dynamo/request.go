package dynamo

import (
	"encoding/json"
	"errors"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
	"github.com/tarnhq/tarn/internal/dynamo/expr"
)

// asAPI turns the value model's and the expression language's errors into
// DynamoDB's ValidationException (or SerializationException) with their
// message verbatim; other errors pass through.
func asAPI(err error) error {
	if err == nil {
		return nil
	}
	var ae *attr.Error
	if errors.As(err, &ae) {
		if ae.Serialization {
			return apiErr(codeSerialization, "%s", ae.Message)
		}
		return errValidation("%s", ae.Message)
	}
	var ee *expr.Error
	if errors.As(err, &ee) {
		return errValidation("%s", ee.Message)
	}
	return err
}

// decodeItem decodes an attribute map member of a request (Item, Key,
// ExclusiveStartKey); null or absent is a nil Item.
func decodeItem(raw json.RawMessage) (attr.Item, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	it, err := attr.DecodeItem(raw)
	if err != nil {
		var ae *attr.Error
		if !errors.As(err, &ae) {
			return nil, apiErr(codeSerialization, "Unexpected value type in payload")
		}
		return nil, asAPI(err)
	}
	return it, nil
}

// exprInput is the expression members every item operation shares.
type exprInput struct {
	ExpressionAttributeNames  map[string]string `json:"ExpressionAttributeNames"`
	ExpressionAttributeValues json.RawMessage   `json:"ExpressionAttributeValues"`
}

// params validates and decodes the request's placeholders. usesExpr says
// whether the request has any expression; without one, names and values
// are refused as DynamoDB does.
func (in *exprInput) params(usesExpr bool) (*expr.Params, error) {
	namesSet := in.ExpressionAttributeNames != nil
	valuesSet := len(in.ExpressionAttributeValues) > 0 && string(in.ExpressionAttributeValues) != "null"
	var values map[string]attr.Value
	keys := map[string]bool{}
	if valuesSet {
		var raw map[string]json.RawMessage
		if err := json.Unmarshal(in.ExpressionAttributeValues, &raw); err != nil {
			return nil, apiErr(codeSerialization, "Start of structure or map found where not expected.")
		}
		values = make(map[string]attr.Value, len(raw))
		for k, r := range raw {
			keys[k] = true
			v, err := attr.DecodeValue(r)
			if err != nil {
				var ae *attr.Error
				if errors.As(err, &ae) && ae.Serialization {
					return nil, asAPI(err)
				}
				return nil, asAPI(expr.ErrInvalidValue(err.Error(), k))
			}
			values[k] = v
		}
	}
	if !usesExpr {
		if namesSet {
			return nil, asAPI(expr.ErrNamesWithoutExpressions())
		}
		if valuesSet {
			return nil, asAPI(expr.ErrValuesWithoutExpressions())
		}
	}
	if err := expr.CheckPlaceholderKeys(in.ExpressionAttributeNames, namesSet, keys, valuesSet); err != nil {
		return nil, asAPI(err)
	}
	return expr.NewParams(in.ExpressionAttributeNames, values), nil
}

// item rendering for answers: nil stays absent.
func itemOut(it attr.Item) attr.Item {
	if len(it) == 0 {
		return nil
	}
	return it
}

// detailedFields builds the extra members of a ConditionalCheckFailed
// answer carrying the item.
func itemField(it attr.Item) map[string]any {
	if it == nil {
		return nil
	}
	return map[string]any{"Item": it}
}
