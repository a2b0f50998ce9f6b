package catalog

import (
	"encoding/json"

	"github.com/tarnhq/tarn/internal/awsjson"
)

// The Glue Data Catalog wire shapes (JSON 1.1), shared by the handlers
// and the Go API the platform adapts for other services. Field names and
// JSON tags are Glue's; optional strings are omitted when empty.
// Shapes tarn stores but does not interpret (SchemaReference,
// TargetTable, ...) round-trip as raw JSON.

// Column is a table column or partition key. Type is a Hive type string
// ("bigint", "array<struct<a:int>>", ...).
type Column struct {
	Name       string            `json:"Name"`
	Type       string            `json:"Type,omitempty"`
	Comment    string            `json:"Comment,omitempty"`
	Parameters map[string]string `json:"Parameters,omitempty"`
}

// SerDeInfo names the serialization library and its parameters
// (field.delim, separatorChar, paths, serialization.format, ...).
type SerDeInfo struct {
	Name                 string            `json:"Name,omitempty"`
	SerializationLibrary string            `json:"SerializationLibrary,omitempty"`
	Parameters           map[string]string `json:"Parameters,omitempty"`
}

// Order is a sort column.
type Order struct {
	Column    string `json:"Column"`
	SortOrder int    `json:"SortOrder"`
}

// SkewedInfo describes skewed columns.
type SkewedInfo struct {
	SkewedColumnNames             []string          `json:"SkewedColumnNames,omitempty"`
	SkewedColumnValues            []string          `json:"SkewedColumnValues,omitempty"`
	SkewedColumnValueLocationMaps map[string]string `json:"SkewedColumnValueLocationMaps,omitempty"`
}

// StorageDescriptor is where and how a table's or partition's data is
// stored.
type StorageDescriptor struct {
	Columns                []Column          `json:"Columns,omitempty"`
	Location               string            `json:"Location,omitempty"`
	AdditionalLocations    []string          `json:"AdditionalLocations,omitempty"`
	InputFormat            string            `json:"InputFormat,omitempty"`
	OutputFormat           string            `json:"OutputFormat,omitempty"`
	Compressed             bool              `json:"Compressed"`
	NumberOfBuckets        int               `json:"NumberOfBuckets"`
	SerdeInfo              *SerDeInfo        `json:"SerdeInfo,omitempty"`
	BucketColumns          []string          `json:"BucketColumns,omitempty"`
	SortColumns            []Order           `json:"SortColumns,omitempty"`
	Parameters             map[string]string `json:"Parameters,omitempty"`
	SkewedInfo             *SkewedInfo       `json:"SkewedInfo,omitempty"`
	StoredAsSubDirectories bool              `json:"StoredAsSubDirectories"`
	SchemaReference        json.RawMessage   `json:"SchemaReference,omitempty"`
}

// Database is a Glue database.
type Database struct {
	Name                          string                 `json:"Name"`
	Description                   string                 `json:"Description,omitempty"`
	LocationUri                   string                 `json:"LocationUri,omitempty"`
	Parameters                    map[string]string      `json:"Parameters,omitempty"`
	CreateTime                    *awsjson.Timestamp     `json:"CreateTime,omitempty"`
	CreateTableDefaultPermissions []PrincipalPermissions `json:"CreateTableDefaultPermissions,omitempty"`
	TargetDatabase                json.RawMessage        `json:"TargetDatabase,omitempty"`
	FederatedDatabase             json.RawMessage        `json:"FederatedDatabase,omitempty"`
	CatalogId                     string                 `json:"CatalogId,omitempty"`
}

// PrincipalPermissions is a Lake Formation default grant.
type PrincipalPermissions struct {
	Principal   *DataLakePrincipal `json:"Principal,omitempty"`
	Permissions []string           `json:"Permissions,omitempty"`
}

// DataLakePrincipal names a principal.
type DataLakePrincipal struct {
	DataLakePrincipalIdentifier string `json:"DataLakePrincipalIdentifier,omitempty"`
}

// DatabaseInput is the writable part of a Database.
type DatabaseInput struct {
	Name                          string                 `json:"Name"`
	Description                   string                 `json:"Description,omitempty"`
	LocationUri                   string                 `json:"LocationUri,omitempty"`
	Parameters                    map[string]string      `json:"Parameters,omitempty"`
	CreateTableDefaultPermissions []PrincipalPermissions `json:"CreateTableDefaultPermissions,omitempty"`
	TargetDatabase                json.RawMessage        `json:"TargetDatabase,omitempty"`
	FederatedDatabase             json.RawMessage        `json:"FederatedDatabase,omitempty"`
}

