package dynamo

import "github.com/tarnhq/tarn/internal/awsjson"

// Wire shapes of the table operations (AWS JSON 1.0), named as in the
// DynamoDB API model.

type AttributeDefinition struct {
	AttributeName string `json:"AttributeName"`
	AttributeType string `json:"AttributeType"`
}

type KeySchemaElement struct {
	AttributeName string `json:"AttributeName"`
	KeyType       string `json:"KeyType"` // HASH or RANGE
}

type Projection struct {
	ProjectionType   string   `json:"ProjectionType,omitempty"`
	NonKeyAttributes []string `json:"NonKeyAttributes,omitempty"`
}

type ProvisionedThroughput struct {
	ReadCapacityUnits  *int64 `json:"ReadCapacityUnits,omitempty"`
	WriteCapacityUnits *int64 `json:"WriteCapacityUnits,omitempty"`
}

type ProvisionedThroughputDescription struct {
	LastIncreaseDateTime   *awsjson.Timestamp `json:"LastIncreaseDateTime,omitempty"`
	LastDecreaseDateTime   *awsjson.Timestamp `json:"LastDecreaseDateTime,omitempty"`
	NumberOfDecreasesToday int64              `json:"NumberOfDecreasesToday"`
	ReadCapacityUnits      int64              `json:"ReadCapacityUnits"`
	WriteCapacityUnits     int64              `json:"WriteCapacityUnits"`
}

type OnDemandThroughput struct {
	MaxReadRequestUnits  *int64 `json:"MaxReadRequestUnits,omitempty"`
	MaxWriteRequestUnits *int64 `json:"MaxWriteRequestUnits,omitempty"`
}

type LocalSecondaryIndex struct {
	IndexName  string             `json:"IndexName"`
	KeySchema  []KeySchemaElement `json:"KeySchema"`
	Projection *Projection        `json:"Projection"`
}

type GlobalSecondaryIndex struct {
	IndexName             string                 `json:"IndexName"`
	KeySchema             []KeySchemaElement     `json:"KeySchema"`
	Projection            *Projection            `json:"Projection"`
	ProvisionedThroughput *ProvisionedThroughput `json:"ProvisionedThroughput,omitempty"`
	OnDemandThroughput    *OnDemandThroughput    `json:"OnDemandThroughput,omitempty"`
}

type StreamSpecification struct {
	StreamEnabled  *bool  `json:"StreamEnabled"`
	StreamViewType string `json:"StreamViewType,omitempty"`
}

type Tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

type SSESpecification struct {
	Enabled        *bool  `json:"Enabled,omitempty"`
	SSEType        string `json:"SSEType,omitempty"`
	KMSMasterKeyId string `json:"KMSMasterKeyId,omitempty"`
}

type createTableInput struct {
	TableName              string                 `json:"TableName"`
	AttributeDefinitions   []AttributeDefinition  `json:"AttributeDefinitions"`
	KeySchema              []KeySchemaElement     `json:"KeySchema"`
	LocalSecondaryIndexes  []LocalSecondaryIndex  `json:"LocalSecondaryIndexes"`
	GlobalSecondaryIndexes []GlobalSecondaryIndex `json:"GlobalSecondaryIndexes"`
	BillingMode            string                 `json:"BillingMode"`
	ProvisionedThroughput  *ProvisionedThroughput `json:"ProvisionedThroughput"`
	StreamSpecification    *StreamSpecification   `json:"StreamSpecification"`
	SSESpecification       *SSESpecification      `json:"SSESpecification"`
	Tags                   []Tag                  `json:"Tags"`
	TableClass             string                 `json:"TableClass"`
	DeletionProtection     *bool                  `json:"DeletionProtectionEnabled"`
	OnDemandThroughput     *OnDemandThroughput    `json:"OnDemandThroughput"`
	ResourcePolicy         *string                `json:"ResourcePolicy"`
	WarmThroughput         map[string]any         `json:"WarmThroughput"`
}

type tableDescriptionOut struct {
	TableDescription *TableDescription `json:"TableDescription"`
}

type TableDescription struct {
	AttributeDefinitions      []AttributeDefinition             `json:"AttributeDefinitions,omitempty"`
	TableName                 string                            `json:"TableName"`
	KeySchema                 []KeySchemaElement                `json:"KeySchema,omitempty"`
	TableStatus               string                            `json:"TableStatus"`
	CreationDateTime          awsjson.Timestamp                 `json:"CreationDateTime"`
	ProvisionedThroughput     *ProvisionedThroughputDescription `json:"ProvisionedThroughput,omitempty"`
	TableSizeBytes            int64                             `json:"TableSizeBytes"`
	ItemCount                 int64                             `json:"ItemCount"`
	TableArn                  string                            `json:"TableArn"`
	TableId                   string                            `json:"TableId"`
	BillingModeSummary        *BillingModeSummary               `json:"BillingModeSummary,omitempty"`
	LocalSecondaryIndexes     []IndexDescription                `json:"LocalSecondaryIndexes,omitempty"`
	GlobalSecondaryIndexes    []IndexDescription                `json:"GlobalSecondaryIndexes,omitempty"`
	StreamSpecification       *StreamSpecification              `json:"StreamSpecification,omitempty"`
	LatestStreamLabel         string                            `json:"LatestStreamLabel,omitempty"`
	LatestStreamArn           string                            `json:"LatestStreamArn,omitempty"`
	TableClassSummary         *TableClassSummary                `json:"TableClassSummary,omitempty"`
	DeletionProtectionEnabled bool                              `json:"DeletionProtectionEnabled"`
	OnDemandThroughput        *OnDemandThroughput               `json:"OnDemandThroughput,omitempty"`
	SSEDescription            *SSEDescription                   `json:"SSEDescription,omitempty"`
}

