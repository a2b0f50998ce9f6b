package dynamo

import (
	"encoding/json"

	"github.com/tarnhq/tarn/internal/dynamo/attr"
)

type putItemInput struct {
	exprInput
	TableName                           string          `json:"TableName"`
	Item                                json.RawMessage `json:"Item"`
	ConditionExpression                 *string         `json:"ConditionExpression"`
	Expected                            json.RawMessage `json:"Expected"`
	ConditionalOperator                 string          `json:"ConditionalOperator"`
	ReturnValues                        string          `json:"ReturnValues"`
	ReturnConsumedCapacity              string          `json:"ReturnConsumedCapacity"`
	ReturnItemCollectionMetrics         string          `json:"ReturnItemCollectionMetrics"`
	ReturnValuesOnConditionCheckFailure string          `json:"ReturnValuesOnConditionCheckFailure"`
}

type writeItemOut struct {
	Attributes            attr.Item              `json:"Attributes,omitempty"`
	ConsumedCapacity      *ConsumedCapacity      `json:"ConsumedCapacity,omitempty"`
	ItemCollectionMetrics *ItemCollectionMetrics `json:"ItemCollectionMetrics,omitempty"`
}

type ItemCollectionMetrics struct {
	ItemCollectionKey   attr.Item `json:"ItemCollectionKey"`
	SizeEstimateRangeGB []float64 `json:"SizeEstimateRangeGB"`
}

type getItemInput struct {
	exprInput
	TableName              string          `json:"TableName"`
	Key                    json.RawMessage `json:"Key"`
	AttributesToGet        []string        `json:"AttributesToGet"`
	ConsistentRead         *bool           `json:"ConsistentRead"`
	ProjectionExpression   *string         `json:"ProjectionExpression"`
	ReturnConsumedCapacity string          `json:"ReturnConsumedCapacity"`
}

type getItemOut struct {
	Item             attr.Item         `json:"Item,omitempty"`
	ConsumedCapacity *ConsumedCapacity `json:"ConsumedCapacity,omitempty"`

	raw []byte // the item as stored JSON when Item is nil (see codec.go)
}

type deleteItemInput struct {
	exprInput
	TableName                           string          `json:"TableName"`
	Key                                 json.RawMessage `json:"Key"`
	ConditionExpression                 *string         `json:"ConditionExpression"`
	Expected                            json.RawMessage `json:"Expected"`
	ConditionalOperator                 string          `json:"ConditionalOperator"`
	ReturnValues                        string          `json:"ReturnValues"`
	ReturnConsumedCapacity              string          `json:"ReturnConsumedCapacity"`
	ReturnItemCollectionMetrics         string          `json:"ReturnItemCollectionMetrics"`
	ReturnValuesOnConditionCheckFailure string          `json:"ReturnValuesOnConditionCheckFailure"`
}

type updateItemInput struct {
	exprInput
	TableName                           string          `json:"TableName"`
	Key                                 json.RawMessage `json:"Key"`
	UpdateExpression                    *string         `json:"UpdateExpression"`
	AttributeUpdates                    json.RawMessage `json:"AttributeUpdates"`
	ConditionExpression                 *string         `json:"ConditionExpression"`
	Expected                            json.RawMessage `json:"Expected"`
	ConditionalOperator                 string          `json:"ConditionalOperator"`
	ReturnValues                        string          `json:"ReturnValues"`
	ReturnConsumedCapacity              string          `json:"ReturnConsumedCapacity"`
	ReturnItemCollectionMetrics         string          `json:"ReturnItemCollectionMetrics"`
	ReturnValuesOnConditionCheckFailure string          `json:"ReturnValuesOnConditionCheckFailure"`
}
