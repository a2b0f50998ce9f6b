package dynamo

import (
	"encoding/json"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

type queryInput struct {
	exprInput
	TableName              string          `json:"TableName"`
	IndexName              *string         `json:"IndexName"`
	Select                 string          `json:"Select"`
	AttributesToGet        []string        `json:"AttributesToGet"`
	Limit                  *int            `json:"Limit"`
	ConsistentRead         *bool           `json:"ConsistentRead"`
	KeyConditions          json.RawMessage `json:"KeyConditions"`
	QueryFilter            json.RawMessage `json:"QueryFilter"`
	ScanFilter             json.RawMessage `json:"ScanFilter"`
	ConditionalOperator    string          `json:"ConditionalOperator"`
	ScanIndexForward       *bool           `json:"ScanIndexForward"`
	ExclusiveStartKey      json.RawMessage `json:"ExclusiveStartKey"`
	ReturnConsumedCapacity string          `json:"ReturnConsumedCapacity"`
	ProjectionExpression   *string         `json:"ProjectionExpression"`
	FilterExpression       *string         `json:"FilterExpression"`
	KeyConditionExpression *string         `json:"KeyConditionExpression"`
	Segment                *int            `json:"Segment"`
	TotalSegments          *int            `json:"TotalSegments"`
}

type queryOut struct {
	Items            []attr.Item       `json:"Items"`
	Count            int               `json:"Count"`
	ScannedCount     int               `json:"ScannedCount"`
	LastEvaluatedKey attr.Item         `json:"LastEvaluatedKey,omitempty"`
	ConsumedCapacity *ConsumedCapacity `json:"ConsumedCapacity,omitempty"`

	raw [][]byte // items as stored JSON, after Items (see codec.go)
}