// Table is a Glue table. VersionId counts updates from "0" (creation).
type Table struct {
	Name                          string             `json:"Name"`
	DatabaseName                  string             `json:"DatabaseName,omitempty"`
	Description                   string             `json:"Description,omitempty"`
	Owner                         string             `json:"Owner,omitempty"`
	CreateTime                    *awsjson.Timestamp `json:"CreateTime,omitempty"`
	UpdateTime                    *awsjson.Timestamp `json:"UpdateTime,omitempty"`
	LastAccessTime                *awsjson.Timestamp `json:"LastAccessTime,omitempty"`
	LastAnalyzedTime              *awsjson.Timestamp `json:"LastAnalyzedTime,omitempty"`
	Retention                     int                `json:"Retention"`
	StorageDescriptor             *StorageDescriptor `json:"StorageDescriptor,omitempty"`
	PartitionKeys                 []Column           `json:"PartitionKeys,omitempty"`
	ViewOriginalText              string             `json:"ViewOriginalText,omitempty"`
	ViewExpandedText              string             `json:"ViewExpandedText,omitempty"`
	TableType                     string             `json:"TableType,omitempty"`
	Parameters                    map[string]string  `json:"Parameters,omitempty"`
	CreatedBy                     string             `json:"CreatedBy,omitempty"`
	IsRegisteredWithLakeFormation bool               `json:"IsRegisteredWithLakeFormation"`
	TargetTable                   json.RawMessage    `json:"TargetTable,omitempty"`
	CatalogId                     string             `json:"CatalogId,omitempty"`
	VersionId                     string             `json:"VersionId,omitempty"`
}

// TableInput is the writable part of a Table.
type TableInput struct {
	Name              string             `json:"Name"`
	Description       string             `json:"Description,omitempty"`
	Owner             string             `json:"Owner,omitempty"`
	LastAccessTime    *awsjson.Timestamp `json:"LastAccessTime,omitempty"`
	LastAnalyzedTime  *awsjson.Timestamp `json:"LastAnalyzedTime,omitempty"`
	Retention         int                `json:"Retention"`
	StorageDescriptor *StorageDescriptor `json:"StorageDescriptor,omitempty"`
	PartitionKeys     []Column           `json:"PartitionKeys,omitempty"`
	ViewOriginalText  string             `json:"ViewOriginalText,omitempty"`
	ViewExpandedText  string             `json:"ViewExpandedText,omitempty"`
	TableType         string             `json:"TableType,omitempty"`
	Parameters        map[string]string  `json:"Parameters,omitempty"`
	TargetTable       json.RawMessage    `json:"TargetTable,omitempty"`
}

// table builds the stored Table from an input (timestamps and ids are the
// caller's to set).
func (in *TableInput) table() Table {
	return Table{Name: in.Name, Description: in.Description, Owner: in.Owner, LastAccessTime: in.LastAccessTime,
		LastAnalyzedTime: in.LastAnalyzedTime, Retention: in.Retention, StorageDescriptor: in.StorageDescriptor,
		PartitionKeys: in.PartitionKeys, ViewOriginalText: in.ViewOriginalText, ViewExpandedText: in.ViewExpandedText,
		TableType: in.TableType, Parameters: in.Parameters, TargetTable: in.TargetTable}
}

// Partition is one partition of a table: Values are in PartitionKeys order.
type Partition struct {
	Values            []string           `json:"Values"`
	DatabaseName      string             `json:"DatabaseName,omitempty"`
	TableName         string             `json:"TableName,omitempty"`
	CreationTime      *awsjson.Timestamp `json:"CreationTime,omitempty"`
	LastAccessTime    *awsjson.Timestamp `json:"LastAccessTime,omitempty"`
	LastAnalyzedTime  *awsjson.Timestamp `json:"LastAnalyzedTime,omitempty"`
	StorageDescriptor *StorageDescriptor `json:"StorageDescriptor,omitempty"`
	Parameters        map[string]string  `json:"Parameters,omitempty"`
	CatalogId         string             `json:"CatalogId,omitempty"`
}

// PartitionInput is the writable part of a Partition.
type PartitionInput struct {
	Values            []string           `json:"Values"`
	LastAccessTime    *awsjson.Timestamp `json:"LastAccessTime,omitempty"`
	LastAnalyzedTime  *awsjson.Timestamp `json:"LastAnalyzedTime,omitempty"`
	StorageDescriptor *StorageDescriptor `json:"StorageDescriptor,omitempty"`
	Parameters        map[string]string  `json:"Parameters,omitempty"`
}

func (in *PartitionInput) partition() Partition {
	return Partition{Values: in.Values, LastAccessTime: in.LastAccessTime, LastAnalyzedTime: in.LastAnalyzedTime,
		StorageDescriptor: in.StorageDescriptor, Parameters: in.Parameters}
}

// ErrorDetail is a batch entry's error.
type ErrorDetail struct {
	ErrorCode    string `json:"ErrorCode,omitempty"`
	ErrorMessage string `json:"ErrorMessage,omitempty"`
}

// PartitionError is a failed entry of a partition batch.
type PartitionError struct {
	PartitionValues []string     `json:"PartitionValues,omitempty"`
	ErrorDetail     *ErrorDetail `json:"ErrorDetail,omitempty"`
}

// TableError is a failed entry of BatchDeleteTable.
type TableError struct {
	TableName   string       `json:"TableName,omitempty"`
	ErrorDetail *ErrorDetail `json:"ErrorDetail,omitempty"`
}

// TableVersion is one archived version of a table.
type TableVersion struct {
	Table     *Table `json:"Table,omitempty"`
	VersionId string `json:"VersionId,omitempty"`
}

// PartitionValueList names one partition.
type PartitionValueList struct {
	Values []string `json:"Values"`
}