type SSEDescription struct {
	Status          string `json:"Status"`
	SSEType         string `json:"SSEType"`
	KMSMasterKeyArn string `json:"KMSMasterKeyArn,omitempty"`
}

type BillingModeSummary struct {
	BillingMode                       string             `json:"BillingMode"`
	LastUpdateToPayPerRequestDateTime *awsjson.Timestamp `json:"LastUpdateToPayPerRequestDateTime,omitempty"`
}

type TableClassSummary struct {
	TableClass string `json:"TableClass"`
}

// IndexDescription serves both LocalSecondaryIndexDescription and
// GlobalSecondaryIndexDescription (the GSI-only members are omitted for LSIs).
type IndexDescription struct {
	IndexName             string                            `json:"IndexName"`
	KeySchema             []KeySchemaElement                `json:"KeySchema"`
	Projection            *Projection                       `json:"Projection"`
	IndexStatus           string                            `json:"IndexStatus,omitempty"`
	Backfilling           *bool                             `json:"Backfilling,omitempty"`
	ProvisionedThroughput *ProvisionedThroughputDescription `json:"ProvisionedThroughput,omitempty"`
	IndexSizeBytes        int64                             `json:"IndexSizeBytes"`
	ItemCount             int64                             `json:"ItemCount"`
	IndexArn              string                            `json:"IndexArn"`
	OnDemandThroughput    *OnDemandThroughput               `json:"OnDemandThroughput,omitempty"`
}

type tableNameInput struct {
	TableName string `json:"TableName"`
}

type describeTableOut struct {
	Table *TableDescription `json:"Table"`
}

type listTablesInput struct {
	ExclusiveStartTableName string `json:"ExclusiveStartTableName"`
	Limit                   *int   `json:"Limit"`
}

type listTablesOut struct {
	TableNames             []string `json:"TableNames"`
	LastEvaluatedTableName string   `json:"LastEvaluatedTableName,omitempty"`
}

type updateTableInput struct {
	TableName                   string                       `json:"TableName"`
	AttributeDefinitions        []AttributeDefinition        `json:"AttributeDefinitions"`
	BillingMode                 string                       `json:"BillingMode"`
	ProvisionedThroughput       *ProvisionedThroughput       `json:"ProvisionedThroughput"`
	GlobalSecondaryIndexUpdates []GlobalSecondaryIndexUpdate `json:"GlobalSecondaryIndexUpdates"`
	StreamSpecification         *StreamSpecification         `json:"StreamSpecification"`
	TableClass                  string                       `json:"TableClass"`
	DeletionProtection          *bool                        `json:"DeletionProtectionEnabled"`
	OnDemandThroughput          *OnDemandThroughput          `json:"OnDemandThroughput"`
	SSESpecification            *SSESpecification            `json:"SSESpecification"`
	ReplicaUpdates              []any                        `json:"ReplicaUpdates"`
	WarmThroughput              map[string]any               `json:"WarmThroughput"`
}

type GlobalSecondaryIndexUpdate struct {
	Create *GlobalSecondaryIndex `json:"Create"`
	Delete *struct {
		IndexName string `json:"IndexName"`
	} `json:"Delete"`
	Update *struct {
		IndexName             string                 `json:"IndexName"`
		ProvisionedThroughput *ProvisionedThroughput `json:"ProvisionedThroughput"`
		OnDemandThroughput    *OnDemandThroughput    `json:"OnDemandThroughput"`
	} `json:"Update"`
}

type TimeToLiveSpecification struct {
	AttributeName string `json:"AttributeName"`
	Enabled       *bool  `json:"Enabled"`
}

type updateTTLInput struct {
	TableName               string                   `json:"TableName"`
	TimeToLiveSpecification *TimeToLiveSpecification `json:"TimeToLiveSpecification"`
}

type updateTTLOut struct {
	TimeToLiveSpecification *TimeToLiveSpecification `json:"TimeToLiveSpecification"`
}

type describeTTLOut struct {
	TimeToLiveDescription *TimeToLiveDescription `json:"TimeToLiveDescription"`
}

type TimeToLiveDescription struct {
	TimeToLiveStatus string `json:"TimeToLiveStatus"`
	AttributeName    string `json:"AttributeName,omitempty"`
}

type tagResourceInput struct {
	ResourceArn string `json:"ResourceArn"`
	Tags        []Tag  `json:"Tags"`
}

type untagResourceInput struct {
	ResourceArn string   `json:"ResourceArn"`
	TagKeys     []string `json:"TagKeys"`
}

type listTagsInput struct {
	ResourceArn string `json:"ResourceArn"`
	NextToken   string `json:"NextToken"`
}

type listTagsOut struct {
	Tags      []Tag  `json:"Tags"`
	NextToken string `json:"NextToken,omitempty"`
}

type describeLimitsOut struct {
	AccountMaxReadCapacityUnits  int64 `json:"AccountMaxReadCapacityUnits"`
	AccountMaxWriteCapacityUnits int64 `json:"AccountMaxWriteCapacityUnits"`
	TableMaxReadCapacityUnits    int64 `json:"TableMaxReadCapacityUnits"`
	TableMaxWriteCapacityUnits   int64 `json:"TableMaxWriteCapacityUnits"`
}

type Endpoint struct {
	Address              string `json:"Address"`
	CachePeriodInMinutes int64  `json:"CachePeriodInMinutes"`
}

type describeEndpointsOut struct {
	Endpoints []Endpoint `json:"Endpoints"`
}
