package sql

import "github.com/tarnhq/tarn/internal/awsjson"

// Wire shapes of the Athena API (field names as the SDK model has them).

type queryExecutionContext struct {
	Database string `json:"Database,omitempty"`
	Catalog  string `json:"Catalog,omitempty"`
}

type resultConfiguration struct {
	OutputLocation string `json:"OutputLocation,omitempty"`
}

type startQueryExecutionInput struct {
	QueryString           string                 `json:"QueryString"`
	ClientRequestToken    string                 `json:"ClientRequestToken"`
	QueryExecutionContext *queryExecutionContext `json:"QueryExecutionContext"`
	ResultConfiguration   *resultConfiguration   `json:"ResultConfiguration"`
	WorkGroup             string                 `json:"WorkGroup"`
	ExecutionParameters   []string               `json:"ExecutionParameters"`
}

type startQueryExecutionOutput struct {
	QueryExecutionId string `json:"QueryExecutionId"`
}

type queryExecutionIDInput struct {
	QueryExecutionId string `json:"QueryExecutionId"`
}

type athenaError struct {
	ErrorCategory int    `json:"ErrorCategory"`
	ErrorType     int    `json:"ErrorType"`
	Retryable     bool   `json:"Retryable"`
	ErrorMessage  string `json:"ErrorMessage,omitempty"`
}

type queryExecutionStatus struct {
	State              string             `json:"State"`
	StateChangeReason  string             `json:"StateChangeReason,omitempty"`
	SubmissionDateTime awsjson.Timestamp  `json:"SubmissionDateTime"`
	CompletionDateTime *awsjson.Timestamp `json:"CompletionDateTime,omitempty"`
	AthenaError        *athenaError       `json:"AthenaError,omitempty"`
}

type queryExecutionStatistics struct {
	EngineExecutionTimeInMillis      int64  `json:"EngineExecutionTimeInMillis"`
	DataScannedInBytes               int64  `json:"DataScannedInBytes"`
	TotalExecutionTimeInMillis       int64  `json:"TotalExecutionTimeInMillis"`
	QueryQueueTimeInMillis           int64  `json:"QueryQueueTimeInMillis"`
	QueryPlanningTimeInMillis        int64  `json:"QueryPlanningTimeInMillis"`
	ServicePreProcessingTimeInMillis int64  `json:"ServicePreProcessingTimeInMillis"`
	ServiceProcessingTimeInMillis    int64  `json:"ServiceProcessingTimeInMillis"`
	DataManifestLocation             string `json:"DataManifestLocation,omitempty"`
	ResultReuseInformation           struct {
		ReusedPreviousResult bool `json:"ReusedPreviousResult"`
	} `json:"ResultReuseInformation"`
}

type engineVersion struct {
	SelectedEngineVersion  string `json:"SelectedEngineVersion"`
	EffectiveEngineVersion string `json:"EffectiveEngineVersion"`
}

type queryExecutionShape struct {
	QueryExecutionId      string                   `json:"QueryExecutionId"`
	Query                 string                   `json:"Query"`
	StatementType         string                   `json:"StatementType"`
	SubstatementType      string                   `json:"SubstatementType,omitempty"`
	ResultConfiguration   resultConfiguration      `json:"ResultConfiguration"`
	QueryExecutionContext queryExecutionContext    `json:"QueryExecutionContext"`
	Status                queryExecutionStatus     `json:"Status"`
	Statistics            queryExecutionStatistics `json:"Statistics"`
	WorkGroup             string                   `json:"WorkGroup"`
	EngineVersion         engineVersion            `json:"EngineVersion"`
	ExecutionParameters   []string                 `json:"ExecutionParameters,omitempty"`
}

type getQueryExecutionOutput struct {
	QueryExecution queryExecutionShape `json:"QueryExecution"`
}

type batchGetQueryExecutionInput struct {
	QueryExecutionIds []string `json:"QueryExecutionIds"`
}

type unprocessedQueryExecutionID struct {
	QueryExecutionId string `json:"QueryExecutionId"`
	ErrorCode        string `json:"ErrorCode"`
	ErrorMessage     string `json:"ErrorMessage"`
}

type batchGetQueryExecutionOutput struct {
	QueryExecutions              []queryExecutionShape         `json:"QueryExecutions"`
	UnprocessedQueryExecutionIds []unprocessedQueryExecutionID `json:"UnprocessedQueryExecutionIds"`
}

type listInput struct {
	WorkGroup  string `json:"WorkGroup"`
	MaxResults int    `json:"MaxResults"`
	NextToken  string `json:"NextToken"`
}

type listQueryExecutionsOutput struct {
	QueryExecutionIds []string `json:"QueryExecutionIds"`
	NextToken         string   `json:"NextToken,omitempty"`
}

type getQueryResultsInput struct {
	QueryExecutionId string `json:"QueryExecutionId"`
	MaxResults       int    `json:"MaxResults"`
	NextToken        string `json:"NextToken"`
}

type datum struct {
	VarCharValue *string `json:"VarCharValue,omitempty"`
}

type row struct {
	Data []datum `json:"Data"`
}

type columnInfo struct {
	CatalogName   string `json:"CatalogName"`
	SchemaName    string `json:"SchemaName"`
	TableName     string `json:"TableName"`
	Name          string `json:"Name"`
	Label         string `json:"Label"`
	Type          string `json:"Type"`
	Precision     int    `json:"Precision"`
	Scale         int    `json:"Scale"`
	Nullable      string `json:"Nullable"`
	CaseSensitive bool   `json:"CaseSensitive"`
}

type resultSetMetadata struct {
	ColumnInfo []columnInfo `json:"ColumnInfo"`
}

type resultSet struct {
	Rows              []row             `json:"Rows"`
	ResultSetMetadata resultSetMetadata `json:"ResultSetMetadata"`
}

type getQueryResultsOutput struct {
	ResultSet   resultSet `json:"ResultSet"`
	NextToken   string    `json:"NextToken,omitempty"`
	UpdateCount int64     `json:"UpdateCount"`
}
