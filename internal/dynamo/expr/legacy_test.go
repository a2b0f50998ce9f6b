package expr

import (
	"encoding/json"
	"fmt"
)

func runLegacyCondition(in caseInput) (*Condition, error) {
	switch in.command {
	case "expected":
		var m map[string]ExpectedAttributeValue
		if err := json.Unmarshal([]byte(in.legacy), &m); err != nil {
			return nil, fmt.Errorf("decode: %w", err)
		}
		return LegacyExpected(m, in.args["op"])
	default:
		var m map[string]LegacyCondition
		if err := json.Unmarshal([]byte(in.legacy), &m); err != nil {
			return nil, fmt.Errorf("decode: %w", err)
		}
		return LegacyFilter(m, in.args["op"])
	}
}

func runLegacyKeyConditions(in caseInput) (*KeyCondition, error) {
	var m map[string]LegacyCondition
	if err := json.Unmarshal([]byte(in.legacy), &m); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	return LegacyKeyConditions(m, in.args["hash"], in.args["range"])
}

func runLegacyUpdates(in caseInput) (*Update, error) {
	var m map[string]AttributeValueUpdate
	if err := json.Unmarshal([]byte(in.legacy), &m); err != nil {
		return nil, fmt.Errorf("decode: %w", err)
	}
	return LegacyUpdates(m)
}
