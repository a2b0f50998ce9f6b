package sql

import "github.com/tarnhq/tarn/internal/awsjson"

type workGroupConfiguration struct {
	ResultConfiguration             *resultConfiguration `json:"ResultConfiguration,omitempty"`
	EnforceWorkGroupConfiguration   *bool                `json:"EnforceWorkGroupConfiguration,omitempty"`
	PublishCloudWatchMetricsEnabled *bool                `json:"PublishCloudWatchMetricsEnabled,omitempty"`
	BytesScannedCutoffPerQuery      *int64               `json:"BytesScannedCutoffPerQuery,omitempty"`
	RequesterPaysEnabled            *bool                `json:"RequesterPaysEnabled,omitempty"`
	EngineVersion                   *engineVersion       `json:"EngineVersion,omitempty"`
}

type tag struct {
	Key   string `json:"Key"`
	Value string `json:"Value"`
}

type workGroupShape struct {
	Name          string                 `json:"Name"`
	State         string                 `json:"State"`
	Configuration workGroupConfiguration `json:"Configuration"`
	Description   string                 `json:"Description,omitempty"`
	CreationTime  awsjson.Timestamp      `json:"CreationTime"`
}

type createWorkGroupInput struct {
	Name          string                  `json:"Name"`
	Configuration *workGroupConfiguration `json:"Configuration"`
	Description   string                  `json:"Description"`
	Tags          []tag                   `json:"Tags"`
}

type workGroupNameInput struct {
	WorkGroup             string `json:"WorkGroup"`
	RecursiveDeleteOption bool   `json:"RecursiveDeleteOption"`
}

type getWorkGroupOutput struct {
	WorkGroup workGroupShape `json:"WorkGroup"`
}

type resultConfigurationUpdates struct {
	OutputLocation       *string `json:"OutputLocation"`
	RemoveOutputLocation *bool   `json:"RemoveOutputLocation"`
}

type workGroupConfigurationUpdates struct {
	ResultConfigurationUpdates       *resultConfigurationUpdates `json:"ResultConfigurationUpdates"`
	EnforceWorkGroupConfiguration    *bool                       `json:"EnforceWorkGroupConfiguration"`
	PublishCloudWatchMetricsEnabled  *bool                       `json:"PublishCloudWatchMetricsEnabled"`
	BytesScannedCutoffPerQuery       *int64                      `json:"BytesScannedCutoffPerQuery"`
	RemoveBytesScannedCutoffPerQuery *bool                       `json:"RemoveBytesScannedCutoffPerQuery"`
	RequesterPaysEnabled             *bool                       `json:"RequesterPaysEnabled"`
	EngineVersion                    *engineVersion              `json:"EngineVersion"`
}

type updateWorkGroupInput struct {
	WorkGroup            string                         `json:"WorkGroup"`
	Description          *string                        `json:"Description"`
	ConfigurationUpdates *workGroupConfigurationUpdates `json:"ConfigurationUpdates"`
	State                string                         `json:"State"`
}

type workGroupSummary struct {
	Name          string            `json:"Name"`
	State         string            `json:"State"`
	Description   string            `json:"Description,omitempty"`
	CreationTime  awsjson.Timestamp `json:"CreationTime"`
	EngineVersion engineVersion     `json:"EngineVersion"`
}

type pageInput struct {
	MaxResults int    `json:"MaxResults"`
	NextToken  string `json:"NextToken"`
	WorkGroup  string `json:"WorkGroup"`
}

type listWorkGroupsOutput struct {
	WorkGroups []workGroupSummary `json:"WorkGroups"`
	NextToken  string             `json:"NextToken,omitempty"`
}

type namedQueryShape struct {
	Name         string `json:"Name"`
	Description  string `json:"Description,omitempty"`
	Database     string `json:"Database"`
	QueryString  string `json:"QueryString"`
	NamedQueryId string `json:"NamedQueryId"`
	WorkGroup    string `json:"WorkGroup"`
}

type createNamedQueryInput struct {
	Name               string `json:"Name"`
	Description        string `json:"Description"`
	Database           string `json:"Database"`
	QueryString        string `json:"QueryString"`
	ClientRequestToken string `json:"ClientRequestToken"`
	WorkGroup          string `json:"WorkGroup"`
}

type namedQueryIDInput struct {
	NamedQueryId string `json:"NamedQueryId"`
}

type batchGetNamedQueryInput struct {
	NamedQueryIds []string `json:"NamedQueryIds"`
}

type unprocessedNamedQueryID struct {
	NamedQueryId string `json:"NamedQueryId"`
	ErrorCode    string `json:"ErrorCode"`
	ErrorMessage string `json:"ErrorMessage"`
}

type preparedStatementShape struct {
	StatementName    string            `json:"StatementName"`
	QueryStatement   string            `json:"QueryStatement"`
	WorkGroupName    string            `json:"WorkGroupName"`
	Description      string            `json:"Description,omitempty"`
	LastModifiedTime awsjson.Timestamp `json:"LastModifiedTime"`
}

type preparedStatementInput struct {
	StatementName  string `json:"StatementName"`
	WorkGroup      string `json:"WorkGroup"`
	QueryStatement string `json:"QueryStatement"`
	Description    string `json:"Description"`
}

type preparedStatementSummary struct {
	StatementName    string            `json:"StatementName"`
	LastModifiedTime awsjson.Timestamp `json:"LastModifiedTime"`
}

type catalogInput struct {
	Name         string `json:"Name"`
	CatalogName  string `json:"CatalogName"`
	DatabaseName string `json:"DatabaseName"`
	TableName    string `json:"TableName"`
	Expression   string `json:"Expression"`
	MaxResults   int    `json:"MaxResults"`
	NextToken    string `json:"NextToken"`
}

type dataCatalogShape struct {
	Name        string            `json:"Name"`
	Description string            `json:"Description,omitempty"`
	Type        string            `json:"Type"`
	Parameters  map[string]string `json:"Parameters,omitempty"`
	Status      string            `json:"Status,omitempty"`
}

type dataCatalogSummary struct {
	CatalogName string `json:"CatalogName"`
	Type        string `json:"Type"`
	Status      string `json:"Status,omitempty"`
}

type databaseShape struct {
	Name        string            `json:"Name"`
	Description string            `json:"Description,omitempty"`
	Parameters  map[string]string `json:"Parameters,omitempty"`
}

type columnShape struct {
	Name    string `json:"Name"`
	Type    string `json:"Type,omitempty"`
	Comment string `json:"Comment,omitempty"`
}

type tableMetadataShape struct {
	Name          string             `json:"Name"`
	CreateTime    *awsjson.Timestamp `json:"CreateTime,omitempty"`
	TableType     string             `json:"TableType"`
	Columns       []columnShape      `json:"Columns"`
	PartitionKeys []columnShape      `json:"PartitionKeys"`
	Parameters    map[string]string  `json:"Parameters,omitempty"`
}
