package warehouse

import "github.com/tarnhq/tarn/internal/awsjson"

// Redshift Data API shapes (JSON 1.1), named as in the SDK model.

type sqlParameter struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

type executeStatementInput struct {
	Sql               string         `json:"Sql"`
	Database          string         `json:"Database"`
	ClusterIdentifier string         `json:"ClusterIdentifier"`
	WorkgroupName     string         `json:"WorkgroupName"`
	DbUser            string         `json:"DbUser"`
	SecretArn         string         `json:"SecretArn"`
	Parameters        []sqlParameter `json:"Parameters"`
	StatementName     string         `json:"StatementName"`
	WithEvent         bool           `json:"WithEvent"`
	ClientToken       string         `json:"ClientToken"`
	SessionId         string         `json:"SessionId"`
	ResultFormat      string         `json:"ResultFormat"`
}

type batchExecuteStatementInput struct {
	Sqls              []string `json:"Sqls"`
	Database          string   `json:"Database"`
	ClusterIdentifier string   `json:"ClusterIdentifier"`
	WorkgroupName     string   `json:"WorkgroupName"`
	DbUser            string   `json:"DbUser"`
	SecretArn         string   `json:"SecretArn"`
	StatementName     string   `json:"StatementName"`
	WithEvent         bool     `json:"WithEvent"`
	ClientToken       string   `json:"ClientToken"`
	SessionId         string   `json:"SessionId"`
	ResultFormat      string   `json:"ResultFormat"`
}

type executeStatementOutput struct {
	Id                string            `json:"Id"`
	ClusterIdentifier string            `json:"ClusterIdentifier,omitempty"`
	WorkgroupName     string            `json:"WorkgroupName,omitempty"`
	Database          string            `json:"Database,omitempty"`
	DbUser            string            `json:"DbUser,omitempty"`
	SecretArn         string            `json:"SecretArn,omitempty"`
	CreatedAt         awsjson.Timestamp `json:"CreatedAt"`
}

type idInput struct {
	Id        string `json:"Id"`
	NextToken string `json:"NextToken"`
}

type subStatement struct {
	Id              string            `json:"Id"`
	QueryString     string            `json:"QueryString"`
	Status          string            `json:"Status"`
	Error           string            `json:"Error,omitempty"`
	Duration        int64             `json:"Duration"`
	HasResultSet    bool              `json:"HasResultSet"`
	ResultRows      int64             `json:"ResultRows"`
	ResultSize      int64             `json:"ResultSize"`
	RedshiftQueryId int64             `json:"RedshiftQueryId"`
	CreatedAt       awsjson.Timestamp `json:"CreatedAt"`
	UpdatedAt       awsjson.Timestamp `json:"UpdatedAt"`
}

type describeStatementOutput struct {
	Id                string            `json:"Id"`
	ClusterIdentifier string            `json:"ClusterIdentifier,omitempty"`
	WorkgroupName     string            `json:"WorkgroupName,omitempty"`
	Database          string            `json:"Database,omitempty"`
	DbUser            string            `json:"DbUser,omitempty"`
	SecretArn         string            `json:"SecretArn,omitempty"`
	QueryString       string            `json:"QueryString"`
	QueryParameters   []sqlParameter    `json:"QueryParameters,omitempty"`
	Status            string            `json:"Status"`
	Error             string            `json:"Error,omitempty"`
	Duration          int64             `json:"Duration"`
	HasResultSet      bool              `json:"HasResultSet"`
	ResultRows        int64             `json:"ResultRows"`
	ResultSize        int64             `json:"ResultSize"`
	RedshiftPid       int64             `json:"RedshiftPid"`
	RedshiftQueryId   int64             `json:"RedshiftQueryId"`
	SubStatements     []subStatement    `json:"SubStatements,omitempty"`
	ResultFormat      string            `json:"ResultFormat,omitempty"`
	CreatedAt         awsjson.Timestamp `json:"CreatedAt"`
	UpdatedAt         awsjson.Timestamp `json:"UpdatedAt"`
}

// field is the Field union of a result record.
type field struct {
	IsNull       *bool    `json:"isNull,omitempty"`
	BooleanValue *bool    `json:"booleanValue,omitempty"`
	LongValue    *int64   `json:"longValue,omitempty"`
	DoubleValue  *float64 `json:"doubleValue,omitempty"`
	StringValue  *string  `json:"stringValue,omitempty"`
	BlobValue    []byte   `json:"blobValue,omitempty"`
}

type columnMetadata struct {
	Name            string `json:"name"`
	Label           string `json:"label"`
	TypeName        string `json:"typeName"`
	Nullable        int32  `json:"nullable"`
	IsSigned        bool   `json:"isSigned"`
	IsCaseSensitive bool   `json:"isCaseSensitive"`
	IsCurrency      bool   `json:"isCurrency"`
	Length          int32  `json:"length"`
	Precision       int32  `json:"precision"`
	Scale           int32  `json:"scale"`
	SchemaName      string `json:"schemaName"`
	TableName       string `json:"tableName"`
}

type getStatementResultOutput struct {
	ColumnMetadata []columnMetadata `json:"ColumnMetadata"`
	Records        [][]field        `json:"Records"`
	TotalNumRows   int64            `json:"TotalNumRows"`
	NextToken      string           `json:"NextToken,omitempty"`
}

type listStatementsInput struct {
	MaxResults        int32  `json:"MaxResults"`
	NextToken         string `json:"NextToken"`
	StatementName     string `json:"StatementName"`
	Status            string `json:"Status"`
	RoleLevel         *bool  `json:"RoleLevel"`
	ClusterIdentifier string `json:"ClusterIdentifier"`
	WorkgroupName     string `json:"WorkgroupName"`
	Database          string `json:"Database"`
}

type statementData struct {
	Id               string            `json:"Id"`
	QueryString      string            `json:"QueryString,omitempty"`
	QueryStrings     []string          `json:"QueryStrings,omitempty"`
	QueryParameters  []sqlParameter    `json:"QueryParameters,omitempty"`
	IsBatchStatement bool              `json:"IsBatchStatement"`
	StatementName    string            `json:"StatementName,omitempty"`
	SecretArn        string            `json:"SecretArn,omitempty"`
	Status           string            `json:"Status"`
	ResultFormat     string            `json:"ResultFormat,omitempty"`
	CreatedAt        awsjson.Timestamp `json:"CreatedAt"`
	UpdatedAt        awsjson.Timestamp `json:"UpdatedAt"`
}

type listStatementsOutput struct {
	Statements []statementData `json:"Statements"`
	NextToken  string          `json:"NextToken,omitempty"`
}

type cancelStatementOutput struct {
	Status bool `json:"Status"`
}
